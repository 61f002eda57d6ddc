"""A case's own rules, checked on the aggregate without any database (rules 1, 2, 4, 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.case import EntryKind
from domain.errors import (
    CaseAlreadyOpen,
    CaseClosed,
    EntryNotCorrectable,
    EntryRetracted,
    FormNotOffered,
    InvalidValue,
    NoSuchEntry,
    OccurredInFuture,
    OccurredTooEarly,
    SessionLimitReached,
)
from domain.vocabulary import (
    Activity,
    Channel,
    CloseReason,
    Form,
    GoalStatus,
    ReferralKind,
    ReferralOutcome,
)


@pytest.fixture
def sos(make_service):
    """A crisis centre allowing 12 sessions per case, ambulatory and field only."""
    return make_service()


@pytest.fixture
def case(make_case):
    return make_case()


def close(case, moments) -> int:
    return case.close(reason=CloseReason.GOAL_MET, occurred_at=moments.now, stamp=moments.later(minutes=1))


def test_an_opened_case_is_open_and_its_opening_is_entry_one(case, moments) -> None:
    assert case.is_open
    assert case.opened_at == moments.now - timedelta(days=7)
    assert case.entries[1].kind is EntryKind.OPENED
    assert case.sessions_held == 0


def test_a_case_cannot_be_opened_in_the_future(make_case, moments) -> None:
    with pytest.raises(OccurredInFuture):
        make_case(opened_at=moments.now + timedelta(hours=1))


def test_sessions_are_numbered_after_the_opening_in_the_order_recorded(case, sos, hold) -> None:
    assert [hold(case, sos) for _ in range(3)] == [2, 3, 4]
    assert case.sessions_held == 3
    assert case.entry(3).fields["minutes"] == 50


def test_a_thirteenth_session_on_a_twelve_session_case_is_refused(case, sos, hold) -> None:
    for _ in range(12):
        hold(case, sos)
    with pytest.raises(SessionLimitReached) as refused:
        hold(case, sos)
    assert (refused.value.case, refused.value.limit) == ("P-0001", 12)
    assert case.sessions_held == 12
    assert case.version == 13


def test_a_thirteenth_session_with_an_override_reason_is_held_and_the_reason_kept(case, sos, hold) -> None:
    for _ in range(12):
        hold(case, sos)
    number = hold(case, sos, override="acute suicidal risk, approved by vedoucí")
    assert number == 14
    assert case.sessions_held == 13
    held = case.collect_events()[-1]
    assert held.override == "acute suicidal risk, approved by vedoucí"  # type: ignore[attr-defined]


def test_a_blank_override_reason_is_no_override(case, sos, hold) -> None:
    for _ in range(12):
        hold(case, sos)
    with pytest.raises(SessionLimitReached):
        hold(case, sos, override="")
    with pytest.raises(InvalidValue) as refused:
        hold(case, sos, override="   ")
    assert refused.value.field == "override"


def test_a_retracted_session_frees_its_slot_under_the_limit(case, sos, hold, moments) -> None:
    for _ in range(12):
        hold(case, sos)
    case.retract(entry=5, reason="entered on the wrong case", stamp=moments.later(minutes=1))
    assert case.sessions_held == 11
    assert hold(case, sos) == 15
    with pytest.raises(SessionLimitReached):
        hold(case, sos)


def test_a_service_without_a_limit_allows_any_number_of_sessions(make_service, case, hold) -> None:
    unlimited = make_service(session_limit=None)
    for _ in range(30):
        hold(case, unlimited)
    assert case.sessions_held == 30


def test_nothing_is_logged_on_a_closed_case(case, sos, hold, moments) -> None:
    hold(case, sos)
    close(case, moments)
    when = moments.now - timedelta(hours=1)
    stamp = moments.later(minutes=1)
    with pytest.raises(CaseClosed):
        hold(case, sos)
    with pytest.raises(CaseClosed):
        case.log_contact(
            service=sos, occurred_at=when, channel=Channel.PHONE, minutes=5, form=Form.AMBULATORY, stamp=stamp
        )
    with pytest.raises(CaseClosed):
        case.make_referral(
            referral="R-0001",
            organisation="PN Bohnice",
            kind=ReferralKind.PSYCHIATRIC,
            reason="",
            occurred_at=when,
            stamp=stamp,
        )
    with pytest.raises(CaseClosed):
        case.set_goal(goal="find housing", occurred_at=when, stamp=stamp)
    with pytest.raises(CaseClosed):
        close(case, moments)
    assert case.version == 3


def test_a_reopened_case_takes_sessions_again(case, sos, hold, moments) -> None:
    close(case, moments)
    number = case.reopen(reason="client returned after a relapse", stamp=moments.later(days=1))
    assert case.is_open
    assert case.entry(number).kind is EntryKind.REOPENED
    assert hold(case, sos) == number + 1


def test_an_open_case_cannot_be_reopened(case, moments) -> None:
    with pytest.raises(CaseAlreadyOpen):
        case.reopen(reason="why not", stamp=moments.later(minutes=1))


def test_nothing_happens_in_a_case_before_it_was_opened(case, sos, hold, moments) -> None:
    opened = case.opened_at
    assert hold(case, sos, occurred_at=opened) == 2
    with pytest.raises(OccurredTooEarly) as refused:
        hold(case, sos, occurred_at=opened - timedelta(seconds=1))
    assert refused.value.opened_at == opened
    with pytest.raises(OccurredTooEarly):
        case.set_goal(goal="stabilise", occurred_at=opened - timedelta(days=1), stamp=moments.stamp())


def test_nothing_in_a_case_happens_in_the_future(case, sos, hold, moments) -> None:
    with pytest.raises(OccurredInFuture):
        hold(case, sos, occurred_at=moments.now + timedelta(minutes=3))


@pytest.mark.parametrize(
    ("minutes", "held"), [(0, False), (1, True), (1440, True), (1441, False), (True, False)]
)
def test_a_session_lasts_from_one_minute_to_a_whole_day(case, sos, hold, minutes: int, held: bool) -> None:
    if held:
        assert case.entry(hold(case, sos, minutes=minutes)).fields["minutes"] == minutes
    else:
        with pytest.raises(InvalidValue):
            hold(case, sos, minutes=minutes)
        assert case.sessions_held == 0


def test_a_session_in_a_form_the_service_does_not_offer_is_refused(case, sos, hold) -> None:
    with pytest.raises(FormNotOffered) as refused:
        hold(case, sos, form=Form.RESIDENTIAL)
    assert (refused.value.service, refused.value.form) == ("SOS", "residential")


def test_a_session_names_at_least_one_activity_and_one_staff_member(case, sos, hold) -> None:
    with pytest.raises(InvalidValue, match="activity"):
        hold(case, sos, activities=[])
    with pytest.raises(InvalidValue, match="staff"):
        hold(case, sos, staff=[])


def test_repeated_activities_and_staff_are_recorded_once(case, sos, hold) -> None:
    number = hold(
        case,
        sos,
        activities=[Activity.CRISIS_INTERVENTION, Activity.COUNSELLING, Activity.CRISIS_INTERVENTION],
        staff=["eva", "jan", "eva"],
    )
    assert case.entry(number).fields["activities"] == ["crisis-intervention", "counselling"]
    assert case.entry(number).fields["staff"] == ["eva", "jan"]


def test_a_session_note_is_kept_apart_as_personal_data(case, sos, hold) -> None:
    number = hold(case, sos, note="  Klientka popisuje násilí v rodině.  ")
    assert case.entry(number).personal == {"note": "Klientka popisuje násilí v rodině."}
    assert "note" not in case.entry(number).fields


# -- corrections and retractions (rule 5) ---------------------------------------


def test_a_correction_changes_the_current_values_and_points_back(case, sos, hold, moments) -> None:
    session = hold(case, sos, minutes=50)
    correction = case.correct(
        entry=session,
        changes={"minutes": 90, "note": "longer"},
        service=sos,
        reason="typo",
        stamp=moments.later(days=1),
    )
    assert correction == session + 1
    assert case.entry(session).fields["minutes"] == 90
    assert case.entry(session).personal["note"] == "longer"
    assert case.entry(session).corrected_by == [correction]
    assert case.entry(correction).kind is EntryKind.CORRECTION
    assert case.entry(correction).fields == {"entry": session}


def test_a_correction_that_changes_nothing_is_refused(case, sos, hold, moments) -> None:
    """Once recorded, and recorded again on every rerun."""
    session = hold(case, sos, minutes=50)
    for changes in ({"minutes": 50}, {"minutes": 50, "form": "ambulatory"}):
        with pytest.raises(InvalidValue) as refused:
            case.correct(
                entry=session, changes=changes, service=sos, reason="same", stamp=moments.later(days=1)
            )
        assert refused.value.problem == f"changes nothing: {case.code}#{session} holds these values already"
    assert case.correct(
        entry=session,
        changes={"minutes": 50, "form": "field"},
        service=sos,
        reason="x",
        stamp=moments.later(),
    )


def test_a_corrected_time_is_checked_against_the_opening_and_the_clock(case, sos, hold, moments) -> None:
    session = hold(case, sos)
    stamp = moments.later(days=1)
    with pytest.raises(OccurredTooEarly):
        case.correct(
            entry=session,
            changes={"occurred_at": case.opened_at - timedelta(days=1)},
            service=sos,
            reason="x",
            stamp=stamp,
        )
    with pytest.raises(OccurredInFuture):
        case.correct(
            entry=session,
            changes={"occurred_at": moments.now + timedelta(days=1)},
            service=sos,
            reason="x",
            stamp=stamp,
        )
    earlier = case.opened_at + timedelta(days=1)
    case.correct(
        entry=session, changes={"occurred_at": earlier}, service=sos, reason="was on Thursday", stamp=stamp
    )
    assert case.entry(session).occurred_at == earlier


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"minutes": 0}, InvalidValue),
        ({"minutes": 1441}, InvalidValue),
        ({"form": "residential"}, FormNotOffered),
        ({"form": "online"}, InvalidValue),
        ({"activities": []}, InvalidValue),
        ({"activities": ["juggling"]}, InvalidValue),
        ({"staff": []}, InvalidValue),
        ({}, InvalidValue),
    ],
)
def test_a_corrected_value_is_checked_as_strictly_as_the_original(
    case, sos, hold, moments, changes, error
) -> None:
    session = hold(case, sos)
    with pytest.raises(error):
        case.correct(
            entry=session, changes=changes, service=sos, reason="fix", stamp=moments.later(minutes=1)
        )
    assert case.version == session


@pytest.mark.parametrize("field", ["client_code", "override", "service", "referral"])
def test_fields_outside_what_a_session_may_correct_are_refused(case, sos, hold, moments, field: str) -> None:
    session = hold(case, sos)
    with pytest.raises(EntryNotCorrectable) as refused:
        case.correct(
            entry=session, changes={field: "x"}, service=sos, reason="fix", stamp=moments.later(minutes=1)
        )
    assert (refused.value.entry, refused.value.kind, refused.value.field) == (
        f"P-0001#{session}",
        "session",
        field,
    )


def test_the_opening_closing_and_corrections_themselves_cannot_be_corrected(case, sos, hold, moments) -> None:
    session = hold(case, sos)
    correction = case.correct(
        entry=session, changes={"minutes": 60}, service=sos, reason="x", stamp=moments.later(minutes=1)
    )
    for entry in (1, correction):
        with pytest.raises(EntryNotCorrectable):
            case.correct(
                entry=entry,
                changes={"occurred_at": moments.now},
                service=sos,
                reason="x",
                stamp=moments.stamp(),
            )
        with pytest.raises(EntryNotCorrectable):
            case.retract(entry=entry, reason="x", stamp=moments.stamp())


def test_a_correction_of_an_entry_that_does_not_exist_is_refused(case, sos, moments) -> None:
    with pytest.raises(NoSuchEntry) as refused:
        case.correct(entry=7, changes={"minutes": 60}, service=sos, reason="x", stamp=moments.stamp())
    assert refused.value.entry == "P-0001#7"
    with pytest.raises(NoSuchEntry):
        case.retract(entry=7, reason="x", stamp=moments.stamp())


def test_a_retracted_entry_cannot_be_corrected_or_retracted_again(case, sos, hold, moments) -> None:
    session = hold(case, sos)
    retraction = case.retract(entry=session, reason="entered in error", stamp=moments.later(minutes=1))
    assert case.entry(session).retracted
    assert case.entry(retraction).fields == {"entry": session}
    with pytest.raises(EntryRetracted) as refused:
        case.correct(entry=session, changes={"minutes": 60}, service=sos, reason="x", stamp=moments.stamp())
    assert refused.value.entry == f"P-0001#{session}"
    with pytest.raises(EntryRetracted):
        case.retract(entry=session, reason="again", stamp=moments.stamp())
    assert case.version == retraction


def test_corrections_and_retractions_are_allowed_on_a_closed_case(case, sos, hold, moments) -> None:
    first, second = hold(case, sos), hold(case, sos)
    close(case, moments)
    case.correct(entry=first, changes={"minutes": 45}, service=sos, reason="x", stamp=moments.later(days=1))
    case.retract(entry=second, reason="double entry", stamp=moments.later(days=1))
    assert case.entry(first).fields["minutes"] == 45
    assert case.sessions_held == 1


# -- referrals and goals --------------------------------------------------------


def refer(case, moments, when=None) -> int:
    return case.make_referral(
        referral="R-0001",
        organisation="Psychiatrická nemocnice Bohnice",
        kind=ReferralKind.PSYCHIATRIC,
        reason="suicidal ideation",
        occurred_at=when or moments.now - timedelta(days=2),
        stamp=moments.stamp(),
    )


def test_a_referral_outcome_points_at_its_referral(case, moments) -> None:
    referral = refer(case, moments)
    outcome = case.record_referral_outcome(
        entry=referral,
        outcome=ReferralOutcome.ACCEPTED,
        occurred_at=moments.now,
        stamp=moments.later(minutes=1),
    )
    assert case.entry(outcome).kind is EntryKind.REFERRAL_OUTCOME
    assert case.entry(outcome).fields == {"entry": referral, "outcome": "accepted"}
    assert case.entry(referral).personal == {"reason": "suicidal ideation"}


def test_an_outcome_for_an_entry_that_is_no_referral_is_refused(case, sos, hold, moments) -> None:
    session = hold(case, sos)
    for entry in (session, 1, 99):
        with pytest.raises(NoSuchEntry):
            case.record_referral_outcome(
                entry=entry, outcome=ReferralOutcome.ACCEPTED, occurred_at=moments.now, stamp=moments.stamp()
            )


def test_an_outcome_dated_before_its_referral_or_for_a_retracted_one_is_refused(case, moments) -> None:
    referral = refer(case, moments)
    with pytest.raises(InvalidValue, match="before the referral"):
        case.record_referral_outcome(
            entry=referral,
            outcome=ReferralOutcome.NO_SHOW,
            occurred_at=moments.now - timedelta(days=3),
            stamp=moments.stamp(),
        )
    case.retract(entry=referral, reason="wrong client", stamp=moments.later(minutes=1))
    with pytest.raises(EntryRetracted):
        case.record_referral_outcome(
            entry=referral, outcome=ReferralOutcome.NO_SHOW, occurred_at=moments.now, stamp=moments.stamp()
        )


def test_a_goal_is_set_reviewed_and_only_goals_are_reviewed(case, sos, hold, moments) -> None:
    goal = case.set_goal(
        goal="najít bydlení", occurred_at=moments.now - timedelta(days=1), stamp=moments.stamp()
    )
    review = case.review_goal(
        entry=goal,
        status=GoalStatus.PARTLY_ACHIEVED,
        note="ubytovna",
        occurred_at=moments.now,
        stamp=moments.later(minutes=1),
    )
    assert case.entry(goal).personal == {"goal": "najít bydlení"}
    assert case.entry(review).fields == {"entry": goal, "status": "partly-achieved"}
    session = hold(case, sos)
    with pytest.raises(NoSuchEntry):
        case.review_goal(
            entry=session, status=GoalStatus.ACHIEVED, note="", occurred_at=moments.now, stamp=moments.stamp()
        )


def test_a_goal_without_words_is_refused(case, moments) -> None:
    with pytest.raises(InvalidValue, match="goal"):
        case.set_goal(goal="   ", occurred_at=moments.now, stamp=moments.stamp())
