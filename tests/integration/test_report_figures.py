"""The funder-report figures (docs/domain.md, "Figures funders ask for") against hand-counted scenarios.

Each test records a small journal through the real commands (on SQLite and
PostgreSQL), catches the ``report_facts`` projection up in a read store of its
own, and computes a report with ``compute`` as ``kronika report`` does. Every
expected number is worked out by hand in the comments beside it; none comes
from the code under test.

The office (see conftest.py): SOS is a crisis centre (ambulatory + field, from
age 11, 12 sessions per case, workers eva and jan, supervisor vera); IC is an
intervention centre (ambulatory + field, adults only, no session limit,
worker petr, supervisor ivan). Times are on the services' wall clock
(Europe/Prague). The clock stands in January 2026, after the periods
reported on, unless a test moves it.

Profiles (profiles.toml): ``standard`` counts every session as an
intervention and every contact; ``min30`` counts only sessions of 30 minutes
or more as interventions and leaves out contacts under 10 minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from test_tracking import refresh  # the tests' directory is on the path

from domain import commands as c
from domain.client import ClientAttributes
from domain.service import SERVICE_TIME
from domain.vocabulary import (
    Activity,
    Channel,
    ClientKind,
    CloseReason,
    Form,
    ReferralKind,
    ReferralOutcome,
    RefusalReason,
)
from projections.reports.facts import ReportFacts
from projections.reports.figures import Report, compute
from projections.reports.profiles import load_profiles
from projections.reports.reproduce import Reproduction, reproduce
from projections.store import ReadStore
from tests.integration.conftest import Clock, Office
from workers.settings import Settings

AMBULATORY, FIELD = Form.AMBULATORY, Form.FIELD
YEAR_2025 = ("2025-01-01", "2025-12-31")
Q1_2025 = ("2025-01-01", "2025-03-31")
AFTER_THE_PERIODS = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
WORKER = {"SOS": "eva", "IC": "petr"}
SUPERVISOR = {"SOS": "vera", "IC": "ivan"}
PROFILES = load_profiles()


def prague(day: str, time: str = "10:00") -> datetime:
    """A moment on the services' wall clock: ``prague("2025-03-31", "23:30")``."""
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SERVICE_TIME)


class Desk:
    """The office's journal, a read store of its own, and the figures computed from them."""

    def __init__(self, office: Office, clock: Clock, store: ReadStore) -> None:
        self.office = office
        self.clock = clock
        self.store = store
        self.service_of: dict[str, str] = {}

    # -- recording ----------------------------------------------------------------

    def run(self, command: c.Command, actor: str) -> str:
        return self.office.run(command, actor)

    def client(self, **attributes: Any) -> str:
        """A pseudonymous client with these attributes; with none, an anonymous client."""
        kind = ClientKind.PSEUDONYMOUS if attributes else ClientKind.ANONYMOUS
        return self.run(c.RegisterClient(kind, ClientAttributes(**attributes)), "eva")

    def identified(self, name: str, **attributes: Any) -> str:
        return self.run(
            c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(**attributes), {"name": name}), "eva"
        )

    def case(
        self, client: str, day: str, service: str = "SOS", time: str = "09:00", actor: str | None = None
    ) -> str:
        code = self.run(c.OpenCase(client, service, opened_at=prague(day, time)), actor or WORKER[service])
        self.service_of[code] = service
        return code

    def session(
        self,
        case: str,
        day: str,
        minutes: int,
        form: Form = AMBULATORY,
        *,
        staff: list[str] | None = None,
        time: str = "10:00",
        place: str | None = None,
    ) -> str:
        return self.run(
            c.LogSession(
                case,
                minutes,
                form,
                [Activity.CRISIS_INTERVENTION],
                staff=staff or [],
                occurred_at=prague(day, time),
                district=place,
            ),
            WORKER[self.service_of[case]],
        )

    def case_contact(self, case: str, day: str, minutes: int, form: Form = AMBULATORY) -> str:
        return self.run(
            c.LogContact(Channel.PHONE, minutes, case=case, form=form, occurred_at=prague(day)),
            WORKER[self.service_of[case]],
        )

    def contact(
        self,
        day: str,
        minutes: int,
        *,
        service: str = "SOS",
        client: str | None = None,
        form: Form = AMBULATORY,
    ) -> str:
        """A contact outside any case; without ``client`` an anonymous contact."""
        return self.run(
            c.LogContact(
                Channel.PHONE, minutes, service=service, client=client, form=form, occurred_at=prague(day)
            ),
            WORKER[service],
        )

    def close(self, case: str, day: str, reason: CloseReason, time: str = "12:00") -> str:
        return self.run(c.CloseCase(case, reason, prague(day, time)), SUPERVISOR[self.service_of[case]])

    def reopen(self, case: str) -> str:
        return self.run(c.ReopenCase(case, "the client came back"), SUPERVISOR[self.service_of[case]])

    def referral(self, case: str, day: str, kind: ReferralKind) -> str:
        return self.run(
            c.MakeReferral(case, "Organisation", kind, occurred_at=prague(day)), WORKER[self.service_of[case]]
        )

    def outcome(self, referral: str, day: str, outcome: ReferralOutcome, service: str = "SOS") -> str:
        return self.run(c.RecordReferralOutcome(referral, outcome, prague(day)), WORKER[service])

    def refusal(self, received: str, refused: str, reason: RefusalReason, service: str = "SOS") -> str:
        enquiry = self.run(c.ReceiveEnquiry(service, occurred_at=prague(received, "09:00")), WORKER[service])
        return self.run(
            c.RefuseEnquiry(enquiry, reason, occurred_at=prague(refused, "11:00")), WORKER[service]
        )

    def correct(self, entry: str, service: str = "SOS", **changes: Any) -> str:
        return self.run(c.CorrectEntry(entry, changes, "entered wrongly"), SUPERVISOR[service])

    def retract(self, entry: str, service: str = "SOS") -> str:
        return self.run(c.RetractEntry(entry, "entered in error"), SUPERVISOR[service])

    # -- reading --------------------------------------------------------------------

    def figures(
        self,
        report: str = "summary",
        period: tuple[str, str] = YEAR_2025,
        *,
        profile: str = "standard",
        services: list[str] | None = None,
        **extra: Any,
    ) -> dict[str, float]:
        """The report's figures, from the projection caught up with every fact recorded so far."""
        return self.compute(report, period, profile=profile, services=services, **extra).figures

    def compute(
        self,
        report: str = "summary",
        period: tuple[str, str] = YEAR_2025,
        *,
        profile: str = "standard",
        services: list[str] | None = None,
        **extra: Any,
    ) -> Report:
        """The report as ``kronika report`` computes it; the ESF threshold defaults to the profile's."""
        refresh(self.office.journal, self.store, ReportFacts())
        rules = PROFILES.get(profile)
        if report == "esf":
            extra.setdefault("threshold_hours", rules.esf_threshold_hours)
        parameters = {"from": period[0], "to": period[1], "services": services, **extra}
        with self.store.snapshot() as conn:
            report_, _ = compute(conn, report, rules, parameters)
        return report_

    def issue(self, report: str = "summary", period: tuple[str, str] = YEAR_2025, **options: Any) -> str:
        """Compute a report and record it as issued, as ``kronika report`` does; its code."""
        computed = self.compute(report, period, **options)
        return self.run(
            c.IssueReport(
                report=computed.report,
                profile=computed.profile.as_record(),
                parameters=computed.parameters,
                position=computed.position,
                digest=computed.digest,
                figures=computed.figures,
            ),
            "admin",
        )

    def reproduce(self, code: str, explain: str | None = None) -> Reproduction:
        journal = self.office.journal
        return reproduce(journal, journal.report(code, actor="admin"), explain=explain)


