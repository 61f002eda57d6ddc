"""A case's history replayed from its facts, now and as it stood at an earlier moment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import NotFound
from domain.history import replay


@pytest.fixture
def recorded(make_case, make_service, hold, moments):
    """A case with two sessions; the first corrected a day later, the second retracted two days later.

    Returns the case's events and the moments at which each stage was recorded.
    """
    sos = make_service()
    case = make_case()
    opened = moments.now
    first = hold(case, sos, minutes=50, note="first talk")
    second = hold(case, sos, minutes=30)
    sessions_recorded = moments.now
    case.correct(
        entry=first,
        changes={"minutes": 80, "note": "first long talk"},
        service=sos,
        reason="typo",
        stamp=moments.later(days=1),
    )
    corrected = moments.now
    case.retract(entry=second, reason="entered on the wrong case", stamp=moments.later(days=1))
    retracted = moments.now
    assert (first, second) == (2, 3)
    return case.collect_events(), {
        "opened": opened,
        "sessions": sessions_recorded,
        "corrected": corrected,
        "retracted": retracted,
    }


def test_the_full_history_shows_the_original_beside_its_correction(recorded) -> None:
    events, _ = recorded
    history = replay(events, as_of=None)
    assert [e.kind for e in history.entries] == ["opened", "session", "session", "correction", "retraction"]
    original = history.entry(2)
    assert original.recorded["minutes"] == 50
    assert original.recorded["note"] == "first talk"
    assert original.current["minutes"] == 80
    assert original.current["note"] == "first long talk"
    assert original.corrected_by == [4]
    correction = history.entry(4)
    assert correction.points_at == 2
    assert correction.recorded["changes"] == {"minutes": 80, "note": "first long talk"}
    assert correction.recorded["reason"] == "typo"


def test_a_retracted_entry_is_still_shown_and_says_what_retracted_it(recorded) -> None:
    events, _ = recorded
    history = replay(events, as_of=None)
    assert history.entry(3).retracted_by == 5
    assert history.entry(3).recorded["minutes"] == 30
    assert history.entry(5).points_at == 3
    assert history.sessions == 1


def test_the_history_as_of_a_moment_before_the_correction_shows_the_original_alone(recorded) -> None:
    events, moments = recorded
    history = replay(events, as_of=moments["corrected"] - timedelta(seconds=1))
    assert [e.number for e in history.entries] == [1, 2, 3]
    session = history.entry(2)
    assert session.current["minutes"] == session.recorded["minutes"] == 50
    assert session.corrected_by == []
    assert history.entry(3).retracted_by is None
    assert history.sessions == 2
    assert history.as_of == moments["corrected"] - timedelta(seconds=1)


def test_the_history_as_of_the_moment_of_the_correction_includes_it(recorded) -> None:
    events, moments = recorded
    history = replay(events, as_of=moments["corrected"])
    assert [e.number for e in history.entries] == [1, 2, 3, 4]
    assert history.entry(2).current["minutes"] == 80
    assert history.entry(3).retracted_by is None


def test_the_history_as_of_a_moment_before_the_case_was_recorded_finds_no_case(recorded) -> None:
    events, moments = recorded
    with pytest.raises(NotFound):
        replay(events, as_of=moments["opened"] - timedelta(seconds=1))


def test_each_entry_says_who_recorded_it_when_and_when_it_happened(recorded) -> None:
    events, moments = recorded
    history = replay(events, as_of=None)
    opening = history.entry(1)
    assert opening.ref == "P-0001#1"
    assert opening.recorded_by == "eva"
    assert opening.recorded_at == moments["opened"]
    assert opening.occurred_at == moments["opened"] - timedelta(days=7)
    assert history.entry(2).occurred_at == moments["sessions"] - timedelta(hours=1)
    assert history.entry(4).recorded_at == moments["corrected"]
    assert (history.case, history.client, history.service, history.key_worker) == (
        "P-0001",
        "K-0001",
        "SOS",
        "eva",
    )
    assert history.is_open
