"""``kronika demo``: a fresh journal holding a year (2025) of an SOS crisis centre, and a tour.

The year comes from ``cli.demo_data``; every command goes through the real
journal and its rules, with the moment it would have been recorded, so
``kronika history --as-of`` and the late-correction findings work as in
real use. The demo writes to a directory of its own, never to the user's
journal.
"""

from __future__ import annotations

import shlex
import shutil
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid5

import click

from cli.app import App, pass_app
from cli.demo_data import OOL, REPORT_CLIENTS, SETUP_AT, SOS, YEAR, DemoYear, Tally
from cli.errors import explain
from cli.history import history
from cli.i18n import _
from domain.errors import KronikaError
from domain.journal import Journal
from workers.journal import open_journal
from workers.settings import Settings

MARKER = ".kronika-demo"  # a directory holding it was made by the demo and may be replaced
FLUSH_EVERY = 2000
_NAMESPACE = UUID("4b8f0c1e-2d7a-4c55-9a3e-64656d6f3235")  # command ids: the same year, the same ids


@click.command("demo")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("kronika-demo"),
    show_default=True,
    help="Where to create the demo journal; a directory an earlier demo made is replaced.",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="The same seed gives the same year.")
@click.option(
    "--clients",
    type=click.IntRange(20, 20_000),
    default=REPORT_CLIENTS,
    show_default=True,
    help="Clients of the SOS centre in the year; the other figures scale with it.",
)
@pass_app
@click.pass_context
def demo(ctx: click.Context, app: App, directory: Path, seed: int, clients: int) -> None:
    """Create a fresh demo journal with a year (2025) of an SOS crisis centre, and show a tour.

    Services, staff, clients, cases, sessions, contacts, referrals, refusals,
    corrections and retractions are recorded through the same commands and
    rules as by hand, each at a realistic moment. Your own journal is not
    touched: the demo is a SQLite file in its own directory, with you as admin.

    Example: kronika demo --dir /tmp/kronika-demo --clients 200
    """
    target = _fresh_directory(directory)
    settings = Settings(
        data_dir=target,
        database_url=None,
        broker_url=None,
        language=app.settings.language,
        timezone=app.settings.timezone,
        user=app.settings.user,
    )
    year = DemoYear(seed=seed, clients=clients, admin=settings.user)
    click.echo(
        _("Recording the year {year} of SOS centrum ({n:,} clients, seed {seed}) in {where} ...").format(
            year=YEAR, n=clients, seed=seed, where=target
        )
    )
    started = time.perf_counter()
    journal = open_journal(settings, create=True, clock=lambda: SETUP_AT.astimezone(UTC))
    try:
        if not journal.initialise(settings.user, _("{login} (demo admin)").format(login=settings.user)):
            raise click.ClickException(_("{where} holds a journal already").format(where=target))
        tally = _record(journal, year, app.local)
        facts = journal.recorder.max_notification_id() or 0
        click.echo(
            _("{commands:,} commands recorded as {facts:,} facts in {seconds:.1f} s.").format(
                commands=sum(tally.commands.values()), facts=facts, seconds=time.perf_counter() - started
            )
        )
        started = time.perf_counter()
        from workers.projecting import set_up  # SQLAlchemy: never on the write path

        set_up(settings, journal)
        click.echo(
            _(
                "Projections (open cases, session counts, audit trail, findings, report facts)"
                " built in {seconds:.1f} s."
            ).format(seconds=time.perf_counter() - started)
        )
        _tour(ctx, App(settings, journal), year, tally, using_postgres=bool(app.settings.database_url))
    finally:
        journal.close()


def _fresh_directory(directory: Path) -> Path:
    """An empty directory for the demo: a new one, an empty one, or one an earlier demo made."""
    target = directory.expanduser().resolve()
    if target.exists():
        if not target.is_dir():
            raise click.UsageError(_("{where} is a file; give a directory with --dir").format(where=target))
        if (target / MARKER).is_file():
            if Path.cwd().resolve().is_relative_to(target):
                raise click.UsageError(
                    _("you are inside {where}, which the demo would replace; run it from elsewhere").format(
                        where=target
                    )
                )
            shutil.rmtree(target)
        elif any(target.iterdir()):
            raise click.UsageError(
                _(
                    "{where} is not empty and was not made by kronika demo; nothing was changed. "
                    "Give a new or empty directory with --dir, e.g. --dir ./kronika-demo-2"
                ).format(where=target)
            )
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    (target / MARKER).write_text(
        "Made by `kronika demo`, which replaces this directory when it runs again.\n", encoding="utf-8"
    )
    return target


