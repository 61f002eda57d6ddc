"""Commands that open, close and reopen cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.commands.base import Command
from domain.vocabulary import Agreement, CloseReason


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
