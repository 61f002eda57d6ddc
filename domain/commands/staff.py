"""Commands about services and staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.commands.base import Command
from domain.service import ServiceParameters
from domain.vocabulary import Role


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