@pytest.fixture
def desk(clocked_office: Office, clock: Clock, store_settings: Settings) -> Iterator[Desk]:
    clock.now = AFTER_THE_PERIODS
    store = ReadStore(*store_settings.read_store())  # on PostgreSQL, postgres_url drops its schema
    store.create()
    yield Desk(clocked_office, clock, store)
    store.dispose()


def pick(figures: dict[str, float], *names: str) -> dict[str, float]:
    return {name: figures[name] for name in names}


def test_the_shipped_profiles_are_the_ones_these_tests_assume() -> None:
    standard, min30 = PROFILES.get("standard"), PROFILES.get("min30")
    assert PROFILES.default == "standard"
    assert (standard.intervention_min_minutes, standard.contact_min_minutes) == (1, 1)
    assert (min30.intervention_min_minutes, min30.contact_min_minutes) == (30, 10)
    assert [b.label for b in standard.age_bands] == ["0-10", "11-17", "18-26", "27-64", "65+"]
    assert [b.label for b in standard.sessions_per_case] == ["1", "2", "3-5", "6-12", "13+"]
    assert standard.esf_threshold_hours == 40


# -- clients ------------------------------------------------------------------------


def test_clients_in_total_per_form_and_in_more_than_one_form_with_anonymous_contacts_apart(
    desk: Desk,
) -> None:
    k1 = desk.client(birth_year=1990)
    p1 = desk.case(k1, "2025-02-01")
    desk.session(p1, "2025-03-10", 60, AMBULATORY)
    desk.session(p1, "2025-03-12", 30, FIELD)
    k2 = desk.client(birth_year=1985)
    p2 = desk.case(k2, "2025-03-01")
    desk.session(p2, "2025-04-01", 45, AMBULATORY)
    desk.case_contact(p2, "2025-04-02", 15, AMBULATORY)
    k3 = desk.identified("Jana Malá", birth_year=1980)
    p3 = desk.case(k3, "2025-05-01", service="IC")
    desk.session(p3, "2025-05-05", 90, FIELD)
    k4 = desk.client()  # anonymous, but with a client code
    desk.contact("2025-06-01", 20, client=k4)
    desk.contact("2025-06-02", 10)  # two identical anonymous contacts: never deduplicated
    desk.contact("2025-06-02", 10)
    k5 = desk.client(birth_year=1970)  # served only in 2024: not a client of 2025
    p5 = desk.case(k5, "2024-11-01")
    desk.session(p5, "2024-12-15", 60, AMBULATORY)

    figures = desk.figures()

    assert pick(
        figures,
        "clients.total.count",
        "clients.ambulatory.count",
        "clients.field.count",
        "clients.residential.count",
        "clients.more-than-one-form.count",
        "clients.pseudonymous.count",
        "clients.identified.count",
        "clients.anonymous.count",
        "clients.anonymous-contacts.count",
    ) == {
        # k1, k2, k3, k4 (k5 had no work in 2025; contacts without a code are no clients)
        "clients.total.count": 4,
        # k1 (session 10.3.), k2 (session and contact), k4 (contact)
        "clients.ambulatory.count": 3,
        # k1 (session 12.3.), k3 (IC session)
        "clients.field.count": 2,
        "clients.residential.count": 0,
        # k1 only: 3 ambulatory + 2 field - 1 in both = 4 clients
        "clients.more-than-one-form.count": 1,
        "clients.pseudonymous.count": 2,  # k1, k2
        "clients.identified.count": 1,  # k3
        "clients.anonymous.count": 1,  # k4
        "clients.anonymous-contacts.count": 2,  # the two contacts without a client, both counted
    }


def test_a_client_counts_once_however_much_work_they_had(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990)
    p1 = desk.case(k1, "2025-01-10")
    for day in ("2025-01-13", "2025-02-13", "2025-03-13"):
        desk.session(p1, day, 50)
    desk.case_contact(p1, "2025-03-14", 5)
    desk.contact("2025-03-15", 5, client=k1)  # a contact outside the case, by the same client

    figures = desk.figures()

    assert figures["clients.total.count"] == 1
    assert figures["clients.ambulatory.count"] == 1
    assert figures["work.sessions.total"] == 3
    assert figures["work.contacts.total"] == 2


# -- direct work --------------------------------------------------------------------


def test_direct_work_hours_are_staff_minutes_per_form_and_esf_counts_client_minutes(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990)
    p1 = desk.case(k1, "2025-01-15")
    desk.session(p1, "2025-02-03", 60, AMBULATORY, staff=["eva", "jan"])  # 60 min x 2 staff = 120
    desk.session(p1, "2025-02-10", 48, FIELD, staff=["eva"])  # 48 x 1 = 48
    desk.case_contact(p1, "2025-02-11", 30, AMBULATORY)  # a contact: 30 x 1 = 30
    k2 = desk.client(birth_year=1980)
    p2 = desk.case(k2, "2025-01-20", service="IC")
    desk.session(p2, "2025-02-04", 90, AMBULATORY, staff=["petr", "ivan"])  # 90 x 2 = 180
    desk.contact("2025-02-12", 30, form=FIELD)  # anonymous contact: 30 x 1 = 30

    figures = desk.figures()

    assert pick(
        figures,
        "work.hours.total",
        "work.hours.ambulatory",
        "work.hours.field",
        "work.hours.residential",
        "work.sessions.total",
        "work.sessions.ambulatory",
        "work.sessions.field",
        "work.contacts.total",
        "work.contacts.ambulatory",
        "work.contacts.field",
        "work.interventions.total",
    ) == {
        "work.hours.total": 6.8,  # (120 + 48 + 30 + 180 + 30) = 408 min = 6.8 h
        "work.hours.ambulatory": 5.5,  # 120 + 30 + 180 = 330 min = 5.5 h
        "work.hours.field": 1.3,  # 48 + 30 = 78 min = 1.3 h
        "work.hours.residential": 0.0,
        "work.sessions.total": 3,
        "work.sessions.ambulatory": 2,
        "work.sessions.field": 1,
        "work.contacts.total": 2,  # the case contact and the anonymous one
        "work.contacts.ambulatory": 1,
        "work.contacts.field": 1,
        "work.interventions.total": 3,  # standard: every session is an intervention
    }
    esf = desk.figures("esf", services=["SOS", "IC"], threshold_hours=40.0)
    # Client time does not multiply by the staff present:
    # k1 60 + 48 + 30 = 138 min, k2 90 min; together 228 min = 3.8 h (staff time would be 6.3 h).
    assert esf["esf.client-hours.count"] == 3.8
    assert esf["esf-services.SOS.client-hours"] == 2.3  # 138 min
    assert esf["esf-services.IC.client-hours"] == 1.5  # 90 min


