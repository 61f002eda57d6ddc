"""Read commands over the projections: ``cases``, ``case show``, ``audit trail``, ``audit findings``.

Before answering, the projections are brought up to the caller's last
write: caught up here when no broker is configured, waited for (bounded)
when workers do it. SQLAlchemy is imported only inside these commands, never
on the write path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from cli.app import App, emit_json, json_option, pass_app, table
from cli.cases import case
from cli.i18n import _
from cli.params import DATE, END_OF_DAY, check_period
from domain.staff import Duty

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class Reading:
    """A connection to up-to-date projections, and the services whose rows the reader may see."""

    conn: Connection
    allowed: frozenset[str] | None  # None: every service (admins, auditors)

    def visible(self, rows: list[Any]) -> list[Any]:
        """Rule 7: staff see their own services' records; admins and auditors see all."""
        return rows if self.allowed is None else [r for r in rows if r.service in self.allowed]


@contextmanager
def read_models(app: App, names: tuple[str, ...], duty: Duty = Duty.READ) -> Iterator[Reading]:
    """A connection to the named projections, which include the caller's last write; errors as one line."""
    from projections.catalogue import projector_named
    from projections.queries import NotBuilt
    from projections.store import Busy
    from projections.tracking import BuiltByNewerVersion
    from workers.nudge import NotCaughtUp
    from workers.projecting import open_read_store, settle

    allowed = app.journal.readable_services(actor=app.actor, duty=duty)  # checked before anything is read
    store = open_read_store(app.settings)
    try:
        settle(app.settings, app.journal, store, [projector_named(name) for name in names])
        with store.snapshot() as conn:
            yield Reading(conn, allowed)
    except NotCaughtUp as error:
        why = (
            _(" (the broker did not answer: {why})").format(why=error.nudge_failed)
            if error.nudge_failed
            else ""
        )
        raise click.ClickException(
            _(
                "the workers have not caught up with your last write within {seconds} s{why}. "
                "Start them with: kronika worker, or catch up here with: kronika projections catch-up"
            ).format(seconds=f"{error.waited:g}", why=why)
        ) from None
    except Busy:
        raise click.ClickException(
            _("the projections are being rebuilt right now; try again in a moment")
        ) from None
    except BuiltByNewerVersion as error:
        raise click.ClickException(
            _("the {name} projection was built by a newer Kronika; upgrade this one").format(name=error.name)
        ) from None
    except NotBuilt as error:
        raise click.ClickException(
            _("the {name} projection is not built yet; build it with: kronika projections rebuild").format(
                name=error.name
            )
        ) from None
    finally:
        store.dispose()


def _now() -> datetime:
    return datetime.now(UTC)


# -- cases ----------------------------------------------------------------------------


@click.command("cases")
@click.option("--service", help="Only this service's cases.")
@click.option("--worker", help="Only cases whose key worker is this login.")
@click.option(
    "--stale-days",
    type=click.IntRange(min=0, max=36500),
    help="Only cases with no session or contact for N days (0 to 36500).",
)
@json_option
@pass_app
def cases_command(
    app: App, service: str | None, worker: str | None, stale_days: int | None, as_json: bool
) -> None:
    """List open cases: sessions so far and left, last contact, open referrals.

    Example: kronika cases --service SOS --stale-days 60
    """
    from projections import queries

    with read_models(app, ("open_cases",)) as reading:
        found = queries.cases(
            reading.conn, as_of=_now(), service=service, worker=worker, stale_days=stale_days
        )
        found = reading.visible(found)
    if as_json:
        emit_json([c.as_dict() for c in found])
        return
    table(
        _("Open cases ({n})").format(n=len(found)),
        [
            _("Case"),
            _("Client"),
            _("Service"),
            _("Key worker"),
            _("Opened"),
            _("Sessions"),
            _("Left"),
            _("Last contact"),
            _("Days"),
            _("Open referrals"),
        ],
        [
            (
                c.code,
                c.client,
                c.service,
                c.key_worker,
                app.local(c.opened_at)[:10],
                c.sessions,
                "" if c.sessions_left is None else c.sessions_left,
                app.local(c.last_contact_at) if c.last_contact_at else "",
                c.days_since_contact,
                c.open_referrals,
            )
            for c in found
        ],
    )


