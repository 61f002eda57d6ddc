"""The figures of funder reports (docs/domain.md, "Figures funders ask for"), each traceable to its entries.

Every figure has an id ``section.row.column`` (``clients.field.count``,
``referrals.legal.accepted``). One pass over the period's facts adds each
fact to the figures it counts in a ``Tally``; asked to explain one figure,
the same pass keeps the facts that figure counts instead. A figure and its
explanation therefore cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, case, func, literal, or_, select

from domain.vocabulary import ClientKind, CloseReason, Form, ReferralKind, ReferralOutcome, RefusalReason
from projections.projector import Tables
from projections.queries import live_tables
from projections.reports.facts import SESSION, ReportFacts
from projections.reports.profiles import Band, Profile
from projections.tracking import live

SUMMARY = "summary"
DISTRICT = "district"
ESF = "esf"
REPORTS = (SUMMARY, DISTRICT, ESF)

FORMS = [f.value for f in Form]
NOT_STATED = "not-stated"
UNKNOWN = "unknown"
OTHER = "other"
NO_OUTCOME = "none"


class Work(NamedTuple):
    """A session or a contact, as reports count it."""

    entry: str
    kind: str
    service: str
    case: str | None
    client: str | None
    day: str
    form: str
    minutes: int
    staff: int

    @property
    def staff_minutes(self) -> int:
        return self.minutes * self.staff

    def explained(self) -> dict[str, Any]:
        detail = f"{self.kind}, {self.form}, {self.minutes} min"
        if self.staff > 1:
            detail += f" × {self.staff} staff"
        return _explained(self.entry, self.service, self.client, self.day, detail)


class CaseEvent(NamedTuple):
    case: str
    number: int
    service: str
    kind: str
    day: str
    reason: str | None

    def explained(self) -> dict[str, Any]:
        detail = self.kind + (f" ({self.reason})" if self.reason else "")
        return _explained(f"{self.case}#{self.number}", self.service, None, self.day, detail)


class Referral(NamedTuple):
    entry: str
    service: str
    client: str
    day: str
    kind: str
    outcome: str | None

    def explained(self) -> dict[str, Any]:
        detail = f"referral ({self.kind}), outcome: {self.outcome or NO_OUTCOME}"
        return _explained(self.entry, self.service, self.client, self.day, detail)


class Refusal(NamedTuple):
    enquiry: str
    service: str
    day: str
    reason: str

    def explained(self) -> dict[str, Any]:
        return _explained(self.enquiry, self.service, None, self.day, f"refused ({self.reason})")


class ClientFacts(NamedTuple):
    kind: str
    birth_year: int | None
    age_band: str | None
    district: str | None


Item = Work | CaseEvent | Referral | Refusal


def _explained(entry: str, service: str, client: str | None, day: str, detail: str) -> dict[str, Any]:
    return {"entry": entry, "service": service, "client": client, "day": day, "detail": detail}


# -- the report -------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @property
    def first(self) -> str:
        return self.start.isoformat()

    @property
    def last(self) -> str:
        return self.end.isoformat()


@dataclass
class Section:
    """A table of figures: rows by columns. Row keys of ``data_rows`` are data (districts, months)."""

    key: str
    columns: list[str]
    rows: list[tuple[str, list[float]]]
    data_rows: bool = False

    def figure(self, row: str, column: str) -> str:
        return f"{self.key}.{row}.{column}"


@dataclass
class Report:
    report: str
    profile: Profile
    parameters: dict[str, Any]
    position: int
    sections: list[Section] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, float]:
        return {
            section.figure(row, column): value
            for section in self.sections
            for row, values in section.rows
            for column, value in zip(section.columns, values, strict=True)
        }

    @property
    def digest(self) -> str:
        """SHA-256 of what the report says: which report, rules, parameters and every figure."""
        content = {
            "report": self.report,
            "profile": self.profile.as_record(),
            "parameters": self.parameters,
            "figures": self.figures,
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


class UnknownFigure(Exception):
    """``--explain`` named a figure the report does not have."""

    def __init__(self, figure: str, known: Sequence[str]) -> None:
        super().__init__(figure)
        self.figure = figure
        self.known = known


# -- adding up ----------------------------------------------------------------------


class Tally:
    """Sums and distinct counts by figure id; when explaining one figure, also the items it counts."""

    def __init__(self, explain: str | None = None) -> None:
        self.sums: Counter[str] = Counter()
        self.sets: defaultdict[str, set[Hashable]] = defaultdict(set)
        self.explain = explain
        self.items: list[Item] = []
        self.tenths: dict[str, int] = {}  # hours figures already rounded, in tenths of an hour

    def add(self, figure: str, item: Item, amount: int = 1) -> None:
        self.sums[figure] += amount
        if figure == self.explain:
            self.items.append(item)

    def distinct(self, figure: str, item: Item, who: Hashable) -> None:
        self.sets[figure].add(who)
        if figure == self.explain:
            self.items.append(item)

    def count(self, figure: str, amount: int) -> None:
        """Add what the database counted (a sum, or distinct ids counted there) to a figure."""
        self.sums[figure] += int(amount)

    def value(self, figure: str) -> int:
        return len(self.sets[figure]) if figure in self.sets else self.sums[figure]

    def apportion(self, whole: str, parts: Sequence[str]) -> None:
        """Round hours figure ``whole`` and its ``parts`` (which add up to it in minutes) so that they
        still add up, by the largest remainder (see ``largest_remainder``).

        A ``whole`` already rounded as a part of something larger keeps that value.
        """
        if whole not in self.tenths:
            self.tenths[whole] = nearest_tenths(self.sums[whole])
        shares = largest_remainder(self.tenths[whole], [self.sums[part] for part in parts])
        self.tenths.update(zip(parts, shares, strict=True))

    def hours(self, figure: str) -> float:
        """An hours figure (added up in minutes) in hours, to one decimal."""
        return self.tenths.get(figure, nearest_tenths(self.sums[figure])) / 10

    def section(
        self,
        key: str,
        rows: Iterable[str],
        columns: Sequence[str],
        *,
        hours: Sequence[str] = (),
        data_rows: bool = False,
    ) -> Section:
        """Read a section's figures; the ``hours`` columns were added up in minutes."""
        table = []
        for row in rows:
            values: list[float] = []
            for column in columns:
                figure = f"{key}.{row}.{column}"
                values.append(self.hours(figure) if column in hours or row in hours else self.value(figure))
            table.append((row, values))
        return Section(key, list(columns), table, data_rows)


