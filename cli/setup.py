"""``kronika init``, ``kronika service ...`` and ``kronika staff ...``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click

from cli.app import App, emit_json, json_option, pass_app, recording, table
from cli.i18n import _
from cli.params import EnumChoice, ListType
from domain import commands as c
from domain.service import OpeningHours, ServiceParameters
from domain.vocabulary import Form, Role, ServiceType
from workers.journal import open_journal


@click.command()
@click.option("--name", help="Your full name (default: your login).")
@pass_app
def init(app: App, name: str | None) -> None:
    """Create the journal (data directory and stores); you become its admin.

    Example: kronika init --name "Jana Nováková"
    """
    from workers.nudge import forget_writes
    from workers.projecting import set_up

    had_key = bool(app.settings.master_key) or app.settings.key_file.exists()
    journal = open_journal(app.settings, create=True)
    where = (
        _without_password(app.settings.database_url)
        if app.settings.database_url
        else str(app.settings.data_dir)
    )
    try:
        created = journal.initialise(app.actor, name or app.actor)
        if created:
            forget_writes(app.settings)  # writes remembered here were to a journal no longer here
        set_up(app.settings, journal)  # the read store and every projection, built from the journal
    finally:
        journal.close()
    if created:
        click.echo(
            _("Journal created in {where}; {login} is its admin.").format(where=where, login=app.actor)
        )
    if not had_key:
        click.echo(
            _(
                "Its master key is {path} (readable by you only). Keep a copy apart from the database "
                "and its backups: without the key nobody can read the journal."
            ).format(path=app.settings.key_file)
        )
    else:
        click.echo(_("Journal in {where} exists already; nothing changed.").format(where=where))


def _parameters(
    name: str,
    service_type: ServiceType,
    forms: list[Form],
    min_age: int | None,
    max_age: int | None,
    capacity: int | None,
    hours: str | None,
    session_limit: int | None,
    target_groups: list[str] | None,
    registry_id: str | None,
) -> ServiceParameters:
    return ServiceParameters(
        name=name,
        type=service_type,
        forms=tuple(forms),
        min_age=min_age,
        max_age=max_age,
        capacity=capacity,
        hours=OpeningHours.parse(hours) if hours else OpeningHours(()),
        session_limit=session_limit,
        target_groups=tuple(target_groups or ()),
        registry_id=registry_id or "",
    )


def _service_options(required: bool) -> Any:
    options = [
        click.option("--name", required=required, help="The service's name."),
        click.option("--type", "service_type", type=EnumChoice(ServiceType), required=required),
        click.option("--forms", type=ListType(Form), required=required, help="e.g. ambulatory,field"),
        click.option("--min-age", type=click.IntRange(0, 120), help="Youngest client served, e.g. 11."),
        click.option("--max-age", type=click.IntRange(0, 120), help="Oldest client served."),
        click.option("--capacity", type=click.IntRange(1), help="Immediate capacity: clients at one time."),
        click.option("--hours", help="Opening hours, e.g. 'Mon-Fri 09:00-17:00' or 'nonstop'."),
        click.option("--session-limit", type=click.IntRange(1), help="Sessions per case, e.g. 12."),
        click.option("--target-groups", type=ListType(), help="Target groups, comma-separated."),
        click.option("--registry-id", help="Identifier in the registry of social services."),
    ]

    def apply(func: Any) -> Any:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


@click.group()
def service() -> None:
    """Registered social services and their parameters.

    Example: kronika service list
    """


@service.command("add")
@click.argument("code")
@_service_options(required=True)
@recording
def service_add(code: str, **options: Any) -> c.Command:
    """Register a service (admin).

    Example: kronika service add SOS --name "SOS centrum" --type crisis-help --forms ambulatory,field
    --min-age 11 --capacity 3 --hours "Mon-Fri 09:00-17:00" --session-limit 12
    """
    return c.RegisterService(code, _parameters(**options))


@service.command("change")
@click.argument("code")
@_service_options(required=False)
@recording
def service_change(code: str, **options: Any) -> c.Command:
    """Change a service's parameters (admin); options not given stay as they are.

    Example: kronika service change SOS --session-limit 10
    """
    given = {k: v for k, v in options.items() if v is not None}
    if not given:
        raise click.UsageError(_("name at least one parameter to change"))
    changes: dict[str, Any] = {}
    for name, value in given.items():
        if name == "service_type":
            changes["type"] = value
        elif name == "hours":
            changes["hours"] = OpeningHours.parse(value)
        elif name in ("forms", "target_groups"):
            changes[name] = tuple(value)
        else:
            changes[name] = value
    return c.ReconfigureService(code, changes)


@service.command("list")
@json_option
@pass_app
def service_list(app: App, as_json: bool) -> None:
    """List the services.

    Example: kronika service list --json
    """
    services = app.journal.services(actor=app.actor)
    rows = [{"code": s.code, **s.parameters.as_event_fields()} for s in services]
    if as_json:
        emit_json(rows)
        return
    columns = [_("Code"), _("Name"), _("Type"), _("Forms"), _("Ages"), _("Capacity"), _("Hours"), _("Limit")]
    table(
        _("Services"),
        columns,
        [
            (
                r["code"],
                r["name"],
                f"{r['type']} ({ServiceType(r['type']).section})",
                ",".join(r["forms"]),
                _ages(r["min_age"], r["max_age"]),
                r["capacity"],
                r["hours"],
                r["session_limit"],
            )
            for r in rows
        ],
    )


@click.group()
def staff() -> None:
    """Staff members and their roles.

    Example: kronika staff list
    """


@staff.command("add")
@click.argument("login")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=EnumChoice(Role), required=True)
@click.option("--service", "services", type=ListType(), default=[], help="Service code(s), comma-separated.")
@recording
def staff_add(login: str, name: str, role: Role, services: list[str]) -> c.Command:
    """Add a staff member (admin).

    Example: kronika staff add jana --name "Jana Nováková" --role worker --service SOS
    """
    return c.AddStaff(login, name, role, services)


@staff.command("role")
@click.argument("login")
@click.option("--role", type=EnumChoice(Role), required=True)
@click.option("--service", "services", type=ListType(), default=[], help="Service code(s), comma-separated.")
@recording
def staff_role(login: str, role: Role, services: list[str]) -> c.Command:
    """Change a staff member's role and services (admin).

    Example: kronika staff role jana --role supervisor --service SOS
    """
    return c.ChangeStaffRole(login, role, services)


@staff.command("leave")
@click.argument("login")
@recording
def staff_leave(login: str) -> c.Command:
    """Record that a staff member left; they can no longer record anything (admin).

    Example: kronika staff leave jana
    """
    return c.RecordStaffLeaving(login)


@staff.command("list")
@json_option
@pass_app
def staff_list(app: App, as_json: bool) -> None:
    """List staff members.

    Example: kronika staff list
    """
    members = app.journal.staff_members(actor=app.actor)
    rows = [
        {
            "login": m.login,
            "name": m.name,
            "role": m.role.value,
            "services": list(m.services),
            "active": m.active,
        }
        for m in members
    ]
    if as_json:
        emit_json(rows)
        return
    table(
        _("Staff"),
        [_("Login"), _("Name"), _("Role"), _("Services"), _("Active")],
        [
            (m.login, m.name, m.role.value, ",".join(m.services), _("yes") if m.active else _("no"))
            for m in members
        ],
    )


def _ages(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    return f"{low if low is not None else 0}-{high if high is not None else ''}"


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(service)
    cli.add_command(staff)


def _without_password(url: str) -> str:
    """The database URL to show: a password in it is never printed."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
