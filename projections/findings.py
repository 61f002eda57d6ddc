"""Findings: the soft rules of docs/domain.md, for quality audits.

A soft rule is not an error: the journal records what happened, and this
read model points at what an auditor should look at, each finding with the
entries that caused it.

Rules that follow from the facts alone are kept as rows, re-evaluated
whenever a fact they rest on changes (a correction, a retraction, an
amended client):

- ``outside-hours``: a session not entirely within its service's opening
  hours, as they stood when the session was recorded;
- ``over-capacity``: at some instant of a session, more distinct clients in
  sessions of the service than its immediate capacity (as it stood when the
  session was recorded); sessions are intervals ``[start, start + minutes)``;
- ``late-correction``: a correction or retraction recorded more than 30 days
  after the entry it corrects was recorded (cases and caseless contacts);
- ``minor-via-override``: a case opened by override at an adults-only
  service for a client who is or may be under 18 at the opening.

Rules that depend on "now" are never stored (a rebuild must equal the live
tables): the facts they need are kept, and ``findings`` evaluates them
against its ``as_of`` moment: ``stale-case``, ``referral-without-outcome``,
``late-first-contact``.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import groupby
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    exists,
    or_,
    select,
)

from domain.case import Case
from domain.client import Client, ages_from
from domain.codes import CodeKind, parse_code, parse_service_code, service_id
from domain.contact import Contact
from domain.enquiry import Enquiry
from domain.errors import InvalidValue
from domain.facts import MAX_MINUTES
from domain.service import DAYS, SERVICE_TIME, OpeningHours, Service
from projections.projector import Key, Projector, Row, Rows, Tables, Tracked
from projections.store import Moment

# -- the rules and their limits ------------------------------------------------------

OUTSIDE_HOURS = "outside-hours"
OVER_CAPACITY = "over-capacity"
LATE_CORRECTION = "late-correction"
MINOR_VIA_OVERRIDE = "minor-via-override"
STALE_CASE = "stale-case"
REFERRAL_WITHOUT_OUTCOME = "referral-without-outcome"
LATE_FIRST_CONTACT = "late-first-contact"
RULES = (
    OUTSIDE_HOURS,
    OVER_CAPACITY,
    LATE_CORRECTION,
    MINOR_VIA_OVERRIDE,
    STALE_CASE,
    REFERRAL_WITHOUT_OUTCOME,
    LATE_FIRST_CONTACT,
)

# A case is stale after this long without a session or contact.
STALE_AFTER = timedelta(days=60)
# A referral's outcome is due within this long after the referral.
OUTCOME_DUE_WITHIN = timedelta(days=30)
# A correction or retraction recorded later than this after the entry is late.
CORRECTION_DUE_WITHIN = timedelta(days=30)
# An intervention centre's first contact is due within this long after the police notice.
FIRST_CONTACT_WITHIN = timedelta(hours=48)
# Who is younger than this is a minor; a service whose minimum age is at least this is adults-only.
ADULT_AGE = 18

# No session is longer than this (rule 4), so sessions overlapping a moment start at most this before it.
LONGEST_SESSION = timedelta(minutes=MAX_MINUTES)
# An over-capacity finding names at most this many of the other sessions present.
MAX_NAMED = 20

# Entries of a case this projector keeps, by the fact that records them.
_KINDS: dict[type, str] = {
    Case.SessionHeld: "session",
    Case.ContactLogged: "contact",
    Case.ReferralMade: "referral",
    Case.ReferralOutcomeRecorded: "referral-outcome",
    Case.GoalSet: "goal",
    Case.GoalReviewed: "goal-review",
    Case.Reopened: "reopened",
}
CONTACT_KINDS = ("session", "contact")
# What restarts the stale-case clock besides sessions and contacts.
START_KINDS = ("opened", "reopened")


@dataclass(frozen=True)
class Finding:
    """One thing a quality audit should look at."""

    rule: str
    service: str
    case: str | None  # the case's code, None for a caseless contact or an enquiry without a case
    subject: str  # an entry (P-0001#3), a case (P-0001), an enquiry (E-0001) or a contact (C-0001)
    detail: str  # short, with numbers, no personal data
    entries: tuple[str, ...]  # the entries that caused it
    occurred_at: datetime  # when the rule was broken

    @property
    def sort_key(self) -> tuple[datetime, str, str, tuple[str, ...]]:
        return (self.occurred_at, self.rule, self.subject, self.entries)


class Findings(Projector):
    name = "findings"
    version = 1

    def define(self) -> dict[str, list[Any]]:
        return {
            "services": [
                Column("service_id", String(36), primary_key=True),
                Column("code", String(40), nullable=False, unique=True),
                Column("min_age", Integer),
                Column("capacity", Integer),
                Column("hours", String(500), nullable=False),
            ],
            "clients": [
                Column("client_id", String(36), primary_key=True),
                Column("birth_year", Integer),
                Column("age_band", String(20)),
            ],
            "cases": [
                Column("case_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("service", String(40), nullable=False, index=True),
                Column("client_id", String(36), nullable=False, index=True),
                Column("client", String(20), nullable=False),
                Column("opened_at", Moment, nullable=False),
                Column("is_open", Boolean, nullable=False),
                Column("override", Boolean, nullable=False),
                Column("min_age", Integer),  # the service's when the case was opened
                # The last live session or contact, or the (re)opening if later: the stale-case clock.
                Column("quiet_since", Moment, nullable=False),
                Column("quiet_entry", Integer, nullable=False),
                Column("first_contact_at", Moment),
                Column("first_contact_entry", Integer),
            ],
            "entries": [
                Column("case_id", String(36), primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("kind", String(20), nullable=False),
                Column("occurred_at", Moment, nullable=False),
                Column("recorded_at", Moment, nullable=False),
                Column("live", Boolean, nullable=False),
                Column("points_at", Integer),
                Column("referral", String(20)),
                Index(None, "kind", "occurred_at"),
            ],
            "sessions": [
                Column("case_id", String(36), primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("case", String(20), nullable=False),
                Column("service", String(40), nullable=False),
                Column("client", String(20), nullable=False),
                Column("starts_at", Moment, nullable=False),
                Column("ends_at", Moment, nullable=False),
                Column("live", Boolean, nullable=False),
                Column("hours", String(500), nullable=False),  # the service's when recorded
                Column("capacity", Integer),  # the service's when recorded
                Index(None, "service", "starts_at"),
            ],
            "contacts": [
                Column("contact_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("service", String(40), nullable=False),
                Column("recorded_at", Moment, nullable=False),
            ],
            "enquiries": [
                Column("enquiry_id", String(36), primary_key=True),
                Column("code", String(20), nullable=False, unique=True),
                Column("service", String(40), nullable=False),
                Column("police_notice_at", Moment, index=True),
                Column("case", String(20)),
                Column("refused_at", Moment),
            ],
            "findings": [
                Column("rule", String(40), primary_key=True),
                Column("key", String(40), primary_key=True),
                Column("subject", String(20), nullable=False),
                Column("service", String(40), nullable=False, index=True),
                Column("case", String(20), index=True),
                Column("detail", String(300), nullable=False),
                Column("entries", Text, nullable=False),  # entry refs separated by spaces
                Column("occurred_at", Moment, nullable=False),
            ],
        }

    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        _Pass(conn, tables, [t.fact for t in page]).run()


# -- applying a page -------------------------------------------------------------------


class _Pass:
    """One page: load what it touches, apply its facts in memory, re-evaluate, flush once."""

    def __init__(self, conn: Connection, tables: Tables, facts: list[Any]) -> None:
        self.conn = conn
        self.tables = tables
        self.facts = facts
        self.services = Rows(conn, tables.services)
        self.clients = Rows(conn, tables.clients)
        self.cases = Rows(conn, tables.cases)
        self.entries = Rows(conn, tables.entries)
        self.sessions = Rows(conn, tables.sessions)
        self.contacts = Rows(conn, tables.contacts)
        self.enquiries = Rows(conn, tables.enquiries)
        self.findings = Rows(conn, tables.findings)
        self.by_case: dict[str, dict[int, Row]] = defaultdict(dict)
        # What the page changed, re-evaluated once at its end.
        self.touched_cases: set[str] = set()
        self.changed_sessions: set[Key] = set()
        self.intervals: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.minor_checks: set[str] = set()

    def run(self) -> None:
        self._load()
        for fact in self.facts:
            if isinstance(fact, Service.Configured):
                self._service(fact)
            elif isinstance(fact, Client.Registered | Client.Amended):
                self._client(fact)
            elif isinstance(fact, Case.Event):
                self._case_fact(fact)
            elif isinstance(fact, Contact.Logged | Contact.Corrected | Contact.Retracted):
                self._contact(fact)
            elif isinstance(fact, Enquiry.Received | Enquiry.LedToCase | Enquiry.Refused):
                self._enquiry(fact)
        for case_id in self.touched_cases:
            self._summarise(case_id)
        for key in self.changed_sessions:
            self._judge_hours(self.sessions.require(*key))
        self._judge_capacity()
        for case_id in self.minor_checks:
            self._judge_minor(case_id)
        for rows in (
            self.services,
            self.clients,
            self.cases,
            self.entries,
            self.sessions,
            self.contacts,
            self.enquiries,
            self.findings,
        ):
            rows.flush()

    def _load(self) -> None:
        """Everything the page's facts touch, in one query per table (two for cases)."""
        case_ids: set[str] = set()
        client_ids: set[str] = set()
        amended: set[str] = set()
        service_ids: set[str] = set()
        targets: set[Key] = set()
        contact_ids: set[str] = set()
        enquiry_ids: set[str] = set()
        for fact in self.facts:
            origin = str(fact.originator_id)
            if isinstance(fact, Service.Configured):
                service_ids.add(origin)
            elif isinstance(fact, Client.Registered | Client.Amended):
                client_ids.add(origin)
                if isinstance(fact, Client.Amended):
                    amended.add(origin)
            elif isinstance(fact, Case.Event):
                case_ids.add(origin)
                if isinstance(fact, Case.Opened):
                    client_ids.add(str(fact.client_id))
                    service_ids.add(str(service_id(fact.service)))
                elif isinstance(fact, Case.EntryCorrected | Case.EntryRetracted):
                    targets.add((origin, fact.entry))
            elif isinstance(fact, Contact.Logged | Contact.Corrected | Contact.Retracted):
                contact_ids.add(origin)
            elif isinstance(fact, Enquiry.Received | Enquiry.LedToCase | Enquiry.Refused):
                enquiry_ids.add(origin)
        self.cases.load((case_id,) for case_id in case_ids)
        for case in self.cases.load_where("client_id", amended):
            if case["override"]:
                self.minor_checks.add(case["case_id"])
                client_ids.add(case["client_id"])
        for case_id in case_ids:
            opened = self.cases.get(case_id)
            if opened is not None:
                service_ids.add(str(service_id(opened["service"])))
        self.services.load((s,) for s in service_ids)
        self.clients.load((c,) for c in client_ids)
        for row in self.entries.load_where("case_id", case_ids):
            self.by_case[row["case_id"]][row["number"]] = row
        self.sessions.load(targets)
        self.contacts.load((c,) for c in contact_ids)
        self.enquiries.load((e,) for e in enquiry_ids)

    # -- facts ---------------------------------------------------------------------

    def _service(self, fact: Service.Configured) -> None:
        key = str(fact.originator_id)
        row = self.services.get(key)
        code = fact.code if isinstance(fact, Service.Registered) else row["code"] if row else None
        if code is None:
            return
        self.services.put(
            {
                "service_id": key,
                "code": code,
                "min_age": fact.min_age,
                "capacity": fact.capacity,
                "hours": fact.hours,
            }
        )

    def _service_named(self, code: str) -> Row | None:
        return self.services.get(str(service_id(code)))

    def _client(self, fact: Client.Registered | Client.Amended) -> None:
        key = str(fact.originator_id)
        if isinstance(fact, Client.Registered):
            self.clients.put({"client_id": key, "birth_year": fact.birth_year, "age_band": fact.age_band})
            return
        row = self.clients.get(key)
        changed = {k: v for k, v in fact.changes.items() if k in ("birth_year", "age_band")}
        if row is not None and changed:
            row.update(changed)
            self.clients.changed(row)

    def _case_fact(self, fact: Case.Event) -> None:
        case_id = str(fact.originator_id)
        number = fact.originator_version
        assert isinstance(number, int)
        if isinstance(fact, Case.Opened):
            self._open(fact, case_id)
            return
        case = self.cases.get(case_id)
        if case is None:  # an opening this projector never saw
            return
        self.touched_cases.add(case_id)
        kind = _KINDS.get(type(fact))
        if kind is not None:
            self._entry(case_id, number, kind, fact)
            if isinstance(fact, Case.SessionHeld):
                self._session(case, number, fact)
            elif isinstance(fact, Case.Reopened):
                case["is_open"] = True
                self.cases.changed(case)
        elif isinstance(fact, Case.EntryCorrected | Case.EntryRetracted):
            self._correct(case, number, fact)
        elif isinstance(fact, Case.Closed):
            case["is_open"] = False
            self.cases.changed(case)

    def _open(self, fact: Case.Opened, case_id: str) -> None:
        service = self._service_named(fact.service)
        self.cases.put(
            {
                "case_id": case_id,
                "code": fact.code,
                "service": fact.service,
                "client_id": str(fact.client_id),
                "client": fact.client_code,
                "opened_at": fact.occurred_at,
                "is_open": True,
                "override": bool(fact.override),
                "min_age": service["min_age"] if service else None,
                "quiet_since": fact.occurred_at,
                "quiet_entry": 1,
                "first_contact_at": None,
                "first_contact_entry": None,
            }
        )
        self.by_case[case_id] = {}
        self._entry(case_id, 1, "opened", fact)
        self.touched_cases.add(case_id)
        if fact.override:
            self.minor_checks.add(case_id)

    def _entry(self, case_id: str, number: int, kind: str, fact: Case.Event) -> None:
        self.by_case[case_id][number] = self.entries.put(
            {
                "case_id": case_id,
                "number": number,
                "kind": kind,
                "occurred_at": fact.occurred_at,
                "recorded_at": fact.timestamp,
                "live": True,
                "points_at": getattr(fact, "entry", None),
                "referral": getattr(fact, "referral", None),
            }
        )

    def _session(self, case: Row, number: int, fact: Case.SessionHeld) -> None:
        service = self._service_named(case["service"])
        start = fact.occurred_at
        row = self.sessions.put(
            {
                "case_id": case["case_id"],
                "number": number,
                "case": case["code"],
                "service": case["service"],
                "client": case["client"],
                "starts_at": start,
                "ends_at": start + timedelta(minutes=fact.minutes),
                "live": True,
                "hours": service["hours"] if service else "nonstop",
                "capacity": service["capacity"] if service else None,
            }
        )
        self._session_changed(row)

    def _session_changed(self, session: Row) -> None:
        self.changed_sessions.add(self.sessions.key_of(session))
        self.intervals[session["service"]].append((session["starts_at"], session["ends_at"]))

    def _correct(self, case: Row, number: int, fact: Case.EntryCorrected | Case.EntryRetracted) -> None:
        case_id = case["case_id"]
        target = self.by_case[case_id].get(fact.entry)
        if target is None:
            return
        retracted = isinstance(fact, Case.EntryRetracted)
        changes: dict[str, Any] = fact.changes if isinstance(fact, Case.EntryCorrected) else {}
        if retracted:
            target["live"] = False
        if "occurred_at" in changes:
            target["occurred_at"] = changes["occurred_at"]
        self.entries.changed(target)
        session = self.sessions.get(case_id, fact.entry)
        if session is not None and (retracted or {"occurred_at", "minutes"} & set(changes)):
            self._session_changed(session)  # where it was
            if retracted:
                session["live"] = False
            else:
                start = changes["occurred_at"] if "occurred_at" in changes else session["starts_at"]
                minutes = changes["minutes"] if "minutes" in changes else _minutes(session)
                session["starts_at"], session["ends_at"] = start, start + timedelta(minutes=minutes)
            self.sessions.changed(session)
            self._session_changed(session)  # where it is now
        late = fact.timestamp - target["recorded_at"]
        if late > CORRECTION_DUE_WITHIN:
            ref = _ref(case["code"], number)
            what = "retraction" if retracted else "correction"
            self._found(
                LATE_CORRECTION,
                ref,
                subject=ref,
                service=case["service"],
                case=case["code"],
                detail=f"{what} recorded {_span(late)} after the entry {_LATE_LIMIT}",
                entries=(ref, _ref(case["code"], fact.entry)),
                occurred_at=fact.occurred_at,
            )

    def _contact(self, fact: Contact.Logged | Contact.Corrected | Contact.Retracted) -> None:
        key = str(fact.originator_id)
        if isinstance(fact, Contact.Logged):
            self.contacts.put(
                {"contact_id": key, "code": fact.code, "service": fact.service, "recorded_at": fact.timestamp}
            )
            return
        contact = self.contacts.get(key)
        if contact is None:
            return
        late = fact.timestamp - contact["recorded_at"]
        if late > CORRECTION_DUE_WITHIN:
            what = "retraction" if isinstance(fact, Contact.Retracted) else "correction"
            self._found(
                LATE_CORRECTION,
                f"{contact['code']}#{fact.originator_version}",
                subject=contact["code"],
                service=contact["service"],
                case=None,
                detail=f"{what} recorded {_span(late)} after the contact {_LATE_LIMIT}",
                entries=(contact["code"],),
                occurred_at=fact.occurred_at,
            )

    def _enquiry(self, fact: Enquiry.Received | Enquiry.LedToCase | Enquiry.Refused) -> None:
        key = str(fact.originator_id)
        if isinstance(fact, Enquiry.Received):
            self.enquiries.put(
                {
                    "enquiry_id": key,
                    "code": fact.code,
                    "service": fact.service,
                    "police_notice_at": fact.police_notice_at,
                    "case": None,
                    "refused_at": None,
                }
            )
            return
        enquiry = self.enquiries.get(key)
        if enquiry is None:
            return
        if isinstance(fact, Enquiry.LedToCase):
            enquiry["case"] = fact.case
        else:
            enquiry["refused_at"] = fact.occurred_at
        self.enquiries.changed(enquiry)

    # -- re-evaluating what the page changed ---------------------------------------

    def _summarise(self, case_id: str) -> None:
        """The case's stale-case clock and its first contact, from its live entries."""
        case = self.cases.get(case_id)
        if case is None:
            return
        live = [e for e in self.by_case[case_id].values() if e["live"]]
        contacts = sorted((e["occurred_at"], e["number"]) for e in live if e["kind"] in CONTACT_KINDS)
        clocks = sorted(
            (e["occurred_at"], e["number"]) for e in live if e["kind"] in (*CONTACT_KINDS, *START_KINDS)
        )
        quiet = clocks[-1] if clocks else (case["opened_at"], 1)
        first = contacts[0] if contacts else (None, None)
        case.update(
            quiet_since=quiet[0],
            quiet_entry=quiet[1],
            first_contact_at=first[0],
            first_contact_entry=first[1],
        )
        self.cases.changed(case)

    def _judge_hours(self, session: Row) -> None:
        ref = _ref(session["case"], session["number"])
        hours = _hours(session["hours"])
        if not session["live"] or hours.covers(session["starts_at"], session["ends_at"]):
            self.findings.delete(OUTSIDE_HOURS, ref)
            return
        self._found(
            OUTSIDE_HOURS,
            ref,
            subject=ref,
            service=session["service"],
            case=session["case"],
            detail=f"session {_wall_clock(session['starts_at'], session['ends_at'])}, open {hours}",
            entries=(ref,),
            occurred_at=session["starts_at"],
        )

    def _judge_capacity(self) -> None:
        """Re-evaluate every session that overlaps where a changed session was or is now."""
        if not self.intervals:
            return
        self._load_around()
        live = self._live_by_service()
        for service, intervals in self.intervals.items():
            candidates = sorted(
                live.get(service, ()), key=lambda row: (row["starts_at"], row["case"], row["number"])
            )
            starts = [row["starts_at"] for row in candidates]
            affected: dict[Key, Row] = {}
            for low, high in _merged(intervals):  # overlapping changes looked at once, not once each
                for row in _overlapping(candidates, starts, low, high):
                    affected[self.sessions.key_of(row)] = row
            for key in self.changed_sessions:
                row = self.sessions.require(*key)
                if row["service"] == service:
                    affected[key] = row
            crowds = _Crowds(candidates)
            for row in affected.values():
                self._judge_crowd(row, crowds, candidates, starts)

    def _load_around(self) -> None:
        """The live sessions overlapping a changed interval, and those overlapping any of them.

        In two steps, each reading only what overlaps its windows: the sessions a
        change touches (they are judged again), then whatever overlaps those (their
        crowds). Windows of their actual lengths, not of the longest session's.
        """
        changed = {service: _merged(intervals) for service, intervals in self.intervals.items()}
        self._load_overlapping(changed)
        live = self._live_by_service()
        touched: dict[str, list[tuple[datetime, datetime]]] = {}
        for service, windows in changed.items():
            lows = [low for low, _ in windows]
            spans = []
            for row in live.get(service, ()):
                start, end = row["starts_at"], row["ends_at"]
                last = bisect.bisect_left(lows, end) - 1  # the last window starting before the end
                if last >= 0 and windows[last][1] > start:
                    spans.append((start, end))
            touched[service] = _merged(spans)
        self._load_overlapping(touched)

    def _live_by_service(self) -> dict[str, list[Row]]:
        """The live sessions loaded so far, by service (one pass, not one per service)."""
        by_service: dict[str, list[Row]] = defaultdict(list)
        for row in self.sessions.where(lambda row: bool(row["live"])):
            by_service[row["service"]].append(row)
        return by_service

    def _load_overlapping(self, windows_by_service: dict[str, list[tuple[datetime, datetime]]]) -> None:
        """Load the live sessions of each service overlapping one of its windows ``[low, high)``."""
        windows = [
            (service, low, high) for service, spans in windows_by_service.items() for low, high in spans
        ]
        query = _overlapping_query(self.tables.sessions)
        for start in range(0, len(windows), WINDOWS):
            chunk = windows[start : start + WINDOWS]
            chunk += [chunk[-1]] * (WINDOWS - len(chunk))  # one statement, compiled once
            params: dict[str, Any] = {}
            for n, (service, low, high) in enumerate(chunk):
                params |= {f"s{n}": service, f"f{n}": low - LONGEST_SESSION, f"h{n}": high, f"l{n}": low}
            self.sessions.adopt(self.conn.execute(query, params).mappings())

    def _judge_crowd(
        self, session: Row, crowds: _Crowds, candidates: list[Row], starts: list[datetime]
    ) -> None:
        ref = _ref(session["case"], session["number"])
        crowd = _crowd(session, crowds, candidates, starts) if session["live"] else None
        if crowd is None:
            self.findings.delete(OVER_CAPACITY, ref)
            return
        peak, peak_at, others = crowd
        named = sorted(others, key=lambda row: (row["case"], row["number"]))
        self._found(
            OVER_CAPACITY,
            ref,
            subject=ref,
            service=session["service"],
            case=session["case"],
            detail=(
                f"{peak} clients in sessions at once "
                f"({peak_at.astimezone(SERVICE_TIME):%Y-%m-%d %H:%M}), "
                f"immediate capacity {session['capacity']}"
            ),
            entries=(ref, *(_ref(row["case"], row["number"]) for row in named)),
            occurred_at=session["starts_at"],
        )

    def _judge_minor(self, case_id: str) -> None:
        case = self.cases.require(case_id)
        client = self.clients.get(case["client_id"])
        opened_on = case["opened_at"].astimezone(SERVICE_TIME).date()
        ages = ages_from(client["birth_year"], client["age_band"], opened_on) if client else (None, None)
        youngest, oldest = ages
        if (
            not case["override"]
            or case["min_age"] is None
            or case["min_age"] < ADULT_AGE
            or youngest is None
            or youngest >= ADULT_AGE
        ):
            self.findings.delete(MINOR_VIA_OVERRIDE, case["code"])
            return
        age = (
            f"{youngest}+"
            if oldest is None
            else str(youngest)
            if oldest == youngest
            else f"{youngest}-{oldest}"
        )
        self._found(
            MINOR_VIA_OVERRIDE,
            case["code"],
            subject=case["code"],
            service=case["service"],
            case=case["code"],
            detail=f"opened by override for a client aged {age}, service minimum age {case['min_age']}",
            entries=(_ref(case["code"], 1),),
            occurred_at=case["opened_at"],
        )

    def _found(
        self,
        rule: str,
        key: str,
        *,
        subject: str,
        service: str,
        case: str | None,
        detail: str,
        entries: tuple[str, ...],
        occurred_at: datetime,
    ) -> None:
        self.findings.put(
            {
                "rule": rule,
                "key": key,
                "subject": subject,
                "service": service,
                "case": case,
                "detail": detail,
                "entries": " ".join(entries),
                "occurred_at": occurred_at,
            }
        )