@case.command("show")
@click.argument("code")
@json_option
@pass_app
def case_show(app: App, code: str, as_json: bool) -> None:
    """A case's state and counts from the projections (no personal data).

    For every entry with its corrections, see: kronika history CASE.

    Example: kronika case show P-0001
    """
    from projections import queries

    with read_models(app, ("open_cases", "session_counts")) as reading:
        conn = reading.conn
        found = queries.cases(conn, as_of=_now(), code=code)
        if not found:
            raise click.ClickException(
                _("there is no case {code}; list them with: kronika cases").format(code=code)
            )
        counts = queries.session_counts(conn, found[0].code)
    shown = found[0]
    app.journal.reader(app.actor, Duty.READ, shown.service)
    if as_json:
        emit_json({**shown.as_dict(), "sessions_by_month": [asdict(c) for c in counts]})
        return
    closed = app.local(shown.closed_at)[:10] if shown.closed_at else ""
    state = _("open") if shown.is_open else _("closed") + f" {closed} ({shown.close_reason})"
    rows = [
        (_("Client"), shown.client),
        (_("Service"), shown.service),
        (_("Key worker"), shown.key_worker),
        (_("Opened"), app.local(shown.opened_at)[:10]),
        (_("State"), state),
        (
            _("Sessions"),
            shown.sessions if shown.session_limit is None else f"{shown.sessions} / {shown.session_limit}",
        ),
        (_("Last contact"), app.local(shown.last_contact_at) if shown.last_contact_at else "—"),
        (_("Days since contact"), shown.days_since_contact),
        (_("Open referrals"), shown.open_referrals),
    ]
    table(_("Case {case}").format(case=shown.code), [_("Field"), _("Value")], rows)
    if counts:
        table(
            _("Sessions by month"),
            [_("Month"), _("Form"), _("Sessions"), _("Minutes")],
            [(c.month, _(c.form), c.sessions, c.minutes) for c in counts],
        )


# -- audit ----------------------------------------------------------------------------


@click.group()
def audit() -> None:
    """For auditors and supervisors: who recorded what and when, and the quality findings.

    Example: kronika audit trail --case P-0001
    """


@audit.command("trail")
@click.option("--case", "case_code", help="Only this case's facts and reads.")
@click.option("--staff", help="Only what this login recorded or read.")
@click.option("--from", "since", type=DATE, help="Recorded on or after this day.")
@click.option("--to", "until", type=END_OF_DAY, help="Recorded on or before this day.")
@json_option
@pass_app
def audit_trail(
    app: App,
    case_code: str | None,
    staff: str | None,
    since: datetime | None,
    until: datetime | None,
    as_json: bool,
) -> None:
    """Every recorded fact and every read of a case history, in the order recorded.

    Example: kronika audit trail --staff eva --from 1.3.2025 --to 31.3.2025
    """
    from projections import queries

    check_period(since, until)
    with read_models(app, ("audit_trail",), Duty.AUDIT) as reading:
        rows = queries.audit_trail(reading.conn, case=case_code, staff=staff, since=since, until=until)
        rows = reading.visible(rows)
    if as_json:
        emit_json([asdict(r) for r in rows])
        return
    table(
        _("Audit trail ({n})").format(n=len(rows)),
        [
            "#",
            _("Recorded"),
            _("By"),
            _("Happened"),
            _("Fact"),
            _("About"),
            _("Corrects / retracts"),
            _("Purpose"),
        ],
        [
            (
                r.position,
                app.local(r.recorded_at),
                r.recorded_by,
                app.local(r.occurred_at),
                r.fact,
                r.entry or r.subject,
                r.corrects or r.retracts or r.about or "",
                r.purpose or "",
            )
            for r in rows
        ],
    )


@audit.command("findings")
@click.option("--service", help="Only this service's findings.")
@click.option("--case", "case_code", help="Only this case's findings.")
@click.option("--as-of", type=END_OF_DAY, help="Measure time limits to the end of this day (default: now).")
@json_option
@pass_app
def audit_findings(
    app: App, service: str | None, case_code: str | None, as_of: datetime | None, as_json: bool
) -> None:
    """Quality findings: the soft rules of docs/domain.md, each with the entries that caused it.

    Sessions outside opening hours, over immediate capacity, cases without
    contact for 60 days, referrals without outcome after 30 days, corrections
    more than 30 days late, minors at adults-only services by override, and
    intervention centres' first contacts later than 48 hours after a police
    notice.

    Example: kronika audit findings --service SOS
    """
    from projections.findings import Findings, findings
    from projections.queries import live_tables

    with read_models(app, ("findings",), Duty.AUDIT) as reading:
        conn = reading.conn
        found = findings(
            conn, live_tables(conn, Findings()), as_of=as_of or _now(), service=service, case=case_code
        )
        found = reading.visible(found)
    if as_json:
        emit_json([asdict(f) for f in found])
        return
    table(
        _("Findings ({n})").format(n=len(found)),
        [_("When"), _("Finding"), _("Service"), _("About"), _("Detail"), _("Entries")],
        [
            (app.local(f.occurred_at), _(f.rule), f.service, f.subject, f.detail, ", ".join(f.entries))
            for f in found
        ],
    )


# -- registration ---------------------------------------------------------------------


def register(cli: click.Group) -> None:
    cli.add_command(cases_command)
    cli.add_command(audit)