# -- profiles: interventions and which contacts count --------------------------------------


def test_min30_counts_interventions_from_30_minutes_and_leaves_out_contacts_under_10(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990, district="Praha 3")
    p1 = desk.case(k1, "2025-01-10")
    for day, minutes in (("2025-02-03", 29), ("2025-02-04", 30), ("2025-02-05", 47), ("2025-02-06", 10)):
        desk.session(p1, day, minutes)
    for day, minutes in (("2025-02-07", 9), ("2025-02-08", 10), ("2025-02-09", 11)):
        desk.case_contact(p1, day, minutes)
    k2 = desk.client(birth_year=1985)  # their only work: a 5-minute contact
    desk.contact("2025-02-10", 5, client=k2)
    desk.contact("2025-02-11", 5)  # anonymous
    desk.contact("2025-02-12", 12)  # anonymous

    names = (
        "work.sessions.total",
        "work.interventions.total",
        "work.contacts.total",
        "clients.anonymous-contacts.count",
        "clients.total.count",
        "work.hours.total",
        "districts.Praha 3.interventions",
        "sessions-per-case.3-5.cases",
    )
    assert pick(desk.figures(profile="standard"), *names) == {
        "work.sessions.total": 4,
        "work.interventions.total": 4,  # every session: 29, 30, 47, 10
        "work.contacts.total": 6,  # 9, 10, 11 (case), 5 (k2), 5 and 12 (anonymous)
        "clients.anonymous-contacts.count": 2,
        "clients.total.count": 2,  # k1, k2
        # sessions 29 + 30 + 47 + 10 = 116, contacts 9 + 10 + 11 + 5 + 5 + 12 = 52; 168 min = 2.8 h
        "work.hours.total": 2.8,
        "districts.Praha 3.interventions": 4,
        "sessions-per-case.3-5.cases": 1,  # p1: 4 sessions
    }
    assert pick(desk.figures(profile="min30"), *names) == {
        "work.sessions.total": 4,  # a short session is still a session
        "work.interventions.total": 2,  # 30 and 47; not 29 or 10
        "work.contacts.total": 3,  # 10, 11 and 12; the 9- and 5-minute ones are left out
        "clients.anonymous-contacts.count": 1,  # the 12-minute one
        "clients.total.count": 1,  # k1; k2's only contact (5 min) does not count
        # sessions 116 + contacts 10 + 11 + 12 = 149 min = 2.483 h -> 2.5
        "work.hours.total": 2.5,
        "districts.Praha 3.interventions": 2,
        "sessions-per-case.3-5.cases": 1,  # sessions per case counts sessions, not interventions
    }


# -- cases and the period's edges -------------------------------------------------------


def test_cases_opened_closed_by_reason_and_open_at_the_end_of_the_period(desk: Desk, clock: Clock) -> None:
    k = desk.client(birth_year=1990)
    clock.now = prague("2025-03-05", "12:00")  # a reopening is dated when it is recorded
    p7 = desk.case(k, "2025-01-10")
    desk.close(p7, "2025-02-10", CloseReason.REFERRED)
    desk.reopen(p7)  # 5.3.2025
    p6 = desk.case(k, "2024-06-01")
    desk.close(p6, "2024-09-01", CloseReason.OTHER)  # all before the period
    p2 = desk.case(k, "2024-12-01")
    desk.close(p2, "2025-01-20", CloseReason.GOAL_MET)
    desk.case(k, "2024-11-05")  # p1: opened before the period, never closed
    p3 = desk.case(k, "2025-02-01")
    clock.now = AFTER_THE_PERIODS
    desk.close(p3, "2025-03-31", CloseReason.LOST_CONTACT, time="23:30")  # the last evening of the period
    p4 = desk.case(k, "2025-03-15")
    desk.close(p4, "2025-04-01", CloseReason.CLIENT_ENDED, time="00:30")  # just after it
    desk.case(k, "2025-04-01", time="00:10")  # p5: opened just after the period

    q1 = desk.figures(period=Q1_2025)
    assert pick(
        q1,
        "cases.opened.count",
        "cases.reopened.count",
        "cases.closed.count",
        "cases.closed-goal-met.count",
        "cases.closed-client-ended.count",
        "cases.closed-lost-contact.count",
        "cases.closed-referred.count",
        "cases.closed-contract-terminated.count",
        "cases.closed-other.count",
        "cases.open-at-end.count",
    ) == {
        "cases.opened.count": 3,  # p7 (10.1.), p3 (1.2.), p4 (15.3.)
        "cases.reopened.count": 1,  # p7 (5.3.)
        "cases.closed.count": 3,  # p2 (20.1.), p7 (10.2.), p3 (31.3. 23:30)
        "cases.closed-goal-met.count": 1,  # p2
        "cases.closed-client-ended.count": 0,  # p4 closed on 1.4., after the period
        "cases.closed-lost-contact.count": 1,  # p3
        "cases.closed-referred.count": 1,  # p7
        "cases.closed-contract-terminated.count": 0,
        "cases.closed-other.count": 0,  # p6 closed in 2024
        # p1 (open since 5.11.2024), p4 (closed only on 1.4.), p7 (reopened 5.3.);
        # not p2, p3, p6 (closed), nor p5 (opened after the period)
        "cases.open-at-end.count": 3,
    }
    q2 = desk.figures(period=("2025-04-01", "2025-06-30"))
    assert pick(
        q2,
        "cases.opened.count",
        "cases.closed.count",
        "cases.closed-client-ended.count",
        "cases.open-at-end.count",
    ) == {
        "cases.opened.count": 1,  # p5 (1.4. 00:10)
        "cases.closed.count": 1,  # p4 (1.4. 00:30)
        "cases.closed-client-ended.count": 1,
        "cases.open-at-end.count": 3,  # p1, p5, p7
    }


