"""``kronika case open|close|reopen``."""

from __future__ import annotations

from datetime import datetime

import click

from cli.app import recording
from cli.params import DATE, UNSEALED, EnumChoice
from domain import commands as c
from domain.vocabulary import Agreement, CloseReason


@click.group()
def case() -> None:
    """Cases: one client's course of help in one service.

    Example: kronika case open K-0001 --service SOS
    """


@case.command("open")
@click.argument("client")
@click.option("--service", required=True, help="Service code.")
@click.option("--on", "opened_at", type=DATE, help="Day the case opened (default: now).")
@click.option("--key-worker", help="Login of the key worker (default: you).")
@click.option("--agreement", type=EnumChoice(Agreement), default=Agreement.ORAL.value, show_default=True)
@click.option("--enquiry", help="The enquiry that led to this case, e.g. E-0001.")
@click.option(
    "--override",
    help="Supervisors: open despite the age range, giving the reason." + UNSEALED,
)
@recording
def case_open(
    client: str,
    service: str,
    opened_at: datetime | None,
    key_worker: str | None,
    agreement: Agreement,
    enquiry: str | None,
    override: str | None,
) -> c.Command:
    """Open a case for a client; prints its code (P-0001).

    Example: kronika case open K-0001 --service SOS --on 1.3.2025
    """
    return c.OpenCase(client, service, opened_at, key_worker, agreement, enquiry, override)


@case.command("close")
@click.argument("code")
@click.option("--reason", type=EnumChoice(CloseReason), required=True)
@click.option("--on", "occurred_at", type=DATE, help="Day the case closed (default: now).")
@recording
def case_close(code: str, reason: CloseReason, occurred_at: datetime | None) -> c.Command:
    """Close a case (supervisor).

    Example: kronika case close P-0001 --reason goal-met
    """
    return c.CloseCase(code, reason, occurred_at)


@case.command("reopen")
@click.argument("code")
@click.option(
    "--reason",
    required=True,
    help="Why the case is reopened." + UNSEALED,
)
@recording
def case_reopen(code: str, reason: str) -> c.Command:
    """Reopen a closed case (supervisor).

    Example: kronika case reopen P-0001 --reason "client returned"
    """
    return c.ReopenCase(code, reason)


def register(cli: click.Group) -> None:
    cli.add_command(case)
