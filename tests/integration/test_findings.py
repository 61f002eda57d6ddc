"""Findings (the soft rules of docs/domain.md) from real journals on SQLite and PostgreSQL.

The clock starts on Monday 2025-03-03 at 08:00 UTC (09:00 in Prague). The
intervention centre IC is open Mon-Fri 08:00-16:00 with an immediate capacity
of 3; the crisis centre SOS is open nonstop.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from test_tracking import refresh  # the tests' directory is on the path

from domain import commands as c
from domain.service import SERVICE_TIME, OpeningHours
from domain.vocabulary import (
    Activity,
    Channel,
    CloseReason,
    Form,
    ReferralKind,
    ReferralOutcome,
    RefusalReason,
)
from projections.findings import (
    CORRECTION_DUE_WITHIN,
    FIRST_CONTACT_WITHIN,
    MAX_NAMED,
    OUTCOME_DUE_WITHIN,
    STALE_AFTER,
    Finding,
    Findings,
    findings,
)
from projections.store import ReadStore
from projections.tracking import live, rebuild
from workers.settings import Settings

MINUTE = timedelta(minutes=1)


def prague(day: int, hour: int, minute: int = 0, month: int = 2) -> datetime:
    """A moment of 2025 on the services' wall clock (February: CET, UTC+1)."""
    return datetime(2025, month, day, hour, minute, tzinfo=SERVICE_TIME)


class Audit:
    """Catch the findings projector up and ask it, as the audit command would."""

    def __init__(self, office: Any, store: ReadStore) -> None:
        self.office = office
        self.store = store
        self.projector = Findings()

    def __call__(self, as_of: datetime | None = None, **filters: Any) -> list[Finding]:
        refresh(self.office.journal, self.store, self.projector)
        with self.store.connect() as conn:
            current = live(conn, self.projector.name)
            assert current is not None
            tables = self.projector.tables(current.generation)
            return findings(conn, tables, as_of=as_of or self.office.now, **filters)

    def of(
        self, rule: str, as_of: datetime | None = None, **filters: Any
    ) -> list[tuple[str, tuple[str, ...]]]:
        """(subject, entries) of the findings of one rule."""
        return [(f.subject, f.entries) for f in self(as_of, **filters) if f.rule == rule]

    def rebuilt(self, page_size: int = 1000) -> int:
        return rebuild(self.office.journal, self.store, Findings(), page_size=page_size).differences


@pytest.fixture
def audit(clocked_office: Any, store_settings: Settings) -> Iterator[Audit]:
    store = ReadStore(*store_settings.read_store())  # on PostgreSQL, postgres_url drops its schema
    store.create()
    yield Audit(clocked_office, store)
    store.dispose()


def ic_case(office: Any, **attributes: object) -> str:
    return office.case("petr", "IC", days_ago=10, **attributes)


def ic_session(office: Any, case: str, at: datetime, minutes: int = 60) -> str:
    return office.session(case, "petr", occurred_at=at, minutes=minutes)


def correct(office: Any, entry: str, supervisor: str = "ivan", **changes: object) -> str:
    return office.run(c.CorrectEntry(entry, dict(changes), "fixed"), supervisor)


def retract(office: Any, entry: str, supervisor: str = "ivan") -> str:
    return office.run(c.RetractEntry(entry, "entered in error"), supervisor)


# -- outside opening hours -----------------------------------------------------------------