# Windows looked up by one statement.
WINDOWS = 50


def _overlapping_query(table: Table) -> Select[Any]:
    """The live sessions in ``WINDOWS`` windows (bound parameters), built once per table."""
    if "overlapping" not in table.info:
        c = table.c
        table.info["overlapping"] = select(table).where(
            c.live,
            or_(
                *(
                    and_(
                        c.service == bindparam(f"s{n}"),
                        # No session is longer than LONGEST_SESSION: one ending after the window's
                        # start starts after this. The bound keeps the index scan to the window.
                        c.starts_at >= bindparam(f"f{n}"),
                        c.starts_at < bindparam(f"h{n}"),
                        c.ends_at > bindparam(f"l{n}"),
                    )
                    for n in range(WINDOWS)
                )
            ),
        )
    query: Select[Any] = table.info["overlapping"]
    return query


def _ref(case: str, number: int) -> str:
    return f"{case}#{number}"


def _wall_clock(start: datetime, end: datetime) -> str:
    """``Sat 10:00-10:50`` on the services' clock (``Fri 23:30-Sat 00:20`` across midnight)."""
    start, end = start.astimezone(SERVICE_TIME), end.astimezone(SERVICE_TIME)
    if start.date() == end.date():
        return f"{DAYS[start.weekday()]} {start:%H:%M}-{end:%H:%M}"
    return f"{DAYS[start.weekday()]} {start:%H:%M}-{DAYS[end.weekday()]} {end:%H:%M}"