def test_work_counts_on_the_services_wall_clock_day_within_the_period(desk: Desk) -> None:
    k = desk.client(birth_year=1990)
    p1 = desk.case(k, "2024-11-05")
    # 31.12.2024 23:50 in Prague: the day before the period.
    desk.session(p1, "2024-12-31", 100, time="23:50")
    # 1.1.2025 00:05 in Prague (still 31.12.2024 in UTC): the first day of the period.
    desk.session(p1, "2025-01-01", 40, time="00:05")
    # 31.3.2025 23:30 in Prague (summer time: 21:30 UTC): the last day of the period.
    desk.session(p1, "2025-03-31", 20, time="23:30")
    # 1.4.2025 00:15 in Prague (still 31.3. in UTC): the day after the period.
    desk.session(p1, "2025-04-01", 70, time="00:15")

    q1 = desk.figures(period=Q1_2025)
    assert q1["work.sessions.total"] == 2  # 1.1. and 31.3.
    assert q1["work.hours.total"] == 1.0  # 40 + 20 = 60 min
    assert q1["clients.total.count"] == 1
    assert q1["sessions-per-case.2.cases"] == 1
    q2 = desk.figures(period=("2025-04-01", "2025-06-30"))
    assert q2["work.sessions.total"] == 1
    assert q2["work.hours.total"] == round(70 / 60, 1)  # 70 min = 1.1666 h -> 1.2
    assert q2["work.hours.total"] == 1.2
    one_day = desk.figures(period=("2025-03-31", "2025-03-31"))
    assert one_day["work.sessions.total"] == 1  # a one-day period includes that day


# -- referrals and refusals ---------------------------------------------------------


def test_referrals_by_kind_and_current_outcome(desk: Desk) -> None:
    k = desk.client(birth_year=1990)
    p = desk.case(k, "2025-01-05")
    r1 = desk.referral(p, "2025-02-01", ReferralKind.LEGAL)
    desk.outcome(r1, "2025-02-10", ReferralOutcome.ACCEPTED)
    r2 = desk.referral(p, "2025-02-02", ReferralKind.LEGAL)
    desk.outcome(r2, "2025-02-12", ReferralOutcome.DECLINED)
    desk.referral(p, "2025-02-03", ReferralKind.LEGAL)  # r3: no outcome yet
    r4 = desk.referral(p, "2025-03-01", ReferralKind.PSYCHIATRIC)
    desk.outcome(r4, "2025-03-10", ReferralOutcome.NO_SHOW)
    r5 = desk.referral(p, "2025-03-02", ReferralKind.POLICE)
    desk.retract(r5)  # entered in error: no referral
    r7 = desk.referral(p, "2025-03-05", ReferralKind.SHELTER)
    typo = desk.outcome(r7, "2025-03-06", ReferralOutcome.ACCEPTED)
    desk.correct(typo, outcome="declined")  # the shelter in fact declined
    r8 = desk.referral(p, "2025-04-01", ReferralKind.CHILD_PROTECTION)
    wrong = desk.outcome(r8, "2025-04-05", ReferralOutcome.UNKNOWN)
    desk.retract(wrong)  # the outcome is withdrawn: none again
    r9 = desk.referral(p, "2025-04-02", ReferralKind.OTHER)
    desk.correct(r9, kind="medical")  # it was a referral to a doctor
    k2 = desk.client(birth_year=1980)
    p2 = desk.case(k2, "2024-10-01")
    r6 = desk.referral(p2, "2024-11-01", ReferralKind.MEDICAL)  # made in 2024: not this year's
    desk.outcome(r6, "2025-01-15", ReferralOutcome.ACCEPTED)

    figures = desk.figures()
    referrals = {k: v for k, v in figures.items() if k.startswith("referrals.") and v}
    assert referrals == {
        "referrals.legal.accepted": 1,  # r1
        "referrals.legal.declined": 1,  # r2
        "referrals.legal.none": 1,  # r3
        "referrals.legal.total": 3,
        "referrals.psychiatric.no-show": 1,  # r4
        "referrals.psychiatric.total": 1,
        "referrals.shelter.declined": 1,  # r7, as corrected
        "referrals.shelter.total": 1,
        "referrals.child-protection.none": 1,  # r8, its outcome retracted
        "referrals.child-protection.total": 1,
        "referrals.medical.none": 1,  # r9, as corrected (r6 was made in 2024)
        "referrals.medical.total": 1,
        # r5 (police) retracted: no police row at all
        "referrals.total.accepted": 1,  # r1
        "referrals.total.declined": 2,  # r2, r7
        "referrals.total.no-show": 1,  # r4
        "referrals.total.none": 3,  # r3, r8, r9
        "referrals.total.total": 7,  # r1, r2, r3, r4, r7, r8, r9
    }


def test_refusals_by_statutory_reason_on_the_day_of_refusal(desk: Desk) -> None:
    desk.refusal("2025-02-01", "2025-02-01", RefusalReason.NOT_PROVIDED)  # a
    desk.refusal("2025-03-01", "2025-03-02", RefusalReason.NOT_PROVIDED)  # a
    desk.refusal("2024-12-20", "2025-01-02", RefusalReason.NOT_PROVIDED)  # a: received 2024, refused 2025
    desk.refusal("2025-04-01", "2025-04-01", RefusalReason.NO_CAPACITY)  # b
    desk.refusal("2025-05-01", "2025-05-01", RefusalReason.CONTRACT_TERMINATED)  # d
    desk.refusal("2024-12-30", "2024-12-31", RefusalReason.CONTRACT_TERMINATED)  # d, but in 2024
    desk.run(c.ReceiveEnquiry("SOS", occurred_at=prague("2025-06-01")), "eva")  # never refused
    desk.refusal("2025-06-10", "2025-06-10", RefusalReason.NO_CAPACITY, service="IC")  # b at IC

    names = ["refusals.a.count", "refusals.b.count", "refusals.c.count", "refusals.d.count"]
    everything = desk.figures()
    assert pick(everything, *names, "refusals.total.count") == {
        "refusals.a.count": 3,
        "refusals.b.count": 2,  # SOS and IC
        "refusals.c.count": 0,
        "refusals.d.count": 1,  # the 2024 one is not this year's
        "refusals.total.count": 6,  # 3 + 2 + 0 + 1
    }
    sos = desk.figures(services=["SOS"])
    assert pick(sos, *names, "refusals.total.count") == {
        "refusals.a.count": 3,
        "refusals.b.count": 1,
        "refusals.c.count": 0,
        "refusals.d.count": 1,
        "refusals.total.count": 5,
    }