def test_a_session_not_entirely_within_opening_hours_is_a_finding(clocked_office, audit) -> None:
    office = clocked_office
    case = ic_case(office)
    early = ic_session(office, case, prague(25, 7, 30), 50)  # Tue 07:30-08:20
    ic_session(office, case, prague(25, 8, 0), 50)  # opens at 08:00
    ic_session(office, case, prague(25, 15, 10), 50)  # ends at 16:00 sharp
    late = ic_session(office, case, prague(25, 15, 11), 50)  # ends at 16:01
    saturday = ic_session(office, case, prague(1, 10, 0, month=3), 50)
    sos = office.case("eva", "SOS", days_ago=10)
    office.session(sos, "eva", occurred_at=prague(23, 3, 0))  # nonstop: never outside hours

    found = [f for f in audit() if f.rule == "outside-hours"]
    assert found == [
        Finding(
            "outside-hours",
            "IC",
            case,
            early,
            "session Tue 07:30-08:20, open Mon-Fri 08:00-16:00",
            (early,),
            prague(25, 7, 30),
        ),
        Finding(
            "outside-hours",
            "IC",
            case,
            late,
            "session Tue 15:11-16:01, open Mon-Fri 08:00-16:00",
            (late,),
            prague(25, 15, 11),
        ),
        Finding(
            "outside-hours",
            "IC",
            case,
            saturday,
            "session Sat 10:00-10:50, open Mon-Fri 08:00-16:00",
            (saturday,),
            prague(1, 10, 0, month=3),
        ),
    ]
    assert audit.rebuilt() == 0


def test_corrections_move_a_session_into_and_out_of_hours_and_a_retraction_drops_it(
    clocked_office, audit
) -> None:
    office = clocked_office
    case = ic_case(office)
    session = ic_session(office, case, prague(25, 7, 30), 50)
    assert audit.of("outside-hours") == [(session, (session,))]

    correct(office, session, occurred_at=prague(25, 9, 0))
    assert audit.of("outside-hours") == []

    correct(office, session, minutes=8 * 60)  # 09:00-17:00
    assert audit.of("outside-hours") == [(session, (session,))]
    assert audit()[0].detail == "session Tue 09:00-17:00, open Mon-Fri 08:00-16:00"

    correct(office, session, minutes=7 * 60)  # 09:00-16:00
    assert audit.of("outside-hours") == []

    correct(office, session, occurred_at=prague(26, 20, 0))
    assert audit.of("outside-hours") == [(session, (session,))]
    retract(office, session)
    assert audit.of("outside-hours") == []
    assert audit.rebuilt() == 0


def test_the_hours_in_force_when_the_session_was_recorded_judge_it(clocked_office, audit) -> None:
    office = clocked_office
    case = ic_case(office)
    before = ic_session(office, case, prague(1, 10, 0, month=3))  # Saturday, while closed
    office.run(c.ReconfigureService("IC", {"hours": OpeningHours.parse("Mon-Sun 08:00-16:00")}))
    after = ic_session(office, case, prague(2, 10, 0, month=3))  # Sunday, now open
    assert audit.of("outside-hours") == [(before, (before,))]
    # Each session keeps the hours it was recorded under, also when corrected.
    correct(office, before, occurred_at=prague(2, 11, 0, month=3))
    correct(office, after, occurred_at=prague(2, 7, 0, month=3))
    assert audit.of("outside-hours") == [(after, (after,)), (before, (before,))]
    assert audit.rebuilt() == 0


# -- immediate capacity --------------------------------------------------------------------


def test_more_clients_at_once_than_the_immediate_capacity_names_the_overlapping_sessions(
    clocked_office, audit
) -> None:
    office = clocked_office
    cases = [ic_case(office) for _ in range(5)]
    # Wednesday: 10:00, 10:15, 10:30, 10:45 for an hour: four clients at 10:45-11:00 (capacity 3).
    first, second, third, fourth = (
        ic_session(office, case, prague(26, 10, 15 * i)) for i, case in enumerate(cases[:4])
    )
    # 11:20-11:40 overlaps the third and fourth, but only three clients are in at once then.
    fifth = ic_session(office, cases[4], prague(26, 11, 20), 20)

    found = [f for f in audit() if f.rule == "over-capacity"]
    assert [(f.subject, f.entries) for f in found] == [
        (first, (first, second, third, fourth)),
        (second, (second, first, third, fourth)),
        (third, (third, first, second, fourth)),
        (fourth, (fourth, first, second, third)),
    ]
    assert found[0] == Finding(
        "over-capacity",
        "IC",
        cases[0],
        first,
        "4 clients in sessions at once (2025-02-26 10:45), immediate capacity 3",
        (first, second, third, fourth),
        prague(26, 10, 0),
    )
    assert fifth not in {f.subject for f in found}

    # Moving the fourth session to the afternoon ends the overlap for all of them.
    correct(office, fourth, occurred_at=prague(26, 13, 0))
    assert audit.of("over-capacity") == []
    correct(office, fourth, occurred_at=prague(26, 10, 45))
    assert len(audit.of("over-capacity")) == 4
    # Shortening the first to 10:00-10:45 leaves three at once.
    correct(office, first, minutes=45)
    assert audit.of("over-capacity") == []
    correct(office, first, minutes=60)
    assert len(audit.of("over-capacity")) == 4
    retract(office, second)
    assert audit.of("over-capacity") == []
    assert audit.rebuilt() == 0


