"""A case's history, replayed from its facts as they were recorded.

With ``as_of``, only the facts recorded by then count: the file exactly as
an auditor would have found it at that moment, before any later correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.case import Case, EntryKind
from domain.codes import EntryRef
from domain.errors import NotFound, NotYetRecorded
from domain.facts import Record

_META = frozenset(
    {
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
        "recorded_by",
        "command_id",
        "occurred_at",
    }
)


@dataclass(frozen=True)
class HistoryEntry:
    number: int
    ref: str
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str
    recorded: dict[str, Any]  # the values as this entry recorded them
    current: dict[str, Any]  # after all corrections (equal to recorded if none)
    points_at: int | None = None  # the entry a correction, retraction, outcome or review is about
    corrected_by: list[int] = field(default_factory=list)
    retracted_by: int | None = None


@dataclass(frozen=True)
class CaseHistory:
    case: str
    client: str
    service: str
    key_worker: str
    opened_at: datetime
    is_open: bool
    sessions: int
    as_of: datetime | None
    entries: list[HistoryEntry]

    def entry(self, number: int) -> HistoryEntry:
        return next(e for e in self.entries if e.number == number)


def replay(events: list[Record.Event], *, as_of: datetime | None) -> CaseHistory:
    recorded = [e for e in events if as_of is None or e.timestamp <= as_of]
    if not recorded:
        code = getattr(events[0], "code", "case") if events else "case"
        if as_of is None:
            raise NotFound("case", code)
        raise NotYetRecorded(code, as_of)
    case: Case | None = None
    for event in recorded:
        case = event.mutate(case)
    assert isinstance(case, Case)
    retractions = {e.entry: e.originator_version for e in recorded if isinstance(e, Case.EntryRetracted)}
    entries = []
    for event in recorded:
        number = event.originator_version
        assert isinstance(number, int)
        state = case.entries[number]
        values = _recorded_values(event)
        entries.append(
            HistoryEntry(
                number=number,
                ref=str(EntryRef(case.code, number)),
                kind=state.kind.value,
                occurred_at=event.occurred_at,
                recorded_at=event.timestamp,
                recorded_by=event.recorded_by,
                recorded=values,
                current=_current(state.kind, values, {**state.fields, **state.personal}, state.occurred_at),
                points_at=values.get("entry"),
                corrected_by=list(state.corrected_by),
                retracted_by=retractions.get(number),
            )
        )
    return CaseHistory(
        case=case.code,
        client=case.client_code,
        service=case.service,
        key_worker=case.key_worker,
        opened_at=case.opened_at,
        is_open=case.is_open,
        sessions=case.sessions_held,
        as_of=as_of,
        entries=entries,
    )


def _recorded_values(event: Record.Event) -> dict[str, Any]:
    values = {k: v for k, v in event.__dict__.items() if k not in _META and k != "personal"}
    personal = getattr(event, "personal", {})
    if "changes" in values:
        values["changes"] = {**values["changes"], **personal}
    else:
        values.update(personal)
    return values


def _current(
    kind: EntryKind, recorded: dict[str, Any], fields: dict[str, Any], occurred_at: datetime
) -> dict[str, Any]:
    if kind in (EntryKind.CORRECTION, EntryKind.RETRACTION):
        return recorded
    return {**recorded, **fields, "occurred_at": occurred_at}
