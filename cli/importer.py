"""``kronika import FILE``: many commands from a JSON Lines file, all or nothing.

Each line is one command, ``{"cmd": "session log", "case": "@p1", ...}``,
with the CLI's option names (``_`` for ``-``). A line may name what it
creates with ``"ref": "p1"``; later lines use ``"@p1"`` (or ``"@p1#3"`` for
an entry) wherever a code is expected. The whole file is checked — each line
once, its form, then its rules against the journal plus what the lines before
it produced (staged on disk, see ``cli.staging``) — before anything is
written; then what the check produced is recorded, a portion of lines a
transaction, in the order of the file. The file is streamed and only a bounded
number of records is held, so memory does not grow with the file. Each line's
command id is derived from the file's content and the line number, so
importing the same file again records nothing twice (and an import stopped
between portions, run again, records the rest). See docs/import.md.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import re
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import click
from eventsourcing.persistence import IntegrityError

from cli.app import App, emit_json, json_option, pass_app
from cli.errors import explain
from cli.i18n import _
from cli.params import ListType
from cli.staging import Staging
from domain.codes import receipt_id
from domain.commands import Command
from domain.errors import KronikaError
from domain.journal import Batch
from domain.service import Service
from domain.staff import Staff

MAX_LINE = 64 * 1024
MAX_ERRORS = 20
FLUSH_EVERY = 1000  # lines a transaction when the checked file is recorded
CHECK_EVERY = 200  # lines parsed, then run, then staged together
KEEP_RECORDS = 2000  # records kept in memory while the file is checked (the least recently used go)
_NAMESPACE = UUID("0f6f1b0e-4d0c-4e8a-8f5e-696d706f7274")
_UNSET = getattr(click.core, "UNSET", object())  # click >= 8.3 marks "no value" with it
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LABEL = re.compile(r"^@([A-Za-z0-9_.-]{1,64})(#\d{1,6})?$")


class ImportRefused(click.ClickException):
    """The file has mistakes; nothing was written."""

    def __init__(self, problems: list[str], untold: int = 0) -> None:
        shown = problems[:MAX_ERRORS]
        more = len(problems) - len(shown) + untold
        text = "; ".join(shown) + (f"; (+{more} more)" if more > 0 else "")
        super().__init__(_("nothing imported: {problems}").format(problems=text))


@dataclass(frozen=True)
class Line:
    number: int
    command: Command
    ref: str | None
    command_id: UUID


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the whole file against the journal; write nothing.")
@json_option
@pass_app
@click.pass_context
def import_file(ctx: click.Context, app: App, file: Path, dry_run: bool, as_json: bool) -> None:
    """Import commands from a JSON Lines file; nothing is written unless every line is right.

    Example: kronika import year-2025.jsonl
    """
    digest = _digest(file)
    with Staging(app.journal, dry_run=dry_run) as staging:
        lines = _check(ctx, app, file, digest, staging)
        facts = 0 if dry_run else _record(staging, lines)
        created = staging.codes() if as_json else {}
    summary = {"lines": lines, "facts": facts, "dry_run": dry_run, "created": created}
    if as_json:
        emit_json(summary)
    elif dry_run:
        click.echo(_("{n} lines checked; nothing written (--dry-run).").format(n=lines))
    else:
        click.echo(_("{n} lines imported; {facts} new facts recorded.").format(n=lines, facts=facts))


def _digest(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _lines(file: Path) -> Iterator[tuple[int, bytes]]:
    """The file's lines, numbered as ``bytes.splitlines`` numbers them, read as a stream."""
    number = 0
    with file.open("rb") as stream:
        for physical in stream:  # ends at each \n; a \r alone also ends a line, as in splitlines
            for part in physical.removesuffix(b"\n").removesuffix(b"\r").split(b"\r"):
                number += 1
                yield number, part


def _chunks(lines: Iterator[tuple[int, bytes]], size: int) -> Iterator[list[tuple[int, bytes]]]:
    while chunk := list(itertools.islice(lines, size)):
        yield chunk