def test_a_crowd_of_sessions_at_once_is_judged_in_one_sweep_naming_at_most_max_named(
    clocked_office, audit
) -> None:
    """Thirty clients in sessions at once, recorded in one page: every session is a finding, the
    peak is 30 and each names the first MAX_NAMED others by start (judging them used to take
    time cubic in the crowd)."""
    office = clocked_office
    cases = [ic_case(office) for _ in range(30)]
    start = prague(26, 10, 0)
    with office.journal.batch() as batch:
        entries = [
            batch.run(
                c.LogSession(
                    case,
                    120,
                    Form.AMBULATORY,
                    [Activity.CRISIS_INTERVENTION],
                    occurred_at=start + timedelta(minutes=i),
                ),
                actor="petr",
            )
            for i, case in enumerate(cases)
        ]
        batch.flush()
    found = {f.subject: f for f in audit() if f.rule == "over-capacity"}
    assert set(found) == set(entries)
    for number, entry in enumerate(entries):
        finding = found[entry]
        assert finding.detail.startswith("30 clients in sessions at once (2025-02-26 10:29)")
        others = [e for e in entries if e != entry][:MAX_NAMED]
        assert finding.entries == (entry, *sorted(others, key=_entry_order)), number
    assert audit.rebuilt(page_size=7) == 0


def _entry_order(ref: str) -> tuple[str, int]:
    case, number = ref.split("#")
    return case, int(number)


def test_capacity_counts_distinct_clients_in_half_open_intervals(clocked_office, audit) -> None:
    office = clocked_office
    a, b, cc, d, e = (ic_case(office) for _ in range(5))
    a1 = ic_session(office, a, prague(26, 10, 0))
    b1 = ic_session(office, b, prague(26, 10, 0))
    c1 = ic_session(office, cc, prague(26, 10, 0))
    ic_session(office, d, prague(26, 11, 0))  # starts as the others end: not at once
    a2 = ic_session(office, a, prague(26, 10, 30), 30)  # the same client twice counts once
    assert audit.of("over-capacity") == []

    e1 = ic_session(office, e, prague(26, 10, 59), 1)  # a fourth client in 10:59-11:00
    assert audit.of("over-capacity") == [
        (a1, (a1, a2, b1, c1, e1)),
        (b1, (b1, a1, a2, c1, e1)),
        (c1, (c1, a1, a2, b1, e1)),
        (a2, (a2, a1, b1, c1, e1)),
        (e1, (e1, a1, a2, b1, c1)),
    ]
    retract(office, e1)
    assert audit.of("over-capacity") == []
    assert audit.rebuilt() == 0


