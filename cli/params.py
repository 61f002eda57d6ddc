"""Click parameter types for what staff type: dates, times, lists, choices.

Dates are accepted as ``2025-03-01`` or ``1.3.2025``; times as ``14:30``
after the date. They are read in the installation's time zone (Europe/Prague)
and handed to the journal in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import click

from cli.i18n import _

_DATE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4}))\s*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
# The years a date may name: every person and fact a journal records falls in them, and the
# time arithmetic of queries (a day later, 60 days earlier, a time zone) stays within Python's range.
YEARS = (1900, 2999)


def parse_date(text: str) -> date:
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    if match.group(1):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        day, month, year = int(match.group(4)), int(match.group(5)), int(match.group(6))
    return date(year, month, day)


def _in_years(param_type: click.ParamType, day: date, value: Any, param: Any, ctx: Any) -> None:
    if not YEARS[0] <= day.year <= YEARS[1]:
        param_type.fail(
            _("{value!r} is not a day between {first} and {last}").format(
                value=value, first=YEARS[0], last=YEARS[1]
            ),
            param,
            ctx,
        )


def check_period(start: date | datetime | None, end: date | datetime | None) -> None:
    """Refuse ``--to`` before ``--from`` (days as typed; a moment by its day where it was typed)."""
    if start is None or end is None or end >= start:
        return
    first, last = (d.astimezone(local_zone()).date() if isinstance(d, datetime) else d for d in (start, end))
    raise click.BadParameter(_("--to {end} is before --from {start}").format(end=last, start=first))


def local_zone() -> ZoneInfo:
    return ZoneInfo(click.get_current_context().find_root().obj.settings.timezone)


class DateType(click.ParamType):
    """A day, given as 2025-03-01 or 1.3.2025; ``end_of_day`` for "as it stood that day"."""

    name = "DATE"

    def __init__(self, *, end_of_day: bool = False) -> None:
        self.end_of_day = end_of_day

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            day = parse_date(str(value))
        except ValueError:
            self.fail(
                _("{value!r} is not a date like 2025-03-01 or 1.3.2025").format(value=value), param, ctx
            )
        _in_years(self, day, value, param, ctx)
        start = datetime.combine(day, time(), tzinfo=local_zone())
        if self.end_of_day:
            start = start + timedelta(days=1) - timedelta(microseconds=1)
        return start.astimezone(UTC)


class DateTimeType(click.ParamType):
    """A moment: ``2025-03-01 14:30``, ``1.3.2025 14:30``, or a day alone (its start)."""

    name = "DATE [HH:MM]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip().replace("T", " ")
        day_text, _sep, clock = (
            text.rpartition(" ") if _TIME.match(text.rpartition(" ")[2]) else (text, "", "")
        )
        problem = _("{value!r} is not a date and time like '2025-03-01 14:30' or '1.3.2025 14:30'")
        try:
            day = parse_date(day_text)
            moment = time()
            if clock:
                hours, minutes = (int(n) for n in clock.split(":"))
                moment = time(hours, minutes)
        except ValueError:
            self.fail(problem.format(value=value), param, ctx)
        _in_years(self, day, value, param, ctx)
        local = datetime.combine(day, moment, tzinfo=local_zone())
        instant = local.astimezone(UTC)
        if instant.astimezone(local.tzinfo).replace(tzinfo=None) != local.replace(tzinfo=None):
            # In the hour skipped when the clocks go forward: zoneinfo would move it on.
            skipped = _(
                "{value!r} did not happen here: the clocks skipped that hour; give the time they showed"
            )
            self.fail(skipped.format(value=value), param, ctx)
        return instant


class ListType(click.ParamType):
    """A comma-separated list, optionally of choices: ``crisis-intervention,counselling``."""

    name = "A,B,..."

    def __init__(self, choices: type[StrEnum] | None = None) -> None:
        self.choices = choices

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> list[Any]:
        items = value if isinstance(value, list) else str(value).split(",")
        items = [str(item).strip() for item in items if str(item).strip()]
        if not items and not isinstance(value, list):  # typed, as "" or ",": not the default
            self.fail(_("names nothing; give at least one, or leave the option out"), param, ctx)
        if self.choices is None:
            return items
        allowed = [m.value for m in self.choices]
        for item in items:
            if item not in allowed:
                problem = _("{value!r} is not one of: {allowed}").format(
                    value=item, allowed=", ".join(allowed)
                )
                self.fail(problem, param, ctx)
        return [self.choices(item) for item in items]


class EnumChoice(click.Choice):
    """A click.Choice that hands the command the domain's enum member."""

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__([m.value for m in enum], case_sensitive=False)
        self.enum = enum
        self.members = {m.value: m for m in enum}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        member = self.members.get(value) if isinstance(value, str) else None
        if member is not None:  # given exactly: no need for click's normalising (an import asks often)
            return member
        return self.enum(super().convert(value, param, ctx))


# Said in the help of every free-text option stored outside the client's sealed personal data.
UNSEALED = " Stored unsealed, so it outlives erasure: no personal data here."

DATE = DateType()
END_OF_DAY = DateType(end_of_day=True)
MOMENT = DateTimeType()
