"""Handlers of the commands that open, close and reopen cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.case import Case
from domain.codes import CodeKind
from domain.errors import (
    ClientNotShared,
    InvalidValue,
    OutsideAgeRange,
    StaffNotInService,
)
from domain.facts import Stamp
from domain.handlers import case_for, entry_code, handles, when
from domain.staff import Duty
from domain.vocabulary import Role

if TYPE_CHECKING:
    from domain.journal import UnitOfWork


@handles(c.OpenCase)
def open_case(cmd: c.OpenCase, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.enquiry import Enquiry

    service = uow.service(cmd.service)
    actor = uow.actor(stamp.actor, Duty.RECORD, service.code)
    if cmd.override:
        uow.actor(stamp.actor, Duty.SUPERVISE, service.code)
    client = uow.client(cmd.client)
    if client.services and not any(actor.may(Duty.READ, served) for served in client.services):
        # Checked first: any later refusal (erased, age) would tell about another service's client.
        raise ClientNotShared(actor.login, client.code)
    client.check_not_erased()
    opened_at = when(cmd.opened_at, stamp)
    age = service.age_refused(*client.possible_ages(opened_at.date()))
    if age is not None and not cmd.override:
        low, high = service.parameters.min_age, service.parameters.max_age
        raise OutsideAgeRange(client.code, age, service.code, low, high)
    key_worker = _key_worker(uow, cmd.key_worker or stamp.actor, service.code)
    enquiry = uow.coded(Enquiry, CodeKind.ENQUIRY, cmd.enquiry) if cmd.enquiry else None
    if enquiry is not None and enquiry.service != service.code:
        raise InvalidValue("enquiry", f"{enquiry.code} was made to service {enquiry.service}")
    if enquiry is not None:
        enquiry.check_not_before_receipt(opened_at)
    if enquiry is not None and enquiry.client not in (None, client.code):
        raise InvalidValue("enquiry", f"{enquiry.code} was made by client {enquiry.client}")
    code = uow.next_code(CodeKind.CASE)
    case = Case.open(
        code,
        client_id=client.id,
        client_code=client.code,
        service=service.code,
        key_worker=key_worker,
        agreement=cmd.agreement,
        opened_at=opened_at,
        enquiry=enquiry.code if enquiry else None,
        override=cmd.override,
        stamp=stamp,
    )
    uow.add(case)
    client.serve(service.code, stamp)
    if enquiry is not None:
        enquiry.lead_to_case(code, stamp)
    return code


def _key_worker(uow: UnitOfWork, login: str, service: str) -> str:
    staff = uow.staff(login)
    if not staff.active or staff.role is Role.AUDITOR:
        raise StaffNotInService(staff.login, service)
    if staff.role is not Role.ADMIN and service not in staff.services:
        raise StaffNotInService(staff.login, service)
    return staff.login


@handles(c.CloseCase)
def close_case(cmd: c.CloseCase, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = case_for(uow, cmd.case, stamp, Duty.SUPERVISE)
    return entry_code(
        case, case.close(reason=cmd.reason, occurred_at=when(cmd.occurred_at, stamp), stamp=stamp)
    )


@handles(c.ReopenCase)
def reopen_case(cmd: c.ReopenCase, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = case_for(uow, cmd.case, stamp, Duty.SUPERVISE)
    return entry_code(case, case.reopen(reason=cmd.reason, stamp=stamp))
