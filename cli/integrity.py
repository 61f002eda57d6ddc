"""``kronika audit verify`` and ``kronika audit digest``: proof that the log was not altered."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cli.app import App, emit_json, json_option, pass_app
from cli.i18n import _
from cli.operations import read_store
from cli.reads import audit
from domain.errors import UnknownActor
from domain.staff import Duty

if TYPE_CHECKING:
    from projections.chain import Problem


def problem_line(problem: Problem) -> str:
    """One problem ``verify`` found, as a phrase."""
    messages = {
        "changed": lambda: _("the fact at position {position} was changed"),
        "moved": lambda: _("the fact at position {position} was moved there from position {moved_from}"),
        "removed": lambda: _("the fact at position {position} was removed"),
        "inserted": lambda: _("a fact was inserted at position {position}"),
        "chain-altered": lambda: _("the stored chain itself was altered at position {position}"),
    }
    if problem.kind == "removed" and problem.until is not None:
        messages["removed"] = lambda: _(
            "the facts from position {position} to {until} were removed from the end of the log"
        )
    line = messages[problem.kind]().format(
        position=problem.position, moved_from=problem.moved_from, until=problem.until
    )
    if problem.record:
        line += " " + _("(record {record}, version {version})").format(
            record=problem.record, version=problem.version
        )
    return line


def _authorise(app: App) -> Exception | None:
    """Rule 7 for ``audit verify``; or, if the facts that say who may audit cannot be read, the error.

    Tampering with a staff or directory fact must not hide itself by making
    the check fail: then the log is verified all the same, and the error is
    raised only if the log turns out intact. What verify shows (positions,
    record ids, counts) is no personal data.
    """
    from eventsourcing.persistence import MapperDeserialisationError, PersistenceError

    try:
        app.journal.readable_services(actor=app.actor, duty=Duty.AUDIT)
    except (MapperDeserialisationError, PersistenceError, UnknownActor, TypeError, ValueError) as error:
        # (The library raises TypeError or ValueError on some rows edited into another type.)
        return error
    return None


@audit.command("verify")
@click.option(
    "--digest", help="A digest printed earlier by kronika audit digest: prove the log still extends it."
)
@json_option
@pass_app
def audit_verify(app: App, digest: str | None, as_json: bool) -> None:
    """Recompute the hash chain over every stored fact and report the first one altered.

    Exits 1 if a fact was changed, removed, inserted or moved, or the log
    no longer extends the digest given.

    Example: kronika audit verify --digest 5120:3f9c…
    """
    from projections.chain import BadDigest, Digest, verify, verify_and_extend
    from workers.nudge import highest_write

    unchecked = _authorise(app)
    try:
        wanted = Digest.parse(digest) if digest is not None else None
    except BadDigest:
        raise click.BadParameter(
            _("{value!r} is not a digest like 5120:3f9c… as kronika audit digest prints it").format(
                value=digest
            ),
            param_hint="--digest",
        ) from None
    recorded = highest_write(app.settings)
    with read_store(app) as store:
        if unchecked is None:
            found = verify_and_extend(app.journal, store, wanted, recorded=recorded)
        else:
            # Who may audit could not be read: verify only (nothing is chained), and if the
            # log is intact, what stopped the check was something else.
            found = verify(app.journal, store, wanted, recorded=recorded)
            if found.intact:
                raise unchecked
    if as_json:
        emit_json(
            {
                "intact": found.intact,
                "facts": found.facts,
                "chained": found.chained,
                "problems": found.problems,
                "first": vars(found.first) if found.first else None,
                "head": str(found.head),
                "digest": str(found.digest) if found.digest else None,
                "extends": found.extends,
            }
        )
    else:
        click.echo(
            _("{facts} facts checked against the hash chain (head {head}).").format(
                facts=found.facts, head=found.head
            )
        )
        if found.first is not None:
            click.echo(
                _("TAMPERED: {problem}; {n} positions differ in all.").format(
                    problem=problem_line(found.first), n=found.problems
                )
            )
        if found.digest is not None:
            click.echo(
                _("The log still extends digest {digest}.").format(digest=found.digest)
                if found.extends
                else _(
                    "The log does NOT extend digest {digest}: "
                    "a fact at or before position {position} was altered."
                ).format(digest=found.digest, position=found.digest.position)
            )
        if found.intact:
            click.echo(_("Intact: no fact was changed, removed, inserted or moved."))
    if not found.intact:
        raise SystemExit(1)


@audit.command("digest")
@pass_app
def audit_digest(app: App) -> None:
    """Print the hash chain's head, to keep outside the database (paper, e-mail, another system).

    Example: kronika audit digest
    """
    from projections.chain import extend, head

    app.journal.readable_services(actor=app.actor, duty=Duty.AUDIT)
    with read_store(app) as store:
        extend(app.journal, store)
        click.echo(str(head(store)))


def register(cli: click.Group) -> None:
    """Nothing to add: importing this module adds the commands to ``kronika audit``."""
