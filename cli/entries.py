"""What happens in a case: contacts, sessions, referrals, goals, complaints, corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from cli.app import recording
from cli.i18n import _
from cli.params import DATE, MOMENT, UNSEALED, EnumChoice, ListType
from domain import commands as c
from domain.vocabulary import (
    Activity,
    Channel,
    ComplaintOutcome,
    Form,
    GoalStatus,
    ReferralKind,
    ReferralOutcome,
)

_AT = click.option("--at", "occurred_at", type=MOMENT, help="When it happened (default: now).")


@click.group()
def contact() -> None:
    """Short contacts: phone, e-mail, chat, in person; with or without a case.

    Example: kronika contact log --service SOS --channel phone --minutes 15
    """


@contact.command("log")
@click.option("--case", help="The case, e.g. P-0001.")
@click.option("--service", help="Without a case: the service contacted.")
@click.option("--client", help="Without a case: the client, if known (else anonymous).")
@click.option("--channel", type=EnumChoice(Channel), required=True)
@click.option("--minutes", type=int, required=True, help="Whole minutes, 1 to 1440.")
@click.option(
    "--form", type=EnumChoice(Form), help="Form it is reported under (default: the service's first)."
)
@_AT
@recording
def contact_log(
    case: str | None,
    service: str | None,
    client: str | None,
    channel: Channel,
    minutes: int,
    form: Form | None,
    occurred_at: datetime | None,
) -> c.Command:
    """Log a contact; prints the entry (P-0001#4) or, without a case, its code (C-0001).

    Example: kronika contact log --service SOS --channel phone --minutes 15
    """
    if not case and not service:
        raise click.UsageError(_("give --case, or --service for a contact without a case"))
    return c.LogContact(channel, minutes, case, service, client, form, occurred_at)


@click.group()
def session() -> None:
    """Sessions: direct work in a case.

    Example: kronika session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention
    """


@session.command("log")
@click.argument("case")
@click.option("--minutes", type=int, required=True, help="Whole minutes, 1 to 1440.")
@click.option("--form", type=EnumChoice(Form), required=True)
@click.option(
    "--activity", "activities", type=ListType(Activity), required=True, help="e.g. crisis-intervention"
)
@click.option("--staff", type=ListType(), default=[], help="Logins of staff present (default: you).")
@_AT
@click.option("--district", help="Place or district where it took place.")
@click.option("--note", default="", help="Note (personal data).")
@click.option(
    "--override",
    help="Supervisors: log beyond the session limit, giving the reason." + UNSEALED,
)
@recording
def session_log(
    case: str,
    minutes: int,
    form: Form,
    activities: list[Activity],
    staff: list[str],
    occurred_at: datetime | None,
    district: str | None,
    note: str,
    override: str | None,
) -> c.Command:
    """Log a session; prints its entry (P-0001#5).

    Example: kronika session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention
    """
    return c.LogSession(case, minutes, form, activities, staff, occurred_at, district, note, override)


@click.group()
def referral() -> None:
    """Referrals to other organisations and their outcomes.

    Example: kronika referral add P-0001 --to "PL Bohnice" --kind psychiatric
    """


@referral.command("add")
@click.argument("case")
@click.option("--to", "organisation", required=True, help="The organisation, e.g. 'PL Bohnice'.")
@click.option("--kind", type=EnumChoice(ReferralKind), required=True)
@click.option("--reason", default="", help="Why (personal data: sealed with the client's key).")
@_AT
@recording
def referral_add(
    case: str, organisation: str, kind: ReferralKind, reason: str, occurred_at: datetime | None
) -> c.Command:
    """Refer the client elsewhere; prints the referral's code (R-0001).

    Example: kronika referral add P-0001 --to "PL Bohnice" --kind psychiatric
    """
    return c.MakeReferral(case, organisation, kind, reason, occurred_at)


@referral.command("outcome")
@click.argument("code")
@click.argument("outcome", type=EnumChoice(ReferralOutcome))
@click.option("--on", "occurred_at", type=DATE, help="Day the outcome was known (default: now).")
@recording
def referral_outcome(code: str, outcome: ReferralOutcome, occurred_at: datetime | None) -> c.Command:
    """Record how a referral ended: accepted, declined, no-show or unknown.

    Example: kronika referral outcome R-0001 accepted
    """
    return c.RecordReferralOutcome(code, outcome, occurred_at)


@click.group()
def goal() -> None:
    """Plan goals agreed with the client (individuální plán).

    Example: kronika goal set P-0001 --goal "find safe housing"
    """


@goal.command("set")
@click.argument("case")
@click.option("--goal", "text", required=True, help="The goal (personal data).")
@_AT
@recording
def goal_set(case: str, text: str, occurred_at: datetime | None) -> c.Command:
    """Record a goal agreed with the client; prints its entry.

    Example: kronika goal set P-0001 --goal "find safe housing"
    """
    return c.SetGoal(case, text, occurred_at)


@goal.command("review")
@click.argument("entry")
@click.option("--status", type=EnumChoice(GoalStatus), required=True)
@click.option("--note", default="", help="Note (personal data).")
@_AT
@recording
def goal_review(entry: str, status: GoalStatus, note: str, occurred_at: datetime | None) -> c.Command:
    """Review a goal, given by its entry.

    Example: kronika goal review P-0001#3 --status achieved
    """
    return c.ReviewGoal(entry, status, note, occurred_at)


@click.group()
def complaint() -> None:
    """Complaints about the service and their handling.

    Example: kronika complaint add --service SOS --summary "waited too long"
    """


@complaint.command("add")
@click.option("--service", required=True, help="Service code.")
@click.option("--summary", required=True, help="What the complaint says (personal data).")
@click.option("--client", help="The client complaining, if known.")
@_AT
@recording
def complaint_add(service: str, summary: str, client: str | None, occurred_at: datetime | None) -> c.Command:
    """Record a complaint; prints its code (S-0001).

    Example: kronika complaint add --service SOS --summary "waited too long"
    """
    return c.ReceiveComplaint(service, summary, client, occurred_at)


@complaint.command("resolve")
@click.argument("code")
@click.option("--outcome", type=EnumChoice(ComplaintOutcome), required=True)
@click.option("--response", default="", help="The answer given (personal data).")
@click.option("--on", "occurred_at", type=DATE, help="Day it was resolved (default: now).")
@recording
def complaint_resolve(
    code: str, outcome: ComplaintOutcome, response: str, occurred_at: datetime | None
) -> c.Command:
    """Record how a complaint was resolved (supervisor).

    Example: kronika complaint resolve S-0001 --outcome justified
    """
    return c.ResolveComplaint(code, outcome, response, occurred_at)


@click.group()
def entry() -> None:
    """Corrections and retractions: mistakes are fixed by new entries, never erased.

    Example: kronika entry correct P-0001#3 --minutes 45 --reason "typed 54 for 45"
    """


@entry.command("correct")
@click.argument("entry")
@click.option(
    "--reason",
    required=True,
    help="Why the entry is corrected." + UNSEALED,
)
@click.option("--at", "occurred_at", type=MOMENT, help="Correct when it happened.")
@click.option("--minutes", type=int, help="Correct the duration.")
@click.option("--form", type=EnumChoice(Form))
@click.option("--activity", "activities", type=ListType(Activity))
@click.option("--staff", type=ListType(), help="Correct the staff present.")
@click.option("--district")
@click.option("--note", help="Correct the note (personal data).")
@click.option("--channel", type=EnumChoice(Channel))
@click.option("--to", "organisation", help="Correct a referral's organisation.")
@click.option("--kind", type=EnumChoice(ReferralKind), help="Correct a referral's kind.")
@click.option("--referral-reason", help="Correct a referral's reason (personal data).")
@click.option("--outcome", type=EnumChoice(ReferralOutcome), help="Correct a referral outcome.")
@click.option("--goal", "goal_text", help="Correct a goal's wording.")
@click.option("--status", type=EnumChoice(GoalStatus), help="Correct a goal review's status.")
@recording
def entry_correct(
    entry: str, reason: str, referral_reason: str | None, goal_text: str | None, **fields: Any
) -> c.Command:
    """Correct an entry (supervisor): P-0001#3, a referral R-0001 or a contact C-0001.

    The original stays in the history, with the correction beside it.

    Example: kronika entry correct P-0001#3 --minutes 45 --reason "typed 54 for 45"
    """
    changes = {name: value for name, value in fields.items() if value is not None}
    if referral_reason is not None:
        changes["reason"] = referral_reason
    if goal_text is not None:
        changes["goal"] = goal_text
    if not changes:
        raise click.UsageError(_("name at least one field to correct, e.g. --minutes 45"))
    return c.CorrectEntry(entry, changes, reason)


@entry.command("retract")
@click.argument("entry")
@click.option(
    "--reason",
    required=True,
    help="Why it was entered in error." + UNSEALED,
)
@recording
def entry_retract(entry: str, reason: str) -> c.Command:
    """Retract an entry entered in error (supervisor); it stays visible as retracted.

    Example: kronika entry retract P-0001#4 --reason "logged on the wrong case"
    """
    return c.RetractEntry(entry, reason)


def register(cli: click.Group) -> None:
    for group in (contact, session, referral, goal, complaint, entry):
        cli.add_command(group)
