"""Open cases: per case its client, service, key worker, state, sessions, last contact, open referrals.

Closed cases stay in the table (with their state) so ``case show`` can answer
for any case; ``kronika cases`` lists the open ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Index, Integer, String

from domain.case import Case
from domain.service import Service
from projections.projector import Projector, Row, Rows, Tables, Tracked
from projections.store import Moment

CONTACT_KINDS = ("session", "contact")


class OpenCases(Projector):
    name = "open_cases"
    version = 1

    def define(self) -> dict[str, list[Any]]:
        return {
            "services": [
                Column("service_id", String(36), primary_key=True),
                Column("code", String(40), nullable=False, unique=True),
                Column("session_limit", Integer),
            ],
            "cases": [
                Column("case_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("client", String(20), nullable=False),
                Column("service", String(40), nullable=False, index=True),
                Column("key_worker", String(64), nullable=False, index=True),
                Column("opened_at", Moment, nullable=False),
                Column("is_open", Boolean, nullable=False),
                Column("closed_at", Moment),
                Column("close_reason", String(40)),
                Column("sessions", Integer, nullable=False),
                Column("last_contact_at", Moment),
                Column("open_referrals", Integer, nullable=False),
            ],
            "entries": [
                Column("case_id", String(36), primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("kind", String(20), nullable=False),
                Column("occurred_at", Moment, nullable=False),
                Column("live", Boolean, nullable=False),
                Column("points_at", Integer),
                Index(None, "case_id", "kind"),
            ],
        }

    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        services = Rows(conn, tables.services)
        cases = Rows(conn, tables.cases)
        entries = Rows(conn, tables.entries)
        case_ids = {str(t.fact.originator_id) for t in page if isinstance(t.fact, Case.Event)}
        cases.load((case_id,) for case_id in case_ids)
        by_case: dict[str, dict[int, Row]] = defaultdict(dict)
        for row in entries.load_where("case_id", case_ids):
            by_case[row["case_id"]][row["number"]] = row

        for tracked in page:
            fact = tracked.fact
            if isinstance(fact, Service.Configured):
                _service(services, fact)
            elif isinstance(fact, Case.Event):
                _case_fact(cases, entries, by_case[str(fact.originator_id)], fact)

        for case_id in case_ids:
            case = cases.get(case_id)
            if case is not None:
                _summarise(case, by_case[case_id])
                cases.changed(case)
        for rows in (services, cases, entries):
            rows.flush()


def _service(services: Rows, fact: Service.Configured) -> None:
    service_id = str(fact.originator_id)
    row = services.get(service_id)
    code = fact.code if isinstance(fact, Service.Registered) else row["code"] if row else None
    if code is not None:
        services.put({"service_id": service_id, "code": code, "session_limit": fact.session_limit})


def _case_fact(cases: Rows, entries: Rows, case_entries: dict[int, Row], fact: Case.Event) -> None:
    case_id = str(fact.originator_id)
    number = fact.originator_version
    assert isinstance(number, int)
    if isinstance(fact, Case.Opened):
        cases.put(
            {
                "case_id": case_id,
                "code": fact.code,
                "client": fact.client_code,
                "service": fact.service,
                "key_worker": fact.key_worker,
                "opened_at": fact.occurred_at,
                "is_open": True,
                "closed_at": None,
                "close_reason": None,
                "sessions": 0,
                "last_contact_at": None,
                "open_referrals": 0,
            }
        )
        return
    case = cases.get(case_id)
    if case is None:  # an opening this projector never saw cannot be summarised
        return
    kind = _KINDS.get(type(fact))
    if kind is not None:
        row = {
            "case_id": case_id,
            "number": number,
            "kind": kind,
            "occurred_at": fact.occurred_at,
            "live": True,
            "points_at": getattr(fact, "entry", None),
        }
        case_entries[number] = entries.put(row)
    elif isinstance(fact, Case.EntryCorrected):
        target = case_entries.get(fact.entry)
        if target is not None and "occurred_at" in fact.changes:
            target["occurred_at"] = fact.changes["occurred_at"]
            entries.changed(target)
    elif isinstance(fact, Case.EntryRetracted):
        target = case_entries.get(fact.entry)
        if target is not None:
            target["live"] = False
            entries.changed(target)
    elif isinstance(fact, Case.Closed):
        case.update(is_open=False, closed_at=fact.occurred_at, close_reason=fact.reason)
    elif isinstance(fact, Case.Reopened):
        case.update(is_open=True, closed_at=None, close_reason=None)


_KINDS: dict[type, str] = {
    Case.SessionHeld: "session",
    Case.ContactLogged: "contact",
    Case.ReferralMade: "referral",
    Case.ReferralOutcomeRecorded: "referral-outcome",
}


def _summarise(case: Row, case_entries: dict[int, Row]) -> None:
    live = [e for e in case_entries.values() if e["live"]]
    contacts = [e["occurred_at"] for e in live if e["kind"] in CONTACT_KINDS]
    answered = {e["points_at"] for e in live if e["kind"] == "referral-outcome"}
    case["sessions"] = sum(1 for e in live if e["kind"] == "session")
    case["last_contact_at"] = max(contacts) if contacts else None
    case["open_referrals"] = sum(1 for e in live if e["kind"] == "referral" and e["number"] not in answered)