def _record(journal: Journal, year: DemoYear, local: Callable[[datetime], str]) -> Tally:
    """Run the year's commands through the journal, saving every ~2,000 commands."""
    tally = Tally()
    with journal.batch() as batch:
        for number, (now, actor, command) in enumerate(year.commands(), start=1):
            command_id = uuid5(_NAMESPACE, f"{year.seed}:{year.clients}:{number}")
            try:
                result = batch.run(command, actor=actor, command_id=command_id, now=now)
            except KronikaError as error:
                raise click.ClickException(
                    _("the demo's command {n} ({command}) was refused, a bug in the demo: {why}").format(
                        n=number, command=type(command).__name__, why=explain(error, local)
                    )
                ) from error
            if result != year.expected:
                raise click.ClickException(
                    _("the demo's command {n} ({command}) answered {result}, not {expected}").format(
                        n=number, command=type(command).__name__, result=result, expected=year.expected
                    )
                )
            tally.add(now, command, result)
            if number % FLUSH_EVERY == 0:
                batch.flush()
        batch.flush()
    return tally


def _tour(ctx: click.Context, app: App, year: DemoYear, tally: Tally, *, using_postgres: bool) -> None:
    _show(_("What was recorded"), _summary(tally), "")
    _show(
        _("Try it (the demo is a journal of its own; you are its admin):"),
        _examples(app, year, using_postgres),
        "# ",
    )
    case = year.examples.get("corrected")
    if case is None:
        return
    click.echo()
    entry = year.examples["corrected_entry"]
    click.echo(
        _(
            "Case {case}: entry {entry} was corrected later; the correction stands beside the original."
        ).format(case=case, entry=entry)
    )
    with click.Context(history, info_name="history", parent=ctx, obj=app) as sub:
        sub.invoke(history, case=case, as_of=None, purpose="demo", as_json=False)


def _show(title: str, rows: list[tuple[str, str]], mark: str) -> None:
    click.echo()
    click.echo(title)
    width = max(len(left) for left, _right in rows)
    for left, right in rows:
        click.echo(f"  {left:<{width}}  {mark}{right}" if right else f"  {left}")


def _summary(tally: Tally) -> list[tuple[str, str]]:
    n = tally.commands
    kinds = Counter(kind for kind, _district in tally.clients.values())
    ambulatory, field = tally.served(SOS, "ambulatory"), tally.served(SOS, "field")
    refusals = ", ".join(f"{reason} {count}" for reason, count in sorted(tally.refusals.items()))
    closed = ", ".join(f"{reason} {count:,}" for reason, count in tally.closed.most_common())
    p3_clients, p3_sessions = tally.district("Praha 3", SOS)
    sos = _("{n:,} clients = {amb:,} ambulatory + {field:,} field ({both} had both)").format(
        n=len(tally.served(SOS)), amb=len(ambulatory), field=len(field), both=len(ambulatory & field)
    )
    sos_hours = _("{h:,.0f} h of direct work = {ha:,.0f} h ambulatory + {hf:,.0f} h field").format(
        h=tally.hours(SOS), ha=tally.hours(SOS, "ambulatory"), hf=tally.hours(SOS, "field")
    )
    ool = _("{n:,} clients; {h:,.0f} h of direct work = {hf:,.0f} h field + {hr:,.0f} h residential").format(
        n=len(tally.served(OOL)),
        h=tally.hours(OOL),
        hf=tally.hours(OOL, "field"),
        hr=tally.hours(OOL, "residential"),
    )
    return [
        (_("services"), _("SOS: crisis help §60, ambulatory and field, from 11, 12 sessions a case")),
        ("", _("OOL: crisis help for victims of trafficking, adults, field and residential")),
        (_("staff"), _("{n} and you (admin): one promoted in April, one left in June, one joined in "
                       "September").format(n=n["AddStaff"])),
        (_("clients"), _("{n:,} registered: {p:,} pseudonymous, {i:,} identified, {a:,} anonymous").format(
            n=len(tally.clients), p=kinds["pseudonymous"], i=kinds["identified"], a=kinds["anonymous"])),
        ("SOS", sos),
        ("", sos_hours),
        ("OOL", ool),
        (_("sessions"), _("{n:,}, {o} beyond the 12-session limit by a supervisor's override").format(
            n=tally.sessions(), o=tally.session_overrides)),
        (_("contacts"), _("{n:,}, of which {a:,} anonymous (no client)").format(
            n=tally.contacts(), a=tally.anonymous_contacts())),
        (_("cases"), _("{n:,} opened ({o} of a minor, by a supervisor's override), {r} reopened").format(
            n=n["OpenCase"], o=tally.age_overrides, r=n["ReopenCase"])),
        ("", _("{c:,} closed: {closed}").format(c=n["CloseCase"], closed=closed)),
        (_("enquiries"), _("{n:,}, {r} refused by reason {reasons}").format(
            n=n["ReceiveEnquiry"], r=n["RefuseEnquiry"], reasons=refusals)),
        (_("referrals"), _("{n:,}, with an outcome for {o:,}").format(
            n=n["MakeReferral"], o=n["RecordReferralOutcome"])),
        (_("goals"), _("{n} set, {r} reviewed; complaints {c}, resolved {s}").format(
            n=n["SetGoal"], r=n["ReviewGoal"], c=n["ReceiveComplaint"], s=n["ResolveComplaint"])),
        (_("corrections"), _("{n}, {late} of them more than 30 days after the entry; retractions {r}").format(
            n=n["CorrectEntry"], late=tally.late_corrections, r=n["RetractEntry"])),
        ("Praha 3", _("{n} clients, {s} interventions").format(n=p3_clients, s=p3_sessions)),
    ]  # fmt: skip


