"""Commands: what staff ask the journal to record, as plain values.

Codes are given as typed by people (``k-1`` or ``K-0001``); times are aware
datetimes, ``None`` meaning "now". Each command is handled in
``domain.handlers``; the CLI and the importer build the same commands.

Each area's commands are in a module of their own, loaded when one of its
commands is first named (``commands.LogSession`` loads
``domain.commands.entries``): making ~30 frozen dataclasses costs every
command start-up time, and a command needs only its own area.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from domain.commands.base import Command

if TYPE_CHECKING:
    from domain.commands.cases import CloseCase, OpenCase, ReopenCase
    from domain.commands.clients import (
        AmendClient,
        ChangeConsent,
        EraseClient,
        HoldClient,
        LiftHold,
        ReceiveEnquiry,
        RefuseEnquiry,
        RegisterClient,
    )
    from domain.commands.entries import (
        CorrectEntry,
        LogContact,
        LogSession,
        MakeReferral,
        RecordReferralOutcome,
        RetractEntry,
        ReviewGoal,
        SetGoal,
    )
    from domain.commands.records import IssueReport, ReceiveComplaint, ResolveComplaint
    from domain.commands.staff import (
        AddStaff,
        ChangeStaffRole,
        ReconfigureService,
        RecordStaffLeaving,
        RegisterService,
    )

AREAS: dict[str, tuple[str, ...]] = {
    "staff": ("RegisterService", "ReconfigureService", "AddStaff", "ChangeStaffRole", "RecordStaffLeaving"),
    "clients": (
        "RegisterClient",
        "AmendClient",
        "ChangeConsent",
        "EraseClient",
        "HoldClient",
        "LiftHold",
        "ReceiveEnquiry",
        "RefuseEnquiry",
    ),
    "cases": ("OpenCase", "CloseCase", "ReopenCase"),
    "entries": (
        "LogContact",
        "LogSession",
        "MakeReferral",
        "RecordReferralOutcome",
        "SetGoal",
        "ReviewGoal",
        "CorrectEntry",
        "RetractEntry",
    ),
    "records": ("ReceiveComplaint", "ResolveComplaint", "IssueReport"),
}
_AREA = {name: area for area, names in AREAS.items() for name in names}


def __getattr__(name: str) -> Any:
    area = _AREA.get(name)
    if area is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{area}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AddStaff",
    "AmendClient",
    "ChangeConsent",
    "ChangeStaffRole",
    "CloseCase",
    "Command",
    "CorrectEntry",
    "EraseClient",
    "HoldClient",
    "IssueReport",
    "LiftHold",
    "LogContact",
    "LogSession",
    "MakeReferral",
    "OpenCase",
    "ReceiveComplaint",
    "ReceiveEnquiry",
    "ReconfigureService",
    "RecordReferralOutcome",
    "RecordStaffLeaving",
    "RefuseEnquiry",
    "RegisterClient",
    "RegisterService",
    "ReopenCase",
    "ResolveComplaint",
    "RetractEntry",
    "ReviewGoal",
    "SetGoal",
]
