"""Staff members and what each role may do (docs/domain.md rule 7)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from domain.codes import staff_id
from domain.errors import AccessDenied, InvalidValue
from domain.facts import Record, Stamp, check_text
from domain.vocabulary import Role


class Duty(StrEnum):
    """What a command does, as far as permissions go."""

    ADMINISTER = "administer the journal (services, staff, backups, projections)"
    RECORD = "record client work"
    SUPERVISE = "correct, retract, override, close or reopen"
    READ = "read case records"
    AUDIT = "read the audit trail and the quality findings"
    REPORT = "issue and reproduce reports"
    ERASE = "erase a client or place and lift legal holds"


_ROLES_FOR = {
    Duty.ADMINISTER: (Role.ADMIN,),
    Duty.RECORD: (Role.WORKER, Role.SUPERVISOR, Role.ADMIN),
    Duty.SUPERVISE: (Role.SUPERVISOR, Role.ADMIN),
    Duty.READ: (Role.WORKER, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN),
    Duty.AUDIT: (Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN),
    Duty.REPORT: (Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN),
    Duty.ERASE: (Role.SUPERVISOR, Role.ADMIN),
}


class Staff(Record):
    """A staff member (pracovník), known by their login."""

    class Event(Record.Event):
        pass

    class Added(Record.Created, Event):
        login: str
        name: str
        role: str
        services: list[str]

        def apply(self, staff: Staff) -> None:
            staff.login = self.login
            staff.name = self.name
            staff.role = Role(self.role)
            staff.services = tuple(self.services)
            staff.active = True

    class RoleChanged(Event):
        role: str
        services: list[str]

        def apply(self, staff: Staff) -> None:
            staff.role = Role(self.role)
            staff.services = tuple(self.services)

    class Left(Event):
        def apply(self, staff: Staff) -> None:
            staff.active = False

    if TYPE_CHECKING:
        login: str
        name: str
        role: Role
        services: tuple[str, ...]
        active: bool

    @classmethod
    def add(cls, login: str, name: str, role: Role, services: list[str], stamp: Stamp) -> Staff:
        _check_services(role, services)
        return cls._create(
            cls.Added,
            id=staff_id(login),
            login=login,
            name=check_text("name", name, limit=200),
            role=role.value,
            services=services,
            **stamp.fields(),
        )

    def change_role(self, role: Role, services: list[str], stamp: Stamp) -> None:
        _check_services(role, services)
        self.trigger_event(self.RoleChanged, role=role.value, services=services, **stamp.fields())

    def leave(self, stamp: Stamp) -> None:
        self.trigger_event(self.Left, **stamp.fields())

    def may(self, duty: Duty, service: str | None = None) -> bool:
        if not self.active or self.role not in _ROLES_FOR[duty]:
            return False
        if self.role in (Role.ADMIN, Role.AUDITOR) or service is None:
            return True
        return service in self.services

    def authorise(self, duty: Duty, service: str | None = None) -> None:
        if self.may(duty, service):
            return
        roles = " or ".join(r.value for r in _ROLES_FOR[duty])
        if self.role in _ROLES_FOR[duty] and service is not None:
            raise AccessDenied(self.login, str(duty), f"{roles} in service {service}")
        raise AccessDenied(self.login, str(duty), f"role {roles}")

    def authorise_any(self, duty: Duty, services: frozenset[str]) -> None:
        """Rule 7 for a record shared by services (a client): allowed in any one of them.

        A record no service has taken up yet (a client before their first case) needs the role only.
        """
        if not services or any(self.may(duty, service) for service in services):
            self.authorise(duty)
            return
        roles = " or ".join(r.value for r in _ROLES_FOR[duty])
        raise AccessDenied(self.login, str(duty), f"{roles} in service {' or '.join(sorted(services))}")

    def scope(self, duty: Duty, services: list[str] | None) -> list[str] | None:
        """The services a duty over many services covers when none are named.

        Admins and auditors: every service (None); everyone else: their own.
        """
        if services is None and self.role not in (Role.ADMIN, Role.AUDITOR):
            services = list(self.services)
        self.authorise_services(duty, services)
        return None if services is None else sorted(set(services))

    def authorise_services(self, duty: Duty, services: list[str] | None) -> None:
        """Rule 7 for work over many services (None: every service)."""
        if services is None:
            self.authorise(duty)
            if self.role not in (Role.ADMIN, Role.AUDITOR):
                raise AccessDenied(self.login, str(duty), "role auditor or admin, for every service")
            return
        for service in services:
            self.authorise(duty, service)


def _check_services(role: Role, services: list[str]) -> None:
    if role in (Role.WORKER, Role.SUPERVISOR) and not services:
        raise InvalidValue("service", f"a {role.value} works in at least one service")
