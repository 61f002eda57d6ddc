"""What every command shares: settings, the journal, the acting user, output."""

from __future__ import annotations

import functools
import json
import os
import sys
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
    """A readable table on the terminal (rich is imported only to draw one).

    A table whose every cell is one line of plain single-width characters
    and that fits the width is drawn here, character for character as rich
    draws it (~50 times faster for a 1,000-entry history); anything else is
    left to rich.
    """
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if not _to_terminal():
        drawn = plain_table(title, columns, cells, width=PIPED_WIDTH) if _draws_unicode() else None
        if drawn is not None:
            click.echo(drawn)
            return
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=PIPED_WIDTH)  # piped into a file or a pager: do not fold at 80
    elif console.encoding.startswith("utf") and not console.legacy_windows:
        bold = console.color_system is not None  # rich's heading style, where it styles at all
        drawn = plain_table(title, columns, cells, width=console.width, bold_header=bold)
        if drawn is not None:
            console.file.write(drawn + "\n")
            console.file.flush()
            return
    from rich.table import Table
    from rich.text import Text

    # Text, not markup: what people typed ("[erased]", "[b]") is shown as typed.
    view = Table(title=Text(title) if title else None, title_justify="left", show_lines=False)
    for column in columns:
        view.add_column(column, overflow="fold")
    for row in cells:
        view.add_row(*(Text(cell) for cell in row))
    console.print(view)


PIPED_WIDTH = 200

# Characters rich draws one cell wide whatever the terminal (its own single-cell ranges, and the
# few marks Kronika prints); any other character leaves the drawing to rich.
_SINGLE_CELL = frozenset(
    chr(code)
    for start, end in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC))
    for code in range(start, end + 1)
) | frozenset("–—‘’“”„…→←↳✓✗")
_single_cell = _SINGLE_CELL.issuperset
_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


def _to_terminal() -> bool:
    """Whether rich would style the output (the test rich makes, for standard output)."""
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return sys.stdout.isatty()
    except ValueError:
        return False


def _draws_unicode() -> bool:
    """Whether rich would draw with box characters (it draws ASCII ones for other encodings)."""
    return (getattr(sys.stdout, "encoding", None) or "utf-8").lower().startswith("utf")


def plain_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    bold_header: bool = False,
) -> str | None:
    """The table as rich draws it without styles (heavy head, no lines between rows), or None
    when rich would draw it otherwise: a cell to fold or wrap, a character of another width,
    markup in a header, a title longer than the table."""
    count = len(columns)
    if not count or any(len(row) != count for row in rows):
        return None
    for text in columns:
        if not _single_cell(text) or "[" in text or ":" in text:
            return None
    for row in rows:
        for text in row:
            if not _single_cell(text):
                return None
    widths = [max(len(text) for text in column) for column in zip(columns, *rows, strict=True)]
    total = sum(widths) + 3 * count + 1
    if total > width:
        return None
    lines = []
    if title:
        if not _single_cell(title) or len(title) > total:
            return None
        lines.append(title.ljust(total))
    lines.append("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓")
    if bold_header:
        if not all(columns):
            return None
        heads = (
            f"{_BOLD} {_PLAIN}{_BOLD}{text.ljust(w)}{_PLAIN}{_BOLD} {_PLAIN}"
            for text, w in zip(columns, widths, strict=True)
        )
    else:
        heads = (f" {text.ljust(w)} " for text, w in zip(columns, widths, strict=True))
    lines.append("┃" + "┃".join(heads) + "┃")
    lines.append("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")
    for row in rows:
        lines.append("│" + "│".join(f" {text.ljust(w)} " for text, w in zip(row, widths, strict=True)) + "│")
    lines.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    return "\n".join(lines)
