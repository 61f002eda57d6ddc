"""What every fact carries, and the checks of rule 4 shared by all of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from domain.errors import InvalidValue, OccurredInFuture
from domain.facts import CLOCK_SKEW, MAX_MINUTES, Stamp, check_minutes, check_text

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("minutes", [1, 50, 1439, 1440])
def test_a_duration_of_one_minute_up_to_a_whole_day_is_accepted(minutes: int) -> None:
    assert check_minutes(minutes) == minutes


def test_a_whole_day_is_the_longest_duration() -> None:
    assert MAX_MINUTES == 1440


@pytest.mark.parametrize("minutes", [0, -1, 1441, 10_000])
def test_a_duration_of_zero_or_more_than_a_day_is_refused(minutes: int) -> None:
    with pytest.raises(InvalidValue, match="between 1 and 1440") as refused:
        check_minutes(minutes)
    assert refused.value.field == "minutes"


@pytest.mark.parametrize("minutes", [True, False, 1.0, 50.5, "50", None])
def test_a_duration_that_is_not_a_whole_number_is_refused(minutes: object) -> None:
    with pytest.raises(InvalidValue, match="not a whole number") as refused:
        check_minutes(minutes)  # type: ignore[arg-type]
    assert refused.value.field == "minutes"


def test_a_stamp_accepts_the_past_and_the_present() -> None:
    stamp = Stamp("eva", uuid4(), NOW)
    assert stamp.check_past(NOW) == NOW
    assert stamp.check_past(NOW - timedelta(days=400)) == NOW - timedelta(days=400)


def test_a_stamp_allows_two_minutes_of_clock_skew_but_not_more() -> None:
    stamp = Stamp("eva", uuid4(), NOW)
    assert timedelta(minutes=2) == CLOCK_SKEW
    assert stamp.check_past(NOW + CLOCK_SKEW) == NOW + CLOCK_SKEW
    with pytest.raises(OccurredInFuture) as refused:
        stamp.check_past(NOW + CLOCK_SKEW + timedelta(seconds=1))
    assert refused.value.when == NOW + CLOCK_SKEW + timedelta(seconds=1)


def test_a_time_in_another_zone_is_compared_as_the_same_instant() -> None:
    prague_summer = timezone(timedelta(hours=2))
    stamp = Stamp("eva", uuid4(), NOW)
    assert stamp.check_past(datetime(2025, 3, 12, 12, 1, tzinfo=prague_summer)) is not None
    with pytest.raises(OccurredInFuture):
        stamp.check_past(datetime(2025, 3, 12, 12, 3, tzinfo=prague_summer))


def test_a_time_without_a_zone_is_refused() -> None:
    stamp = Stamp("eva", uuid4(), NOW)
    with pytest.raises(InvalidValue, match="no time zone"):
        stamp.check_past(datetime(2025, 3, 12, 9, 0))


def test_a_stamp_says_who_recorded_under_which_command_and_when() -> None:
    command = uuid4()
    stamp = Stamp("eva", command, NOW)
    assert stamp.fields() == {
        "recorded_by": "eva",
        "command_id": command,
        "timestamp": NOW,
        "occurred_at": NOW,
    }
    earlier = NOW - timedelta(hours=3)
    assert stamp.fields(earlier)["occurred_at"] == earlier
    assert stamp.fields(earlier)["timestamp"] == NOW


def test_single_line_text_is_trimmed_and_its_whitespace_collapsed() -> None:
    assert check_text("to", "  Psychiatrická   nemocnice\nBohnice ") == "Psychiatrická nemocnice Bohnice"


def test_multiline_text_keeps_its_lines() -> None:
    assert check_text("note", "  first line\nsecond\tline \n", multiline=True) == "first line\nsecond\tline"


def test_required_text_may_not_be_blank_but_optional_text_may() -> None:
    with pytest.raises(InvalidValue, match="is empty"):
        check_text("reason", "   ")
    assert check_text("reason", "   ", required=False) == ""


def test_text_longer_than_its_limit_is_refused() -> None:
    assert check_text("name", "x" * 10, limit=10) == "x" * 10
    with pytest.raises(InvalidValue, match="longer than 10"):
        check_text("name", "x" * 11, limit=10)


def test_control_characters_are_refused() -> None:
    with pytest.raises(InvalidValue, match="control characters"):
        check_text("note", "bell\x07", multiline=True)


def test_every_fact_class_is_made_once_not_redefined_by_the_library() -> None:
    # An event not derived from its aggregate's own Event is defined again by the library
    # (its topic unchanged), which doubles the start-up cost of making the fact classes.
    import importlib

    from eventsourcing.domain import CanMutateAggregate

    from domain.facts import Record

    modules = ["case", "client", "contact", "enquiry", "records", "report", "service", "staff"]
    aggregates = [
        value
        for name in modules
        for value in vars(importlib.import_module(f"domain.{name}")).values()
        if isinstance(value, type) and issubclass(value, Record) and value is not Record
    ]
    assert len(aggregates) >= 11
    for aggregate in aggregates:
        assert "Event" in vars(aggregate), aggregate.__name__
        for value in vars(aggregate).values():
            if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                names = [(k.__module__, k.__qualname__) for k in value.__mro__]
                assert names.count((value.__module__, value.__qualname__)) == 1, value.__qualname__
