"""Every command and group has help with an example that works, and the README mentions it."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def subcommand(group: click.Group, name: str) -> click.Command | None:
    """A group's command as `kronika` finds it (the root loads a command's module on demand)."""
    return group.get_command(click.Context(group), name)


def walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            found = subcommand(command, name)
            assert found is not None, f"{' '.join((*path, name))} is listed but not found"
            yield from walk(found, (*path, name))


TREE = dict(walk(cli))
COMMANDS = [path for path, command in TREE.items() if not isinstance(command, click.Group)]


def ids(path: tuple[str, ...]) -> str:
    return " ".join(path) or "kronika"


def example(command: click.Command) -> list[str]:
    """The words of the help's ``Example:`` paragraph (it may run over several lines)."""
    text = command.help or ""
    found = re.search(r"^\s*Example:\s*(.*?)(?:\n\s*\n|\Z)", text, re.MULTILINE | re.DOTALL)
    return shlex.split(" ".join(found.group(1).split())) if found else []


def test_the_tree_is_walked() -> None:
    assert ("session", "log") in COMMANDS
    assert ("history",) in COMMANDS
    assert ("import",) in COMMANDS
    assert ("demo",) in COMMANDS
    assert {path for path in TREE if path and isinstance(TREE[path], click.Group)} >= {("case",), ("entry",)}


@pytest.mark.parametrize("path", list(TREE), ids=ids)
def test_every_command_and_group_has_help_with_an_example(path: tuple[str, ...], tmp_path: Path) -> None:
    env = dict.fromkeys(("KRONIKA_DATABASE_URL", "KRONIKA_LANG", "KRONIKA_TIMEZONE"))
    result = CliRunner().invoke(
        cli, [*path, "--help"], prog_name="kronika", env={**env, "KRONIKA_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"Usage: kronika {' '.join(path)}".rstrip() in result.stdout
    assert "Example:" in result.stdout


@pytest.mark.parametrize("path", [(), ("case",), ("client",)], ids=ids)
def test_a_group_without_a_command_prints_its_help(path: tuple[str, ...], tmp_path: Path) -> None:
    """Once its help, flattened into one 'Error: Usage: ...' line, exit 2."""
    result = CliRunner().invoke(cli, list(path), prog_name="kronika", env={"KRONIKA_DATA_DIR": str(tmp_path)})
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(f"Usage: kronika {' '.join(path)}".rstrip())
    assert "\nCommands:\n" in result.stdout


@pytest.mark.parametrize("path", [path for path in TREE if path], ids=ids)
def test_every_short_help_in_a_listing_is_a_whole_phrase(path: tuple[str, ...]) -> None:
    # What `kronika <group> --help` lists: click cuts it at the first full stop, "e.g." included.
    short = TREE[path].get_short_help_str(limit=200)
    assert short.strip()
    assert not short.endswith(("e.g.", "i.e.", "...")), f"{' '.join(path)}: {short!r}"


@pytest.mark.parametrize("path", list(TREE), ids=ids)
def test_every_example_names_a_real_command_and_its_real_options(path: tuple[str, ...]) -> None:
    words = example(TREE[path])
    if not words:
        pytest.skip("no example: test_every_command_and_group_has_help_with_an_example fails for it")
    assert words[0] == "kronika"
    target: click.Command = cli
    rest = words[1:]
    while isinstance(target, click.Group) and rest and (found := subcommand(target, rest[0])) is not None:
        target, rest = found, rest[1:]
    assert not isinstance(target, click.Group), f"the example {' '.join(words)!r} names no command"
    if path and not isinstance(TREE[path], click.Group):
        assert target is TREE[path], f"the example of {' '.join(path)} runs another command"
    known = {opt for param in target.params for opt in (*param.opts, *param.secondary_opts)}
    for word in rest:
        if word.startswith("--"):
            assert word in known, f"{word} is not an option of {target.name}"


@pytest.mark.xfail(not README.exists(), reason="README.md is not written yet", strict=False)
@pytest.mark.parametrize("path", COMMANDS, ids=ids)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    text = README.read_text(encoding="utf-8")
    name = " ".join(path)
    assert f"kronika {name}" in text or f"`{name}`" in text, f"README.md does not mention kronika {name}"
