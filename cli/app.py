"""What every command shares: settings, the journal, the acting user, output."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import click

from cli.i18n import _
from domain.commands import Command
from domain.journal import Journal
from workers.journal import open_journal
from workers.nudge import PROJECTORS, NudgeFailed, nudge, remember_write
from workers.settings import Settings


@dataclass
class App:
    settings: Settings
    _journal: Journal | None = field(default=None, repr=False)

    @property
    def actor(self) -> str:
        return self.settings.user

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = open_journal(self.settings)
            # Close the store's connections when the command ends, not at garbage collection.
            click.get_current_context().find_root().call_on_close(self._close)
        return self._journal

    def _close(self) -> None:
        if self._journal is None:
            return
        written = self._journal.last_position
        self._journal.close()
        self._journal = None
        if written is not None:
            self._after_write(written)

    def _after_write(self, position: int) -> None:
        """Remember the write for read-your-writes, and nudge the workers if there are any."""
        remember_write(self.settings, position)
        if not self.settings.broker_url:
            return
        try:
            nudge(self.settings.broker_url, PROJECTORS)
        except NudgeFailed as error:
            click.echo(
                _(
                    "Note: recorded, but the workers could not be told ({why}); they catch up when it is back"
                ).format(why=error),
                err=True,
            )

    def record(self, command: Command, command_id: UUID | None) -> str:
        return self.journal.execute(command, actor=self.actor, command_id=command_id)

    def local(self, moment: datetime) -> str:
        return moment.astimezone(ZoneInfo(self.settings.timezone)).strftime("%Y-%m-%d %H:%M")


pass_app = click.make_pass_decorator(App)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def recording(builder: Callable[..., Command]) -> Callable[..., None]:
    """Turn a function that builds a command from options into a CLI command body.

    The builder stays reachable as ``.build`` so the importer can build the
    same commands from JSON lines.
    """

    @click.option(
        "--command-id",
        type=click.UUID,
        help="Id that makes a retried command be recorded once (default: a new one).",
    )
    @json_option
    @pass_app
    @functools.wraps(builder)
    def run(app: App, command_id: UUID | None, as_json: bool, **params: Any) -> None:
        result = app.record(builder(**params), command_id)
        click.echo(json.dumps({"result": result}) if as_json else result)

    run.build = builder  # type: ignore[attr-defined]
    return run


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    return str(value)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A readable table on the terminal (rich is imported only to draw one)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text, not markup: what people typed ("[erased]", "[b]") is shown as typed.
    view = Table(title=Text(title) if title else None, title_justify="left", show_lines=False)
    for column in columns:
        view.add_column(column, overflow="fold")
    for row in rows:
        view.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # piped into a file or a pager: do not fold at 80
    console.print(view)
