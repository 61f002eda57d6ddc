"""A table printed to a file or a pipe is drawn as rich draws it, whoever draws it."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.app import _SINGLE_CELL, PIPED_WIDTH, plain_table


def drawn_by_rich(
    title: str | None, columns: list[str], rows: list[list[str]], console: Console | None = None
) -> str:
    view = Table(title=Text(title) if title else None, title_justify="left", show_lines=False)
    for column in columns:
        view.add_column(column, overflow="fold")
    for row in rows:
        view.add_row(*(Text(cell) for cell in row))
    out = io.StringIO()
    console = console or Console(width=PIPED_WIDTH)
    console.file = out
    console.print(view)
    return out.getvalue()


WORDS = [
    "a",
    "xyz",
    "Řehoř",
    "žluťoučký",
    "·",
    "—",
    "→",
    "↳",
    "…",
    "#3",
    "[erased]",
    "[b]",
    "  ",
    "K-0001",
    ":",
]


def random_table(rng: random.Random) -> tuple[str | None, list[str], list[list[str]]]:
    count = rng.randint(1, 6)

    def text(most: int) -> str:
        return "".join(rng.choice(WORDS) for _ in range(rng.randint(0, most)))

    columns = [text(3) or "#" for _ in range(count)]
    rows = [[text(rng.choice([1, 4, 12])) for _ in range(count)] for _ in range(rng.randint(0, 6))]
    return rng.choice([None, "", text(4), text(30)]), columns, rows


CASES = [
    (
        "Case P-0001 · open",
        ["#", "Happened", "Entry"],
        [["1", "2025-01-02 09:00", "opened"], ["", "", "  ↳ x → y"]],
    ),
    ("A title far longer than the table it stands above", ["#"], [["1"]]),
    (None, ["Field", "Value"], []),
    ("", ["a", "b"], [["", ""]]),
    ("T", ["#", "Entry"], [["1", "x" * 300]]),  # wider than the page: rich folds it
    ("T", ["#", "Entry"], [["1", "two\nlines"]]),
    ("T", ["[b]header"], [["1"]]),  # markup in a header
    ("T", ["#"], [["漢字"]]),  # two cells wide
    *(random_table(random.Random(seed)) for seed in range(400)),
]


@pytest.mark.parametrize(("title", "columns", "rows"), CASES)
def test_a_table_is_drawn_as_rich_draws_it_or_left_to_rich(
    title: str | None, columns: list[str], rows: list[list[str]]
) -> None:
    drawn = plain_table(title, columns, rows, PIPED_WIDTH)
    if drawn is not None:
        assert drawn + "\n" == drawn_by_rich(title, columns, rows)


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("colours", ["truecolor", "standard", None])
@pytest.mark.parametrize(("title", "columns", "rows"), CASES[:60])
def test_a_table_on_a_terminal_is_drawn_as_rich_draws_it_or_left_to_rich(
    title: str | None, columns: list[str], rows: list[list[str]], width: int, colours: Any
) -> None:
    drawn = plain_table(title, columns, rows, width, bold_header=colours is not None)
    if drawn is not None:
        terminal = Console(force_terminal=True, width=width, color_system=colours)
        assert drawn + "\n" == drawn_by_rich(title, columns, rows, terminal)


def test_the_long_history_table_is_drawn_without_rich() -> None:
    rows = [[str(n), "2025-01-02 09:00", "admin", "session minutes=50 form=ambulatory"] for n in range(1000)]
    assert plain_table("Case P-0001 · open", ["#", "Happened", "By", "Entry"], rows, PIPED_WIDTH) is not None


@pytest.mark.parametrize("text", ["漢", "\t", "\n", "\u0301", "\u200b", "🙂"])
def test_characters_of_another_width_are_left_to_rich(text: str) -> None:
    assert plain_table(None, ["#"], [[f"a{text}b"]], PIPED_WIDTH) is None


def test_every_character_drawn_without_rich_is_one_cell_wide_for_rich() -> None:
    assert all(cell_len(character) == 1 for character in _SINGLE_CELL)
