"""Handlers of the commands about clients and enquiries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain import commands as c
from domain.codes import CodeKind
from domain.facts import Stamp
from domain.handlers import handles, when
from domain.staff import Duty

if TYPE_CHECKING:
    from domain.journal import UnitOfWork


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
        occurred_at=when(cmd.occurred_at, stamp),
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
        occurred_at=when(cmd.occurred_at, stamp),
        stamp=stamp,
    )
    return enquiry.code
