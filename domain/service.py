"""A registered social service and its parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from domain.codes import service_id
from domain.errors import InvalidValue
from domain.facts import Record, Stamp, check_text
from domain.vocabulary import Form, ServiceType

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SPAN = re.compile(
    r"^(?P<d1>[A-Za-z]{3})(?:\s*-\s*(?P<d2>[A-Za-z]{3}))?\s+"
    r"(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})$"
)
NONSTOP = "nonstop"

# The wall clock services keep: opening hours, months and days in figures.
SERVICE_TIME = ZoneInfo("Europe/Prague")


@dataclass(frozen=True)
class OpeningSpan:
    days: tuple[int, ...]  # 0 = Monday
    opens: time
    closes: time

    def __str__(self) -> str:
        first, last = DAYS[self.days[0]], DAYS[self.days[-1]]
        days = first if first == last else f"{first}-{last}"
        return f"{days} {self.opens:%H:%M}-{self.closes:%H:%M}"


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours such as ``Mon-Fri 09:00-17:00, Sat 10:00-12:00`` or ``nonstop``."""

    spans: tuple[OpeningSpan, ...]

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        text = text.strip()
        if text.lower() in (NONSTOP, "24/7"):
            return cls(())
        spans = []
        for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
            spans.append(_parse_span(part, text))
        if not spans:
            raise InvalidValue("hours", f"{text!r} names no opening hours")
        return cls(tuple(spans))

    @property
    def is_nonstop(self) -> bool:
        return not self.spans

    def is_open(self, moment: datetime) -> bool:
        """Whether the service is open at a moment (a naive one is read as wall-clock time)."""
        if self.is_nonstop:
            return True
        local = moment.astimezone(SERVICE_TIME) if moment.tzinfo else moment
        clock = local.time()
        return any(local.weekday() in span.days and span.opens <= clock < span.closes for span in self.spans)

    def covers(self, start: datetime, end: datetime) -> bool:
        """Whether the service is open for the whole of ``start``..``end``."""
        if self.is_nonstop:
            return True
        local_start, local_end = start.astimezone(SERVICE_TIME), end.astimezone(SERVICE_TIME)
        return any(
            local_start.weekday() in span.days
            and local_end.date() == local_start.date()
            and span.opens <= local_start.time()
            and local_end.time() <= span.closes
            for span in self.spans
        )

    def __str__(self) -> str:
        return NONSTOP if self.is_nonstop else ", ".join(str(s) for s in self.spans)


def _parse_span(part: str, whole: str) -> OpeningSpan:
    match = _SPAN.match(part)
    problem = f"{whole!r} is not like 'Mon-Fri 09:00-17:00' or 'nonstop'"
    if not match:
        raise InvalidValue("hours", problem)
    names = [d.capitalize() for d in (match["d1"], match["d2"] or match["d1"])]
    if any(n not in DAYS for n in names):
        raise InvalidValue("hours", problem)
    first, last = (DAYS.index(n) for n in names)
    try:
        opens = time(int(match["h1"]), int(match["m1"]))
        closes = time(int(match["h2"]), int(match["m2"]))
    except ValueError:
        raise InvalidValue("hours", problem) from None
    if first > last or opens >= closes:
        raise InvalidValue("hours", f"{part!r} ends before it starts")
    return OpeningSpan(tuple(range(first, last + 1)), opens, closes)


@dataclass(frozen=True)
class ServiceParameters:
    """What a service is registered as: checked once, stored as plain values."""

    name: str
    type: ServiceType
    forms: tuple[Form, ...]
    min_age: int | None = None
    max_age: int | None = None
    capacity: int | None = None
    hours: OpeningHours = OpeningHours(())
    session_limit: int | None = None
    target_groups: tuple[str, ...] = ()
    registry_id: str = ""

    def __post_init__(self) -> None:
        check_text("name", self.name, limit=200)
        if not self.forms:
            raise InvalidValue("forms", "a service needs at least one form")
        for field in ("min_age", "max_age"):
            age = getattr(self, field)
            if age is not None and not 0 <= age <= 120:
                raise InvalidValue(field.replace("_", "-"), f"{age} is not an age between 0 and 120")
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise InvalidValue("max-age", f"{self.max_age} is below the minimum age {self.min_age}")
        for field in ("capacity", "session_limit"):
            number = getattr(self, field)
            if number is not None and not 0 < number <= 100_000:
                raise InvalidValue(field.replace("_", "-"), f"{number} is not a positive number")

    def changed(self, changes: dict[str, Any]) -> ServiceParameters:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise InvalidValue(sorted(unknown)[0], "is not a parameter of a service")
        if not changes:
            raise InvalidValue("service", "name at least one parameter to change")
        return replace(self, **changes)

    def as_event_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.value,
            "forms": [f.value for f in self.forms],
            "min_age": self.min_age,
            "max_age": self.max_age,
            "capacity": self.capacity,
            "hours": str(self.hours),
            "session_limit": self.session_limit,
            "target_groups": list(self.target_groups),
            "registry_id": self.registry_id,
        }

    @classmethod
    def from_event(cls, event: Service.Registered | Service.Reconfigured) -> ServiceParameters:
        return cls(
            name=event.name,
            type=ServiceType(event.type),
            forms=tuple(Form(f) for f in event.forms),
            min_age=event.min_age,
            max_age=event.max_age,
            capacity=event.capacity,
            hours=OpeningHours.parse(event.hours),
            session_limit=event.session_limit,
            target_groups=tuple(event.target_groups),
            registry_id=event.registry_id,
        )


class Service(Record):
    """A registered social service (služba)."""

    class Event(Record.Event):
        pass

    class Configured(Event):
        name: str
        type: str
        forms: list[str]
        min_age: int | None
        max_age: int | None
        capacity: int | None
        hours: str
        session_limit: int | None
        target_groups: list[str]
        registry_id: str

        def apply(self, service: Service) -> None:
            service.parameters = ServiceParameters.from_event(self)  # type: ignore[arg-type]

    class Registered(Configured, Record.Created):
        code: str

        def apply(self, service: Service) -> None:
            service.code = self.code
            super().apply(service)

    class Reconfigured(Configured):
        pass

    if TYPE_CHECKING:
        code: str
        parameters: ServiceParameters

    @classmethod
    def register(cls, code: str, parameters: ServiceParameters, stamp: Stamp) -> Service:
        return cls._create(
            cls.Registered,
            id=service_id(code),
            code=code,
            **parameters.as_event_fields(),
            **stamp.fields(),
        )

    def reconfigure(self, parameters: ServiceParameters, stamp: Stamp) -> None:
        self.trigger_event(self.Reconfigured, **parameters.as_event_fields(), **stamp.fields())

    def offers(self, form: Form) -> bool:
        return form in self.parameters.forms

    def age_allows(self, age: int) -> bool:
        low, high = self.parameters.min_age, self.parameters.max_age
        return (low is None or age >= low) and (high is None or age <= high)

    def age_refused(self, youngest: int | None, oldest: int | None) -> int | None:
        """The age that puts a client outside the range, if it surely does.

        A client is refused only when even the most favourable reading of
        what is known of their age falls outside the range.
        """
        low, high = self.parameters.min_age, self.parameters.max_age
        if low is not None and oldest is not None and oldest < low:
            return oldest
        if high is not None and youngest is not None and youngest > high:
            return youngest
        return None