def _check(ctx: click.Context, app: App, file: Path, digest: str, staging: Staging) -> int:
    """Check every line, once: its form, then its rules against the journal plus the lines before it.

    What each line produces is staged (see ``cli.staging``). Mistakes of form
    are all reported at once; if there are none, the first line a rule
    refuses is. Answers the number of lines that hold a command.
    """
    problems: list[str] = []
    mistakes = 0
    refused: ImportRefused | None = None
    index = 0
    with app.journal.batch(dry_run=True, loader=staging.load) as batch:
        uow = batch.uow
        for chunk in _chunks(_lines(file), CHECK_EVERY):
            parsed: list[tuple[int, Line]] = []
            for number, raw in chunk:
                if not raw.strip():
                    continue
                try:
                    line = _parse_line(ctx, number, raw, digest, staging)
                except (click.ClickException, KronikaError, ValueError) as error:
                    mistakes += 1
                    if len(problems) < MAX_ERRORS:
                        problems.append(
                            _("line {n}: {problem}").format(n=number, problem=_message(error, app.local))
                        )
                    continue
                if line.ref:
                    staging.add_label(line.ref)
                index += 1
                parsed.append((index, line))
            if mistakes or refused:
                continue  # the rest of the file is checked for its form only
            try:
                refused = _run(app, batch, staging, parsed)
            except IntegrityError:
                raise _conflict(0) from None
            uow.forget(KEEP_RECORDS, besides=(Staff, Service))
    if mistakes:
        raise ImportRefused(problems, mistakes - len(problems))
    if refused:
        raise refused
    if not index:
        raise ImportRefused([_("the file holds no commands")])
    return index


def _run(app: App, batch: Batch, staging: Staging, lines: list[tuple[int, Line]]) -> ImportRefused | None:
    """Run the lines in order and stage what they produce; the refusal of the first line refused."""
    staging.expect([receipt_id(line.command_id) for _, line in lines])
    for index, line in lines:
        try:
            result = batch.run(_resolve(line.command, staging), actor=app.actor, command_id=line.command_id)
        except KronikaError as error:
            return ImportRefused(
                [_("line {n}: {problem}").format(n=line.number, problem=explain(error, app.local))]
            )
        if line.ref:
            staging.set_code(line.ref, result)
        staging.note(index, batch.uow.touched())
    try:
        staging.stage()
    except KronikaError as error:  # e.g. personal data about a client erased meanwhile
        return ImportRefused([explain(error, app.local)])
    return None


def _record(staging: Staging, lines: int) -> int:
    """Copy the staged facts into the journal, ``FLUSH_EVERY`` lines a transaction (fewer when they
    are large, see ``Staging.portions``), in line order."""
    facts = 0
    recorded = 0
    for last, events in staging.portions(lines, FLUSH_EVERY):
        try:
            facts += staging.record(events)
        except IntegrityError:
            raise _conflict(recorded) from None
        recorded = last
    return facts


def _conflict(recorded: int) -> ImportRefused:
    problem = _(
        "someone else wrote to the same records meanwhile; the first {n} lines are recorded. "
        "Run the same import again: lines already recorded are skipped"
    )
    return ImportRefused([problem.format(n=recorded)])


def _message(error: Exception, local: Callable[[datetime], str]) -> str:
    if isinstance(error, KronikaError):
        return explain(error, local)
    if isinstance(error, click.ClickException):
        return error.format_message()
    return str(error)