def test_a_later_page_rejudges_a_crowd_reaching_two_longest_sessions_back(clocked_office, audit) -> None:
    """The farthest a new session reaches: it overlaps a 24-hour session (the longest there is),
    whose crowd includes another 24-hour session that started almost 48 hours before the new one.
    Re-judged on a later page, the crowd must still count that one."""
    office = clocked_office
    x, y, z, w1, w2 = (ic_case(office) for _ in range(5))
    longest = 24 * 60
    z1 = ic_session(office, z, prague(26, 10, 2), longest)  # Wed 10:02 - Thu 10:02
    y1 = ic_session(office, y, prague(27, 10, 1), longest)  # Thu 10:01 - Fri 10:01
    w11 = ic_session(office, w1, prague(27, 10, 0))  # Thu 10:00 - 11:00
    w21 = ic_session(office, w2, prague(27, 10, 0))
    crowd = {(y1, (y1, z1, w11, w21)), (z1, (z1, y1, w11, w21))}  # four clients at Thu 10:01-10:02
    before = {f for f in audit() if f.rule == "over-capacity"}
    assert {(f.subject, f.entries) for f in before} >= crowd

    x1 = ic_session(office, x, prague(28, 10, 0))  # Fri 10:00 - 11:00: overlaps only y1
    after = {f for f in audit() if f.rule == "over-capacity"}
    assert after == before, "y1 was judged again with z1 in its crowd"
    assert x1 not in {f.subject for f in after}
    retract(office, w21)  # three at once: no crowd any more, for any of them
    assert audit.of("over-capacity") == []
    assert audit.rebuilt(page_size=1) == 0


# -- late corrections ----------------------------------------------------------------------


def test_a_correction_or_retraction_more_than_30_days_after_the_entry_is_a_finding(
    clocked_office, clock, audit
) -> None:
    office = clocked_office
    case = office.case("eva", "SOS", days_ago=1)
    first = office.session(case, "eva")  # P-0001#2
    second = office.session(case, "eva")  # P-0001#3
    contact = office.run(c.LogContact(Channel.PHONE, 10, service="SOS"), "eva")
    assert timedelta(days=30) == CORRECTION_DUE_WITHIN

    clock.advance(days=30)
    on_time = correct(office, first, "vera", minutes=40)
    office.run(c.CorrectEntry(contact, {"minutes": 12}, "typo"), "vera")
    assert audit.of("late-correction") == []

    clock.advance(minutes=1)
    retraction = retract(office, second, "vera")
    late = correct(office, first, "vera", minutes=45)
    office.run(c.RetractEntry(contact, "duplicate"), "vera")
    found = [f for f in audit() if f.rule == "late-correction"]
    assert [(f.subject, f.case, f.entries, f.detail) for f in found] == [
        (contact, None, (contact,), "retraction recorded 30 d 1 min after the contact (limit 30 d)"),
        (
            retraction,
            case,
            (retraction, second),
            "retraction recorded 30 d 1 min after the entry (limit 30 d)",
        ),
        (late, case, (late, first), "correction recorded 30 d 1 min after the entry (limit 30 d)"),
    ]
    assert (on_time, retraction, late) == ("P-0001#4", "P-0001#5", "P-0001#6")
    assert {f.occurred_at for f in found} == {office.now}
    assert {f.service for f in found} == {"SOS"}
    assert audit.rebuilt() == 0


# -- a minor at an adults-only service -----------------------------------------------------


def test_a_case_opened_by_override_for_a_possible_minor_at_an_adults_only_service(
    clocked_office, audit
) -> None:
    office = clocked_office

    def opened(service: str, supervisor: str, override: str | None = "agreed", **attributes: object) -> str:
        client = office.client("petr" if service == "IC" else "eva", **attributes)
        key_worker = "petr" if service == "IC" else "eva"
        return office.run(c.OpenCase(client, service, key_worker=key_worker, override=override), supervisor)

    minor = opened("IC", "ivan", birth_year=2008)  # 16 or 17 in 2025
    maybe = opened("IC", "ivan", birth_year=2007)  # 17 or 18: may be a minor
    opened("IC", "ivan", birth_year=2006)  # 18 or 19: an adult, override or not
    band = opened("IC", "ivan", age_band="15-17")
    opened("IC", "ivan")  # anonymous: nothing says a minor
    opened("IC", "ivan", override=None, birth_year=1990)
    opened("SOS", "vera", birth_year=2015)  # a child below SOS's 11, but SOS is not adults-only

    found = [f for f in audit() if f.rule == "minor-via-override"]
    assert [(f.subject, f.entries, f.detail) for f in found] == [
        (minor, (f"{minor}#1",), "opened by override for a client aged 16-17, service minimum age 18"),
        (maybe, (f"{maybe}#1",), "opened by override for a client aged 17-18, service minimum age 18"),
        (band, (f"{band}#1",), "opened by override for a client aged 15-17, service minimum age 18"),
    ]
    assert {(f.service, f.case, f.occurred_at) for f in found} == {
        ("IC", minor, office.now),
        ("IC", maybe, office.now),
        ("IC", band, office.now),
    }

    # The client's year of birth was wrong: amended, the finding goes (and comes back).
    client = office.journal.history(minor, actor="ivan").client
    office.run(c.AmendClient(client, {"birth_year": 2000}), "petr")
    assert [s for s, _ in audit.of("minor-via-override")] == [maybe, band]
    office.run(c.AmendClient(client, {"birth_year": 2009}), "petr")
    assert [s for s, _ in audit.of("minor-via-override")] == [minor, maybe, band]
    assert audit.rebuilt() == 0