def _minutes(session: Row) -> int:
    return int((session["ends_at"] - session["starts_at"]).total_seconds() // 60)


@lru_cache(maxsize=64)
def _hours(text: str) -> OpeningHours:
    return OpeningHours.parse(text)


def _merged(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for low, high in sorted(windows):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _overlapping(candidates: list[Row], starts: list[datetime], low: datetime, high: datetime) -> list[Row]:
    """The candidates (sorted by start) overlapping ``[low, high)``."""
    first = bisect.bisect_left(starts, low - LONGEST_SESSION)
    last = bisect.bisect_left(starts, high)
    return [row for row in candidates[first:last] if row["ends_at"] > low]


class _Crowds:
    """How many distinct clients are in a service's sessions at once, moment by moment (one sweep).

    ``counts[i]`` holds from ``times[i]`` until ``times[i + 1]``; a sparse
    table answers "the highest count, and its first moment, in a span" in
    constant time, so judging k overlapping sessions costs O(k log k), not
    O(k³).
    """

    def __init__(self, sessions: list[Row]) -> None:
        # Sessions are half-open: one ending when another starts does not overlap it.
        events = sorted(
            [(row["starts_at"], 1, row["client"]) for row in sessions]
            + [(row["ends_at"], 0, row["client"]) for row in sessions],
            key=lambda event: (event[0], event[1]),
        )
        clients: Counter[str] = Counter()
        self.times: list[datetime] = []
        counts: list[int] = []
        for moment, group in groupby(events, key=lambda event: event[0]):
            for _moment, starts, client in group:
                clients[client] += 1 if starts else -1
                if not clients[client]:
                    del clients[client]
            self.times.append(moment)
            counts.append(len(clients))
        # best[k][i]: the highest (count, -index) among counts[i : i + 2**k]
        self.best = [[(count, -index) for index, count in enumerate(counts)]]
        width = 1
        while 2 * width <= len(counts):
            last = self.best[-1]
            self.best.append([max(last[i], last[i + width]) for i in range(len(counts) - 2 * width + 1)])
            width *= 2

    def peak(self, start: datetime, end: datetime) -> tuple[int, datetime]:
        """The most clients at once within ``[start, end)``, and the first moment it was reached."""
        first = max(bisect.bisect_right(self.times, start) - 1, 0)
        last = max(bisect.bisect_left(self.times, end) - 1, first)
        level = (last - first + 1).bit_length() - 1
        count, index = max(self.best[level][first], self.best[level][last - 2**level + 1])
        return count, max(self.times[-index], start)


def _crowd(
    session: Row, crowds: _Crowds, candidates: list[Row], starts: list[datetime]
) -> tuple[int, datetime, list[Row]] | None:
    """When more distinct clients than the capacity are in sessions at once during ``session``.

    The peak number of clients, the first moment of that peak, and the other
    sessions in progress at a moment the capacity is exceeded (the first
    ``MAX_NAMED`` of them by start).
    """
    capacity = session["capacity"]
    if capacity is None:
        return None
    start, end = session["starts_at"], session["ends_at"]
    peak, peak_at = crowds.peak(start, end)
    if peak <= capacity:
        return None
    named = []
    first, last = bisect.bisect_left(starts, start - LONGEST_SESSION), bisect.bisect_left(starts, end)
    for index in range(first, last):  # one by one: it stops at MAX_NAMED
        row = candidates[index]
        if row is session or row["ends_at"] <= start:
            continue
        if crowds.peak(max(start, row["starts_at"]), min(end, row["ends_at"]))[0] > capacity:
            named.append(row)
            if len(named) == MAX_NAMED:
                break
    return peak, peak_at, named


def _scoped(
    query: Select[Any], service_column: Any, service: str | None, case_column: Any, case: str | None
) -> Select[Any]:
    """Only one service's and/or one case's rows, when asked."""
    if service is not None:
        query = query.where(service_column == service)
    if case is not None:
        query = query.where(case_column == case)
    return query


def _span(span: timedelta) -> str:
    """A duration to the minute: ``30 d 1 h``, ``2 d 5 min``, ``0 min``."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(p for p in parts if p) or "0 min"


_LATE_LIMIT = f"(limit {_span(CORRECTION_DUE_WITHIN)})"


# -- reading ---------------------------------------------------------------------------


def findings(
    conn: Connection,
    tables: Tables,
    *,
    as_of: datetime,
    service: str | None = None,
    case: str | None = None,
) -> list[Finding]:
    """Every finding, optionally of one service or one case, sorted by (occurred_at, rule, subject).

    ``as_of`` is the moment the time limits are measured to (stale cases,
    referrals without outcome, first contacts after a police notice); the
    facts are those the tables hold.
    """
    if as_of.tzinfo is None:
        raise InvalidValue("as-of", "has no time zone")
    service = parse_service_code(service) if service is not None else None
    case = parse_code(case, CodeKind.CASE) if case is not None else None
    found = [
        *_stored(conn, tables, service, case),
        *_stale_cases(conn, tables, as_of, service, case),
        *_referrals_without_outcome(conn, tables, as_of, service, case),
        *_late_first_contacts(conn, tables, as_of, service, case),
    ]
    return sorted(found, key=lambda f: f.sort_key)


def _stored(conn: Connection, tables: Tables, service: str | None, case: str | None) -> list[Finding]:
    table = tables.findings
    query = select(table)
    query = _scoped(query, table.c.service, service, table.c.case, case)
    return [
        Finding(
            rule=row.rule,
            service=row.service,
            case=row.case,
            subject=row.subject,
            detail=row.detail,
            entries=tuple(row.entries.split()),
            occurred_at=row.occurred_at,
        )
        for row in conn.execute(query)
    ]


def _stale_cases(
    conn: Connection, tables: Tables, as_of: datetime, service: str | None, case: str | None
) -> list[Finding]:
    cases = tables.cases
    query = select(cases.c.code, cases.c.service, cases.c.quiet_since, cases.c.quiet_entry).where(
        cases.c.is_open, cases.c.quiet_since < as_of - STALE_AFTER
    )
    query = _scoped(query, cases.c.service, service, cases.c.code, case)
    return [
        Finding(
            rule=STALE_CASE,
            service=row.service,
            case=row.code,
            subject=row.code,
            detail=f"no session or contact for {_span(as_of - row.quiet_since)} (limit {_span(STALE_AFTER)})",
            entries=(_ref(row.code, row.quiet_entry),),
            occurred_at=row.quiet_since + STALE_AFTER,
        )
        for row in conn.execute(query)
    ]


def _referrals_without_outcome(
    conn: Connection, tables: Tables, as_of: datetime, service: str | None, case: str | None
) -> list[Finding]:
    cases, entries = tables.cases, tables.entries
    outcomes = entries.alias("outcomes")
    answered = exists().where(
        outcomes.c.case_id == entries.c.case_id,
        outcomes.c.kind == "referral-outcome",
        outcomes.c.live,
        outcomes.c.points_at == entries.c.number,
    )
    query = (
        select(entries.c.number, entries.c.referral, entries.c.occurred_at, cases.c.code, cases.c.service)
        .join(cases, cases.c.case_id == entries.c.case_id)
        .where(
            entries.c.kind == "referral",
            entries.c.live,
            entries.c.occurred_at < as_of - OUTCOME_DUE_WITHIN,
            ~answered,
        )
    )
    query = _scoped(query, cases.c.service, service, cases.c.code, case)
    return [
        Finding(
            rule=REFERRAL_WITHOUT_OUTCOME,
            service=row.service,
            case=row.code,
            subject=_ref(row.code, row.number),
            detail=(
                f"referral {row.referral} without outcome for {_span(as_of - row.occurred_at)} "
                f"(limit {_span(OUTCOME_DUE_WITHIN)})"
            ),
            entries=(_ref(row.code, row.number),),
            occurred_at=row.occurred_at + OUTCOME_DUE_WITHIN,
        )
        for row in conn.execute(query)
    ]


def _late_first_contacts(
    conn: Connection, tables: Tables, as_of: datetime, service: str | None, case: str | None
) -> list[Finding]:
    """Police notices whose 48 hours ran out before ``as_of`` without a session or contact in them.

    The clock stops at the first live session or contact of the case the
    enquiry led to, or at the enquiry's refusal (the applicant was answered).
    """
    enquiries, cases = tables.enquiries, tables.cases
    query = (
        select(
            enquiries.c.code,
            enquiries.c.service,
            enquiries.c.police_notice_at,
            enquiries.c.refused_at,
            enquiries.c.case,
            cases.c.first_contact_at,
            cases.c.first_contact_entry,
        )
        .outerjoin(cases, cases.c.code == enquiries.c.case)
        .where(
            enquiries.c.police_notice_at.is_not(None),
            enquiries.c.police_notice_at < as_of - FIRST_CONTACT_WITHIN,
        )
    )
    query = _scoped(query, enquiries.c.service, service, enquiries.c.case, case)
    found = []
    limit = f"(limit {_span(FIRST_CONTACT_WITHIN)})"
    for row in conn.execute(query):
        notice = row.police_notice_at
        entries: tuple[str, ...] = ()
        if row.first_contact_at is not None:
            answered = row.first_contact_at - notice
            entries = (_ref(row.case, row.first_contact_entry),)
            detail = f"first session or contact {_span(answered)} after the police notice {limit}"
        elif row.refused_at is not None:
            answered = row.refused_at - notice
            detail = f"refused {_span(answered)} after the police notice {limit}"
        else:
            answered = None
            detail = f"no session or contact {_span(as_of - notice)} after the police notice {limit}"
        if answered is not None and answered <= FIRST_CONTACT_WITHIN:
            continue
        found.append(
            Finding(
                rule=LATE_FIRST_CONTACT,
                service=row.service,
                case=row.case,
                subject=row.code,
                detail=detail,
                entries=entries,
                occurred_at=notice + FIRST_CONTACT_WITHIN,
            )
        )
    return found
