"""Small records: referral codes, complaints, reads of case histories, command receipts, the directory."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import uuid4

from domain.codes import DIRECTORY_ID, coded_id, receipt_id
from domain.errors import InvalidValue
from domain.facts import Record, Stamp, check_text
from domain.vocabulary import ComplaintOutcome


class ReferralCode(Record):
    """``R-0001`` names a referral, which is an entry of its case."""

    class Event(Record.Event):
        pass

    class Assigned(Record.Created, Event):
        code: str
        case: str
        entry: int

        def apply(self, referral: ReferralCode) -> None:
            referral.code = self.code
            referral.case = self.case
            referral.entry = self.entry

    if TYPE_CHECKING:
        code: str
        case: str
        entry: int

    @classmethod
    def assign(cls, code: str, *, case: str, entry: int, stamp: Stamp) -> ReferralCode:
        return cls._create(
            cls.Assigned, id=coded_id(code), code=code, case=case, entry=entry, **stamp.fields()
        )


class Complaint(Record):
    """A complaint about the service and how it was handled (quality standard 7)."""

    class Event(Record.Event):
        pass

    class Received(Record.Created, Event):
        code: str
        service: str
        client: str | None
        personal: dict[str, str]

        def apply(self, complaint: Complaint) -> None:
            complaint.code = self.code
            complaint.service = self.service
            complaint.outcome = None

    class Resolved(Event):
        outcome: str
        personal: dict[str, str]

        def apply(self, complaint: Complaint) -> None:
            complaint.outcome = ComplaintOutcome(self.outcome)

    if TYPE_CHECKING:
        code: str
        service: str
        outcome: ComplaintOutcome | None

    @classmethod
    def receive(
        cls, code: str, *, service: str, client: str | None, summary: str, occurred_at: datetime, stamp: Stamp
    ) -> Complaint:
        return cls._create(
            cls.Received,
            id=coded_id(code),
            code=code,
            service=service,
            client=client,
            personal={"summary": check_text("summary", summary, multiline=True, limit=10_000)},
            **stamp.fields(stamp.check_past(occurred_at)),
        )

    def resolve(
        self, *, outcome: ComplaintOutcome, response: str, occurred_at: datetime, stamp: Stamp
    ) -> None:
        if self.outcome is not None:
            raise InvalidValue("complaint", f"{self.code} was already resolved as {self.outcome.value}")
        response = check_text("response", response, multiline=True, required=False, limit=10_000)
        self.trigger_event(
            self.Resolved,
            outcome=outcome.value,
            personal={"response": response} if response else {},
            **stamp.fields(stamp.check_past(occurred_at)),
        )


class CaseRead(Record):
    """Somebody read a case's history (reads of personal data are facts too; rule 7)."""

    class Event(Record.Event):
        pass

    class Viewed(Record.Created, Event):
        case: str
        service: str
        purpose: str
        as_of: datetime | None

        def apply(self, read: CaseRead) -> None:
            read.case = self.case

    if TYPE_CHECKING:
        case: str

    @classmethod
    def view(cls, *, case: str, service: str, purpose: str, as_of: datetime | None, stamp: Stamp) -> CaseRead:
        return cls._create(
            cls.Viewed,
            id=uuid4(),
            case=case,
            service=service,
            purpose=check_text("purpose", purpose, required=False, limit=500),
            as_of=as_of,
            **stamp.fields(),
        )


class ClientRead(Record):
    """Somebody read a client's record, personal data included (rule 7)."""

    class Event(Record.Event):
        pass

    class Viewed(Record.Created, Event):
        client: str
        purpose: str

        def apply(self, read: ClientRead) -> None:
            read.client = self.client

    if TYPE_CHECKING:
        client: str

    @classmethod
    def view(cls, *, client: str, purpose: str, stamp: Stamp) -> ClientRead:
        return cls._create(
            cls.Viewed,
            id=uuid4(),
            client=client,
            purpose=check_text("purpose", purpose, required=False, limit=500),
            **stamp.fields(),
        )


class CommandReceipt(Record):
    """Proof that a command was carried out, and what it answered.

    Saved in the same transaction as the command's facts, under an id derived
    from the command id: a retried command finds its receipt and is not
    recorded again; two racing copies collide and only one lands.
    """

    class Event(Record.Event):
        pass

    class Issued(Record.Created, Event):
        command: str
        result: str

        def apply(self, receipt: CommandReceipt) -> None:
            receipt.command = self.command
            receipt.result = self.result
            receipt.recorded_by = self.recorded_by

    if TYPE_CHECKING:
        command: str
        result: str
        recorded_by: str

    def answers(self, command: str, actor: str) -> bool:
        """Whether this receipt is of the same command by the same person: a retry, not a reuse."""
        return (self.command, self.recorded_by) == (command, actor)

    @classmethod
    def issue(cls, command: str, result: str, stamp: Stamp) -> CommandReceipt:
        return cls._create(
            cls.Issued, id=receipt_id(stamp.command_id), command=command, result=result, **stamp.fields()
        )


class Directory(Record):
    """The installation's list of services and staff, which are few."""

    class Event(Record.Event):
        pass

    class Opened(Record.Created, Event):
        def apply(self, directory: Directory) -> None:
            directory.services = []
            directory.staff = []

    class Listed(Event):
        kind: str
        key: str

        def apply(self, directory: Directory) -> None:
            getattr(directory, self.kind).append(self.key)

    if TYPE_CHECKING:
        services: list[str]
        staff: list[str]

    @classmethod
    def open(cls, stamp: Stamp) -> Directory:
        return cls._create(cls.Opened, id=DIRECTORY_ID, **stamp.fields())

    def list_service(self, code: str, stamp: Stamp) -> None:
        self.trigger_event(self.Listed, kind="services", key=code, **stamp.fields())

    def list_staff(self, login: str, stamp: Stamp) -> None:
        self.trigger_event(self.Listed, kind="staff", key=login, **stamp.fields())