# -- ages and sessions per case --------------------------------------------------------


def test_age_bands_from_the_age_reached_in_the_year_or_an_estimate(desk: Desk) -> None:
    born = {
        2014: "11-17",  # 2025 - 2014 = 11
        2008: "11-17",  # 17
        2007: "18-26",  # 18
        1999: "18-26",  # 26
        1998: "27-64",  # 27
        1961: "27-64",  # 64
        1960: "65+",  # 65
    }
    for day, year in enumerate(born, start=1):
        p = desk.case(desk.client(birth_year=year), "2025-01-02")
        desk.session(p, f"2025-02-{day:02}", 50)
    for day, band in ((10, "18-26"), (11, "20-30"), (12, "65+")):  # estimated ages
        p = desk.case(desk.client(age_band=band), "2025-01-02")
        desk.session(p, f"2025-02-{day}", 50)
    anonymous = desk.client()
    desk.contact("2025-02-13", 20, client=anonymous)
    desk.contact("2025-02-14", 20)  # an anonymous contact is no client and has no age
    amended = desk.client(birth_year=2000)
    desk.run(c.AmendClient(amended, {"birth_year": 1990}), "eva")  # 25 -> 35
    desk.session(desk.case(amended, "2025-01-02"), "2025-02-15", 50)

    figures = desk.figures()
    ages = {k: v for k, v in figures.items() if k.startswith("ages.")}
    assert ages == {
        "ages.0-10.clients": 0,
        "ages.11-17.clients": 2,  # born 2014, 2008
        "ages.18-26.clients": 3,  # born 2007, 1999; estimated 18-26
        "ages.27-64.clients": 3,  # born 1998, 1961; amended to 1990
        "ages.65+.clients": 2,  # born 1960; estimated 65+
        # estimated 20-30 lies in two bands; the anonymous client has no age
        "ages.unknown.clients": 2,
    }
    assert figures["clients.total.count"] == 12  # 7 + 3 + 1 + 1: every client has one age
    assert sum(ages.values()) == figures["clients.total.count"]


def test_a_clients_age_band_is_their_age_at_the_first_work_in_the_period(desk: Desk) -> None:
    k = desk.client(birth_year=2007)
    p = desk.case(k, "2024-08-01")
    desk.session(p, "2024-09-01", 50)  # 2024 - 2007 = 17
    desk.session(p, "2025-03-01", 50)  # 2025 - 2007 = 18

    school_year = desk.figures(period=("2024-07-01", "2025-06-30"))
    assert school_year["ages.11-17.clients"] == 1  # 17 at the first session of the period
    assert school_year["ages.18-26.clients"] == 0  # counted once, not again at 18
    year_2025 = desk.figures()
    assert year_2025["ages.11-17.clients"] == 0
    assert year_2025["ages.18-26.clients"] == 1  # 18 in 2025


def test_sessions_per_case_distribution(desk: Desk) -> None:
    def case_with(
        sessions: int, service: str = "SOS", month: int = 2, opened: str = "2025-01-02"
    ) -> list[str]:
        """A case for a new client with ``sessions`` sessions on consecutive days; their entries."""
        p = desk.case(desk.client(birth_year=1990), opened, service=service)
        return [desk.session(p, f"2025-{month:02}-{day + 1:02}", 40) for day in range(sessions)]

    case_with(1)  # 1
    desk.retract(case_with(3)[-1])  # 3 sessions, one retracted: 2
    case_with(3)  # 3
    desk.retract(case_with(6)[-1])  # 6 sessions, one retracted: 5
    six = case_with(6, opened="2024-11-01")  # 6 in 2025 ...
    desk.session(six[0].split("#")[0], "2024-12-01", 40)  # ... and a 7th in 2024, before the period
    case_with(13, service="IC", month=3)  # 13: IC has no session limit
    contact_only = desk.case(desk.client(birth_year=1990), "2025-01-02")
    desk.case_contact(contact_only, "2025-02-01", 30)  # a case without sessions: not in the distribution
    old = desk.case(desk.client(birth_year=1990), "2024-06-01")
    desk.session(old, "2024-12-01", 40)  # a case whose only session was before the period: neither

    figures = desk.figures()
    per_case = {k: v for k, v in figures.items() if k.startswith("sessions-per-case.")}
    assert per_case == {
        "sessions-per-case.1.cases": 1,
        "sessions-per-case.2.cases": 1,  # 3 - 1 retracted
        "sessions-per-case.3-5.cases": 2,  # 3; and 6 - 1 retracted = 5
        "sessions-per-case.6-12.cases": 1,  # 6 in 2025 (its 7th was in 2024)
        "sessions-per-case.13+.cases": 1,  # the IC case
    }
    # 1 + 2 + 3 + 5 + 6 + 13 = 30 sessions in 2025
    assert figures["work.sessions.total"] == 30


# -- districts -----------------------------------------------------------------------------


def test_a_district_typed_in_two_spellings_is_one_district_in_the_summary_and_the_district_report(
    desk: Desk,
) -> None:
    k1 = desk.client(birth_year=1990, district="Praha 3")
    p1 = desk.case(k1, "2025-01-10")
    desk.session(p1, "2025-02-03", 50)
    k2 = desk.client(birth_year=1985, district="praha  3")  # lower case, two spaces
    p2 = desk.case(k2, "2025-01-10")
    desk.session(p2, "2025-02-04", 40)
    desk.session(p2, "2025-02-05", 40)
    k3 = desk.client(birth_year=1980, district="Praha 10")
    desk.session(desk.case(k3, "2025-01-10"), "2025-02-06", 30)

    summary = desk.figures()
    districts = {k: v for k, v in summary.items() if k.startswith("districts.")}
    assert districts == {
        # k1 and k2; shown as first seen in the period (k1's session on 3.2.)
        "districts.Praha 3.clients": 2,
        "districts.Praha 3.interventions": 3,  # k1's one session and k2's two
        "districts.Praha 10.clients": 1,  # k3
        "districts.Praha 10.interventions": 1,
        "districts.not-stated.clients": 0,
        "districts.not-stated.interventions": 0,
    }
    for asked in ("Praha 3", "PRAHA   3", "praha 3"):
        district = desk.figures("district", district=asked)
        # the same k1 and k2 as the summary's row, and the same 1 + 2 interventions
        assert district["district.clients.total"] == 2, asked
        assert district["district.interventions.total"] == 3, asked
    # From 4.2. k1 is no longer in the period: the spelling first seen is k2's.
    later = desk.figures(period=("2025-02-04", "2025-12-31"))
    assert later["districts.praha 3.clients"] == 1
    assert "districts.Praha 3.clients" not in later


