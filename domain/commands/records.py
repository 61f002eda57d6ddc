"""Commands about complaints and issued reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.commands.base import Command
from domain.vocabulary import ComplaintOutcome


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
class IssueReport(Command):
    """Record that a report was issued; ``parameters["services"]`` are the ones it covers (None: all)."""

    report: str
    profile: dict[str, Any]
    parameters: dict[str, Any]
    position: int
    digest: str
    figures: dict[str, Any]
