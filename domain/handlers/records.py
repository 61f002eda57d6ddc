"""Handlers of the commands about complaints and issued reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.codes import CodeKind
from domain.facts import Stamp
from domain.handlers import handles, when
from domain.records import Complaint
from domain.staff import Duty

if TYPE_CHECKING:
    from domain.journal import UnitOfWork


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
        occurred_at=when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    uow.add(complaint)
    return code


@handles(c.ResolveComplaint)
def resolve_complaint(cmd: c.ResolveComplaint, uow: UnitOfWork, stamp: Stamp) -> str:
    complaint = uow.coded(Complaint, CodeKind.COMPLAINT, cmd.complaint)
    uow.actor(stamp.actor, Duty.SUPERVISE, complaint.service)
    complaint.resolve(
        outcome=cmd.outcome, response=cmd.response, occurred_at=when(cmd.occurred_at, stamp), stamp=stamp
    )
    return complaint.code


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
