"""Questions the CLI and auditors ask of the read models (live generation only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from domain.codes import CodeKind, parse_code
from projections.audit_trail import AuditTrail
from projections.open_cases import OpenCases
from projections.projector import Projector, Tables
from projections.session_counts import SessionCounts
from projections.tracking import live


class NotBuilt(Exception):
    """A read model has no live tables yet."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def live_tables(conn: Connection, projector: Projector) -> Tables:
    current = live(conn, projector.name)
    if current is None:
        raise NotBuilt(projector.name)
    return projector.tables(current.generation)


@dataclass(frozen=True)
class CaseRow:
    code: str
    client: str
    service: str
    key_worker: str
    opened_at: datetime
    is_open: bool
    closed_at: datetime | None
    close_reason: str | None
    sessions: int
    session_limit: int | None
    last_contact_at: datetime | None
    open_referrals: int
    as_of: datetime

    @property
    def sessions_left(self) -> int | None:
        return None if self.session_limit is None else max(self.session_limit - self.sessions, 0)

    @property
    def days_since_contact(self) -> int:
        """Whole days since the last session or contact (since opening, if none yet)."""
        return max((self.as_of - (self.last_contact_at or self.opened_at)).days, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in vars(self).items() if k != "as_of"},
            "sessions_left": self.sessions_left,
            "days_since_contact": self.days_since_contact,
        }


def cases(
    conn: Connection,
    *,
    as_of: datetime,
    service: str | None = None,
    worker: str | None = None,
    stale_days: int | None = None,
    code: str | None = None,
    include_closed: bool = False,
) -> list[CaseRow]:
    t = live_tables(conn, OpenCases())
    query = select(t.cases, t.services.c.session_limit).join(
        t.services, t.services.c.code == t.cases.c.service, isouter=True
    )
    if code is not None:
        query = query.where(t.cases.c.code == parse_code(code, CodeKind.CASE))
    elif not include_closed:
        query = query.where(t.cases.c.is_open.is_(True))
    if service:
        query = query.where(t.cases.c.service == service.upper())
    if worker:
        query = query.where(t.cases.c.key_worker == worker.lower())
    if stale_days is not None:
        cutoff = as_of - timedelta(days=stale_days)
        query = query.where(
            or_(
                t.cases.c.last_contact_at <= cutoff,
                and_(t.cases.c.last_contact_at.is_(None), t.cases.c.opened_at <= cutoff),
            )
        )
    query = query.order_by(t.cases.c.code)
    found = []
    for row in conn.execute(query).mappings():
        values = {k: v for k, v in row.items() if k != "case_id"}
        found.append(CaseRow(**values, as_of=as_of))
    return found


@dataclass(frozen=True)
class MonthCount:
    month: str
    form: str
    sessions: int
    minutes: int


def session_counts(conn: Connection, case: str) -> list[MonthCount]:
    t = live_tables(conn, SessionCounts())
    query = (
        select(t.counts.c.month, t.counts.c.form, t.counts.c.sessions, t.counts.c.minutes)
        .where(t.counts.c.case == parse_code(case, CodeKind.CASE))
        .order_by(t.counts.c.month, t.counts.c.form)
    )
    return [MonthCount(*row) for row in conn.execute(query)]


@dataclass(frozen=True)
class TrailRow:
    position: int
    recorded_at: datetime
    occurred_at: datetime
    recorded_by: str
    fact: str
    subject: str
    entry: str | None
    corrects: str | None
    retracts: str | None
    about: str | None
    case: str | None
    service: str | None
    purpose: str | None


def audit_trail(
    conn: Connection,
    *,
    case: str | None = None,
    staff: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[TrailRow]:
    """Recorded facts and reads, oldest first; ``since``/``until`` bound when they were recorded."""
    t = live_tables(conn, AuditTrail()).trail
    query = select(t)
    if case:
        query = query.where(t.c.case == parse_code(case, CodeKind.CASE))
    if staff:
        query = query.where(t.c.recorded_by == staff.lower())
    if since:
        query = query.where(t.c.recorded_at >= since)
    if until:
        query = query.where(t.c.recorded_at <= until)
    query = query.order_by(t.c.position)
    if limit:
        query = query.limit(limit)
    return [TrailRow(**row) for row in conn.execute(query).mappings()]