def test_clients_who_stated_no_district_are_a_not_stated_row_never_dropped(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990, district="Praha 3")
    p1 = desk.case(k1, "2025-01-10")
    desk.session(p1, "2025-02-03", 50)
    desk.session(p1, "2025-02-04", 50)
    k2 = desk.client(birth_year=1985)  # pseudonymous, no district stated
    p2 = desk.case(k2, "2025-01-10")
    desk.session(p2, "2025-02-05", 40)
    desk.case_contact(p2, "2025-02-06", 15)  # a contact: direct work, but no intervention
    k3 = desk.client()  # anonymous: states nothing
    desk.contact("2025-02-07", 20, client=k3)
    desk.contact("2025-02-08", 20)  # an anonymous contact is no client: in no district row

    figures = desk.figures()
    districts = {k: v for k, v in figures.items() if k.startswith("districts.")}
    assert districts == {
        "districts.Praha 3.clients": 1,  # k1
        "districts.Praha 3.interventions": 2,
        "districts.not-stated.clients": 2,  # k2 and k3
        "districts.not-stated.interventions": 1,  # k2's session; contacts are no interventions
    }
    # Every client is in one district row: 1 + 2 = 3 clients (k1, k2, k3).
    assert figures["clients.total.count"] == 3


def test_a_clients_district_as_last_stated_is_the_one_reported(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990, district="Praha 3")
    desk.session(desk.case(k1, "2025-01-10"), "2025-02-03", 50)
    k2 = desk.client(birth_year=1985, district="Praha 5")
    desk.session(desk.case(k2, "2025-01-10"), "2025-02-04", 50)
    # Both amended after the sessions (and after the period): the report uses what is stated now.
    desk.run(c.AmendClient(k1, {"district": "Praha 10"}), "eva")
    desk.run(c.AmendClient(k2, {"district": None}), "eva")  # residence no longer stated

    figures = desk.figures()
    districts = {k: v for k, v in figures.items() if k.startswith("districts.")}
    assert districts == {
        "districts.Praha 10.clients": 1,  # k1, no longer in Praha 3
        "districts.Praha 10.interventions": 1,
        "districts.not-stated.clients": 1,  # k2, no longer in Praha 5
        "districts.not-stated.interventions": 1,
    }
    assert desk.figures("district", district="Praha 3")["district.clients.total"] == 0
    praha_10 = desk.figures("district", district="Praha 10")
    assert praha_10["district.clients.total"] == 1
    assert praha_10["left-out.clients-not-stated.count"] == 1  # k2


def test_the_district_report_counts_the_residents_direct_work_and_who_is_left_out(desk: Desk) -> None:
    k1 = desk.client(birth_year=1990, district="Praha 3")
    p1 = desk.case(k1, "2025-01-10")
    desk.session(p1, "2025-02-03", 60, AMBULATORY, staff=["eva", "jan"])  # 60 x 2 staff = 120
    desk.session(p1, "2025-02-04", 30, FIELD)  # 30
    desk.case_contact(p1, "2025-02-05", 10, AMBULATORY)  # 10
    k2 = desk.client(birth_year=1980, district="praha 3")  # the same district, another spelling
    p2 = desk.case(k2, "2025-01-10", service="IC")
    desk.session(p2, "2025-02-06", 48, FIELD)  # 48
    k3 = desk.client(birth_year=1975, district="Praha 10")  # another district: not counted, not left out
    desk.session(desk.case(k3, "2025-01-10"), "2025-02-07", 50)
    k4 = desk.client(birth_year=1970)  # no district stated
    desk.session(desk.case(k4, "2025-01-10"), "2025-02-08", 40)
    desk.contact("2025-02-09", 20, client=k4)
    k5 = desk.client()  # anonymous client: no district either
    desk.contact("2025-02-10", 15, client=k5)
    desk.contact("2025-02-11", 10)  # two anonymous contacts, no client at all
    desk.contact("2025-02-12", 10)

    figures = desk.figures("district", district="Praha 3")
    assert figures == {
        "district.clients.total": 2,  # k1, k2
        "district.clients.ambulatory": 1,  # k1
        "district.clients.field": 2,  # k1, k2
        "district.clients.residential": 0,
        "district.interventions.total": 3,  # k1's two sessions, k2's one (standard: every session)
        "district.interventions.ambulatory": 1,
        "district.interventions.field": 2,
        "district.interventions.residential": 0,
        "district.sessions.total": 3,
        "district.sessions.ambulatory": 1,
        "district.sessions.field": 2,
        "district.sessions.residential": 0,
        "district.contacts.total": 1,  # k1's contact
        "district.contacts.ambulatory": 1,
        "district.contacts.field": 0,
        "district.contacts.residential": 0,
        "district.hours.total": 3.5,  # 120 + 30 + 10 + 48 = 208 min = 3.47 h
        "district.hours.ambulatory": 2.2,  # 120 + 10 = 130 min = 2.17 h
        "district.hours.field": 1.3,  # 30 + 48 = 78 min = 1.3 h
        "district.hours.residential": 0.0,
        "left-out.clients-not-stated.count": 2,  # k4 and k5
        "left-out.anonymous-contacts.count": 2,
    }
    sos_only = desk.figures("district", district="Praha 3", services=["SOS"])
    assert sos_only["district.clients.total"] == 1  # k1; k2 was served by IC
    assert sos_only["district.hours.total"] == 2.7  # 120 + 30 + 10 = 160 min = 2.67 h


# -- corrections --------------------------------------------------------------------------


def test_a_session_corrected_out_of_the_period_or_into_another_form_counts_as_corrected(desk: Desk) -> None:
    k = desk.client(birth_year=1990)
    p = desk.case(k, "2024-12-01")
    s1 = desk.session(p, "2025-03-10", 60, AMBULATORY)
    s2 = desk.session(p, "2025-03-11", 30, AMBULATORY)
    desk.session(p, "2025-03-12", 48, FIELD)
    desk.correct(s1, occurred_at=prague("2024-12-20"))  # it happened in December 2024
    desk.correct(s2, form="field")  # it was in the field

    year_2025 = desk.figures()
    assert pick(
        year_2025,
        "work.sessions.total",
        "work.sessions.ambulatory",
        "work.sessions.field",
        "work.hours.total",
        "work.hours.ambulatory",
        "work.hours.field",
        "clients.ambulatory.count",
        "clients.field.count",
        "clients.more-than-one-form.count",
        "months.2025-03.hours-ambulatory",
        "months.2025-03.hours-field",
    ) == {
        "work.sessions.total": 2,  # s2 and s3; s1 moved to 2024
        "work.sessions.ambulatory": 0,  # s2 moved to the field
        "work.sessions.field": 2,
        "work.hours.total": 1.3,  # 30 + 48 = 78 min
        "work.hours.ambulatory": 0.0,
        "work.hours.field": 1.3,
        "clients.ambulatory.count": 0,
        "clients.field.count": 1,
        "clients.more-than-one-form.count": 0,  # without the corrections k had both forms
        "months.2025-03.hours-ambulatory": 0.0,
        "months.2025-03.hours-field": 1.3,
    }
    year_2024 = desk.figures(period=("2024-01-01", "2024-12-31"))
    assert year_2024["work.sessions.total"] == 1  # s1, on its corrected day
    assert year_2024["work.hours.ambulatory"] == 1.0  # 60 min
    assert year_2024["months.2024-12.hours-ambulatory"] == 1.0


