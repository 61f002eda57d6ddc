"""A case: one client's course of help in one service, and its entries.

Everything recorded on a case is an entry, numbered in the order it was
recorded: ``P-0001#1`` is the opening, ``P-0001#2`` the next fact, and so on
(the entry number is the event's version). Mistakes are never edited away: a
correction or a retraction is a new entry that points at the old one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.codes import EntryRef, coded_id
from domain.errors import (
    CaseAlreadyOpen,
    CaseClosed,
    EntryNotCorrectable,
    EntryRetracted,
    FormNotOffered,
    InvalidValue,
    NoSuchEntry,
    OccurredTooEarly,
    OutcomeRecorded,
    SessionLimitReached,
)
from domain.facts import Record, Stamp, check_minutes, check_text
from domain.service import Service
from domain.vocabulary import (
    Activity,
    Agreement,
    Channel,
    CloseReason,
    Form,
    GoalStatus,
    ReferralKind,
    ReferralOutcome,
)


class EntryKind(StrEnum):
    OPENED = "opened"
    SESSION = "session"
    CONTACT = "contact"
    REFERRAL = "referral"
    REFERRAL_OUTCOME = "referral-outcome"
    GOAL = "goal"
    GOAL_REVIEW = "goal-review"
    CORRECTION = "correction"
    RETRACTION = "retraction"
    CLOSED = "closed"
    REOPENED = "reopened"


# Which fields of which entries a correction may change; personal ones are
# kept in the correction's ``personal`` field.
CORRECTABLE: dict[EntryKind, frozenset[str]] = {
    EntryKind.SESSION: frozenset(
        {"occurred_at", "minutes", "form", "activities", "staff", "district", "note"}
    ),
    EntryKind.CONTACT: frozenset({"occurred_at", "channel", "minutes", "form"}),
    EntryKind.REFERRAL: frozenset({"occurred_at", "organisation", "kind", "reason"}),
    EntryKind.REFERRAL_OUTCOME: frozenset({"occurred_at", "outcome"}),
    EntryKind.GOAL: frozenset({"occurred_at", "goal"}),
    EntryKind.GOAL_REVIEW: frozenset({"occurred_at", "status", "note"}),
}
PERSONAL_ENTRY_FIELDS = frozenset({"note", "reason", "goal"})


@dataclass
class Entry:
    """An entry's current state: corrected values applied, retraction marked."""

    number: int
    kind: EntryKind
    occurred_at: datetime
    fields: dict[str, Any]
    personal: dict[str, str] = field(default_factory=dict)
    retracted: bool = False
    corrected_by: list[int] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        return not self.retracted


