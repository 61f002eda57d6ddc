"""Clients: anonymous, pseudonymous or identified.

Non-identifying attributes (birth year, age band, sex, district, target
group) are stored as plain fields: the statistics need them, and they
survive erasure. Personal data (name, date of birth, contact) lives only in
the ``personal`` field of an event, so a per-client key can encrypt that one
field without changing the events' shape.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.codes import coded_id
from domain.errors import ClientErased, InvalidValue, LegalHold, NoLegalHold
from domain.facts import Record, Stamp, check_text
from domain.vocabulary import ClientKind, Sex

_AGE_BAND = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")
PERSONAL_FIELDS = ("name", "birth_date", "contact")


@dataclass(frozen=True)
class ClientAttributes:
    """What may be known of a client without identifying them."""

    birth_year: int | None = None
    age_band: str | None = None  # an estimate such as "18-26" or "65+"
    sex: Sex | None = None
    district: str | None = None  # None: residence not stated
    target_group: str | None = None

    def checked(self, today: date) -> ClientAttributes:
        if self.birth_year is not None and not today.year - 120 <= self.birth_year <= today.year:
            raise InvalidValue("birth-year", f"{self.birth_year} is not a plausible year of birth")
        if self.age_band is not None:
            band_bounds(self.age_band)
        district = check_text("district", self.district, limit=100) if self.district else None
        group = check_text("target-group", self.target_group, limit=100) if self.target_group else None
        return ClientAttributes(self.birth_year, self.age_band, self.sex, district, group)

    def as_event_fields(self) -> dict[str, Any]:
        fields = asdict(self)
        fields["sex"] = self.sex.value if self.sex else None
        return fields

    @property
    def is_empty(self) -> bool:
        return self == ClientAttributes()


def band_bounds(band: str) -> tuple[int, int | None]:
    """The youngest and oldest age an estimated band allows; None for the top of 65+."""
    match = _AGE_BAND.match(band.strip())
    if not match:
        raise InvalidValue("age-band", f"{band!r} is not an age band like 18-26 or 65+")
    low, high = int(match.group(1)), match.group(2)
    if high is not None and int(high) < low:
        raise InvalidValue("age-band", f"{band!r} ends before it starts")
    return low, int(high) if high is not None else None


def ages_from(birth_year: int | None, age_band: str | None, on: date) -> tuple[int | None, int | None]:
    """The youngest and oldest a client can be on a day, from what is not personal data.

    With only a year of birth the client may or may not have had their
    birthday yet; an estimated band gives its own bounds.
    """
    if birth_year is not None:
        oldest = on.year - birth_year
        return max(oldest - 1, 0), oldest
    if age_band is not None:
        return band_bounds(age_band)
    return None, None


def check_personal(personal: dict[str, str], today: date) -> dict[str, str]:
    checked = {}
    for field, value in personal.items():
        if field not in PERSONAL_FIELDS:
            raise InvalidValue(field, "is not a personal field of a client")
        if field == "birth_date":
            try:
                born = date.fromisoformat(value)
            except ValueError:
                raise InvalidValue("birth-date", "is not a date") from None
            if not today.year - 120 <= born.year or born > today:
                raise InvalidValue("birth-date", "is not a plausible date of birth")
        checked[field] = check_text(field.replace("_", "-"), value, limit=200)
    return checked


class Client(Record):
    """A person served (uživatel / klient)."""

    class Event(Record.Event):
        pass

    class Registered(Record.Created, Event):
        code: str
        kind: str
        birth_year: int | None
        age_band: str | None
        sex: str | None
        district: str | None
        target_group: str | None
        personal: dict[str, str]

        def apply(self, client: Client) -> None:
            client.code = self.code
            client.kind = ClientKind(self.kind)
            client.attributes = ClientAttributes(
                self.birth_year,
                self.age_band,
                Sex(self.sex) if self.sex else None,
                self.district,
                self.target_group,
            )
            client.personal = dict(self.personal)
            client.consents = {}
            client.hold = None
            client.erased = False
            client.services = frozenset()

    class Amended(Event):
        changes: dict[str, Any]
        personal: dict[str, str]

        def apply(self, client: Client) -> None:
            fields = client.attributes.as_event_fields() | self.changes
            client.attributes = ClientAttributes(
                fields["birth_year"],
                fields["age_band"],
                Sex(fields["sex"]) if fields["sex"] else None,
                fields["district"],
                fields["target_group"],
            )
            client.personal.update(self.personal)

    class ConsentChanged(Event):
        purpose: str
        given: bool

        def apply(self, client: Client) -> None:
            client.consents[self.purpose] = self.given

    class Served(Event):
        """A service took the client up (their first case there): its staff may read the record."""

        service: str

        def apply(self, client: Client) -> None:
            client.services = client.services | {self.service}

    class HoldPlaced(Event):
        reason: str

        def apply(self, client: Client) -> None:
            client.hold = self.reason

    class HoldLifted(Event):
        reason: str

        def apply(self, client: Client) -> None:
            client.hold = None

    class Erased(Event):
        """The client's key is destroyed after this is recorded: their personal fields read as erased."""

        reason: str

        def apply(self, client: Client) -> None:
            client.personal = {}
            client.erased = True

    if TYPE_CHECKING:
        code: str
        kind: ClientKind
        attributes: ClientAttributes
        personal: dict[str, str]
        consents: dict[str, bool]
        hold: str | None  # the reason of a legal hold in force
        erased: bool
        services: frozenset[str]  # where the client has had a case

    @classmethod
    def register(
        cls,
        code: str,
        kind: ClientKind,
        attributes: ClientAttributes,
        personal: dict[str, str],
        stamp: Stamp,
    ) -> Client:
        today = stamp.now.date()
        attributes = attributes.checked(today)
        personal = check_personal(personal, today)
        if kind is ClientKind.ANONYMOUS and (personal or not attributes.is_empty):
            raise InvalidValue("anonymous", "an anonymous client has no attributes; leave out --anonymous")
        if kind is ClientKind.PSEUDONYMOUS and personal:
            raise InvalidValue(
                sorted(personal)[0], "is personal data, kept only of an identified client: give the name too"
            )
        if kind is ClientKind.IDENTIFIED and not personal.get("name"):
            raise InvalidValue("name", "an identified client needs a name")
        if "birth_date" in personal:
            attributes = _with_birth_year(attributes, personal["birth_date"], attributes.birth_year)
        return cls._create(
            cls.Registered,
            id=coded_id(code),
            code=code,
            kind=kind.value,
            personal=personal,
            **attributes.as_event_fields(),
            **stamp.fields(),
        )

    def amend(self, changes: dict[str, Any], personal: dict[str, str], stamp: Stamp) -> None:
        self.check_not_erased()
        if self.kind is ClientKind.ANONYMOUS:
            raise InvalidValue("client", f"{self.code} is anonymous and has nothing to amend")
        if personal and self.kind is not ClientKind.IDENTIFIED:
            raise InvalidValue(
                sorted(personal)[0],
                f"{self.code} is pseudonymous: personal data is kept only of identified clients",
            )
        today = stamp.now.date()
        unknown = set(changes) - set(self.attributes.as_event_fields())
        if unknown:
            raise InvalidValue(sorted(unknown)[0], "is not an attribute of a client")
        merged = self.attributes.as_event_fields() | changes
        attributes = ClientAttributes(**{**merged, "sex": Sex(merged["sex"]) if merged["sex"] else None})
        attributes = attributes.checked(today)
        personal = check_personal(personal, today)
        if "birth_date" in personal:
            attributes = _with_birth_year(attributes, personal["birth_date"], changes.get("birth_year"))
        new = attributes.as_event_fields()
        old = self.attributes.as_event_fields()
        delta = {k: v for k, v in new.items() if v != old[k]}
        personal = {k: v for k, v in personal.items() if self.personal.get(k) != v}
        if not delta and not personal:
            raise InvalidValue("client", "the amendment changes nothing")
        self.trigger_event(self.Amended, changes=delta, personal=personal, **stamp.fields())

    def change_consent(self, purpose: str, given: bool, stamp: Stamp) -> None:
        purpose = check_text("purpose", purpose, limit=200)
        if self.consents.get(purpose) is given:
            state = "given" if given else "withdrawn"
            raise InvalidValue("consent", f"{self.code}'s consent for that purpose is {state} already")
        self.trigger_event(self.ConsentChanged, purpose=purpose, given=given, **stamp.fields())

    def serve(self, service: str, stamp: Stamp) -> None:
        if service not in self.services:
            self.trigger_event(self.Served, service=service, **stamp.fields())

    def check_not_erased(self) -> None:
        if self.erased:
            raise ClientErased(self.code)

    def erase(self, reason: str, stamp: Stamp) -> None:
        """Erasure (GDPR art. 17): refused under a legal hold; the statistics and case shapes stay."""
        self.check_not_erased()
        if self.hold is not None:
            raise LegalHold(self.code)
        reason = check_text("reason", reason, limit=200)
        self.trigger_event(self.Erased, reason=reason, **stamp.fields())

    def place_hold(self, reason: str, stamp: Stamp) -> None:
        self.check_not_erased()
        if self.hold is not None:
            raise LegalHold(self.code)
        self.trigger_event(self.HoldPlaced, reason=check_text("reason", reason, limit=200), **stamp.fields())

    def lift_hold(self, reason: str, stamp: Stamp) -> None:
        if self.hold is None:
            raise NoLegalHold(self.code)
        self.trigger_event(self.HoldLifted, reason=check_text("reason", reason, limit=200), **stamp.fields())

    def possible_ages(self, on: date) -> tuple[int | None, int | None]:
        """The youngest and oldest the client can be on a day (None: unknown); a birth date settles it."""
        born = self.personal.get("birth_date")
        if born:
            birth = date.fromisoformat(born)
            age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
            return age, age
        return ages_from(self.attributes.birth_year, self.attributes.age_band, on)

    def oldest_possible_age(self, on: date) -> int | None:
        return self.possible_ages(on)[1]


def _with_birth_year(attributes: ClientAttributes, birth_date: str, stated: int | None) -> ClientAttributes:
    """The year of birth is the date of birth's; one typed beside it must be the same."""
    year = date.fromisoformat(birth_date).year
    if stated not in (None, year):
        raise InvalidValue("birth_year", "differs from the date of birth's year; give only the date of birth")
    return ClientAttributes(
        year, attributes.age_band, attributes.sex, attributes.district, attributes.target_group
    )
