"""The facts funder reports count, one row per entry, with corrected values.

``work``: every live session and contact (in a case or not), with its day
(and month) on the services' wall clock, form, minutes and the number of
staff present.
``clients``: the non-identifying attributes reports group by (kind, birth
year or estimated age band, district). ``case_events``: openings, closings
(with reason) and reopenings. ``referrals``: with their current outcome.
``refusals``: refused enquiries with their statutory reason. A correction
changes the row it corrects; a retraction removes it (or, for a referral's
outcome, removes the outcome).

The indexes serve the summary report's grouped counts (figures.py,
``summary_counts``): each holds every column those queries read, in the order
they group by, so a year is read from one index in order, never row by row
from the table: ``work`` by month and form (hours, counts, clients per
month), by client and case (clients, ages, districts, sessions per case);
``case_events`` by kind and reason (openings, closings), and by case and
day (which cases are open at the period's end).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String

from domain.case import Case
from domain.client import Client
from domain.contact import Contact
from domain.enquiry import Enquiry
from domain.service import SERVICE_TIME
from projections.projector import Projector, Rows, Tables, Tracked

SESSION = "session"
CONTACT = "contact"


def day_of(moment: datetime) -> str:
    """The day a moment falls on, on the services' wall clock (``2025-03-01``)."""
    return moment.astimezone(SERVICE_TIME).date().isoformat()


def month_of(day: str) -> str:
    """The month a day (``2025-03-01``) falls in: ``2025-03``."""
    return day[:7]


