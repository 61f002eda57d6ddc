"""Corrections, retractions, referrals and goals through the journal (rule 5), and the history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import commands as c
from domain.errors import (
    AccessDenied,
    EntryNotCorrectable,
    EntryRetracted,
    FormNotOffered,
    InvalidValue,
    NoSuchEntry,
    NotFound,
    OccurredInFuture,
    OccurredTooEarly,
)
from domain.vocabulary import Activity, CloseReason, Form, GoalStatus, ReferralKind, ReferralOutcome

# -- corrections and retractions of case entries ----------------------------------------


def test_a_correction_is_shown_beside_the_original_with_both_values(office) -> None:
    case = office.case()
    session = office.session(case, minutes=50, note="talked about the eviction")
    correction = office.run(
        c.CorrectEntry(
            session, {"minutes": 80, "note": "talked about the eviction and debts"}, "typed 50 for 80"
        ),
        "vera",
    )
    assert (session, correction) == ("P-0001#2", "P-0001#3")
    history = office.journal.history(case, actor="vera")
    original = history.entry(2)
    assert original.recorded["minutes"] == 50
    assert original.recorded["note"] == "talked about the eviction"
    assert original.current["minutes"] == 80
    assert original.current["note"] == "talked about the eviction and debts"
    assert original.corrected_by == [3]
    fix = history.entry(3)
    assert fix.kind == "correction"
    assert fix.points_at == 2
    assert fix.recorded_by == "vera"
    assert fix.recorded["reason"] == "typed 50 for 80"
    assert fix.recorded["changes"] == {"minutes": 80, "note": "talked about the eviction and debts"}


def test_several_corrections_of_one_entry_all_point_at_it_and_the_last_value_counts(office) -> None:
    case = office.case()
    session = office.session(case, minutes=50)
    office.run(c.CorrectEntry(session, {"minutes": 60}, "first fix"), "vera")
    office.run(c.CorrectEntry(session, {"minutes": 70, "form": "field"}, "second fix"), "vera")
    original = office.journal.history(case, actor="eva").entry(2)
    assert original.corrected_by == [3, 4]
    assert (original.recorded["minutes"], original.current["minutes"]) == (50, 70)
    assert (original.recorded["form"], original.current["form"]) == ("ambulatory", "field")


def test_a_corrected_date_moves_the_entry_in_time_but_not_before_the_opening(office) -> None:
    case = office.case(days_ago=10)
    session = office.session(case)
    opened_at = office.journal.history(case, actor="eva").opened_at
    office.refused(
        c.CorrectEntry(session, {"occurred_at": opened_at - timedelta(hours=1)}, "x"),
        "vera",
        OccurredTooEarly,
    )
    when = opened_at + timedelta(days=2)
    office.run(c.CorrectEntry(session, {"occurred_at": when}, "was logged a week late"), "vera")
    original = office.journal.history(case, actor="eva").entry(2)
    assert original.current["occurred_at"] == when
    assert original.occurred_at != when


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"minutes": 0}, InvalidValue),
        ({"minutes": 1441}, InvalidValue),
        ({"form": "residential"}, FormNotOffered),
        ({"activities": ["juggling"]}, InvalidValue),
        ({"staff": ["nobody"]}, NotFound),
        ({"staff": []}, InvalidValue),
        ({"client_code": "K-0002"}, EntryNotCorrectable),
        ({}, InvalidValue),
    ],
)
def test_a_bad_correction_is_refused_and_nothing_is_written(office, changes, error) -> None:
    case = office.case()
    session = office.session(case)
    office.refused(c.CorrectEntry(session, changes, "fix"), "vera", error)


def test_a_correction_of_staff_present_names_active_staff(office) -> None:
    case = office.case()
    session = office.session(case)
    office.run(c.CorrectEntry(session, {"staff": ["jan", "eva", "jan"]}, "jan was there too"), "vera")
    assert office.journal.history(case, actor="eva").entry(2).current["staff"] == ["jan", "eva"]


def test_the_opening_and_closing_of_a_case_cannot_be_corrected_or_retracted(office) -> None:
    case = office.case()
    office.run(c.CloseCase(case, CloseReason.CLIENT_ENDED), "vera")
    for entry in (f"{case}#1", f"{case}#2"):
        office.refused(c.CorrectEntry(entry, {"occurred_at": office.now}, "x"), "vera", EntryNotCorrectable)
        office.refused(c.RetractEntry(entry, "x"), "vera", EntryNotCorrectable)


def test_a_correction_of_a_missing_entry_is_refused(office) -> None:
    case = office.case()
    assert (
        office.refused(c.CorrectEntry(f"{case}#5", {"minutes": 5}, "x"), "vera", NoSuchEntry).entry
        == "P-0001#5"
    )
    office.refused(c.RetractEntry(f"{case}#5", "x"), "vera", NoSuchEntry)
    office.refused(c.CorrectEntry("P-0002#2", {"minutes": 5}, "x"), "vera", NotFound)
    office.refused(c.CorrectEntry("P-0001", {"minutes": 5}, "x"), "vera", InvalidValue)


def test_a_correction_only_reaches_entries_of_the_case_it_names(office) -> None:
    first = office.case()
    second = office.case()
    office.session(first)  # P-0001#2; P-0002 has only its opening
    office.refused(c.CorrectEntry(f"{second}#2", {"minutes": 5}, "x"), "vera", NoSuchEntry)


def test_a_retracted_entry_stays_in_the_history_and_cannot_be_corrected(office) -> None:
    case = office.case()
    session = office.session(case)
    assert office.run(c.RetractEntry(session, "entered on the wrong case"), "vera") == "P-0001#3"
    history = office.journal.history(case, actor="eva")
    assert history.sessions == 0
    assert history.entry(2).retracted_by == 3
    assert history.entry(2).recorded["minutes"] == 50
    assert history.entry(3).points_at == 2
    assert history.entry(3).recorded["reason"] == "entered on the wrong case"
    assert (
        office.refused(c.CorrectEntry(session, {"minutes": 5}, "x"), "vera", EntryRetracted).entry == session
    )
    office.refused(c.RetractEntry(session, "again"), "vera", EntryRetracted)


def test_a_correction_or_retraction_cannot_itself_be_corrected(office) -> None:
    case = office.case()
    session = office.session(case)
    correction = office.run(c.CorrectEntry(session, {"minutes": 45}, "x"), "vera")
    office.refused(c.CorrectEntry(correction, {"reason": "y"}, "x"), "vera", EntryNotCorrectable)
    office.refused(c.RetractEntry(correction, "x"), "vera", EntryNotCorrectable)


def test_a_closed_case_is_still_corrected_by_a_supervisor(office) -> None:
    case = office.case()
    session = office.session(case)
    office.run(c.CloseCase(case, CloseReason.GOAL_MET), "vera")
    assert office.run(c.CorrectEntry(session, {"minutes": 40}, "x"), "vera") == "P-0001#4"


# -- the history as of a moment ----------------------------------------------------------


def test_the_history_as_of_a_moment_before_the_correction_shows_the_original_alone(
    clocked_office, clock
) -> None:
    office = clocked_office
    case = office.case(days_ago=3)
    session = office.session(case, minutes=50, note="first talk")
    clock.advance(hours=2)
    before_correction = clock.now
    clock.advance(days=1)
    office.run(c.CorrectEntry(session, {"minutes": 90, "note": "first long talk"}, "typo"), "vera")
    clock.advance(days=1)
    office.run(c.RetractEntry(session, "it was a phone call"), "vera")

    then = office.journal.history(case, actor="olga", purpose="quality audit", as_of=before_correction)
    assert then.as_of == before_correction
    assert [e.kind for e in then.entries] == ["opened", "session"]
    assert then.entry(2).current["minutes"] == then.entry(2).recorded["minutes"] == 50
    assert then.entry(2).current["note"] == "first talk"
    assert then.entry(2).corrected_by == []
    assert then.sessions == 1

    after_correction = office.journal.history(
        case, actor="olga", purpose="quality audit", as_of=clock.now - timedelta(hours=1)
    )
    assert [e.kind for e in after_correction.entries] == ["opened", "session", "correction"]
    assert after_correction.entry(2).current["minutes"] == 90
    assert after_correction.entry(2).retracted_by is None

    now = office.journal.history(case, actor="olga", purpose="quality audit")
    assert [e.kind for e in now.entries] == ["opened", "session", "correction", "retraction"]
    assert now.entry(2).retracted_by == 4
    assert now.sessions == 0


def test_the_history_as_of_a_moment_before_the_case_was_recorded_finds_nothing(clocked_office, clock) -> None:
    office = clocked_office
    start = clock.now
    clock.advance(days=1)
    case = office.case(days_ago=30)  # back-dated: it happened before ``start`` but was recorded after
    with pytest.raises(NotFound):
        office.journal.history(case, actor="olga", purpose="quality audit", as_of=start)


def test_each_entry_keeps_who_recorded_it_and_when_by_the_journals_clock(clocked_office, clock) -> None:
    office = clocked_office
    case = office.case(days_ago=2)
    clock.advance(hours=5)
    office.session(case, actor="jan", occurred_at=clock.now - timedelta(hours=4))
    entry = office.journal.history(case, actor="eva").entry(2)
    assert entry.recorded_by == "jan"
    assert entry.recorded_at == clock.now
    assert entry.occurred_at == clock.now - timedelta(hours=4)


def test_the_journals_clock_decides_what_is_in_the_future(clocked_office, clock) -> None:
    office = clocked_office
    case = office.case(days_ago=2)
    later = clock.now + timedelta(hours=1)
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING], occurred_at=later)
    office.refused(command, "eva", OccurredInFuture)
    clock.advance(hours=2)
    assert office.session(case, occurred_at=later) == "P-0001#2"


# -- referrals and their outcomes --------------------------------------------------------


def test_a_referral_gets_an_r_code_and_its_outcome_points_at_it(office) -> None:
    case = office.case()
    referral = office.run(
        c.MakeReferral(case, "Psychiatrická nemocnice Bohnice", ReferralKind.PSYCHIATRIC, "suicidal"), "eva"
    )
    assert referral == "R-0001"
    outcome = office.run(c.RecordReferralOutcome("r-1", ReferralOutcome.ACCEPTED), "eva")
    assert outcome == "P-0001#3"
    history = office.journal.history(case, actor="eva")
    made = history.entry(2)
    assert made.kind == "referral"
    assert made.recorded["referral"] == "R-0001"
    assert made.recorded["organisation"] == "Psychiatrická nemocnice Bohnice"
    assert made.recorded["kind"] == "psychiatric"
    assert made.recorded["reason"] == "suicidal"
    assert history.entry(3).kind == "referral-outcome"
    assert history.entry(3).points_at == 2
    assert history.entry(3).recorded["outcome"] == "accepted"


def test_referral_codes_run_across_cases(office) -> None:
    first, second = office.case(), office.case()
    assert office.run(c.MakeReferral(first, "Probační služba", ReferralKind.LEGAL), "eva") == "R-0001"
    assert office.run(c.MakeReferral(second, "Azylový dům", ReferralKind.SHELTER), "eva") == "R-0002"
    office.run(c.RecordReferralOutcome("R-0002", ReferralOutcome.NO_SHOW), "eva")
    assert office.journal.history(second, actor="eva").entry(3).points_at == 2


def test_an_outcome_for_a_missing_referral_is_refused(office) -> None:
    office.case()
    refused = office.refused(c.RecordReferralOutcome("R-0001", ReferralOutcome.ACCEPTED), "eva", NotFound)
    assert (refused.kind, refused.key) == ("referral", "R-0001")
    office.refused(c.RecordReferralOutcome("P-0001#1", ReferralOutcome.ACCEPTED), "eva", InvalidValue)


def test_an_outcome_for_a_retracted_referral_is_refused(office) -> None:
    case = office.case()
    referral = office.run(c.MakeReferral(case, "OSPOD Praha 4", ReferralKind.CHILD_PROTECTION), "eva")
    office.run(c.RetractEntry(referral, "wrong client"), "vera")
    assert office.journal.history(case, actor="eva").entry(2).retracted_by == 3
    office.refused(c.RecordReferralOutcome(referral, ReferralOutcome.ACCEPTED), "eva", EntryRetracted)


def test_a_referral_is_corrected_through_its_r_code(office) -> None:
    case = office.case()
    referral = office.run(c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC), "eva")
    office.run(
        c.CorrectEntry(referral, {"organisation": "PN Bohnice, pavilon 8", "kind": "medical"}, "x"), "vera"
    )
    made = office.journal.history(case, actor="eva").entry(2)
    assert made.current["organisation"] == "PN Bohnice, pavilon 8"
    assert made.current["kind"] == "medical"
    assert made.recorded["kind"] == "psychiatric"


def test_an_outcome_dated_before_its_referral_is_refused(office) -> None:
    case = office.case(days_ago=10)
    office.run(
        c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC, occurred_at=office.now - timedelta(days=2)),
        "eva",
    )
    office.refused(
        c.RecordReferralOutcome(
            "R-0001", ReferralOutcome.DECLINED, occurred_at=office.now - timedelta(days=3)
        ),
        "eva",
        InvalidValue,
    )


def test_an_outcome_arrives_after_the_case_was_closed(office) -> None:
    case = office.case()
    office.run(c.MakeReferral(case, "Azylový dům Naděje", ReferralKind.SHELTER), "eva")
    office.run(c.CloseCase(case, CloseReason.REFERRED), "vera")
    assert office.run(c.RecordReferralOutcome("R-0001", ReferralOutcome.ACCEPTED), "eva") == "P-0001#4"


# -- plan goals -------------------------------------------------------------------------


def test_a_goal_is_set_and_reviewed_over_time(office) -> None:
    case = office.case()
    goal = office.run(c.SetGoal(case, "Najít stabilní bydlení"), "eva")
    assert goal == "P-0001#2"
    office.run(c.ReviewGoal(goal, GoalStatus.ONGOING, "podána žádost o byt"), "eva")
    office.run(c.ReviewGoal("p-1#2", GoalStatus.ACHIEVED), "jan")
    history = office.journal.history(case, actor="eva")
    assert history.entry(2).recorded["goal"] == "Najít stabilní bydlení"
    reviews = [e for e in history.entries if e.kind == "goal-review"]
    assert [(r.points_at, r.recorded["status"]) for r in reviews] == [(2, "ongoing"), (2, "achieved")]
    assert reviews[0].recorded["note"] == "podána žádost o byt"


def test_only_a_goal_is_reviewed(office) -> None:
    case = office.case()
    session = office.session(case)
    office.refused(c.ReviewGoal(session, GoalStatus.ACHIEVED), "eva", NoSuchEntry)
    office.refused(c.ReviewGoal(f"{case}#9", GoalStatus.ACHIEVED), "eva", NoSuchEntry)


def test_a_retracted_goal_is_not_reviewed(office) -> None:
    case = office.case()
    goal = office.run(c.SetGoal(case, "Zvládnout dluhy"), "eva")
    office.run(c.RetractEntry(goal, "agreed with another client"), "vera")
    office.refused(c.ReviewGoal(goal, GoalStatus.DROPPED), "eva", EntryRetracted)


def test_a_goal_review_is_corrected_by_a_supervisor_not_a_worker(office) -> None:
    case = office.case()
    goal = office.run(c.SetGoal(case, "Zvládnout dluhy"), "eva")
    review = office.run(c.ReviewGoal(goal, GoalStatus.ACHIEVED), "eva")
    office.refused(c.CorrectEntry(review, {"status": "partly-achieved"}, "overstated"), "eva", AccessDenied)
    office.run(c.CorrectEntry(review, {"status": "partly-achieved"}, "overstated"), "vera")
    assert office.journal.history(case, actor="eva").entry(3).current["status"] == "partly-achieved"
