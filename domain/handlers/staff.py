"""Handlers of the commands about services and staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.codes import parse_login, parse_service_code
from domain.errors import AlreadyExists, LastAdmin
from domain.facts import Stamp
from domain.handlers import handles
from domain.service import Service
from domain.staff import Duty, Staff
from domain.vocabulary import Role

if TYPE_CHECKING:
    from domain.journal import UnitOfWork


@handles(c.RegisterService)
def register_service(cmd: c.RegisterService, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    code = parse_service_code(cmd.code)
    directory = uow.directory()
    if code in directory.services:
        raise AlreadyExists("service", code)
    uow.add(Service.register(code, cmd.parameters, stamp))
    directory.list_service(code, stamp)
    return code


@handles(c.ReconfigureService)
def reconfigure_service(cmd: c.ReconfigureService, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    service = uow.service(cmd.code)
    service.reconfigure(service.parameters.changed(cmd.changes), stamp)
    return service.code


def _services(uow: UnitOfWork, codes: list[str]) -> list[str]:
    return [uow.service(code).code for code in dict.fromkeys(codes)]


@handles(c.AddStaff)
def add_staff(cmd: c.AddStaff, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    login = parse_login(cmd.login)
    directory = uow.directory()
    if login in directory.staff:
        raise AlreadyExists("staff member", login)
    uow.add(Staff.add(login, cmd.name, cmd.role, _services(uow, cmd.services), stamp))
    directory.list_staff(login, stamp)
    return login


@handles(c.ChangeStaffRole)
def change_staff_role(cmd: c.ChangeStaffRole, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    staff = uow.staff(cmd.login)
    if cmd.role is not Role.ADMIN:
        _keep_an_admin(uow, staff)
    staff.change_role(cmd.role, _services(uow, cmd.services), stamp)
    return staff.login


@handles(c.RecordStaffLeaving)
def record_staff_leaving(cmd: c.RecordStaffLeaving, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    staff = uow.staff(cmd.login)
    _keep_an_admin(uow, staff)
    staff.leave(stamp)
    return staff.login


def _keep_an_admin(uow: UnitOfWork, going: Staff) -> None:
    """Refuse to let the last active admin leave or stop being one: nobody could add staff again."""
    if not (going.active and going.role is Role.ADMIN):
        return
    others = (uow.staff(login) for login in uow.directory().staff if login != going.login)
    if not any(other.active and other.role is Role.ADMIN for other in others):
        raise LastAdmin(going.login)
