"""Commands that record a case's entries (and contacts), and correct or retract them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.commands.base import Command
from domain.vocabulary import Activity, Channel, Form, GoalStatus, ReferralKind, ReferralOutcome


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
class CorrectEntry(Command):
    """``entry`` is ``P-0001#3``, a referral ``R-0001`` or a contact ``C-0001``."""

    entry: str
    changes: dict[str, Any]
    reason: str


@dataclass(frozen=True)
class RetractEntry(Command):
    entry: str
    reason: str
