"""``kronika backup FILE`` and ``kronika restore FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from cli.app import App, pass_app
from cli.i18n import _
from domain.staff import Duty


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def backup(app: App, file: Path) -> None:
    """Copy the journal (facts and client keys, still encrypted) to a new file (admin).

    The master key is not in the file: keep it apart, restoring needs it.

    Example: kronika backup kronika-2025-11-22.backup
    """
    from cli.integrity import problem_line
    from cli.operations import read_store
    from workers.backup import NotIntact
    from workers.backup import backup as write_backup
    from workers.nudge import highest_write

    app.journal.readable_services(actor=app.actor, duty=Duty.ADMINISTER)
    try:
        with read_store(app) as store:
            head = write_backup(app.journal, file, store, recorded=highest_write(app.settings))
    except NotIntact as refused:
        first = refused.found.first
        raise click.ClickException(
            _(
                "the journal is not intact ({problem}), so it is not backed up: a backup would carry "
                "the tampering on. See what changed with: kronika audit verify"
            ).format(
                problem=problem_line(first)
                if first
                else _("the journal changed while it was being backed up; try again")
            )
        ) from None
    click.echo(
        _("{n} facts backed up to {file}; chain head {head}.").format(n=head.position, file=file, head=head)
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def restore(app: App, file: Path) -> None:
    """Restore a backup into an empty journal (here, or the database KRONIKA_DATABASE_URL names).

    Needs the master key of the installation the backup came from. The
    projections are rebuilt from the restored facts and the hash chain is
    checked against the backup's.

    Example: kronika restore kronika-2025-11-22.backup
    """
    from workers.backup import restore as read_backup
    from workers.journal import open_journal
    from workers.nudge import forget_writes
    from workers.projecting import open_read_store, set_up

    count, head = read_backup(app.settings, file)
    forget_writes(app.settings)  # writes remembered here were to another journal
    journal = open_journal(app.settings)
    try:
        set_up(app.settings, journal)
        from projections.chain import extend
        from projections.chain import head as chain_head

        store = open_read_store(app.settings)
        try:
            extend(journal, store)  # the restored facts were checked against the backup's head above
            rebuilt = chain_head(store)
        finally:
            store.dispose()
    finally:
        journal.close()
    if rebuilt != head:
        raise click.ClickException(
            _("the restored chain head {found} is not the backup's {head}").format(found=rebuilt, head=head)
        )
    click.echo(_("{n} facts restored; chain head {head} as in the backup.").format(n=count, head=head))


def register(cli: click.Group) -> None:
    cli.add_command(backup)
    cli.add_command(restore)