def _parse_line(ctx: click.Context, number: int, raw: bytes, digest: str, refs: Container[str]) -> Line:
    if len(raw) > MAX_LINE:
        raise ValueError(_("longer than {n} bytes").format(n=MAX_LINE))
    try:
        data = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError:
        raise ValueError(_("is not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        raise ValueError(_("is not JSON ({why})").format(why=error.msg)) from None
    if not isinstance(data, dict) or not isinstance(data.get("cmd"), str):
        raise ValueError(_('is not an object with "cmd", e.g. {"cmd": "client add"}'))
    for key, value in data.items():
        _check_text(key, value)
    path = " ".join(str(data.pop("cmd")).split())
    command = _find_command(ctx, path)
    ref = data.pop("ref", None)
    if ref is not None and (not isinstance(ref, str) or not _LABEL.match(f"@{ref}")):
        raise ValueError(_('"ref" must be a short label like "p1"'))
    if ref in refs:
        raise ValueError(_('"ref" {ref} is used by an earlier line').format(ref=ref))
    command_id = _command_id(data.pop("command_id", None), digest, number)
    for key, value in data.items():
        _check_labels(key, value, refs)
    values = _convert(ctx, command, path, data)
    built = command.callback.build(**values)  # type: ignore[union-attr]
    return Line(number, built, ref, command_id)


def _find_command(ctx: click.Context, name: Any) -> click.Command:
    command: click.Command | None = ctx.find_root().command
    for word in str(name).split():
        command = command.get_command(ctx, word) if isinstance(command, click.Group) else None
    if command is None or not hasattr(command.callback, "build"):
        raise ValueError(_("{name!r} is not a command that records something").format(name=name))
    return command


def _command_id(given: Any, digest: str, number: int) -> UUID:
    if given is None:
        return uuid5(_NAMESPACE, f"{digest}:{number}")
    try:
        return UUID(str(given))
    except ValueError:
        raise ValueError(_('"command_id" is not a UUID')) from None


def _check_text(key: str, value: Any) -> None:
    """Refuse a JSON escape of half a character (``\\udcff``): valid JSON, but no text any store takes."""
    for item in (key, *(value if isinstance(value, list) else [value])):
        if isinstance(item, str) and (half := _LONE_SURROGATE.search(item)):
            raise ValueError(
                _("{key}: a lone surrogate ({code}) is no character; write the text itself").format(
                    key=key.encode("utf-8", "backslashreplace").decode(), code=f"\\u{ord(half.group()):04x}"
                )
            )


def _check_labels(key: str, value: Any, refs: Container[str]) -> None:
    """Every ``@label`` names an earlier line's ``"ref"``; the value is not repeated: it may be free text."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.startswith("@"):
            match = _LABEL.match(item)
            if not match or match.group(1) not in refs:
                raise ValueError(
                    _('"{key}" begins with @ but names no earlier line\'s "ref" (free text cannot)').format(
                        key=key
                    )
                )


def _convert(ctx: click.Context, command: click.Command, path: str, data: dict[str, Any]) -> dict[str, Any]:
    """Convert a line's values exactly as the CLI converts its options."""
    keys = _keys(command)
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise ValueError(
            _("unknown option {key!r}; see: kronika {cmd} --help").format(key=unknown[0], cmd=path)
        )
    sub = click.Context(command, parent=ctx, info_name=command.name)
    values = {}
    with sub:
        for key, param in keys.items():
            raw = data.get(key)
            _check_json_type(key, raw, param)
            if raw is None:
                raw = param.get_default(sub)
            value = param.process_value(sub, raw)
            values[str(param.name)] = None if value is _UNSET else value
    return values


@functools.cache
def _keys(command: click.Command) -> dict[str, click.Parameter]:
    """A command's parameters by the names a line gives them (its options' long names, ``-`` as ``_``)."""
    keys: dict[str, click.Parameter] = {}
    for param in command.params:
        if param.name in ("command_id", "as_json"):
            continue
        if isinstance(param, click.Option):
            keys[param.opts[0].lstrip("-").replace("-", "_")] = param
        else:
            keys[str(param.name)] = param
    return keys


def _check_json_type(key: str, raw: Any, param: click.Parameter) -> None:
    """JSON has numbers and booleans the CLI does not: refuse what would be silently bent."""
    is_flag = isinstance(param, click.Option) and param.is_flag
    if isinstance(raw, dict):
        raise ValueError(_("{key}: a value cannot be an object").format(key=key))
    if isinstance(raw, bool) and not is_flag:
        raise ValueError(_("{key}: true or false only fits a switch").format(key=key))
    if isinstance(raw, float):
        raise ValueError(_("{key}: {value} is not a whole number").format(key=key, value=raw))
    if isinstance(raw, list) and not isinstance(param.type, ListType):
        raise ValueError(_("{key}: a list only fits an option that takes several values").format(key=key))


def _resolve(command: Command, staging: Staging) -> Command:
    """Put the codes created by earlier lines where a line says ``@label``."""

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, str) and (match := _LABEL.match(value)):
            return staging.code(match.group(1)) + (match.group(2) or "")
        return value

    changes = {f.name: resolve(getattr(command, f.name)) for f in dataclasses.fields(command)}
    return dataclasses.replace(command, **changes)


def register(cli: click.Group) -> None:
    cli.add_command(import_file)
