"""Session counts: sessions and minutes per case, client, service, form and month, and per staff member.

Corrected values count and retracted sessions do not: a correction moves a
session from its old row to its new one, a retraction takes it out. A
session with two staff present counts once in ``counts`` and once for each of
them in ``staff_counts``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Connection, Integer, String

from domain.case import Case
from projections.projector import Key, Projector, Row, Rows, Tables, Tracked, month_of
from projections.store import Moment


class SessionCounts(Projector):
    name = "session_counts"
    version = 1

    def define(self) -> dict[str, list[Any]]:
        return {
            "cases": [
                Column("case_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False),
                Column("client", String(20), nullable=False),
                Column("service", String(40), nullable=False),
            ],
            "sessions": [
                Column("case_id", String(36), primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("occurred_at", Moment, nullable=False),
                Column("minutes", Integer, nullable=False),
                Column("form", String(20), nullable=False),
                Column("staff", JSON, nullable=False),
                Column("live", Boolean, nullable=False),
            ],
            "counts": [
                Column("case", String(20), primary_key=True),
                Column("client", String(20), primary_key=True, index=True),
                Column("service", String(40), primary_key=True, index=True),
                Column("form", String(20), primary_key=True),
                Column("month", String(7), primary_key=True),
                Column("sessions", Integer, nullable=False),
                Column("minutes", Integer, nullable=False),
            ],
            "staff_counts": [
                Column("staff", String(64), primary_key=True),
                Column("service", String(40), primary_key=True),
                Column("form", String(20), primary_key=True),
                Column("month", String(7), primary_key=True),
                Column("sessions", Integer, nullable=False),
                Column("minutes", Integer, nullable=False),
            ],
        }

    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        cases = Rows(conn, tables.cases)
        sessions = Rows(conn, tables.sessions)
        facts = [t.fact for t in page if isinstance(t.fact, Case.Event)]
        cases.load((str(f.originator_id),) for f in facts)
        sessions.load(
            (str(f.originator_id), f.entry)
            for f in facts
            if isinstance(f, Case.EntryCorrected | Case.EntryRetracted)
        )
        delta = _Delta()
        for fact in facts:
            case_id = str(fact.originator_id)
            if isinstance(fact, Case.Opened):
                cases.put(
                    {
                        "case_id": case_id,
                        "code": fact.code,
                        "client": fact.client_code,
                        "service": fact.service,
                    }
                )
                continue
            case = cases.get(case_id)
            if case is None:
                continue
            if isinstance(fact, Case.SessionHeld):
                session = sessions.put(
                    {
                        "case_id": case_id,
                        "number": fact.originator_version,
                        "occurred_at": fact.occurred_at,
                        "minutes": fact.minutes,
                        "form": fact.form,
                        "staff": list(fact.staff),
                        "live": True,
                    }
                )
                delta.add(case, session, +1)
            elif isinstance(fact, Case.EntryCorrected | Case.EntryRetracted):
                target = sessions.get(case_id, fact.entry)
                if target is None or not target["live"]:
                    continue
                delta.add(case, target, -1)
                if isinstance(fact, Case.EntryRetracted):
                    target["live"] = False
                else:
                    for name in ("occurred_at", "minutes", "form", "staff"):
                        if name in fact.changes:
                            target[name] = fact.changes[name]
                    delta.add(case, target, +1)
                sessions.changed(target)
        _apply(Rows(conn, tables.counts), delta.counts, delta.count_minutes)
        _apply(Rows(conn, tables.staff_counts), delta.staff, delta.staff_minutes)
        cases.flush()
        sessions.flush()


class _Delta:
    """How a page changes the counts, before the counts' rows are loaded."""

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()
        self.count_minutes: Counter[Key] = Counter()
        self.staff: Counter[Key] = Counter()
        self.staff_minutes: Counter[Key] = Counter()

    def add(self, case: Row, session: Row, sign: int) -> None:
        month = month_of(session["occurred_at"])
        key = (case["code"], case["client"], case["service"], session["form"], month)
        self.counts[key] += sign
        self.count_minutes[key] += sign * session["minutes"]
        for login in session["staff"]:
            staff_key = (login, case["service"], session["form"], month)
            self.staff[staff_key] += sign
            self.staff_minutes[staff_key] += sign * session["minutes"]


def _apply(rows: Rows, sessions: Counter[Key], minutes: Counter[Key]) -> None:
    keys = [k for k in sessions if sessions[k] or minutes[k]]
    rows.load(keys)
    for key in keys:
        row = rows.get(*key) or {**dict(zip(rows.key_columns, key, strict=True)), "sessions": 0, "minutes": 0}
        row["sessions"] += sessions[key]
        row["minutes"] += minutes[key]
        if row["sessions"] == 0:
            rows.delete(*key)
        else:
            rows.put(row)
    rows.flush()