# -- stale cases (measured to as_of) -------------------------------------------------------


def test_an_open_case_without_session_or_contact_for_more_than_60_days(clocked_office, clock, audit) -> None:
    office = clocked_office
    now = office.now
    worked = office.case("eva", "SOS", days_ago=5)
    session = office.session(worked, "eva", occurred_at=now - timedelta(days=2))
    quiet = office.case("eva", "SOS", days_ago=5)
    closed = office.case("eva", "SOS", days_ago=5)
    office.run(c.CloseCase(closed, CloseReason.GOAL_MET, occurred_at=now - timedelta(days=4)), "vera")
    assert timedelta(days=60) == STALE_AFTER

    opened_at = now - timedelta(days=5)
    deadline = now - timedelta(days=2) + STALE_AFTER
    assert audit.of("stale-case", as_of=opened_at + STALE_AFTER) == []
    assert audit.of("stale-case", as_of=opened_at + STALE_AFTER + MINUTE) == [(quiet, (f"{quiet}#1",))]
    assert audit.of("stale-case", as_of=deadline) == [(quiet, (f"{quiet}#1",))]
    found = audit(as_of=deadline + MINUTE)
    assert found == [
        Finding(
            "stale-case",
            "SOS",
            quiet,
            quiet,
            "no session or contact for 63 d 1 min (limit 60 d)",
            (f"{quiet}#1",),
            opened_at + STALE_AFTER,
        ),
        Finding(
            "stale-case",
            "SOS",
            worked,
            worked,
            "no session or contact for 60 d 1 min (limit 60 d)",
            (session,),
            deadline,
        ),
    ]

    # A later contact restarts the clock; corrected to an earlier date, it does not.
    contact = office.run(
        c.LogContact(Channel.PHONE, 10, case=worked, occurred_at=now - timedelta(days=1)), "eva"
    )
    assert audit.of("stale-case", as_of=deadline + MINUTE, case=worked) == []
    assert audit.of("stale-case", as_of=deadline + timedelta(days=1) + MINUTE, case=worked) == [
        (worked, (contact,))
    ]
    correct(office, contact, "vera", occurred_at=now - timedelta(days=3))
    assert audit.of("stale-case", as_of=deadline + MINUTE, case=worked) == [(worked, (session,))]
    # Retracting the session leaves the contact, three days back.
    retract(office, session, "vera")
    assert audit.of("stale-case", as_of=deadline - timedelta(days=1), case=worked) == []
    assert audit.of("stale-case", as_of=deadline - timedelta(days=1) + MINUTE, case=worked) == [
        (worked, (contact,))
    ]

    # Reopening a closed case restarts its clock.
    clock.advance(days=1)
    reopened = office.run(c.ReopenCase(closed, "the client came back"), "vera")
    assert audit.of("stale-case", as_of=office.now + STALE_AFTER, case=closed) == []
    assert audit.of("stale-case", as_of=office.now + STALE_AFTER + MINUTE, case=closed) == [
        (closed, (reopened,))
    ]
    assert audit.rebuilt() == 0