class Case(Record):
    """A case (případ / spolupráce)."""

    class Event(Record.Event):
        pass

    class Opened(Record.Created, Event):
        code: str
        client_id: UUID
        client_code: str
        service: str
        key_worker: str
        agreement: str
        enquiry: str | None
        override: str | None

        def apply(self, case: Case) -> None:
            case.code = self.code
            case.client_id = self.client_id
            case.client_code = self.client_code
            case.service = self.service
            case.key_worker = self.key_worker
            case.opened_at = self.occurred_at
            case.is_open = True
            case.entries = {}
            case.add_entry(self, EntryKind.OPENED, {})

    class SessionHeld(Event):
        minutes: int
        form: str
        activities: list[str]
        staff: list[str]
        district: str | None
        override: str | None
        personal: dict[str, str]

        def apply(self, case: Case) -> None:
            case.add_entry(
                self,
                EntryKind.SESSION,
                {
                    "minutes": self.minutes,
                    "form": self.form,
                    "activities": list(self.activities),
                    "staff": list(self.staff),
                    "district": self.district,
                },
            )

    class ContactLogged(Event):
        channel: str
        minutes: int
        form: str

        def apply(self, case: Case) -> None:
            case.add_entry(
                self, EntryKind.CONTACT, {"channel": self.channel, "minutes": self.minutes, "form": self.form}
            )

    class ReferralMade(Event):
        referral: str
        organisation: str
        kind: str
        personal: dict[str, str]

        def apply(self, case: Case) -> None:
            fields = {"referral": self.referral, "organisation": self.organisation, "kind": self.kind}
            case.add_entry(self, EntryKind.REFERRAL, fields)

    class ReferralOutcomeRecorded(Event):
        entry: int
        outcome: str

        def apply(self, case: Case) -> None:
            case.add_entry(self, EntryKind.REFERRAL_OUTCOME, {"entry": self.entry, "outcome": self.outcome})

    class GoalSet(Event):
        personal: dict[str, str]

        def apply(self, case: Case) -> None:
            case.add_entry(self, EntryKind.GOAL, {})

    class GoalReviewed(Event):
        entry: int
        status: str
        personal: dict[str, str]

        def apply(self, case: Case) -> None:
            case.add_entry(self, EntryKind.GOAL_REVIEW, {"entry": self.entry, "status": self.status})

    class EntryCorrected(Event):
        entry: int
        changes: dict[str, Any]
        personal: dict[str, str]
        reason: str

        def apply(self, case: Case) -> None:
            target = case.entries[self.entry]
            for name, value in self.changes.items():
                if name == "occurred_at":
                    target.occurred_at = value
                else:
                    target.fields[name] = value
            target.personal.update(self.personal)
            target.corrected_by.append(self.originator_version)
            case.add_entry(self, EntryKind.CORRECTION, {"entry": self.entry})

    class EntryRetracted(Event):
        entry: int
        reason: str

        def apply(self, case: Case) -> None:
            case.entries[self.entry].retracted = True
            case.add_entry(self, EntryKind.RETRACTION, {"entry": self.entry})

    class Closed(Event):
        reason: str

        def apply(self, case: Case) -> None:
            case.is_open = False
            case.add_entry(self, EntryKind.CLOSED, {"reason": self.reason})

    class Reopened(Event):
        reason: str

        def apply(self, case: Case) -> None:
            case.is_open = True
            case.add_entry(self, EntryKind.REOPENED, {"reason": self.reason})

    if TYPE_CHECKING:
        code: str
        client_id: UUID
        client_code: str
        service: str
        key_worker: str
        opened_at: datetime
        is_open: bool
        entries: dict[int, Entry]

    @property
    def data_subject(self) -> UUID:
        """A case's notes are about its client: erasing the client erases them."""
        return self.client_id

    def add_entry(self, event: Record.Event, kind: EntryKind, fields: dict[str, Any]) -> None:
        number = event.originator_version
        assert isinstance(number, int)
        personal = dict(getattr(event, "personal", {}))
        self.entries[number] = Entry(number, kind, event.occurred_at, fields, personal)

    # -- commands -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        code: str,
        *,
        client_id: UUID,
        client_code: str,
        service: str,
        key_worker: str,
        agreement: Agreement,
        opened_at: datetime,
        enquiry: str | None,
        override: str | None,
        stamp: Stamp,
    ) -> Case:
        return cls._create(
            cls.Opened,
            id=coded_id(code),
            code=code,
            client_id=client_id,
            client_code=client_code,
            service=service,
            key_worker=key_worker,
            agreement=agreement.value,
            enquiry=enquiry,
            override=_reason_or_none(override),
            **stamp.fields(stamp.check_past(opened_at)),
        )

    def hold_session(
        self,
        *,
        service: Service,
        occurred_at: datetime,
        minutes: int,
        form: Form,
        activities: list[Activity],
        staff: list[str],
        district: str | None,
        note: str,
        override: str | None,
        stamp: Stamp,
    ) -> int:
        self._require_open()
        occurred_at = self._check_when(occurred_at, stamp)
        limit = service.parameters.session_limit
        if limit is not None and self.sessions_held >= limit and not override:
            raise SessionLimitReached(self.code, limit)
        check_form(service, form)
        if not activities:
            raise InvalidValue("activity", "name at least one activity")
        if not staff:
            raise InvalidValue("staff", "name at least one staff member present")
        self.trigger_event(
            self.SessionHeld,
            minutes=check_minutes(minutes),
            form=form.value,
            activities=[a.value for a in dict.fromkeys(activities)],
            staff=list(dict.fromkeys(staff)),
            district=check_text("district", district, limit=100) if district else None,
            override=_reason_or_none(override),
            personal=_personal(note=note),
            **stamp.fields(occurred_at),
        )
        return self.version

    def log_contact(
        self,
        *,
        service: Service,
        occurred_at: datetime,
        channel: Channel,
        minutes: int,
        form: Form,
        stamp: Stamp,
    ) -> int:
        self._require_open()
        occurred_at = self._check_when(occurred_at, stamp)
        check_form(service, form)
        self.trigger_event(
            self.ContactLogged,
            channel=channel.value,
            minutes=check_minutes(minutes),
            form=form.value,
            **stamp.fields(occurred_at),
        )
        return self.version

    def make_referral(
        self,
        *,
        referral: str,
        organisation: str,
        kind: ReferralKind,
        reason: str,
        occurred_at: datetime,
        stamp: Stamp,
    ) -> int:
        self._require_open()
        occurred_at = self._check_when(occurred_at, stamp)
        self.trigger_event(
            self.ReferralMade,
            referral=referral,
            organisation=check_text("to", organisation, limit=200),
            kind=kind.value,
            personal=_personal(reason=reason),
            **stamp.fields(occurred_at),
        )
        return self.version

    def record_referral_outcome(
        self, *, entry: int, outcome: ReferralOutcome, occurred_at: datetime, stamp: Stamp
    ) -> int:
        target = self._live_entry(entry, EntryKind.REFERRAL)
        earlier = self.referral_outcome(entry)
        if earlier is not None:
            raise OutcomeRecorded(str(EntryRef(self.code, earlier)))
        occurred_at = self._check_when(occurred_at, stamp)
        if occurred_at < target.occurred_at:
            raise InvalidValue("on", "the outcome is dated before the referral was made")
        self.trigger_event(
            self.ReferralOutcomeRecorded, entry=entry, outcome=outcome.value, **stamp.fields(occurred_at)
        )
        return self.version

    def set_goal(self, *, goal: str, occurred_at: datetime, stamp: Stamp) -> int:
        self._require_open()
        occurred_at = self._check_when(occurred_at, stamp)
        personal = _personal(goal=goal)
        if not personal:
            raise InvalidValue("goal", "is empty")
        self.trigger_event(self.GoalSet, personal=personal, **stamp.fields(occurred_at))
        return self.version

    def review_goal(
        self, *, entry: int, status: GoalStatus, note: str, occurred_at: datetime, stamp: Stamp
    ) -> int:
        self._live_entry(entry, EntryKind.GOAL)
        occurred_at = self._check_when(occurred_at, stamp)
        self.trigger_event(
            self.GoalReviewed,
            entry=entry,
            status=status.value,
            personal=_personal(note=note),
            **stamp.fields(occurred_at),
        )
        return self.version

    def correct(
        self,
        *,
        entry: int,
        changes: dict[str, Any],
        service: Service,
        reason: str,
        stamp: Stamp,
    ) -> int:
        target = self._live_entry(entry, None)
        allowed = CORRECTABLE.get(target.kind)
        ref = str(EntryRef(self.code, entry))
        if allowed is None:
            raise EntryNotCorrectable(ref, target.kind.value)
        clear: dict[str, Any] = {}
        personal: dict[str, str] = {}
        for name, value in changes.items():
            if name not in allowed:
                raise EntryNotCorrectable(ref, target.kind.value, name)
            if name in PERSONAL_ENTRY_FIELDS:
                personal[name] = check_text(name, value, multiline=True, required=False)
            else:
                clear[name] = check_change(name, value, service=service, stamp=stamp, case=self)
        if not clear and not personal:
            raise InvalidValue("correction", "name at least one field to correct")
        if not personal and all(target.fields.get(name, _ABSENT) == value for name, value in clear.items()):
            raise InvalidValue("correction", f"changes nothing: {ref} holds these values already")
        self.trigger_event(
            self.EntryCorrected,
            entry=entry,
            changes=clear,
            personal=personal,
            reason=check_text("reason", reason, limit=500),
            **stamp.fields(),
        )
        return self.version

    def retract(self, *, entry: int, reason: str, stamp: Stamp) -> int:
        target = self._live_entry(entry, None)
        if target.kind not in CORRECTABLE:
            raise EntryNotCorrectable(str(EntryRef(self.code, entry)), target.kind.value)
        self.trigger_event(
            self.EntryRetracted, entry=entry, reason=check_text("reason", reason, limit=500), **stamp.fields()
        )
        return self.version

    def close(self, *, reason: CloseReason, occurred_at: datetime, stamp: Stamp) -> int:
        self._require_open()
        occurred_at = self._check_when(occurred_at, stamp)
        self.trigger_event(self.Closed, reason=reason.value, **stamp.fields(occurred_at))
        return self.version

    def reopen(self, *, reason: str, stamp: Stamp) -> int:
        if self.is_open:
            raise CaseAlreadyOpen(self.code)
        self.trigger_event(self.Reopened, reason=check_text("reason", reason, limit=500), **stamp.fields())
        return self.version

    # -- queries --------------------------------------------------------------

    @property
    def sessions_held(self) -> int:
        return sum(1 for e in self.entries.values() if e.kind is EntryKind.SESSION and e.counts)

    def referral_outcome(self, referral_entry: int) -> int | None:
        """The entry recording a referral's outcome, if one stands."""
        for entry in self.entries.values():
            if (
                entry.kind is EntryKind.REFERRAL_OUTCOME
                and entry.counts
                and entry.fields["entry"] == referral_entry
            ):
                return entry.number
        return None

    def entry(self, number: int) -> Entry:
        try:
            return self.entries[number]
        except KeyError:
            raise NoSuchEntry(str(EntryRef(self.code, number))) from None

    # -- rules ----------------------------------------------------------------

    def _require_open(self) -> None:
        if not self.is_open:
            raise CaseClosed(self.code)

    def _check_when(self, occurred_at: datetime, stamp: Stamp) -> datetime:
        stamp.check_past(occurred_at)
        if occurred_at < self.opened_at:
            raise OccurredTooEarly(self.code, self.opened_at)
        return occurred_at

    def _live_entry(self, number: int, kind: EntryKind | None) -> Entry:
        target = self.entry(number)
        ref = str(EntryRef(self.code, number))
        if kind is not None and target.kind is not kind:
            raise NoSuchEntry(f"{ref} ({kind.value})")
        if target.retracted:
            raise EntryRetracted(ref)
        return target


