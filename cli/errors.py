"""Refusals as one line: what is wrong and the way out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cli.i18n import _
from domain import errors as e


def _age_range(err: e.OutsideAgeRange) -> str:
    low = err.low if err.low is not None else 0
    high = err.high if err.high is not None else "∞"
    return _(
        "client {client} (age up to {age}) is outside the age range {low}-{high} of service {service}. "
        "Record the enquiry and refuse it with reason a (kronika enquiry refuse E-… --reason a), "
        "or, as a supervisor, open the case with --override REASON"
    ).format(client=err.client, age=err.age, low=low, high=high, service=err.service)


def _not_correctable(err: e.EntryNotCorrectable) -> str:
    if err.field is None:
        return _(
            "entry {entry} ({kind}) cannot be corrected or retracted; "
            "sessions, contacts, referrals, outcomes, goals and reviews can"
        ).format(entry=err.entry, kind=_(err.kind))
    return _(
        "entry {entry} ({kind}) has no correctable field {field}; see: kronika entry correct --help"
    ).format(entry=err.entry, kind=_(err.kind), field=err.field)


MESSAGES: dict[type[Exception], Callable[[Any], str]] = {
    e.CaseClosed: lambda err: _(
        "case {case} is closed. Reopen it first with: kronika case reopen {case} --reason REASON"
    ).format(case=err.case),
    e.ClientErased: lambda err: _(
        "client {client} is erased: nothing personal can be recorded about them again; "
        "register the person anew if they come back"
    ).format(client=err.client),
    e.PersonalDataErased: lambda _err: _(
        "the client of this case is erased: record it without notes or reasons (personal data)"
    ),
    e.LegalHold: lambda err: _(
        "client {client} is under a legal hold; "
        "a supervisor lifts it first: kronika client release {client} --reason ..."
    ).format(client=err.client),
    e.NoLegalHold: lambda err: _("client {client} is not under a legal hold; nothing to lift").format(
        client=err.client
    ),
    e.CaseAlreadyOpen: lambda err: _("case {case} is open already; nothing to reopen").format(case=err.case),
    e.SessionLimitReached: lambda err: _(
        "case {case} has had all {limit} sessions its service allows. "
        "A supervisor may log another with: --override REASON"
    ).format(case=err.case, limit=err.limit),
    e.OutsideAgeRange: _age_range,
    e.NoSuchEntry: lambda err: _(
        "there is no entry {entry}; see the entries with: kronika history CASE"
    ).format(entry=err.entry),
    e.EntryRetracted: lambda err: _(
        "entry {entry} was retracted and cannot be changed; record the right facts as a new entry"
    ).format(entry=err.entry),
    e.EntryNotCorrectable: _not_correctable,
    e.OutcomeRecorded: lambda err: _(
        "this referral's outcome is recorded already as {entry}; "
        "change it with: kronika entry correct {entry} --outcome ..."
    ).format(entry=err.entry),
    e.EnquiryDecided: lambda err: _("enquiry {enquiry} was already refused or led to a case").format(
        enquiry=err.enquiry
    ),
    e.FormNotOffered: lambda err: _(
        "service {service} is not registered for the {form} form; use one of its forms (kronika service list)"
    ).format(service=err.service, form=err.form),
    e.StaffNotInService: lambda err: _(
        "{login} does not work in service {service}; an admin can add it: kronika staff role {login} ..."
    ).format(login=err.login, service=err.service),
    e.NotFound: lambda err: _("there is no {kind} {key}; check the code").format(
        kind=_(err.kind), key=err.key
    ),
    e.AlreadyExists: lambda err: _("{kind} {key} exists already").format(kind=_(err.kind), key=err.key),
    e.AccessDenied: lambda err: _("{actor} may not {action}: this needs {needed}. Ask an admin").format(
        actor=err.actor, action=_(err.action), needed=err.needed
    ),
    e.ClientNotShared: lambda err: _(
        "{actor} may not open a case for client {client}: the client is served by another service, and "
        "clients' records are not shared between services. Register the person in your own service "
        "with: kronika client add ..."
    ).format(actor=err.actor, client=err.client),
    e.PurposeRequired: lambda err: _(
        '{actor} reads as an auditor: say why with --purpose, e.g. --purpose "quality audit 2025"'
    ).format(actor=err.actor),
    e.UnknownActor: lambda err: (
        _(
            "{actor} has left this journal's staff; someone who comes back is added anew, "
            "under a new login: kronika staff add LOGIN ..."
        )
        if err.left
        else _(
            "{actor} is not active staff of this journal. An admin can add you: kronika staff add {actor} ..."
        )
    ).format(actor=err.actor),
    e.LastAdmin: lambda err: _(
        "{login} is the journal's last active admin; make someone else admin first: "
        "kronika staff role LOGIN --role admin"
    ).format(login=err.login),
    e.CommandIdReused: lambda err: _(
        "command id {id} answered another command, or someone else's; nothing was written. "
        "Give this command an id of its own"
    ).format(id=err.command_id),
    e.WriteConflict: lambda err: _(
        "others kept changing the same records ({attempts} attempts); nothing was written, try again"
    ).format(attempts=err.attempts),
    e.InvalidValue: lambda err: _("{field}: {problem}").format(field=err.field, problem=err.problem),
}


# Refusals naming a moment, shown in the installation's time zone (``local``).
AT_A_MOMENT: dict[type[Exception], Callable[[Any, Callable[[datetime], str]], str]] = {
    e.OccurredInFuture: lambda err, local: _("{when} is in the future; give a time that has passed").format(
        when=local(err.when)
    ),
    e.OccurredTooEarly: lambda err, local: _(
        "case {case} was opened only at {opened}; give a later date or time, or correct the opening"
    ).format(case=err.case, opened=local(err.opened_at)),
    e.NotYetRecorded: lambda err, local: _(
        "case {case} had not been recorded by {when}; give a later --as-of, or none"
    ).format(case=err.case, when=local(err.as_of)),
}


def explain(error: e.KronikaError, local: Callable[[datetime], str]) -> str:
    """The refusal's one line; ``local`` shows a moment in the installation's time zone."""
    for cls in type(error).__mro__:
        if cls in AT_A_MOMENT:
            return AT_A_MOMENT[cls](error, local)
        if cls in MESSAGES:
            return MESSAGES[cls](error)
    return error.message
