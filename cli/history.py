"""``kronika history CASE [--as-of DATE]``: a case replayed from its facts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import click

from cli.app import App, emit_json, json_option, pass_app, table
from cli.i18n import _
from cli.params import END_OF_DAY, UNSEALED
from domain.facts import ERASED
from domain.history import CaseHistory, HistoryEntry

_SKIP = frozenset({"entry", "changes", "code", "client_id", "client_code", "service", "referral"})


@click.command("history")
@click.argument("case")
@click.option("--as-of", type=END_OF_DAY, help="Show the case exactly as it stood at the end of that day.")
@click.option(
    "--purpose",
    default="",
    help="Why you read the case (recorded; required for auditors)." + UNSEALED,
)
@json_option
@pass_app
def history(app: App, case: str, as_of: datetime | None, purpose: str, as_json: bool) -> None:
    """Replay a case: every entry, when it happened, when and by whom it was recorded.

    Corrections and retractions are shown beside what they correct. Every
    read is recorded in the audit trail with who read it and why.

    Example: kronika history P-0001 --as-of 31.3.2025 --purpose "quality audit"
    """
    replayed = app.journal.history(case, actor=app.actor, as_of=as_of, purpose=purpose)
    if as_json:
        emit_json(asdict(replayed))
        return
    state = _("open") if replayed.is_open else _("closed")
    title = _(
        "Case {case} · client {client} · service {service} · key worker {worker} · {state} · sessions: {n}"
    ).format(
        case=replayed.case,
        client=replayed.client,
        service=replayed.service,
        worker=replayed.key_worker,
        state=state,
        n=replayed.sessions,
    )
    if as_of is not None:
        title += " · " + _("as recorded by {when}").format(when=app.local(as_of))
    table(title, ["#", _("Happened"), _("Recorded"), _("By"), _("Entry")], list(_rows(app, replayed)))


def _rows(app: App, replayed: CaseHistory) -> Any:
    for item in replayed.entries:
        yield (
            item.number,
            app.local(item.occurred_at),
            app.local(item.recorded_at),
            item.recorded_by,
            _describe(item),
        )
        for number in item.corrected_by:
            correction = replayed.entry(number)
            changes = correction.recorded["changes"]
            was = ", ".join(
                f"{k}: {_value(app, item.recorded.get(k, '—'))} → {_value(app, v)}"
                for k, v in changes.items()
            )
            yield (
                "",
                "",
                app.local(correction.recorded_at),
                correction.recorded_by,
                f"  ↳ {_('corrected by')} #{number}: {was} ({correction.recorded['reason']})",
            )
        if item.retracted_by is not None:
            retraction = replayed.entry(item.retracted_by)
            yield (
                "",
                "",
                app.local(retraction.recorded_at),
                retraction.recorded_by,
                f"  ↳ {_('RETRACTED by')} #{retraction.number}: {retraction.recorded['reason']}",
            )


def _describe(item: HistoryEntry) -> str:
    values = item.recorded
    if item.kind == "correction":
        return _("correction of #{n}").format(n=item.points_at)
    if item.kind == "retraction":
        return _("retraction of #{n}").format(n=item.points_at)
    details = [f"{k}={_flat(v)}" for k, v in values.items() if k not in _SKIP and v not in (None, "", [], {})]
    head = _(item.kind)
    if item.points_at is not None:
        head += f" (#{item.points_at})"
    if "referral" in values:
        head += f" {values['referral']}"
    return " ".join([head, *details])


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if value == ERASED:
        return _("[erased]")
    return str(value)


def _value(app: App, value: Any) -> str:
    return app.local(value) if isinstance(value, datetime) else _flat(value)


def register(cli: click.Group) -> None:
    cli.add_command(history)
