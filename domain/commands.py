"""Commands: what staff ask the journal to record, as plain values.

Codes are given as typed by people (``k-1`` or ``K-0001``); times are aware
datetimes, ``None`` meaning "now". Each command is handled in
``domain.handlers``; the CLI and the importer build the same commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.service import ServiceParameters
from domain.vocabulary import (
    Activity,
    Agreement,
    Channel,
    ClientKind,
    CloseReason,
    ComplaintOutcome,
    Form,
    GoalStatus,
    ReferralKind,
    ReferralOutcome,
    RefusalReason,
    Role,
)

if TYPE_CHECKING:
    from domain.client import ClientAttributes


def _no_attributes() -> ClientAttributes:
    # The client's module loads only for commands about clients (it costs others start-up time).
    from domain.client import ClientAttributes

    return ClientAttributes()


@dataclass(frozen=True)
class Command:
    pass


@dataclass(frozen=True)
class RegisterService(Command):
    code: str
    parameters: ServiceParameters


@dataclass(frozen=True)
class ReconfigureService(Command):
    """``changes`` names ServiceParameters fields and their new values."""

    code: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class AddStaff(Command):
    login: str
    name: str
    role: Role
    services: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChangeStaffRole(Command):
    login: str
    role: Role
    services: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecordStaffLeaving(Command):
    login: str


@dataclass(frozen=True)
class RegisterClient(Command):
    kind: ClientKind
    attributes: ClientAttributes = field(default_factory=_no_attributes)
    personal: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AmendClient(Command):
    client: str
    changes: dict[str, Any] = field(default_factory=dict)
    personal: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeConsent(Command):
    client: str
    purpose: str
    given: bool


@dataclass(frozen=True)
class EraseClient(Command):
    """Destroy the client's personal data for good; the statistics stay (supervisor)."""

    client: str
    reason: str


@dataclass(frozen=True)
class HoldClient(Command):
    """Place a legal hold: the client cannot be erased until it is lifted."""

    client: str
    reason: str


@dataclass(frozen=True)
class LiftHold(Command):
    client: str
    reason: str


@dataclass(frozen=True)
class ReceiveEnquiry(Command):
    service: str
    channel: Channel = Channel.IN_PERSON
    client: str | None = None
    police_notice_at: datetime | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class RefuseEnquiry(Command):
    enquiry: str
    reason: RefusalReason
    detail: str = ""
    pointed_to: str | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class OpenCase(Command):
    client: str
    service: str
    opened_at: datetime | None = None
    key_worker: str | None = None
    agreement: Agreement = Agreement.ORAL
    enquiry: str | None = None
    override: str | None = None


@dataclass(frozen=True)
class CloseCase(Command):
    case: str
    reason: CloseReason
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class ReopenCase(Command):
    case: str
    reason: str


@dataclass(frozen=True)
class LogContact(Command):
    channel: Channel
    minutes: int
    case: str | None = None
    service: str | None = None
    client: str | None = None
    form: Form | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class LogSession(Command):
    case: str
    minutes: int
    form: Form
    activities: list[Activity]
    staff: list[str] = field(default_factory=list)  # empty: the one recording
    occurred_at: datetime | None = None
    district: str | None = None
    note: str = ""
    override: str | None = None


@dataclass(frozen=True)
class MakeReferral(Command):
    case: str
    organisation: str
    kind: ReferralKind
    reason: str = ""
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class RecordReferralOutcome(Command):
    referral: str
    outcome: ReferralOutcome
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class SetGoal(Command):
    case: str
    goal: str
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class ReviewGoal(Command):
    entry: str
    status: GoalStatus
    note: str = ""
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class ReceiveComplaint(Command):
    service: str
    summary: str
    client: str | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class ResolveComplaint(Command):
    complaint: str
    outcome: ComplaintOutcome
    response: str = ""
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class CorrectEntry(Command):
    """``entry`` is ``P-0001#3``, a referral ``R-0001`` or a contact ``C-0001``."""

    entry: str
    changes: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class RetractEntry(Command):
    entry: str
    reason: str


@dataclass(frozen=True)
class IssueReport(Command):
    """Record that a report was issued; ``parameters["services"]`` are the ones it covers (None: all)."""

    report: str
    profile: dict[str, Any]
    parameters: dict[str, Any]
    position: int
    digest: str
    figures: dict[str, Any]