# -- referrals without outcome (measured to as_of) -----------------------------------------


def test_a_referral_without_outcome_for_more_than_30_days(clocked_office, audit) -> None:
    office = clocked_office
    now = office.now
    case = office.case("eva", "SOS", days_ago=5)
    made_at = now - timedelta(days=1)
    referral = office.run(
        c.MakeReferral(case, "Psychiatrická nemocnice", ReferralKind.PSYCHIATRIC, occurred_at=made_at), "eva"
    )
    entry = f"{case}#2"
    withdrawn = office.run(c.MakeReferral(case, "Advokát", ReferralKind.LEGAL, occurred_at=made_at), "eva")
    retract(office, withdrawn, "vera")
    assert timedelta(days=30) == OUTCOME_DUE_WITHIN

    due = made_at + OUTCOME_DUE_WITHIN
    assert audit.of("referral-without-outcome", as_of=due) == []
    assert audit(as_of=due + MINUTE) == [
        Finding(
            "referral-without-outcome",
            "SOS",
            case,
            entry,
            f"referral {referral} without outcome for 30 d 1 min (limit 30 d)",
            (entry,),
            due,
        )
    ]

    outcome = office.run(c.RecordReferralOutcome(referral, ReferralOutcome.ACCEPTED), "eva")
    assert audit.of("referral-without-outcome", as_of=due + timedelta(days=10)) == []
    retract(office, outcome, "vera")
    assert audit.of("referral-without-outcome", as_of=due + MINUTE) == [(entry, (entry,))]
    # Corrected to two days earlier, it is due two days earlier.
    correct(office, referral, "vera", occurred_at=made_at - timedelta(days=2))
    assert audit.of("referral-without-outcome", as_of=due - timedelta(days=2)) == []
    assert audit.of("referral-without-outcome", as_of=due - timedelta(days=2) + MINUTE) == [(entry, (entry,))]
    retract(office, referral, "vera")
    assert audit.of("referral-without-outcome", as_of=due + timedelta(days=100)) == []
    assert audit.rebuilt() == 0


# -- first contact after a police notice (measured to as_of) -------------------------------


def test_an_intervention_centre_first_contact_more_than_48_hours_after_the_police_notice(
    clocked_office, clock, audit
) -> None:
    office = clocked_office
    notice = office.now - timedelta(hours=1)

    def enquiry() -> str:
        return office.run(c.ReceiveEnquiry("IC", Channel.PHONE, police_notice_at=notice), "petr")

    on_time, late, refused, pending = enquiry(), enquiry(), enquiry(), enquiry()
    clock.advance(hours=60)

    def case_for(code: str, contact_after: timedelta) -> tuple[str, str]:
        client = office.client("petr", birth_year=1985)
        case = office.run(
            c.OpenCase(client, "IC", opened_at=notice + timedelta(hours=1), enquiry=code), "petr"
        )
        entry = office.run(
            c.LogContact(Channel.PHONE, 15, case=case, occurred_at=notice + contact_after), "petr"
        )
        return case, entry

    first_case, first_contact = case_for(on_time, timedelta(hours=47))
    late_case, late_contact = case_for(late, timedelta(hours=49))
    office.run(
        c.RefuseEnquiry(refused, RefusalReason.NOT_PROVIDED, occurred_at=notice + timedelta(hours=10)), "petr"
    )
    assert timedelta(hours=48) == FIRST_CONTACT_WITHIN

    deadline = notice + FIRST_CONTACT_WITHIN
    assert audit.of("late-first-contact", as_of=deadline) == []
    found = audit(as_of=deadline + MINUTE)
    assert found == [
        Finding(
            "late-first-contact",
            "IC",
            late_case,
            late,
            "first session or contact 2 d 1 h after the police notice (limit 2 d)",
            (late_contact,),
            deadline,
        ),
        Finding(
            "late-first-contact",
            "IC",
            None,
            pending,
            "no session or contact 2 d 1 min after the police notice (limit 2 d)",
            (),
            deadline,
        ),
    ]
    assert audit.of("late-first-contact", as_of=office.now, case=late_case.lower()) == [
        (late, (late_contact,))
    ]
    assert audit.of("late-first-contact", as_of=office.now, service="SOS") == []

    # Corrected to 48 hours sharp, the contact was in time.
    correct(office, late_contact, occurred_at=notice + FIRST_CONTACT_WITHIN)
    assert audit.of("late-first-contact", as_of=office.now) == [(pending, ())]
    # With its only contact retracted, the case has had no contact at all.
    retract(office, first_contact)
    assert audit.of("late-first-contact", as_of=office.now) == [(on_time, ()), (pending, ())]
    assert audit()[0].detail == "no session or contact 2 d 13 h after the police notice (limit 2 d)"
    assert audit()[0].case == first_case
    # Answered by a refusal after 50 hours: late as well.
    office.run(
        c.RefuseEnquiry(pending, RefusalReason.NO_CAPACITY, occurred_at=notice + timedelta(hours=50)), "petr"
    )
    assert [(f.subject, f.detail) for f in audit() if f.subject == pending] == [
        (pending, "refused 2 d 2 h after the police notice (limit 2 d)")
    ]
    assert audit.rebuilt() == 0


