"""What every recorded fact carries, and the checks shared by all of them.

Every event says who recorded it (``recorded_by``), which command recorded it
(``command_id``, so a retried command is recorded once), when it happened
(``occurred_at``, given by the user) and when it was recorded (the library's
``timestamp``, taken from the journal's clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import InvalidValue, OccurredInFuture

MAX_MINUTES = 24 * 60

# What a personal field reads as once its client's key is destroyed (erasure).
ERASED = "[erased]"

# Clocks of two machines of one installation may disagree a little.
CLOCK_SKEW = timedelta(minutes=2)


@dataclass(frozen=True)
class Stamp:
    """Who records, under which command, at what moment (UTC)."""

    actor: str
    command_id: UUID
    now: datetime

    def fields(self, occurred_at: datetime | None = None) -> dict[str, Any]:
        return {
            "recorded_by": self.actor,
            "command_id": self.command_id,
            "timestamp": self.now,
            "occurred_at": occurred_at or self.now,
        }

    def check_past(self, when: datetime) -> datetime:
        """Rule 4: dates are never in the future."""
        if when.tzinfo is None:
            raise InvalidValue("time", "has no time zone")
        if when > self.now + CLOCK_SKEW:
            raise OccurredInFuture(when)
        return when


def check_minutes(minutes: int) -> int:
    """Rule 4: durations are whole minutes, more than 0 and at most 24 hours."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidValue("minutes", f"{minutes!r} is not a whole number of minutes")
    if not 0 < minutes <= MAX_MINUTES:
        raise InvalidValue("minutes", f"{minutes} is not between 1 and {MAX_MINUTES}")
    return minutes


def check_text(
    field: str, text: str, *, required: bool = True, limit: int = 2000, multiline: bool = False
) -> str:
    """Free text: trimmed, bounded, printable; single-line unless ``multiline``."""
    value = text.strip() if multiline else " ".join(text.split())
    if required and not value:
        raise InvalidValue(field, "is empty")
    if len(value) > limit:
        raise InvalidValue(field, f"is longer than {limit} characters")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise InvalidValue(field, "contains control characters")
    return value


class Fact(Aggregate.Event):
    recorded_by: str
    command_id: UUID
    occurred_at: datetime


class Record(Aggregate):
    """Base of Kronika's aggregates: their events are facts.

    Each subclass declares its own ``Event`` first and derives its events from
    it (``class Opened(Record.Created, Event)``): an event class that is not a
    subclass of its aggregate's ``Event`` is defined a second time by the
    library, and making dataclasses of ~70 classes twice costs every command
    ~20 ms of start-up.
    """

    @property
    def data_subject(self) -> UUID:
        """Whom this record's personal data is about: the record itself, unless it says otherwise."""
        return self.id

    class Event(Fact):
        pass

    class Created(Event, Aggregate.Created):
        pass
