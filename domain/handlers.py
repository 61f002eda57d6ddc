"""One handler per command: check who acts, load the records, apply the rules.

A handler returns the code people will use for what it recorded (``K-0001``,
``P-0001#3``, ...). It raises a domain error before anything is recorded.

The records only some commands touch (clients, contacts, enquiries, reports)
are imported by those commands' handlers: making their fact classes costs
start-up time that a session or a case command need not pay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from domain import commands as c
from domain.case import Case
from domain.codes import CodeKind, EntryRef, code_kind, parse_login, parse_service_code
from domain.errors import (
    AlreadyExists,
    ClientNotShared,
    InvalidValue,
    OutsideAgeRange,
    StaffNotInService,
)
from domain.facts import Stamp
from domain.records import Complaint, ReferralCode
from domain.service import Service
from domain.staff import Duty, Staff
from domain.vocabulary import Form, Role

if TYPE_CHECKING:
    from domain.contact import Contact
    from domain.journal import Handler, UnitOfWork

C = TypeVar("C", bound=c.Command)
HANDLERS: dict[type[c.Command], Handler] = {}


def handles(command: type[C]) -> Callable[[Callable[[C, UnitOfWork, Stamp], str]], Any]:
    def register(handler: Callable[[C, UnitOfWork, Stamp], str]) -> Any:
        HANDLERS[command] = handler
        return handler

    return register


def _when(occurred_at: datetime | None, stamp: Stamp) -> datetime:
    return occurred_at or stamp.now


def _entry(case: Case, number: int) -> str:
    return str(EntryRef(case.code, number))


# -- services and staff ------------------------------------------------------


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


# -- clients and enquiries ---------------------------------------------------


@handles(c.RegisterClient)
def register_client(cmd: c.RegisterClient, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.client import Client

    uow.actor(stamp.actor, Duty.RECORD)
    code = uow.next_code(CodeKind.CLIENT)
    uow.add(Client.register(code, cmd.kind, cmd.attributes, cmd.personal, stamp))
    return code


@handles(c.AmendClient)
def amend_client(cmd: c.AmendClient, uow: UnitOfWork, stamp: Stamp) -> str:
    client = uow.client_for(stamp.actor, Duty.RECORD, cmd.client)
    client.amend(cmd.changes, cmd.personal, stamp)
    return client.code


@handles(c.ChangeConsent)
def change_consent(cmd: c.ChangeConsent, uow: UnitOfWork, stamp: Stamp) -> str:
    client = uow.client_for(stamp.actor, Duty.RECORD, cmd.client)
    client.change_consent(cmd.purpose, cmd.given, stamp)
    return client.code


@handles(c.EraseClient)
def erase_client(cmd: c.EraseClient, uow: UnitOfWork, stamp: Stamp) -> str:
    client = uow.client_for(stamp.actor, Duty.ERASE, cmd.client)
    client.erase(cmd.reason, stamp)
    return client.code


@handles(c.HoldClient)
def hold_client(cmd: c.HoldClient, uow: UnitOfWork, stamp: Stamp) -> str:
    client = uow.client_for(stamp.actor, Duty.ERASE, cmd.client)
    client.place_hold(cmd.reason, stamp)
    return client.code


@handles(c.LiftHold)
def lift_hold(cmd: c.LiftHold, uow: UnitOfWork, stamp: Stamp) -> str:
    client = uow.client_for(stamp.actor, Duty.ERASE, cmd.client)
    client.lift_hold(cmd.reason, stamp)
    return client.code


@handles(c.ReceiveEnquiry)
def receive_enquiry(cmd: c.ReceiveEnquiry, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.enquiry import Enquiry

    service = uow.service(cmd.service)
    uow.actor(stamp.actor, Duty.RECORD, service.code)
    client = uow.client(cmd.client).code if cmd.client else None
    code = uow.next_code(CodeKind.ENQUIRY)
    enquiry = Enquiry.receive(
        code,
        service=service,
        channel=cmd.channel,
        client=client,
        police_notice_at=cmd.police_notice_at,
        occurred_at=_when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    uow.add(enquiry)
    return code


@handles(c.RefuseEnquiry)
def refuse_enquiry(cmd: c.RefuseEnquiry, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.enquiry import Enquiry

    enquiry = uow.coded(Enquiry, CodeKind.ENQUIRY, cmd.enquiry)
    uow.actor(stamp.actor, Duty.RECORD, enquiry.service)
    enquiry.refuse(
        reason=cmd.reason,
        detail=cmd.detail,
        pointed_to=cmd.pointed_to,
        occurred_at=_when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    return enquiry.code


# -- cases -------------------------------------------------------------------


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
    opened_at = _when(cmd.opened_at, stamp)
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


def _case_for(uow: UnitOfWork, text: str, stamp: Stamp, duty: Duty = Duty.RECORD) -> tuple[Case, Service]:
    case = uow.case(text)
    uow.actor(stamp.actor, duty, case.service)
    return case, uow.service(case.service)


@handles(c.CloseCase)
def close_case(cmd: c.CloseCase, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = _case_for(uow, cmd.case, stamp, Duty.SUPERVISE)
    return _entry(case, case.close(reason=cmd.reason, occurred_at=_when(cmd.occurred_at, stamp), stamp=stamp))


@handles(c.ReopenCase)
def reopen_case(cmd: c.ReopenCase, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = _case_for(uow, cmd.case, stamp, Duty.SUPERVISE)
    return _entry(case, case.reopen(reason=cmd.reason, stamp=stamp))


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
    case, service = _case_for(uow, cmd.case, stamp)
    if cmd.override:
        uow.actor(stamp.actor, Duty.SUPERVISE, service.code)
    number = case.hold_session(
        service=service,
        occurred_at=_when(cmd.occurred_at, stamp),
        minutes=cmd.minutes,
        form=cmd.form,
        activities=cmd.activities,
        staff=_present(uow, cmd.staff, stamp, service.code),
        district=cmd.district,
        note=cmd.note,
        override=cmd.override,
        stamp=stamp,
    )
    return _entry(case, number)


@handles(c.LogContact)
def log_contact(cmd: c.LogContact, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.contact import Contact

    occurred_at = _when(cmd.occurred_at, stamp)
    if cmd.case:
        if cmd.service or cmd.client:
            raise InvalidValue("case", "give either a case, or a service (and maybe a client), not both")
        case, service = _case_for(uow, cmd.case, stamp)
        form = cmd.form or _default_form(service)
        number = case.log_contact(
            service=service,
            occurred_at=occurred_at,
            channel=cmd.channel,
            minutes=cmd.minutes,
            form=form,
            stamp=stamp,
        )
        return _entry(case, number)
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
    case, _ = _case_for(uow, cmd.case, stamp)
    code = uow.next_code(CodeKind.REFERRAL)
    number = case.make_referral(
        referral=code,
        organisation=cmd.organisation,
        kind=cmd.kind,
        reason=cmd.reason,
        occurred_at=_when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    uow.add(ReferralCode.assign(code, case=case.code, entry=number, stamp=stamp))
    return code


@handles(c.RecordReferralOutcome)
def record_referral_outcome(cmd: c.RecordReferralOutcome, uow: UnitOfWork, stamp: Stamp) -> str:
    referral = uow.coded(ReferralCode, CodeKind.REFERRAL, cmd.referral)
    case, _ = _case_for(uow, referral.case, stamp)
    number = case.record_referral_outcome(
        entry=referral.entry, outcome=cmd.outcome, occurred_at=_when(cmd.occurred_at, stamp), stamp=stamp
    )
    return _entry(case, number)


@handles(c.SetGoal)
def set_goal(cmd: c.SetGoal, uow: UnitOfWork, stamp: Stamp) -> str:
    case, _ = _case_for(uow, cmd.case, stamp)
    return _entry(case, case.set_goal(goal=cmd.goal, occurred_at=_when(cmd.occurred_at, stamp), stamp=stamp))


@handles(c.ReviewGoal)
def review_goal(cmd: c.ReviewGoal, uow: UnitOfWork, stamp: Stamp) -> str:
    ref = EntryRef.parse(cmd.entry)
    case, _ = _case_for(uow, ref.case, stamp)
    number = case.review_goal(
        entry=ref.number,
        status=cmd.status,
        note=cmd.note,
        occurred_at=_when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    return _entry(case, number)


# -- complaints --------------------------------------------------------------


@handles(c.ReceiveComplaint)
def receive_complaint(cmd: c.ReceiveComplaint, uow: UnitOfWork, stamp: Stamp) -> str:
    service = uow.service(cmd.service)
    uow.actor(stamp.actor, Duty.RECORD, service.code)
    client = uow.client(cmd.client).code if cmd.client else None
    code = uow.next_code(CodeKind.COMPLAINT)
    complaint = Complaint.receive(
        code,
        service=service.code,
        client=client,
        summary=cmd.summary,
        occurred_at=_when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    uow.add(complaint)
    return code


@handles(c.ResolveComplaint)
def resolve_complaint(cmd: c.ResolveComplaint, uow: UnitOfWork, stamp: Stamp) -> str:
    complaint = uow.coded(Complaint, CodeKind.COMPLAINT, cmd.complaint)
    uow.actor(stamp.actor, Duty.SUPERVISE, complaint.service)
    complaint.resolve(
        outcome=cmd.outcome, response=cmd.response, occurred_at=_when(cmd.occurred_at, stamp), stamp=stamp
    )
    return complaint.code


# -- reports -----------------------------------------------------------------


@handles(c.IssueReport)
def issue_report(cmd: c.IssueReport, uow: UnitOfWork, stamp: Stamp) -> str:
    from domain.report import Report

    uow.actor(stamp.actor, Duty.REPORT).authorise_services(Duty.REPORT, cmd.parameters.get("services"))
    code = uow.next_code(CodeKind.REPORT)
    uow.add(
        Report.issue(
            code,
            report=cmd.report,
            profile=cmd.profile,
            parameters=cmd.parameters,
            position=cmd.position,
            digest=cmd.digest,
            figures=cmd.figures,
            stamp=stamp,
        )
    )
    return code


# -- corrections -------------------------------------------------------------


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
    return _entry(
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
    return _entry(case, case.retract(entry=number, reason=cmd.reason, stamp=stamp))