def _examples(app: App, year: DemoYear, using_postgres: bool) -> list[tuple[str, str]]:
    found = year.examples
    lines: list[tuple[str, str]] = []
    if using_postgres:
        lines.append(("unset KRONIKA_DATABASE_URL", _("the demo is on SQLite, not on your PostgreSQL")))
    lines += [
        (f"export KRONIKA_DATA_DIR={shlex.quote(str(app.settings.data_dir))}", ""),
        ("kronika service list", ""),
        ("kronika staff list", ""),
        ("kronika client show K-0001", ""),
        ("kronika history P-0001", _("every entry: when it happened, when and by whom it was recorded")),
    ]
    if "corrected" in found:
        case, before = found["corrected"], found["before_correction"]
        lines.append((f"kronika history {case} --as-of {before}", _("as it stood before its correction")))
        auditor = year.logins["irena"]
        lines.append(
            (
                f'KRONIKA_USER={auditor} kronika history {case} --purpose "quality audit"',
                _("the same, read by the auditor (the read is recorded)"),
            )
        )
        lines.append(
            (f"KRONIKA_USER={auditor} kronika audit trail --case {case}", _("who recorded and read what"))
        )
    lines += [
        ("kronika cases --stale-days 30", _("open cases without contact for 30 days")),
        ("kronika case show P-0001", _("state and sessions by month, from the projections")),
        ("kronika audit findings", _("quality findings, each with the entries behind it")),
        ("kronika projections rebuild --verify", _("replay the journal and compare: 0 differences")),
        (
            "kronika report summary --from 1.1.2025 --to 31.12.2025 --service SOS",
            _("the year's figures for the funders (issued as V-0001)"),
        ),
        (
            'kronika report district "Praha 3" --from 1.1.2025 --to 31.12.2025',
            _("the slice Prague 3 funds, and who did not state residence"),
        ),
        (
            "kronika report summary --from 1.1.2025 --to 31.12.2025 --explain clients.field",
            _("the entries behind one figure"),
        ),
        (
            "kronika report summary --from 1.1.2025 --to 31.12.2025 --format html -o report.html",
            _("a page with charts to attach to a grant report"),
        ),
        ("kronika report reproduce V-0001", _("recompute an issued report from the log: the same figures")),
    ]
    comments = {
        "override": _("sessions 13 and up, by a supervisor's override"),
        "retracted": _("a session saved twice, the copy retracted"),
        "minor": _("a 17-year-old at the adults-only service, by override"),
    }
    lines += [(f"kronika history {found[key]}", comment) for key, comment in comments.items() if key in found]
    if "identified" in found:
        lines.append(
            (f"kronika client show {found['identified']}", _("an identified client (personal data)"))
        )
    if "child" in found:
        lines.append(
            (f"kronika case open {found['child']} --service SOS", _("a child of 9: refused by the age rule"))
        )
    return lines


def register(cli: click.Group) -> None:
    cli.add_command(demo)
