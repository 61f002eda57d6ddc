"""Handlers of the commands about services and staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.codes import parse_login, parse_service_code
from domain.errors import (
    AlreadyExists,
)
from domain.facts import Stamp
from domain.handlers import handles
from domain.service import Service
from domain.staff import Duty, Staff

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
    staff.change_role(cmd.role, _services(uow, cmd.services), stamp)
    return staff.login


@handles(c.RecordStaffLeaving)
def record_staff_leaving(cmd: c.RecordStaffLeaving, uow: UnitOfWork, stamp: Stamp) -> str:
    uow.actor(stamp.actor, Duty.ADMINISTER)
    staff = uow.staff(cmd.login)
    staff.leave(stamp)
    return staff.login