@pytest.mark.parametrize("read_between", [False, True], ids=["corrected-in-one-catch-up", "corrected-later"])
def test_a_contact_outside_any_case_counts_as_corrected_and_not_at_all_once_retracted(
    desk: Desk, read_between: bool
) -> None:
    k = desk.client(birth_year=1990)
    c1 = desk.contact("2025-02-01", 20, client=k)
    assert c1 == "C-0001"
    c2 = desk.contact("2025-02-02", 30)  # anonymous
    c3 = desk.contact("2025-02-03", 15)  # anonymous
    if read_between:  # the contacts are projected before their corrections arrive
        assert desk.figures()["work.contacts.total"] == 3
    desk.correct(c1, minutes=50, form="field")  # 50 minutes, in the field
    desk.retract(c2)  # entered in error
    desk.correct(c3, occurred_at=prague("2024-12-30"))  # it was in December 2024

    figures = desk.figures()
    assert pick(
        figures,
        "work.contacts.total",
        "work.contacts.ambulatory",
        "work.contacts.field",
        "work.hours.total",
        "work.hours.ambulatory",
        "work.hours.field",
        "clients.total.count",
        "clients.ambulatory.count",
        "clients.field.count",
        "clients.anonymous-contacts.count",
    ) == {
        "work.contacts.total": 1,  # C-0001 only
        "work.contacts.ambulatory": 0,
        "work.contacts.field": 1,
        "work.hours.total": 0.8,  # 50 min = 0.83 h
        "work.hours.ambulatory": 0.0,
        "work.hours.field": 0.8,
        "clients.total.count": 1,  # k
        "clients.ambulatory.count": 0,
        "clients.field.count": 1,
        "clients.anonymous-contacts.count": 0,  # c2 retracted, c3 moved to 2024
    }
    assert desk.figures(period=("2024-01-01", "2024-12-31"))["clients.anonymous-contacts.count"] == 1  # c3


# -- ESF --------------------------------------------------------------------------------


def test_esf_a_person_with_exactly_40_hours_of_client_time_is_a_participant_and_one_minute_less_is_not(
    desk: Desk,
) -> None:
    at = desk.client(birth_year=1990)
    p1 = desk.case(at, "2025-01-10")
    desk.session(p1, "2025-02-03", 1440, time="00:00")
    desk.session(p1, "2025-02-04", 900, staff=["eva", "jan"])  # client time 900, not 2 x 900
    desk.case_contact(p1, "2025-02-05", 60)  # 1440 + 900 + 60 = 2,400 min = 40 h
    below = desk.client(birth_year=1985)
    p2 = desk.case(below, "2025-01-10")
    desk.session(p2, "2025-02-03", 1440, time="00:00")
    desk.session(p2, "2025-02-04", 959)  # 1440 + 959 = 2,399 min

    figures = desk.figures("esf", services=["SOS"])  # the standard profile's threshold: 40 h
    assert figures == {
        "esf.participants.count": 1,  # `at`: 2,400 min reaches 40 h
        "esf.below-threshold.count": 1,  # `below`: 2,399 min
        "esf.persons.count": 2,
        "esf.anonymous-clients.count": 0,
        "esf.anonymous-contacts.count": 0,
        "esf.client-hours.count": 80.0,  # 2,400 + 2,399 = 4,799 min = 79.98 h
        "esf-services.SOS.persons": 2,
        "esf-services.SOS.client-hours": 80.0,
    }


def test_esf_a_person_served_by_two_of_the_projects_services_counts_once_and_in_both_rows(
    desk: Desk,
) -> None:
    both = desk.client(birth_year=1990)
    p1 = desk.case(both, "2025-01-10")
    desk.session(p1, "2025-02-03", 1200, time="00:00")  # 20 h at SOS
    # IC's worker may not open a case for SOS's client (records are not shared); an admin may.
    p2 = desk.case(both, "2025-01-10", service="IC", actor="admin")
    desk.session(p2, "2025-02-04", 1200, time="00:00")  # 20 h at IC: 40 h in the project
    sos_only = desk.client(birth_year=1985)
    desk.session(desk.case(sos_only, "2025-01-10"), "2025-02-05", 600)  # 10 h

    project = desk.figures("esf", services=["SOS", "IC"])
    assert project == {
        "esf.participants.count": 1,  # `both`: 20 + 20 = 40 h across the services
        "esf.below-threshold.count": 1,  # `sos_only`
        "esf.persons.count": 2,  # `both` once, not once per service
        "esf.anonymous-clients.count": 0,
        "esf.anonymous-contacts.count": 0,
        "esf.client-hours.count": 50.0,  # 1200 + 1200 + 600 = 3,000 min
        "esf-services.IC.persons": 1,  # `both`
        "esf-services.IC.client-hours": 20.0,
        "esf-services.SOS.persons": 2,  # `both` again, and `sos_only`
        "esf-services.SOS.client-hours": 30.0,  # 1200 + 600 min
    }
    # A project of SOS alone: `both` has only SOS's 20 h there.
    sos = desk.figures("esf", services=["SOS"])
    assert (sos["esf.participants.count"], sos["esf.below-threshold.count"]) == (0, 2)


def test_esf_anonymous_clients_are_reported_apart_and_never_participants(desk: Desk) -> None:
    anonymous = desk.client()  # a client code, nothing else
    desk.contact("2025-02-03", 1440, client=anonymous)
    desk.contact("2025-02-04", 1440, client=anonymous)  # 48 h: more than the threshold, still no participant
    desk.contact("2025-02-05", 30)  # two anonymous contacts without a client
    desk.contact("2025-02-06", 30)
    k = desk.client(birth_year=1990)
    p = desk.case(k, "2025-01-10")
    desk.session(p, "2025-02-03", 1440, time="00:00")
    desk.session(p, "2025-02-04", 960, time="00:00")  # 2,400 min = 40 h

    figures = desk.figures("esf", services=["SOS"])
    assert figures == {
        "esf.participants.count": 1,  # k only
        "esf.below-threshold.count": 0,
        "esf.persons.count": 1,  # k; the anonymous client is no person of the project
        "esf.anonymous-clients.count": 1,
        "esf.anonymous-contacts.count": 2,
        "esf.client-hours.count": 40.0,  # k's 2,400 min; anonymous time is not the persons' time
        "esf-services.SOS.persons": 1,
        "esf-services.SOS.client-hours": 40.0,
    }


