"""The beat's one schedule: a frequent catch-up and the nightly rebuild at 02:30 Prague time."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workers.app import CATCH_UP_ALL, REBUILD_ALL, app

PRAGUE = ZoneInfo("Europe/Prague")


def test_the_beat_catches_up_every_few_seconds() -> None:
    entry = app.conf.beat_schedule["catch-up"]
    assert entry["task"] == CATCH_UP_ALL
    assert 0 < entry["schedule"] <= 10


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            datetime(2025, 1, 15, 12, 0, tzinfo=UTC),
            datetime(2025, 1, 16, 2, 30, tzinfo=PRAGUE),
        ),  # winter, CET
        (
            datetime(2025, 7, 15, 12, 0, tzinfo=UTC),
            datetime(2025, 7, 16, 2, 30, tzinfo=PRAGUE),
        ),  # summer, CEST
        (
            datetime(2025, 7, 16, 0, 15, tzinfo=UTC),
            datetime(2025, 7, 16, 2, 30, tzinfo=PRAGUE),
        ),  # 02:15 local
    ],
)
def test_the_rebuild_runs_nightly_at_half_past_two_in_prague(now: datetime, expected: datetime) -> None:
    entry = app.conf.beat_schedule["nightly-rebuild"]
    assert entry["task"] == REBUILD_ALL
    schedule = copy.copy(entry["schedule"])
    schedule.app = app
    schedule.nowfun = lambda: now.astimezone(PRAGUE)
    due_in = schedule.remaining_estimate(now.astimezone(PRAGUE) - timedelta(minutes=1))
    assert (now + due_in).astimezone(PRAGUE).replace(second=0, microsecond=0) == expected


def test_the_tasks_are_registered_under_the_names_the_nudge_uses() -> None:
    from projections.catalogue import all_projectors
    from workers.nudge import CATCH_UP, PROJECTORS, QUEUE

    assert {CATCH_UP, CATCH_UP_ALL, REBUILD_ALL} <= set(app.tasks)
    assert app.conf.task_default_queue == QUEUE
    assert [p.name for p in all_projectors()] == PROJECTORS


def test_the_nightly_rebuild_is_shared_out_into_the_configured_parts() -> None:
    from workers.app import configure
    from workers.settings import Settings

    before = copy.deepcopy(app.conf.beat_schedule["nightly-rebuild"])
    try:
        configure(Settings.from_environ({"KRONIKA_REBUILD_PARTS": "3", "KRONIKA_LANG": "en"}))
        assert app.conf.beat_schedule["nightly-rebuild"]["kwargs"] == {"parts": 3}
        configure(Settings.from_environ({"KRONIKA_LANG": "en"}))
        assert app.conf.beat_schedule["nightly-rebuild"]["kwargs"] == {"parts": 1}
    finally:
        app.conf.beat_schedule["nightly-rebuild"] = before


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5", "101"])
def test_rebuild_parts_that_are_not_a_small_whole_number_are_refused_by_name(text: str) -> None:
    from workers.settings import ConfigurationError, Settings

    with pytest.raises(ConfigurationError, match="KRONIKA_REBUILD_PARTS"):
        Settings.from_environ({"KRONIKA_REBUILD_PARTS": text, "KRONIKA_LANG": "en"})