class ReportFacts(Projector):
    name = "report_facts"
    version = 2  # 2: work.month, and covering indexes for the summary's grouped counts

    def define(self) -> dict[str, list[Any]]:
        return {
            "work": [
                Column("entry", String(30), primary_key=True),  # P-0001#3 or C-0001
                Column("kind", String(10), nullable=False),
                Column("service", String(40), nullable=False),
                Column("case", String(20)),
                Column("client", String(20)),
                Column("day", String(10), nullable=False),
                Column("month", String(7), nullable=False),  # the day's first seven characters
                Column("form", String(20), nullable=False),
                Column("minutes", Integer, nullable=False),
                Column("staff", Integer, nullable=False),
                Column("contact_id", String(36), index=True),  # of a contact outside any case
                Index(None, "month", "form", "client", "day", "kind", "minutes", "staff", "service"),
                Index(None, "client", "case", "form", "day", "kind", "minutes", "staff", "service"),
            ],
            "clients": [
                Column("client_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("kind", String(20), nullable=False),
                Column("birth_year", Integer),
                Column("age_band", String(20)),
                Column("district", String(100)),
            ],
            "cases": [
                Column("case_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("client", String(20), nullable=False),
                Column("service", String(40), nullable=False, index=True),
            ],
            "case_events": [
                case := Column("case", String(20), primary_key=True),
                number := Column("number", Integer, primary_key=True),
                service := Column("service", String(40), nullable=False),
                kind := Column("kind", String(10), nullable=False),  # opened, closed, reopened
                day := Column("day", String(10), nullable=False),
                Column("reason", String(40)),
                Index(None, case, day.desc(), number.desc(), kind, service),  # each case's latest first
                Index(None, "kind", "reason", "day", "service"),
            ],
            "referrals": [
                Column("entry", String(30), primary_key=True),
                Column("service", String(40), nullable=False),
                Column("case", String(20), nullable=False),
                Column("client", String(20), nullable=False),
                Column("day", String(10), nullable=False, index=True),
                Column("kind", String(30), nullable=False),
                Column("outcome", String(20)),
                Column("outcome_entry", String(30), index=True),
            ],
            "enquiries": [
                Column("enquiry_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("service", String(40), nullable=False),
                Column("refused_on", String(10), index=True),
                Column("reason", String(2)),
            ],
        }

    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        work = Rows(conn, tables.work)
        clients = Rows(conn, tables.clients)
        cases = Rows(conn, tables.cases)
        case_events = Rows(conn, tables.case_events)
        referrals = Rows(conn, tables.referrals)
        enquiries = Rows(conn, tables.enquiries)
        facts = [t.fact for t in page]
        contacts = _preload(facts, work, clients, cases, referrals, enquiries)
        for fact in facts:
            if isinstance(fact, Case.Event):
                _case_fact(fact, cases, case_events, work, referrals)
            elif isinstance(fact, Contact.Event):
                _contact_fact(fact, work, contacts)
            elif isinstance(fact, Client.Registered):
                clients.put(
                    {
                        "client_id": str(fact.originator_id),
                        "code": fact.code,
                        "kind": fact.kind,
                        "birth_year": fact.birth_year,
                        "age_band": fact.age_band,
                        "district": fact.district,
                    }
                )
            elif isinstance(fact, Client.Amended):
                client = clients.get(str(fact.originator_id))
                if client is not None:
                    client.update({k: v for k, v in fact.changes.items() if k in client})
                    clients.changed(client)
            elif isinstance(fact, Enquiry.Received):
                enquiries.put(
                    {
                        "enquiry_id": str(fact.originator_id),
                        "code": fact.code,
                        "service": fact.service,
                        "refused_on": None,
                        "reason": None,
                    }
                )
            elif isinstance(fact, Enquiry.Refused):
                enquiry = enquiries.get(str(fact.originator_id))
                if enquiry is not None:
                    enquiry.update(refused_on=day_of(fact.occurred_at), reason=fact.reason)
                    enquiries.changed(enquiry)
        for rows in (work, clients, cases, case_events, referrals, enquiries):
            rows.flush()


def _preload(
    facts: list[Any], work: Rows, clients: Rows, cases: Rows, referrals: Rows, enquiries: Rows
) -> dict[str, str]:
    """Load in a few queries every row the page's facts will look up; the corrected contacts' entries."""
    cases.load((str(f.originator_id),) for f in facts if isinstance(f, Case.Event))
    clients.load((str(f.originator_id),) for f in facts if isinstance(f, Client.Amended))
    enquiries.load((str(f.originator_id),) for f in facts if isinstance(f, Enquiry.Refused))
    targets = []
    for fact in facts:
        if isinstance(fact, Case.EntryCorrected | Case.EntryRetracted | Case.ReferralOutcomeRecorded):
            case = cases.get(str(fact.originator_id))
            if case is not None:
                targets.append(f"{case['code']}#{fact.entry}")
    work.load((t,) for t in targets)
    corrected = work.load_where(
        "contact_id",
        (str(f.originator_id) for f in facts if isinstance(f, Contact.Corrected | Contact.Retracted)),
    )
    referrals.load((t,) for t in targets)
    referrals.load_where("outcome_entry", targets)
    return {row["contact_id"]: row["entry"] for row in corrected}


def _case_fact(fact: Case.Event, cases: Rows, case_events: Rows, work: Rows, referrals: Rows) -> None:
    case_id = str(fact.originator_id)
    if isinstance(fact, Case.Opened):
        case = cases.put(
            {"case_id": case_id, "code": fact.code, "client": fact.client_code, "service": fact.service}
        )
    else:
        found = cases.get(case_id)
        if found is None:
            return
        case = found
    number = fact.originator_version
    ref = f"{case['code']}#{number}"
    where = {"service": case["service"], "case": case["code"], "day": day_of(fact.occurred_at)}
    if isinstance(fact, Case.Opened | Case.Closed | Case.Reopened):
        kind = {Case.Opened: "opened", Case.Closed: "closed", Case.Reopened: "reopened"}[type(fact)]
        reason = fact.reason if isinstance(fact, Case.Closed) else None
        case_events.put({**where, "number": number, "kind": kind, "reason": reason})
    elif isinstance(fact, Case.SessionHeld | Case.ContactLogged):
        session = isinstance(fact, Case.SessionHeld)
        work.put(
            {
                **where,
                "month": month_of(where["day"]),
                "entry": ref,
                "kind": SESSION if session else CONTACT,
                "client": case["client"],
                "form": fact.form,
                "minutes": fact.minutes,
                "staff": len(fact.staff) if isinstance(fact, Case.SessionHeld) else 1,
                "contact_id": None,
            }
        )
    elif isinstance(fact, Case.ReferralMade):
        referrals.put(
            {
                **where,
                "entry": ref,
                "client": case["client"],
                "kind": fact.kind,
                "outcome": None,
                "outcome_entry": None,
            }
        )
    elif isinstance(fact, Case.ReferralOutcomeRecorded):
        referral = referrals.get(f"{case['code']}#{fact.entry}")
        if referral is not None:
            referral.update(outcome=fact.outcome, outcome_entry=ref)
            referrals.changed(referral)
    elif isinstance(fact, Case.EntryCorrected | Case.EntryRetracted):
        target = f"{case['code']}#{fact.entry}"
        changes = fact.changes if isinstance(fact, Case.EntryCorrected) else None
        _amend(work, referrals, target, changes)


def _contact_fact(fact: Contact.Event, work: Rows, contacts: dict[str, str]) -> None:
    """A contact's one row of work (``contacts``: its entry by the contact's id, for corrections)."""
    if isinstance(fact, Contact.Logged):
        contacts[str(fact.originator_id)] = fact.code
        work.put(
            {
                "entry": fact.code,
                "kind": CONTACT,
                "service": fact.service,
                "case": None,
                "client": fact.client,
                "day": day_of(fact.occurred_at),
                "month": month_of(day_of(fact.occurred_at)),
                "form": fact.form,
                "minutes": fact.minutes,
                "staff": 1,
                "contact_id": str(fact.originator_id),
            }
        )
        return
    entry = contacts.get(str(fact.originator_id))
    if entry is not None:
        _amend(work, None, entry, fact.changes if isinstance(fact, Contact.Corrected) else None)


def _amend(work: Rows, referrals: Rows | None, target: str, changes: dict[str, Any] | None) -> None:
    """Apply a correction (``changes``) or a retraction (None) to the entry it points at."""
    row = work.get(target)
    if row is not None:
        if changes is None:
            work.delete(target)
            return
        for name, value in changes.items():
            if name == "occurred_at":
                row["day"] = day_of(value)
                row["month"] = month_of(row["day"])
            elif name == "staff":
                row["staff"] = len(value)
            elif name in ("minutes", "form"):
                row[name] = value
        work.changed(row)
        return
    if referrals is None:
        return
    referral = referrals.get(target)
    if referral is not None:
        if changes is None:
            referrals.delete(target)
            return
        if "occurred_at" in changes:
            referral["day"] = day_of(changes["occurred_at"])
        if "kind" in changes:
            referral["kind"] = changes["kind"]
        referrals.changed(referral)
        return
    for referral in referrals.where(lambda r: r["outcome_entry"] == target):
        if changes is None:
            referral.update(outcome=None, outcome_entry=None)
        elif "outcome" in changes:
            referral["outcome"] = changes["outcome"]
        referrals.changed(referral)