# -- issuing and reproducing ---------------------------------------------------------------


def test_an_issued_report_reproduces_as_issued_after_later_corrections_and_amendments(desk: Desk) -> None:
    k = desk.client(birth_year=1990, district="Praha 3")
    p = desk.case(k, "2025-01-10")
    s1 = desk.session(p, "2025-03-03", 50)
    s2 = desk.session(p, "2025-03-10", 50)
    desk.session(p, "2025-03-12", 30, FIELD, staff=["eva", "vera"])
    code = desk.issue()
    assert code == "V-0001"
    # After issuing: one session retracted, one shortened, the client moved.
    desk.retract(s1)
    desk.correct(s2, minutes=20)
    desk.run(c.AmendClient(k, {"district": "Praha 10"}), "eva")

    now = desk.figures()
    assert now["work.sessions.total"] == 2  # s2 and s3
    assert now["work.hours.total"] == 1.3  # 20 + 30 x 2 staff = 80 min = 1.33 h
    assert now["districts.Praha 10.clients"] == 1

    reproduction = desk.reproduce(code)
    assert reproduction.same
    assert reproduction.differences == []
    assert reproduction.report.position == reproduction.issued.position
    assert pick(
        reproduction.report.figures,
        "work.sessions.total",
        "work.hours.total",
        "work.hours.ambulatory",
        "work.hours.field",
        "districts.Praha 3.clients",
    ) == {
        "work.sessions.total": 3,  # as issued: s1, s2, s3
        "work.hours.total": 2.7,  # 50 + 50 + 30 x 2 = 160 min = 2.67 h
        "work.hours.ambulatory": 1.7,  # 100 min = 1.67 h
        "work.hours.field": 1.0,  # 60 min
        "districts.Praha 3.clients": 1,  # the district as stated then
    }
    assert "districts.Praha 10.clients" not in reproduction.report.figures
    explained = desk.reproduce(code, explain="work.sessions.total").explanation
    assert explained is not None
    assert explained.value == 3
    assert [item.entry for item in explained.items] == [s1, s2, f"{p}#4"]  # opened #1, sessions #2-#4


# -- rounding hours ----------------------------------------------------------------------


def test_hours_parts_add_up_to_their_total_rounded_by_the_largest_remainder(desk: Desk) -> None:
    """A total is rounded to the nearest tenth of an hour; its parts down or up so that they add up.

    In tenths of an hour (6 minutes each), rounded each on its own the parts would not add up:
    ambulatory 65 min = 10.83 -> 11, field 45 min = 7.5 -> 8, but 110 min = 18.33 -> 18.
    """
    k = desk.client(birth_year=1990, district="Praha 3")
    p1 = desk.case(k, "2025-01-05")
    desk.session(p1, "2025-01-10", 22, AMBULATORY)  # 3.67 tenths
    desk.session(p1, "2025-02-10", 22, AMBULATORY)  # 3.67
    desk.session(p1, "2025-03-10", 21, AMBULATORY)  # 3.5; 65 min in all = 10.83 tenths
    p2 = desk.case(k, "2025-01-05", service="IC", actor="admin")  # SOS's client: not IC's worker
    desk.session(p2, "2025-01-20", 45, FIELD)  # 7.5 tenths

    summary = desk.figures()
    assert pick(
        summary,
        "work.hours.total",
        "work.hours.ambulatory",
        "work.hours.field",
        "work.hours.residential",
        "months.2025-01.hours-ambulatory",
        "months.2025-02.hours-ambulatory",
        "months.2025-03.hours-ambulatory",
        "months.2025-01.hours-field",
    ) == {
        "work.hours.total": 1.8,  # 110 min = 18.33 tenths -> 18
        # 10 + 7 whole tenths = 17; the 1 missing goes to the larger remainder:
        # ambulatory .83 (not field .5)
        "work.hours.ambulatory": 1.1,
        "work.hours.field": 0.7,  # 45 min = 0.75 h, rounded down so that 1.1 + 0.7 = 1.8
        "work.hours.residential": 0.0,
        # Ambulatory's 11 tenths by month: 3 + 3 + 3 whole; the 2 missing go to January (.67,
        # the first of a tie) and February (.67), not March (.5): 0.4 + 0.4 + 0.3 = 1.1.
        "months.2025-01.hours-ambulatory": 0.4,
        "months.2025-02.hours-ambulatory": 0.4,
        "months.2025-03.hours-ambulatory": 0.3,
        "months.2025-01.hours-field": 0.7,  # field's 7 tenths, all in January
    }
    district = desk.figures("district", district="Praha 3")
    assert pick(district, "district.hours.total", "district.hours.ambulatory", "district.hours.field") == {
        "district.hours.total": 1.8,  # the same work as the summary's, the same rounding
        "district.hours.ambulatory": 1.1,
        "district.hours.field": 0.7,
    }
    esf = desk.figures("esf", services=["SOS", "IC"])
    assert pick(
        esf, "esf.client-hours.count", "esf-services.SOS.client-hours", "esf-services.IC.client-hours"
    ) == {
        "esf.client-hours.count": 1.8,  # 110 client minutes
        "esf-services.SOS.client-hours": 1.1,  # 65 min: remainder .83 gets the missing tenth
        "esf-services.IC.client-hours": 0.7,  # 45 min: remainder .5
    }


def test_hours_totals_round_halves_up_and_a_tie_between_parts_goes_to_the_first_form(desk: Desk) -> None:
    k = desk.client(birth_year=1990)
    p = desk.case(k, "2025-01-05")
    desk.session(p, "2025-01-10", 45, AMBULATORY)  # 7.5 tenths
    desk.session(p, "2025-01-11", 3, FIELD)  # 0.5 tenths

    figures = desk.figures()
    assert pick(figures, "work.hours.total", "work.hours.ambulatory", "work.hours.field") == {
        "work.hours.total": 0.8,  # 48 min = 8 tenths exactly
        # 7 + 0 whole tenths; the 1 missing goes to the first of the tied remainders (.5 and .5)
        "work.hours.ambulatory": 0.8,
        "work.hours.field": 0.0,
    }
    january = desk.figures(period=("2025-01-11", "2025-01-11"))
    assert january["work.hours.total"] == 0.1  # 3 min = 0.5 tenths: a half, rounded up
    assert january["work.hours.field"] == 0.1