_ABSENT = object()  # a field an entry does not have equals no value

_CHOICES: dict[str, type[StrEnum]] = {
    "form": Form,
    "channel": Channel,
    "kind": ReferralKind,
    "outcome": ReferralOutcome,
    "status": GoalStatus,
    "activity": Activity,
}


def _choice(name: str, value: Any) -> str:
    try:
        return _CHOICES[name](value).value
    except ValueError:
        allowed = ", ".join(m.value for m in _CHOICES[name])
        raise InvalidValue(name, f"{value!r} is not one of {allowed}") from None


def check_change(name: str, value: Any, *, service: Service, stamp: Stamp, case: Case | None) -> Any:
    """Check one corrected value as strictly as the original was checked."""
    if name == "occurred_at":
        return case._check_when(value, stamp) if case else stamp.check_past(value)
    if name == "minutes":
        return check_minutes(value)
    if name in _CHOICES:
        choice = _choice(name, value)
        if name == "form":
            check_form(service, Form(choice))
        return choice
    if name == "activities":
        if not value:
            raise InvalidValue("activity", "name at least one activity")
        return list(dict.fromkeys(_choice("activity", v) for v in value))
    if name == "staff":
        if not value:
            raise InvalidValue("staff", "name at least one staff member present")
        return list(dict.fromkeys(value))
    return check_text(name, value, limit=200)


def check_form(service: Service, form: Form) -> None:
    if not service.offers(form):
        raise FormNotOffered(service.code, form.value)


def _personal(**texts: str | None) -> dict[str, str]:
    """Free-text fields about the client, kept apart for per-client encryption."""
    personal = {}
    for name, text in texts.items():
        if text and text.strip():
            personal[name] = check_text(name, text, multiline=True, limit=10_000)
    return personal


def _reason_or_none(reason: str | None) -> str | None:
    return check_text("override", reason, limit=500) if reason else None
