"""Domain errors: a rule was broken or a thing does not exist.

Each error carries the facts needed to explain it (codes, numbers, never
personal data); the CLI turns them into one line naming the way out.
"""

from __future__ import annotations

from datetime import datetime


class KronikaError(Exception):
    """Base of every refusal the journal gives. Nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(KronikaError):
    """A value is outside what the domain accepts (rule 4 and value checks)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFound(KronikaError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key}")
        self.kind = kind
        self.key = key


class NotYetRecorded(NotFound):
    """A case asked for as it stood at a moment before its first fact was recorded."""

    def __init__(self, case: str, as_of: datetime) -> None:
        super().__init__("case", f"{case} as recorded by {as_of.isoformat()}")
        self.case = case
        self.as_of = as_of


class AlreadyExists(KronikaError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key} already exists")
        self.kind = kind
        self.key = key


class AccessDenied(KronikaError):
    """Rule 7: the acting staff member lacks the role or the service."""

    def __init__(self, actor: str, action: str, needed: str) -> None:
        super().__init__(f"{actor} may not {action}: needs {needed}")
        self.actor = actor
        self.action = action
        self.needed = needed


class ClientNotShared(AccessDenied):
    """Rule 7: a case is opened only for a client the actor may read.

    A client taken up by other services is theirs; opening a case would make
    the record readable to the opening service's staff, so it is no way in.
    """

    def __init__(self, actor: str, client: str) -> None:
        super().__init__(actor, "open a case for a client of another service", "a service of the client")
        self.client = client


class PurposeRequired(KronikaError):
    """Rule 7: an auditor states why they read a case history."""

    def __init__(self, actor: str) -> None:
        super().__init__(f"{actor} must state the purpose of reading")
        self.actor = actor


class UnknownActor(KronikaError):
    def __init__(self, actor: str, *, left: bool = False) -> None:
        super().__init__(f"{actor} is not registered as active staff")
        self.actor = actor
        self.left = left  # recorded as having left, not never added


class ClientErased(KronikaError):
    """The client's personal data was erased: nothing personal can be recorded about them again."""

    def __init__(self, client: str) -> None:
        super().__init__(f"client {client} is erased")
        self.client = client


class PersonalDataErased(KronikaError):
    """Notes or other personal data about a client whose personal data was erased."""

    def __init__(self) -> None:
        super().__init__("the client this record is about is erased")


class LegalHold(KronikaError):
    """A legal hold keeps the client's personal data until it is lifted."""

    def __init__(self, client: str) -> None:
        super().__init__(f"client {client} is under a legal hold")
        self.client = client


class NoLegalHold(KronikaError):
    def __init__(self, client: str) -> None:
        super().__init__(f"client {client} is not under a legal hold")
        self.client = client


class CaseClosed(KronikaError):
    """Rule 1: nothing is logged on a closed case."""

    def __init__(self, case: str) -> None:
        super().__init__(f"case {case} is closed")
        self.case = case


class CaseAlreadyOpen(KronikaError):
    def __init__(self, case: str) -> None:
        super().__init__(f"case {case} is open")
        self.case = case


class SessionLimitReached(KronikaError):
    """Rule 2: the service caps sessions per case; the next needs an override."""

    def __init__(self, case: str, limit: int) -> None:
        super().__init__(f"case {case} has had all {limit} sessions the service allows")
        self.case = case
        self.limit = limit


class OutsideAgeRange(KronikaError):
    """Rule 3: the client's age is outside the service's range."""

    def __init__(self, client: str, age: int, service: str, low: int | None, high: int | None) -> None:
        super().__init__(f"client {client} aged {age} is outside the age range of service {service}")
        self.client = client
        self.age = age
        self.service = service
        self.low = low
        self.high = high


class OccurredTooEarly(KronikaError):
    """Rule 4: nothing in a case happens before the case was opened."""

    def __init__(self, case: str, opened_at: datetime) -> None:
        super().__init__(f"case {case} was opened only at {opened_at.isoformat()}")
        self.case = case
        self.opened_at = opened_at


class OccurredInFuture(KronikaError):
    def __init__(self, when: datetime) -> None:
        super().__init__(f"{when.isoformat()} is in the future")
        self.when = when


class NoSuchEntry(KronikaError):
    """Rule 5: corrections and outcomes point at existing entries of the case."""

    def __init__(self, entry: str) -> None:
        super().__init__(f"no entry {entry}")
        self.entry = entry


class EntryNotCorrectable(KronikaError):
    def __init__(self, entry: str, kind: str, field: str | None = None) -> None:
        what = f"field {field} of " if field else ""
        super().__init__(f"{what}entry {entry} ({kind}) cannot be corrected")
        self.entry = entry
        self.kind = kind
        self.field = field


class EntryRetracted(KronikaError):
    def __init__(self, entry: str) -> None:
        super().__init__(f"entry {entry} was retracted")
        self.entry = entry


class OutcomeRecorded(KronikaError):
    """A referral has one outcome; a different one is a correction of it."""

    def __init__(self, entry: str) -> None:
        super().__init__(f"the referral's outcome stands as entry {entry}")
        self.entry = entry


class EnquiryDecided(KronikaError):
    def __init__(self, enquiry: str) -> None:
        super().__init__(f"enquiry {enquiry} was already refused or led to a case")
        self.enquiry = enquiry


class FormNotOffered(KronikaError):
    def __init__(self, service: str, form: str) -> None:
        super().__init__(f"service {service} is not registered for the {form} form")
        self.service = service
        self.form = form


class StaffNotInService(KronikaError):
    def __init__(self, login: str, service: str) -> None:
        super().__init__(f"{login} does not work in service {service}")
        self.login = login
        self.service = service


class LastAdmin(KronikaError):
    """The journal keeps an active admin: without one nobody could add staff again."""

    def __init__(self, login: str) -> None:
        super().__init__(f"{login} is the last active admin")
        self.login = login


class CommandIdReused(KronikaError):
    """A command id already answered a different command, or the same one by someone else."""

    def __init__(self, command_id: str) -> None:
        super().__init__(f"command id {command_id} was used for another command")
        self.command_id = command_id


class WriteConflict(KronikaError):
    """Rule 6: others kept writing to the same records; retries ran out."""

    def __init__(self, attempts: int) -> None:
        super().__init__(f"the records kept changing under {attempts} attempts")
        self.attempts = attempts
