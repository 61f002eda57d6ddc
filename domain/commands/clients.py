"""Commands about clients and applicants' enquiries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.commands.base import Command
from domain.vocabulary import Channel, ClientKind, RefusalReason

if TYPE_CHECKING:
    from domain.client import ClientAttributes


def _no_attributes() -> ClientAttributes:
    # The client's module loads only for commands about clients (it costs others start-up time).
    from domain.client import ClientAttributes

    return ClientAttributes()


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
