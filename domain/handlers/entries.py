"""Handlers of the commands that record a case's entries (and contacts), and correct or retract them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.case import Case
from domain.codes import CodeKind, EntryRef, code_kind
from domain.errors import (
    InvalidValue,
    StaffNotInService,
)
from domain.facts import Stamp
from domain.handlers import case_for, entry_code, handles, when
from domain.records import ReferralCode
from domain.service import Service
from domain.staff import Duty
from domain.vocabulary import Form

if TYPE_CHECKING:
    from domain.contact import Contact
    from domain.journal import UnitOfWork


def _default_form(service: Service) -> Form:
    return Form.AMBULATORY if service.offers(Form.AMBULATORY) else service.parameters.forms[0]


def _present(uow: UnitOfWork, logins: list[str], stamp: Stamp, service: str) -> list[str]:
    """Staff present at direct work: active, and working in the service."""
    present = []
    for login in logins or [stamp.actor]:
        staff = uow.staff(login)
        if not staff.active:
            raise InvalidValue("staff", f"{staff.login} has left")
        if not staff.may(Duty.RECORD, service):
            raise StaffNotInService(staff.login, service)
        present.append(staff.login)
    return present


@handles(c.LogSession)
def log_session(cmd: c.LogSession, uow: UnitOfWork, stamp: Stamp) -> str:
    case, service = case_for(uow, cmd.case, stamp)
    if cmd.override:
        uow.actor(stamp.actor, Duty.SUPERVISE, service.code)
    number = case.hold_session(
        service=service,
        occurred_at=when(cmd.occurred_at, stamp),
        minutes=cmd.minutes,
        form=cmd.form,
        activities=cmd.activities,
        staff=_present(uow, cmd.staff, stamp, service.code),
        district=cmd.district,
        note=cmd.note,
        override=cmd.override,
        stamp=stamp,
    )
    return entry_code(case, number)


@handles(c.LogContact)
def log_contact(cmd: c.LogContact, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.contact import Contact

    occurred_at = when(cmd.occurred_at, stamp)
    if cmd.case:
        if cmd.service or cmd.client:
            raise InvalidValue("case", "give either a case, or a service (and maybe a client), not both")
        case, service = case_for(uow, cmd.case, stamp)
        form = cmd.form or _default_form(service)
        number = case.log_contact(
            service=service,
            occurred_at=occurred_at,
            channel=cmd.channel,
            minutes=cmd.minutes,
            form=form,
            stamp=stamp,
        )
        return entry_code(case, number)
    if not cmd.service:
        raise InvalidValue("service", "a contact belongs to a case or to a service")
    service = uow.service(cmd.service)
    uow.actor(stamp.actor, Duty.RECORD, service.code)
    client = uow.client(cmd.client).code if cmd.client else None
    code = uow.next_code(CodeKind.CONTACT)
    contact = Contact.log(
        code,
        service=service,
        client=client,
        channel=cmd.channel,
        minutes=cmd.minutes,
        form=cmd.form or _default_form(service),
        occurred_at=occurred_at,
        stamp=stamp,
    )
    uow.add(contact)
    return code


@handles(c.MakeReferral)
def make_referral(cmd: c.MakeReferral, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = case_for(uow, cmd.case, stamp)
    code = uow.next_code(CodeKind.REFERRAL)
    number = case.make_referral(
        referral=code,
        organisation=cmd.organisation,
        kind=cmd.kind,
        reason=cmd.reason,
        occurred_at=when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    uow.add(ReferralCode.assign(code, case=case.code, entry=number, stamp=stamp))
    return code


@handles(c.RecordReferralOutcome)
def record_referral_outcome(cmd: c.RecordReferralOutcome, uow: UnitOfWork, stamp: Stamp) -> str:
    referral = uow.coded(ReferralCode, CodeKind.REFERRAL, cmd.referral)
    case, _ = case_for(uow, referral.case, stamp)
    number = case.record_referral_outcome(
        entry=referral.entry, outcome=cmd.outcome, occurred_at=when(cmd.occurred_at, stamp), stamp=stamp
    )
    return entry_code(case, number)


@handles(c.SetGoal)
def set_goal(cmd: c.SetGoal, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = case_for(uow, cmd.case, stamp)
    return entry_code(
        case, case.set_goal(goal=cmd.goal, occurred_at=when(cmd.occurred_at, stamp), stamp=stamp)
    )


@handles(c.ReviewGoal)
def review_goal(cmd: c.ReviewGoal, uow: UnitOfWork, stamp: Stamp) -> str:
    ref = EntryRef.parse(cmd.entry)
    case, _ = case_for(uow, ref.case, stamp)
    number = case.review_goal(
        entry=ref.number,
        status=cmd.status,
        note=cmd.note,
        occurred_at=when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    return entry_code(case, number)


def _target(uow: UnitOfWork, text: str) -> tuple[Case, int] | Contact:
    """An entry reference: ``P-0001#3``, a referral ``R-0001`` or a contact ``C-0001``."""
    from domain.contact import Contact

    kind = code_kind(text)
    if kind is CodeKind.CONTACT:
        return uow.coded(Contact, kind, text)
    if kind is CodeKind.REFERRAL:
        referral = uow.coded(ReferralCode, kind, text)
        return uow.case(referral.case), referral.entry
    ref = EntryRef.parse(text)
    case = uow.case(ref.case)
    case.entry(ref.number)
    return case, ref.number


@handles(c.CorrectEntry)
def correct_entry(cmd: c.CorrectEntry, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.contact import Contact

    target = _target(uow, cmd.entry)
    service_code = target.service if isinstance(target, Contact) else target[0].service
    changes = dict(cmd.changes)
    if changes.get("staff"):  # an empty list is refused below, not read as "the one correcting"
        changes["staff"] = _present(uow, changes["staff"], stamp, service_code)
    if isinstance(target, Contact):
        uow.actor(stamp.actor, Duty.SUPERVISE, target.service)
        service = uow.service(target.service)
        target.correct(changes=changes, service=service, reason=cmd.reason, stamp=stamp)
        return target.code
    case, number = target
    uow.actor(stamp.actor, Duty.SUPERVISE, case.service)
    service = uow.service(case.service)
    return entry_code(
        case, case.correct(entry=number, changes=changes, service=service, reason=cmd.reason, stamp=stamp)
    )


@handles(c.RetractEntry)
def retract_entry(cmd: c.RetractEntry, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.contact import Contact

    target = _target(uow, cmd.entry)
    if isinstance(target, Contact):
        uow.actor(stamp.actor, Duty.SUPERVISE, target.service)
        target.retract(reason=cmd.reason, stamp=stamp)
        return target.code
    case, number = target
    uow.actor(stamp.actor, Duty.SUPERVISE, case.service)
    return entry_code(case, case.retract(entry=number, reason=cmd.reason, stamp=stamp))
