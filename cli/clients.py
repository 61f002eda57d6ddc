"""``kronika client ...`` and ``kronika enquiry ...``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from cli.app import App, emit_json, json_option, pass_app, recording, table
from cli.i18n import _
from cli.params import DATE, MOMENT, UNSEALED, EnumChoice, parse_date
from domain import commands as c
from domain.client import ClientAttributes
from domain.vocabulary import Channel, ClientKind, RefusalReason, Sex


def _birth_date(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return parse_date(text).isoformat()
    except ValueError:
        # The value is personal data: the message does not repeat it.
        raise click.BadParameter(
            _("not a date like 1.3.1990 (the value typed is not repeated here)"), param_hint="--birth-date"
        ) from None


def _attribute_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--name", help="Full name: makes the client identified (personal data)."),
            click.option("--birth-date", help="Date of birth (personal data), e.g. 1.3.1990."),
            click.option("--contact", help="Phone or e-mail (personal data)."),
            click.option("--birth-year", type=click.IntRange(1850, 2200), help="Year of birth."),
            click.option("--age-band", help="Estimated age band, e.g. 18-26 or 65+."),
            click.option("--sex", type=EnumChoice(Sex)),
            click.option(
                "--district", help="District of residence, e.g. 'Praha 3'; leave out if not stated."
            ),
            click.option("--target-group", help="Target group, e.g. 'oběti trestné činnosti'."),
        ]
    ):
        func = option(func)
    return func


def _personal(name: str | None, birth_date: str | None, contact: str | None) -> dict[str, str]:
    values = {"name": name, "birth_date": _birth_date(birth_date), "contact": contact}
    return {k: v for k, v in values.items() if v is not None}


@click.group()
def client() -> None:
    """Clients: anonymous, pseudonymous (a code and attributes) or identified.

    Example: kronika client add --birth-year 1990 --district "Praha 3"
    """


@client.command("add")
@click.option("--anonymous", is_flag=True, help="Nothing personal is recorded.")
@_attribute_options
@recording
def client_add(
    anonymous: bool,
    name: str | None,
    birth_date: str | None,
    contact: str | None,
    birth_year: int | None,
    age_band: str | None,
    sex: Sex | None,
    district: str | None,
    target_group: str | None,
) -> c.Command:
    """Register a client; prints their code (K-0001).

    Without --name the client is pseudonymous; with --anonymous nothing else may be given.

    Example: kronika client add --birth-year 1990 --sex female --district "Praha 3"
    """
    personal = _personal(name, birth_date, contact)
    kind = ClientKind.ANONYMOUS if anonymous else ClientKind.IDENTIFIED if name else ClientKind.PSEUDONYMOUS
    attributes = ClientAttributes(birth_year, age_band, sex, district, target_group)
    return c.RegisterClient(kind, attributes, personal)


@client.command("amend")
@click.argument("code")
@_attribute_options
@recording
def client_amend(
    code: str,
    name: str | None,
    birth_date: str | None,
    contact: str | None,
    birth_year: int | None,
    age_band: str | None,
    sex: Sex | None,
    district: str | None,
    target_group: str | None,
) -> c.Command:
    """Amend a client's attributes; options not given stay as they are.

    Example: kronika client amend K-0001 --district "Praha 10"
    """
    given = {
        "birth_year": birth_year,
        "age_band": age_band,
        "sex": sex.value if sex else None,
        "district": district,
        "target_group": target_group,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    return c.AmendClient(code, changes, _personal(name, birth_date, contact))


@client.command("consent")
@click.argument("code")
@click.option(
    "--purpose",
    required=True,
    help="What the consent is for, e.g. 'sharing with OSPOD'." + UNSEALED,
)
@click.option("--given/--withdrawn", default=True, help="Consent given (default) or withdrawn.")
@recording
def client_consent(code: str, purpose: str, given: bool) -> c.Command:
    """Record that a client gave or withdrew consent.

    Example: kronika client consent K-0001 --purpose "sharing with OSPOD" --withdrawn
    """
    return c.ChangeConsent(code, purpose, given)


@client.command("erase")
@click.argument("code")
@click.option(
    "--reason",
    required=True,
    help="Why, e.g. 'request under GDPR art. 17'." + UNSEALED,
)
@recording
def client_erase(code: str, reason: str) -> c.Command:
    """Erase a client's personal data for good (supervisor): name, contact, notes of their cases.

    The statistics, the shape of their cases and the audit trail stay. A legal
    hold blocks erasure until it is lifted.

    Example: kronika client erase K-0001 --reason "request under GDPR art. 17"
    """
    return c.EraseClient(code, reason)


@client.command("hold")
@click.argument("code")
@click.option(
    "--reason",
    required=True,
    help="Why, e.g. 'criminal proceedings 3 T 12/2025'." + UNSEALED,
)
@recording
def client_hold(code: str, reason: str) -> c.Command:
    """Place a legal hold: the client cannot be erased until it is lifted (supervisor).

    Example: kronika client hold K-0001 --reason "criminal proceedings"
    """
    return c.HoldClient(code, reason)


@client.command("release")
@click.argument("code")
@click.option("--reason", required=True, help="Why the hold ends." + UNSEALED)
@recording
def client_release(code: str, reason: str) -> c.Command:
    """Lift a legal hold (supervisor).

    Example: kronika client release K-0001 --reason "proceedings ended"
    """
    return c.LiftHold(code, reason)


@client.command("show")
@click.argument("code")
@click.option(
    "--purpose",
    default="",
    help="Why you read the record (recorded; required for auditors)." + UNSEALED,
)
@json_option
@pass_app
def client_show(app: App, code: str, purpose: str, as_json: bool) -> None:
    """Show a client's record, including personal data; the read is recorded.

    Example: kronika client show K-0001 --purpose "preparing the court report"
    """
    record = app.journal.client(code, actor=app.actor, purpose=purpose)
    data = {
        "code": record.code,
        "kind": record.kind.value,
        **record.attributes.as_event_fields(),
        **record.personal,
        "consents": record.consents,
        "legal_hold": record.hold,
        "erased": record.erased,
        "registered": app.local(record.created_on),
    }
    if as_json:
        emit_json(data)
        return
    rows = [(_(k), "" if v is None else v) for k, v in data.items() if k not in ("consents", "erased")]
    if record.erased:
        rows.append((_("personal data"), _("erased; it cannot be recovered")))
    rows += [
        (_("consent") + f": {purpose}", _("given") if ok else _("withdrawn"))
        for purpose, ok in record.consents.items()
    ]
    table(_("Client {code}").format(code=record.code), [_("Field"), _("Value")], rows)


@click.group()
def enquiry() -> None:
    """Applicants' enquiries, and refusals under §91 odst. 3.

    Example: kronika enquiry add --service SOS --channel phone
    """


@enquiry.command("add")
@click.option("--service", required=True, help="Service code.")
@click.option("--channel", type=EnumChoice(Channel), default=Channel.IN_PERSON.value, show_default=True)
@click.option("--client", help="The applicant's client code, if registered.")
@click.option(
    "--police-notice", type=MOMENT, help="Intervention centres: when the police notice of an eviction came."
)
@click.option("--at", "occurred_at", type=MOMENT, help="When the enquiry came (default: now).")
@recording
def enquiry_add(
    service: str,
    channel: Channel,
    client: str | None,
    police_notice: datetime | None,
    occurred_at: datetime | None,
) -> c.Command:
    """Record an applicant's enquiry; prints its code (E-0001).

    Example: kronika enquiry add --service SOS --channel phone
    """
    return c.ReceiveEnquiry(service, channel, client, police_notice, occurred_at)


@enquiry.command("refuse")
@click.argument("code")
@click.option(
    "--reason",
    type=EnumChoice(RefusalReason),
    required=True,
    help="a: not provided or outside target group/age; b: no capacity; c: health excludes a residential "
    "service; d: contract terminated for breach < 6 months ago.",
)
@click.option("--detail", default="", help="What happened (personal data).")
@click.option(
    "--pointed-to",
    help="Where the applicant was pointed, e.g. another service." + UNSEALED,
)
@click.option("--on", "occurred_at", type=DATE, help="Day of the refusal (default: now).")
@recording
def enquiry_refuse(
    code: str, reason: RefusalReason, detail: str, pointed_to: str | None, occurred_at: datetime | None
) -> c.Command:
    """Refuse an applicant for a statutory reason a-d.

    Example: kronika enquiry refuse E-0001 --reason b --pointed-to "Krizové centrum RIAPS"
    """
    return c.RefuseEnquiry(code, reason, detail, pointed_to, occurred_at)


def register(cli: click.Group) -> None:
    cli.add_command(client)
    cli.add_command(enquiry)