def nearest_tenths(minutes: int) -> int:
    """Minutes in tenths of an hour (6 minutes each), to the nearest; halves up: 3 min is 0.1 h."""
    return (minutes + 3) // 6


def largest_remainder(whole: int, parts: Sequence[int]) -> list[int]:
    """Share ``whole`` tenths of an hour among ``parts``: minutes that add up to what ``whole`` rounds.

    Each part gets its whole tenths (rounded down); the tenths still missing
    go one each to the parts with the largest remainders, the first of them
    on a tie. Each part is thus its own value rounded down or up, and the
    parts add up to ``whole``: 45 + 45 minutes of 1.5 h are 0.8 + 0.7 h.
    """
    shares = [minutes // 6 for minutes in parts]
    by_remainder = sorted(range(len(parts)), key=lambda i: -(parts[i] % 6))  # stable: the first wins a tie
    for i in by_remainder[: whole - sum(shares)]:
        shares[i] += 1
    return shares


# -- loading the period's facts ---------------------------------------------------


@dataclass
class Facts:
    """What a report counts, read from the report_facts projection in one snapshot."""

    period: Period
    position: int
    work: list[Work]
    clients: dict[str, ClientFacts]
    case_events: list[CaseEvent]
    referrals: list[Referral]
    refusals: list[Refusal]


def load_facts(conn: Connection, period: Period, services: Sequence[str] | None) -> Facts:
    projector = ReportFacts()
    current = live(conn, projector.name)
    tables = live_tables(conn, projector)
    assert current is not None
    work_t, events_t, referrals_t, enquiries_t = (
        tables.work,
        tables.case_events,
        tables.referrals,
        tables.enquiries,
    )

    def scoped(table: Any, *conditions: Any) -> Any:
        if services is not None:
            conditions = (*conditions, table.c.service.in_(list(services)))
        return and_(*conditions)

    work = [
        Work(*row)
        for row in conn.execute(
            select(*(work_t.c[name] for name in Work._fields))
            .where(scoped(work_t, work_t.c.day >= period.first, work_t.c.day <= period.last))
            .order_by(work_t.c.day, work_t.c.entry)
        )
    ]
    codes = {w.client for w in work if w.client is not None}
    clients_t = tables.clients
    clients = {
        code: ClientFacts(kind, birth_year, age_band, district)
        for code, kind, birth_year, age_band, district in conn.execute(
            select(
                clients_t.c.code,
                clients_t.c.kind,
                clients_t.c.birth_year,
                clients_t.c.age_band,
                clients_t.c.district,
            )
        )
        if code in codes
    }
    case_events = [
        CaseEvent(*row)
        for row in conn.execute(
            select(*(events_t.c[name] for name in CaseEvent._fields))
            .where(scoped(events_t, events_t.c.day <= period.last))
            .order_by(events_t.c.case, events_t.c.day, events_t.c.number)
        )
    ]
    referrals = [
        Referral(*row)
        for row in conn.execute(
            select(*(referrals_t.c[name] for name in Referral._fields))
            .where(scoped(referrals_t, referrals_t.c.day >= period.first, referrals_t.c.day <= period.last))
            .order_by(referrals_t.c.day, referrals_t.c.entry)
        )
    ]
    refusals = [
        Refusal(*row)
        for row in conn.execute(
            select(enquiries_t.c.code, enquiries_t.c.service, enquiries_t.c.refused_on, enquiries_t.c.reason)
            .where(
                scoped(
                    enquiries_t,
                    enquiries_t.c.refused_on >= period.first,
                    enquiries_t.c.refused_on <= period.last,
                )
            )
            .order_by(enquiries_t.c.refused_on, enquiries_t.c.code)
        )
    ]
    return Facts(period, current.position, work, clients, case_events, referrals, refusals)


# -- the summary, counted by the database ----------------------------------------------


def summary_counts(
    conn: Connection, period: Period, services: Sequence[str] | None, profile: Profile
) -> tuple[int, list[Section]]:
    """The summary's position and sections as ``summary`` computes them, counted by the database.

    Instead of every row of the period, a few grouped queries read what the
    figures need (through the covering indexes of ``report_facts``); ids are
    counted there (clients, cases), never brought into Python. The figures
    are the same as ``summary``'s, which still serves ``--explain``
    (tests/integration/test_report_summary_sql.py compares both, figure by
    figure).
    """
    projector = ReportFacts()
    current = live(conn, projector.name)
    assert current is not None
    counts = _SummaryCounts(conn, live_tables(conn, projector), period, services, profile)
    months = counts.work()
    districts = counts.clients()
    counts.sessions_per_case()
    counts.cases()
    counts.referrals_and_refusals()
    return current.position, _summary_sections(counts.tally, profile, months, districts)


class _SummaryCounts:
    """The grouped queries behind ``summary_counts``, each adding its figures to one tally."""

    def __init__(
        self,
        conn: Connection,
        tables: Tables,
        period: Period,
        services: Sequence[str] | None,
        profile: Profile,
    ) -> None:
        self.conn = conn
        self.tables = tables
        self.period = period
        self.services = services
        self.profile = profile
        self.tally = Tally()
        w = tables.work.c
        self.counted = self.scoped(  # the work ``counted`` keeps: sessions, and the contacts counted
            tables.work,
            w.day >= period.first,
            w.day <= period.last,
            or_(w.kind == SESSION, w.minutes >= profile.contact_min_minutes),
        )
        # The same months, for a query to read by month; the others read by client, in order (on
        # SQLite a condition on the month would have it read by month, then sort).
        self.by_month = and_(w.month >= period.first[:7], w.month <= period.last[:7])
        self.session = w.kind == SESSION
        self.intervention = and_(self.session, w.minutes >= profile.intervention_min_minutes)

    def scoped(self, table: Any, *conditions: Any) -> Any:
        if self.services is not None:
            conditions = (*conditions, table.c.service.in_(list(self.services)))
        return and_(*conditions)

    def work(self) -> set[str]:
        """Hours, sessions, interventions, contacts and clients by month and form; the months with work."""
        w = self.tables.work.c
        months: set[str] = set()
        tally = self.tally
        for month, form, clients, entries, minutes, sessions, interventions, anonymous in self.conn.execute(
            select(
                w.month,
                w.form,
                func.count(w.client.distinct()),  # None is not counted
                func.count(),
                func.sum(w.minutes * w.staff),
                func.sum(case((self.session, 1), else_=0)),
                func.sum(case((self.intervention, 1), else_=0)),
                func.sum(case((w.client.is_(None), 1), else_=0)),
            )
            .where(self.by_month, self.counted)
            .group_by(w.month, w.form)
        ):
            months.add(month)
            for column in ("total", form):
                tally.count(f"work.hours.{column}", minutes)
                tally.count(f"work.sessions.{column}", sessions)
                tally.count(f"work.interventions.{column}", interventions)
                tally.count(f"work.contacts.{column}", int(entries) - int(sessions))
            tally.count(f"months.{month}.hours-{form}", minutes)
            tally.count(f"months.{month}.clients-{form}", clients)
            tally.count("clients.anonymous-contacts.count", anonymous)
        return months

    def clients(self) -> dict[str, str]:
        """Each client once: by kind, form, district and age at their first work in the period.

        The districts' keys and the spellings shown.
        """
        work_t, clients_t = self.tables.work, self.tables.clients
        w, c = work_t.c, clients_t.c
        has_form = [
            func.max(case((w.form == form, 1), else_=0)).label(f"form_{i}") for i, form in enumerate(FORMS)
        ]
        per_client = (
            select(
                w.client,
                func.min(w.day).label("first"),
                func.sum(case((self.intervention, 1), else_=0)).label("interventions"),
                *has_form,
            )
            .where(self.counted, w.client.is_not(None))
            .group_by(w.client)
            .subquery()
        )
        p = per_client.c
        forms_had = sum((p[f"form_{i}"] for i in range(len(FORMS))), start=literal(0))
        several = case((forms_had > 1, 1), else_=0)  # from the forms had: no more reading of each row
        # Clients alike in what they are counted by; of each, how many had each form, several forms.
        kept = [c.kind, c.district, c.birth_year, c.age_band, func.substr(p.first, 1, 4)]
        groups = self.conn.execute(
            select(
                *kept,
                func.count(),
                func.sum(p.interventions),
                func.sum(several),
                *(func.sum(p[f"form_{i}"]) for i in range(len(FORMS))),
            )
            .select_from(per_client.outerjoin(clients_t, c.code == p.client))
            .group_by(*kept)
        ).all()
        stated = {  # each district as recorded (None: not stated, or no such client), as shown
            district: _district(None if district is None else ClientFacts("", None, None, district))
            for district in {district for _, district, *_ in groups}
        }
        districts = _district_spellings(self.conn, stated, work_t, clients_t, self.counted)
        tally = self.tally
        for (
            kind,
            district,
            birth_year,
            estimated,
            first_year,
            clients,
            interventions,
            several,
            *forms,
        ) in groups:
            found = None if kind is None else ClientFacts(kind, birth_year, estimated, district)
            tally.count("clients.total.count", clients)
            for form, having in zip(FORMS, forms, strict=True):
                tally.count(f"clients.{form}.count", having)
            if found is not None:
                tally.count(f"clients.{kind}.count", clients)
            tally.count("clients.more-than-one-form.count", several)
            shown = districts[district_key(stated[district])]
            tally.count(f"districts.{shown}.clients", clients)
            tally.count(f"districts.{shown}.interventions", interventions)
            band = age_band(found, int(first_year), self.profile.age_bands)
            tally.count(f"ages.{band}.clients", clients)
        return districts

    def sessions_per_case(self) -> None:
        """Cases by the number of sessions held in them in the period (a case's entries are one client's)."""
        w = self.tables.work.c
        per_case = (
            select(func.count().label("held"))
            .where(self.counted, self.session, w.case.is_not(None))
            .group_by(w.client, w.case)
            .subquery()
        )
        held = per_case.c.held
        for sessions, cases in self.conn.execute(select(held, func.count()).group_by(held)):
            bucket = next((b.label for b in self.profile.sessions_per_case if b.holds(sessions)), OTHER)
            self.tally.count(f"sessions-per-case.{bucket}.cases", cases)

    def cases(self) -> None:
        """Openings, reopenings and closings in the period; cases their last event by its end left open."""
        events_t = self.tables.case_events
        e = events_t.c
        first, last = self.period.first, self.period.last
        for kind, reason, count in self.conn.execute(
            select(e.kind, e.reason, func.count())
            .where(self.scoped(events_t, e.day >= first, e.day <= last))
            .group_by(e.kind, e.reason)
        ):
            self.tally.count(f"cases.{kind}.count", count)
            if reason:
                self.tally.count(f"cases.closed-{reason}.count", count)
        order = (e.day.desc(), e.number.desc())
        latest = (
            select(e.kind, func.row_number().over(partition_by=e.case, order_by=order).label("latest"))
            .where(self.scoped(events_t, e.day <= last))
            .subquery()
        )
        left_open = select(func.count()).where(latest.c.latest == 1, latest.c.kind != "closed")
        self.tally.count("cases.open-at-end.count", self.conn.execute(left_open).scalar_one())

    def referrals_and_refusals(self) -> None:
        referrals_t, enquiries_t = self.tables.referrals, self.tables.enquiries
        first, last = self.period.first, self.period.last
        r = referrals_t.c
        for kind, outcome, count in self.conn.execute(
            select(r.kind, r.outcome, func.count())
            .where(self.scoped(referrals_t, r.day >= first, r.day <= last))
            .group_by(r.kind, r.outcome)
        ):
            for row in (kind, "total"):
                for column in (outcome or NO_OUTCOME, "total"):
                    self.tally.count(f"referrals.{row}.{column}", count)
        q = enquiries_t.c
        for reason, count in self.conn.execute(
            select(q.reason, func.count())
            .where(self.scoped(enquiries_t, q.refused_on >= first, q.refused_on <= last))
            .group_by(q.reason)
        ):
            self.tally.count(f"refusals.{reason}.count", count)
            self.tally.count("refusals.total.count", count)


def _district_spellings(
    conn: Connection, stated: dict[str | None, str], work_t: Any, clients_t: Any, counted_work: Any
) -> dict[str, str]:
    """Each district's key and the spelling shown: as in ``summary``, the first seen in the period.

    ``stated``: each district as the clients' records hold it (None: not
    stated, or no such client), and as shown. Only a district stated in more
    than one way ("Praha 3", "praha 3") needs the order of the work: the
    period's work of the clients stating it is read in day order until each
    such district has been seen once.
    """
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    for shown in stated.values():
        spellings[district_key(shown)].add(shown)
    chosen = {key: next(iter(found)) for key, found in spellings.items() if len(found) == 1}
    pending = {key for key in spellings if key not in chosen}
    if not pending:
        return chosen
    w, c = work_t.c, clients_t.c
    raw = [district for district, shown in stated.items() if district_key(shown) in pending]
    named = [district for district in raw if district is not None]
    wanted = or_(c.district.in_(named), c.district.is_(None)) if None in raw else c.district.in_(named)
    rows = conn.execute(
        select(c.district)
        .select_from(work_t.outerjoin(clients_t, c.code == w.client))
        .where(counted_work, w.client.is_not(None), wanted)
        .order_by(w.day, w.entry)
        .execution_options(yield_per=500)
    )
    for (district,) in rows:
        key = district_key(stated[district])
        if key in pending:
            chosen[key] = stated[district]
            pending.discard(key)
            if not pending:
                break
    rows.close()
    return chosen


# -- the reports ----------------------------------------------------------------------


def summary(facts: Facts, profile: Profile, tally: Tally) -> list[Section]:
    """Clients, direct work, cases, referrals, refusals, ages, sessions per case, districts."""
    work = counted(facts.work, profile)
    forms_of: defaultdict[str, set[str]] = defaultdict(set)
    months: set[str] = set()
    districts: dict[str, str] = {}  # district_key: the spelling shown, the first seen in the period
    for item in work:
        month = item.day[:7]
        months.add(month)
        _direct_work(tally, "work", item, profile)
        tally.add(f"months.{month}.hours-{item.form}", item, item.staff_minutes)
        if item.client is None:
            tally.add("clients.anonymous-contacts.count", item)
            continue
        client = facts.clients.get(item.client)
        forms_of[item.client].add(item.form)
        tally.distinct("clients.total.count", item, item.client)
        tally.distinct(f"clients.{item.form}.count", item, item.client)
        tally.distinct(f"months.{month}.clients-{item.form}", item, item.client)
        if client is not None:
            tally.distinct(f"clients.{client.kind}.count", item, item.client)
        stated = _district(client)
        district = districts.setdefault(district_key(stated), stated)
        tally.distinct(f"districts.{district}.clients", item, item.client)
        if item.kind == SESSION and profile.is_intervention(item.minutes):
            tally.add(f"districts.{district}.interventions", item)
    for item in work:
        if item.client is not None and len(forms_of[item.client]) > 1:
            tally.distinct("clients.more-than-one-form.count", item, item.client)
    _ages(tally, work, facts.clients, profile)
    _sessions_per_case(tally, work, profile)
    _cases(tally, facts.case_events, facts.period)
    for referral in facts.referrals:
        outcome = referral.outcome or NO_OUTCOME
        for row in (referral.kind, "total"):
            for column in (outcome, "total"):
                tally.add(f"referrals.{row}.{column}", referral)
    for refusal in facts.refusals:
        tally.add(f"refusals.{refusal.reason}.count", refusal)
        tally.add("refusals.total.count", refusal)
    return _summary_sections(tally, profile, months, districts)


def _summary_sections(
    tally: Tally, profile: Profile, months: set[str], districts: dict[str, str]
) -> list[Section]:
    """The summary's sections from its tally; ``districts``: each district's key and the spelling shown."""
    kinds = [k.value for k in ClientKind]
    outcomes = [o.value for o in ReferralOutcome] + [NO_OUTCOME]
    age_rows = [b.label for b in profile.age_bands] + _if_any(tally, "ages", OTHER, "clients") + [UNKNOWN]
    per_case_rows = [b.label for b in profile.sessions_per_case]
    per_case_rows += _if_any(tally, "sessions-per-case", OTHER, "cases")
    named = sorted(set(districts.values()) - {NOT_STATED}, key=_natural)
    # The parts visibly add up: the forms to the total, each form's months to the form.
    tally.apportion("work.hours.total", [f"work.hours.{form}" for form in FORMS])
    for form in FORMS:
        tally.apportion(f"work.hours.{form}", [f"months.{month}.hours-{form}" for month in sorted(months)])
    return [
        tally.section(
            "clients",
            ["total", *FORMS, "more-than-one-form", *kinds, "anonymous-contacts"],
            ["count"],
        ),
        tally.section(
            "work", ["hours", "sessions", "interventions", "contacts"], ["total", *FORMS], hours=["hours"]
        ),
        tally.section(
            "months",
            sorted(months),
            [f"clients-{f}" for f in FORMS] + [f"hours-{f}" for f in FORMS],
            hours=[f"hours-{f}" for f in FORMS],
            data_rows=True,
        ),
        tally.section(
            "cases",
            ["opened", "reopened", "closed", *(f"closed-{r.value}" for r in CloseReason), "open-at-end"],
            ["count"],
        ),
        tally.section("referrals", [*(k.value for k in ReferralKind), "total"], [*outcomes, "total"]),
        tally.section("refusals", [*(r.value for r in RefusalReason), "total"], ["count"]),
        tally.section("ages", age_rows, ["clients"]),
        tally.section("sessions-per-case", per_case_rows, ["cases"]),
        tally.section("districts", [*named, NOT_STATED], ["clients", "interventions"], data_rows=True),
    ]


def district(facts: Facts, profile: Profile, tally: Tally, name: str) -> list[Section]:
    """The clients resident in one district and their direct work; who is left out, and how many."""
    wanted = district_key(name)
    for item in counted(facts.work, profile):
        if item.client is None:
            tally.add("left-out.anonymous-contacts.count", item)
            continue
        stated = _district(facts.clients.get(item.client))
        if stated == NOT_STATED:
            tally.distinct("left-out.clients-not-stated.count", item, item.client)
            continue
        if district_key(stated) != wanted:
            continue
        tally.distinct("district.clients.total", item, item.client)
        tally.distinct(f"district.clients.{item.form}", item, item.client)
        _direct_work(tally, "district", item, profile)
    tally.apportion("district.hours.total", [f"district.hours.{form}" for form in FORMS])
    return [
        tally.section(
            "district",
            ["clients", "interventions", "sessions", "contacts", "hours"],
            ["total", *FORMS],
            hours=["hours"],
        ),
        tally.section("left-out", ["clients-not-stated", "anonymous-contacts"], ["count"]),
    ]


def esf(facts: Facts, profile: Profile, tally: Tally, threshold_hours: float) -> list[Section]:
    """Participants at or above the threshold of client time, persons below it, anonymous apart."""
    work = counted(facts.work, profile)
    minutes: Counter[str] = Counter()
    for item in work:
        if item.client is not None and _kind(facts, item.client) != ClientKind.ANONYMOUS:
            minutes[item.client] += item.minutes
    threshold = threshold_hours * 60
    services: set[str] = set()
    for item in work:
        services.add(item.service)
        if item.client is None:
            tally.add("esf.anonymous-contacts.count", item)
            continue
        if _kind(facts, item.client) == ClientKind.ANONYMOUS:
            tally.distinct("esf.anonymous-clients.count", item, item.client)
            continue
        group = "participants" if minutes[item.client] >= threshold else "below-threshold"
        for row in (group, "persons"):
            tally.distinct(f"esf.{row}.count", item, item.client)
        tally.add("esf.client-hours.count", item, item.minutes)
        tally.distinct(f"esf-services.{item.service}.persons", item, item.client)
        tally.add(f"esf-services.{item.service}.client-hours", item, item.minutes)
    tally.apportion("esf.client-hours.count", [f"esf-services.{s}.client-hours" for s in sorted(services)])
    return [
        tally.section(
            "esf",
            [
                "participants",
                "below-threshold",
                "persons",
                "anonymous-clients",
                "anonymous-contacts",
                "client-hours",
            ],
            ["count"],
            hours=["client-hours"],
        ),
        tally.section(
            "esf-services",
            sorted(services),
            ["persons", "client-hours"],
            hours=["client-hours"],
            data_rows=True,
        ),
    ]


def _natural(text: str) -> list[Any]:
    """Praha 2 before Praha 10."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", text)
    ]


def _if_any(tally: Tally, section: str, row: str, column: str) -> list[str]:
    """A row shown only when something falls in it (ages or counts outside the profile's bands)."""
    return [row] if tally.value(f"{section}.{row}.{column}") else []


def counted(work: Iterable[Work], profile: Profile) -> list[Work]:
    """Sessions, and the contacts the profile counts at all."""
    return [w for w in work if w.kind == SESSION or profile.counts_contact(w.minutes)]


def _direct_work(tally: Tally, section: str, item: Work, profile: Profile) -> None:
    for column in ("total", item.form):
        tally.add(f"{section}.hours.{column}", item, item.staff_minutes)
        if item.kind == SESSION:
            tally.add(f"{section}.sessions.{column}", item)
            if profile.is_intervention(item.minutes):
                tally.add(f"{section}.interventions.{column}", item)
        else:
            tally.add(f"{section}.contacts.{column}", item)


def _kind(facts: Facts, client: str) -> str | None:
    found = facts.clients.get(client)
    return found.kind if found else None


def _district(client: ClientFacts | None) -> str:
    """The client's district as last stated, its spaces collapsed; NOT_STATED when they gave none."""
    stated = " ".join(client.district.split()) if client is not None and client.district else ""
    return stated or NOT_STATED


def district_key(name: str) -> str:
    """Districts are the same whatever their case or spacing: "praha  3" is "Praha 3"."""
    return " ".join(name.split()).casefold()


def _ages(tally: Tally, work: list[Work], clients: dict[str, ClientFacts], profile: Profile) -> None:
    """Each client once, in the band of their age at their first direct work in the period."""
    seen: set[str] = set()
    for item in work:  # in day order
        if item.client is None or item.client in seen:
            continue
        seen.add(item.client)
        band = age_band(clients.get(item.client), int(item.day[:4]), profile.age_bands)
        tally.distinct(f"ages.{band}.clients", item, item.client)


def age_band(client: ClientFacts | None, year: int, bands: Sequence[Band]) -> str:
    """The band of a client's age in a year (the age reached that year), from what is not personal.

    An estimated band (no year of birth) counts only when it lies within one
    of the report's bands; otherwise the age is unknown.
    """
    if client is None:
        return UNKNOWN
    if client.birth_year is not None:
        age = year - client.birth_year
        return next((b.label for b in bands if b.holds(age)), OTHER)
    if client.age_band is not None:
        estimate = Band.parse(client.age_band)
        return next((b.label for b in bands if b.within(estimate.low, estimate.high)), UNKNOWN)
    return UNKNOWN


def _sessions_per_case(tally: Tally, work: list[Work], profile: Profile) -> None:
    sessions = [w for w in work if w.kind == SESSION and w.case is not None]
    per_case = Counter(w.case for w in sessions)
    for item in sessions:
        held = per_case[item.case]
        bucket = next((b.label for b in profile.sessions_per_case if b.holds(held)), OTHER)
        tally.distinct(f"sessions-per-case.{bucket}.cases", item, item.case)


def _cases(tally: Tally, events: list[CaseEvent], period: Period) -> None:
    """Openings, reopenings and closings in the period; cases whose last event by its end left them open."""
    last: dict[str, CaseEvent] = {}
    for event in events:  # by case, day, number
        last[event.case] = event
        if event.day < period.first:
            continue
        tally.add(f"cases.{event.kind}.count", event)
        if event.reason:
            tally.add(f"cases.closed-{event.reason}.count", event)
    for event in last.values():
        if event.kind != "closed":
            tally.add("cases.open-at-end.count", event)


# -- computing a report -------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One figure and the items (entries) it counts."""

    figure: str
    value: float
    items: list[Item]


def compute(
    conn: Connection, report: str, profile: Profile, parameters: dict[str, Any], explain: str | None = None
) -> tuple[Report, Explanation | None]:
    """A report from the live projection (in the caller's snapshot), and the explanation of one figure.

    ``parameters``: ``from`` and ``to`` (ISO days, inclusive), ``services``
    (None: all), and ``district`` or ``threshold_hours`` for those reports.
    """
    period = Period(date.fromisoformat(parameters["from"]), date.fromisoformat(parameters["to"]))
    if report == SUMMARY and explain is None:
        # Only the figures: counted by the database, no entry brought into Python.
        position, sections = summary_counts(conn, period, parameters.get("services"), profile)
        return Report(report, profile, parameters, position, sections), None
    facts = load_facts(conn, period, parameters.get("services"))
    result, items = _compute(facts, report, profile, parameters, explain)
    if explain is None:
        return result, None
    figure = explain
    if figure not in result.figures:
        # ``clients.field`` for ``clients.field.count``: a section with one column.
        longer = [f for f in result.figures if f.startswith(f"{explain}.") and f.count(".") == 2]
        if len(longer) != 1:
            raise UnknownFigure(explain, list(result.figures))
        figure = longer[0]
        result, items = _compute(facts, report, profile, parameters, figure)
    return result, Explanation(figure, result.figures[figure], items)


def _compute(
    facts: Facts, report: str, profile: Profile, parameters: dict[str, Any], explain: str | None
) -> tuple[Report, list[Item]]:
    tally = Tally(explain)
    if report == SUMMARY:
        sections = summary(facts, profile, tally)
    elif report == DISTRICT:
        sections = district(facts, profile, tally, parameters["district"])
    elif report == ESF:
        sections = esf(facts, profile, tally, parameters["threshold_hours"])
    else:
        raise ValueError(f"no report {report!r}")
    return Report(report, profile, parameters, facts.position, sections), tally.items
