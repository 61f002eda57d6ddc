"""What a service is registered as: opening hours and the checked parameters."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.service import OpeningHours, OpeningSpan, Service, ServiceParameters
from domain.vocabulary import Form, ServiceType

# 2025-03-10 is a Monday.
MONDAY = 10


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute)


def test_weekday_hours_parse_into_a_span_of_monday_to_friday() -> None:
    hours = OpeningHours.parse("Mon-Fri 09:00-17:00")
    assert hours.spans == (OpeningSpan((0, 1, 2, 3, 4), time(9), time(17)),)
    assert not hours.is_nonstop


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("Mon-Fri 09:00-17:00", "Mon-Fri 09:00-17:00"),
        ("mon-fri 9:00-17:00", "Mon-Fri 09:00-17:00"),
        ("MON - FRI 9:00 - 17:00", "Mon-Fri 09:00-17:00"),
        ("Mon-Fri 09:00-17:00, Sat 10:00-12:00", "Mon-Fri 09:00-17:00, Sat 10:00-12:00"),
        ("Mon-Thu 8:00-16:30; Fri 8:00-14:00", "Mon-Thu 08:00-16:30, Fri 08:00-14:00"),
        ("Sun-Sun 10:00-11:00", "Sun 10:00-11:00"),
        ("nonstop", "nonstop"),
        ("NONSTOP", "nonstop"),
        ("24/7", "nonstop"),
    ],
)
def test_opening_hours_are_written_back_in_one_normal_form(typed: str, normal: str) -> None:
    hours = OpeningHours.parse(typed)
    assert str(hours) == normal
    assert OpeningHours.parse(str(hours)) == hours


@pytest.mark.parametrize(
    "typed",
    [
        "",
        " , ; ",
        "Mon-Fri",
        "9:00-17:00",
        "Mon-Fri 09:00",
        "Mon-Fri 9-17",
        "Mo-Fr 09:00-17:00",
        "Pon-Pát 09:00-17:00",
        "Mon-Fri 25:00-26:00",
        "Mon-Fri 09:60-17:00",
        "Mon-Fri 20:00-24:00",
        "always",
    ],
)
def test_unreadable_opening_hours_are_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        OpeningHours.parse(typed)
    assert refused.value.field == "hours"


@pytest.mark.parametrize("typed", ["Fri-Mon 09:00-17:00", "Mon 17:00-09:00", "Mon 09:00-09:00"])
def test_a_span_that_ends_before_it_starts_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue, match="ends before it starts"):
        OpeningHours.parse(typed)


def test_a_weekday_service_is_open_from_the_opening_minute_until_just_before_closing() -> None:
    hours = OpeningHours.parse("Mon-Fri 09:00-17:00")
    assert not hours.is_open(at(MONDAY, 8, 59))
    assert hours.is_open(at(MONDAY, 9, 0))
    assert hours.is_open(at(MONDAY + 4, 16, 59))  # Friday
    assert not hours.is_open(at(MONDAY + 4, 17, 0))
    assert not hours.is_open(at(MONDAY + 5, 10, 0))  # Saturday
    assert not hours.is_open(at(MONDAY + 6, 10, 0))  # Sunday


def test_each_span_of_split_hours_counts_on_its_own_days() -> None:
    hours = OpeningHours.parse("Mon-Fri 09:00-17:00, Sat 10:00-12:00")
    assert hours.is_open(at(MONDAY + 5, 11, 0))
    assert not hours.is_open(at(MONDAY + 5, 13, 0))
    assert hours.is_open(at(MONDAY + 2, 13, 0))


def test_a_nonstop_service_is_always_open() -> None:
    hours = OpeningHours.parse("nonstop")
    assert hours.is_nonstop
    assert all(hours.is_open(at(MONDAY + d, h)) for d in range(7) for h in (0, 3, 12, 23))


@given(
    first=st.integers(0, 6),
    length=st.integers(0, 6),
    opens=st.integers(0, 23 * 60 - 1),
    span=st.integers(1, 60),
)
def test_any_valid_span_survives_a_round_trip_through_its_text(
    first: int, length: int, opens: int, span: int
) -> None:
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    last = min(first + length, 6)
    closes = opens + span
    text = f"{days[first]}-{days[last]} {opens // 60}:{opens % 60:02d}-{closes // 60}:{closes % 60:02d}"
    hours = OpeningHours.parse(text)
    assert OpeningHours.parse(str(hours)) == hours
    assert hours.spans[0].days == tuple(range(first, last + 1))


def test_valid_parameters_are_kept_as_given(parameters) -> None:
    given = parameters(max_age=26, target_groups=("oběti násilí",), registry_id="1234567")
    assert given.min_age == 11
    assert given.max_age == 26
    assert given.session_limit == 12
    assert given.forms == (Form.AMBULATORY, Form.FIELD)
    assert given.target_groups == ("oběti násilí",)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"forms": ()}, "forms"),
        ({"min_age": -1}, "min-age"),
        ({"min_age": 121}, "min-age"),
        ({"max_age": 200}, "max-age"),
        ({"min_age": 18, "max_age": 17}, "max-age"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"session_limit": 0}, "session-limit"),
        ({"session_limit": 100_001}, "session-limit"),
    ],
)
def test_impossible_parameters_are_refused_naming_the_field(
    parameters, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        parameters(**overrides)
    assert refused.value.field == field


def test_boundary_ages_and_limits_are_accepted(parameters) -> None:
    widest = parameters(min_age=0, max_age=120, capacity=100_000, session_limit=1)
    assert (widest.min_age, widest.max_age, widest.capacity, widest.session_limit) == (0, 120, 100_000, 1)
    same = parameters(min_age=18, max_age=18)
    assert same.min_age == same.max_age == 18


def test_parameters_survive_the_trip_through_a_recorded_event(moments) -> None:
    parameters = ServiceParameters(
        name="Intervenční centrum",
        type=ServiceType.INTERVENTION_CENTRE,
        forms=(Form.AMBULATORY, Form.FIELD),
        min_age=16,
        capacity=3,
        hours=OpeningHours.parse("Mon-Thu 08:00-16:30, Fri 08:00-14:00"),
        target_groups=("oběti domácího násilí",),
        registry_id="7654321",
    )
    service = Service.register("IC", parameters, moments.stamp("admin"))
    assert service.code == "IC"
    assert service.parameters == parameters
    assert ServiceParameters.from_event(service.collect_events()[0]) == parameters  # type: ignore[arg-type]


def test_a_reconfigured_service_takes_its_new_parameters(moments, parameters) -> None:
    service = Service.register("SOS", parameters(), moments.stamp("admin"))
    service.reconfigure(parameters(session_limit=None, forms=(Form.FIELD,)), moments.later(days=1))
    assert service.parameters.session_limit is None
    assert service.offers(Form.FIELD)
    assert not service.offers(Form.AMBULATORY)
    assert service.version == 2


@pytest.mark.parametrize(
    ("low", "high", "age", "allowed"),
    [
        (11, None, 10, False),
        (11, None, 11, True),
        (11, None, 99, True),
        (18, 26, 17, False),
        (18, 26, 26, True),
        (18, 26, 27, False),
        (None, 26, 0, True),
        (None, None, 120, True),
    ],
)
def test_a_service_allows_ages_within_its_range_inclusive(
    moments, parameters, low: int | None, high: int | None, age: int, allowed: bool
) -> None:
    service = Service.register("SOS", parameters(min_age=low, max_age=high), moments.stamp("admin"))
    assert service.age_allows(age) is allowed


def test_changed_parameters_keep_what_was_not_named(parameters) -> None:
    before = parameters()
    after = before.changed({"session_limit": 15, "capacity": 6})
    assert (after.session_limit, after.capacity) == (15, 6)
    assert (after.name, after.min_age, after.forms, after.hours) == (
        before.name,
        11,
        before.forms,
        before.hours,
    )


def test_changed_parameters_are_checked_like_new_ones(parameters) -> None:
    with pytest.raises(InvalidValue) as refused:
        parameters().changed({"min_age": 30, "max_age": 20})
    assert refused.value.field == "max-age"


@pytest.mark.parametrize(("changes", "field"), [({}, "service"), ({"limit": 5}, "limit")])
def test_a_change_naming_nothing_or_no_parameter_is_refused(
    parameters, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        parameters().changed(changes)
    assert refused.value.field == field