# -- the whole -----------------------------------------------------------------------------


def test_filters_order_and_a_rebuild_in_small_pages_equal_the_live_findings(
    clocked_office, clock, audit
) -> None:
    office = clocked_office
    cases = [ic_case(office) for _ in range(4)]
    sessions = [ic_session(office, case, prague(26, 10, 10 * i)) for i, case in enumerate(cases)]
    early = ic_session(office, cases[0], prague(25, 7, 0))
    assert len(audit.of("over-capacity")) == 4  # built incrementally from here on
    sos = office.case("eva", "SOS", days_ago=3)
    office.session(sos, "eva")
    referral = office.run(c.MakeReferral(sos, "Azylový dům", ReferralKind.SHELTER), "eva")
    client = office.client("petr", birth_year=2008)
    minor = office.run(c.OpenCase(client, "IC", key_worker="petr", override="with OSPOD"), "ivan")
    office.run(c.ReceiveEnquiry("IC", police_notice_at=office.now - timedelta(hours=3)), "petr")
    audit()
    clock.advance(days=31)
    correct(office, sessions[3], occurred_at=prague(26, 10, 15))
    retract(office, early)
    correct(office, sessions[1], minutes=20)  # 10:10-10:30: still four at once in 10:20-10:30
    office.run(c.RecordReferralOutcome(referral, ReferralOutcome.DECLINED), "eva")
    office.run(c.AmendClient(client, {"age_band": "15-17"}), "petr")

    found = audit()
    assert [(f.rule, f.subject) for f in found] == [
        ("over-capacity", sessions[0]),  # Feb 26 10:00
        ("over-capacity", sessions[1]),  # 10:10
        ("over-capacity", sessions[3]),  # 10:15
        ("over-capacity", sessions[2]),  # 10:20
        ("minor-via-override", minor),  # Mar 3
        ("late-first-contact", "E-0001"),  # Mar 5
        ("late-correction", f"{cases[0]}#4"),  # Apr 3, all three
        ("late-correction", f"{cases[1]}#3"),
        ("late-correction", f"{cases[3]}#3"),
    ]
    assert found[0].detail == "4 clients in sessions at once (2025-02-26 10:20), immediate capacity 3"
    assert audit(service="SOS") == []
    assert [(f.rule, f.case) for f in audit(case=minor)] == [("minor-via-override", minor)]
    assert [f.subject for f in audit(case=cases[1].lower(), service="ic")] == [
        sessions[1],
        f"{cases[1]}#3",
    ]

    before = audit()
    assert audit.rebuilt(page_size=7) == 0
    assert audit() == before
    assert audit.rebuilt() == 0
