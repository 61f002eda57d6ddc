"""``kronika import``: JSON Lines in, all or nothing, idempotent; and docs/import.md is true."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pytest

from cli.main import cli

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"
UUID_A = "3e0c1a9e-5b7d-4c2a-9f3e-2d1c0b9a8f01"
UUID_B = "3e0c1a9e-5b7d-4c2a-9f3e-2d1c0b9a8f02"

SETUP: list[dict[str, Any]] = [
    {"cmd": "service add", "code": "SOS", "name": "SOS centrum", "type": "crisis-help",
     "forms": ["ambulatory", "field"], "min_age": 11, "session_limit": 12, "hours": "Mon-Fri 09:00-17:00"},
    {"cmd": "staff add", "login": "eva", "name": "Eva Malá", "role": "worker", "service": "SOS"},
    {"cmd": "staff add", "login": "vera", "name": "Věra Velká", "role": "supervisor", "service": ["SOS"]},
]  # fmt: skip

ROUND_TRIP: list[dict[str, Any]] = [
    *SETUP,
    {"cmd": "client add", "ref": "k1", "birth_year": 1990, "sex": "female", "district": "Praha 3"},
    {"cmd": "client add", "ref": "k2", "name": "Jana Nová", "birth_date": "1.5.1992"},
    {"cmd": "case open", "ref": "p1", "client": "@k1", "service": "SOS", "on": "1.3.2025",
     "key_worker": "eva"},
    {"cmd": "session log", "ref": "s1", "case": "@p1", "minutes": 50, "form": "ambulatory",
     "activity": "crisis-intervention,counselling", "staff": ["eva", "vera"], "at": "2025-03-03 10:00"},
    {"cmd": "session log", "case": "@p1", "minutes": "30", "form": "field", "activity": ["accompaniment"],
     "at": "4.3.2025 14:30", "district": "Praha 8", "note": "court"},
    {"cmd": "referral add", "ref": "r1", "case": "@p1", "to": "PL Bohnice", "kind": "psychiatric",
     "at": "5.3.2025"},
    {"cmd": "referral outcome", "code": "@r1", "outcome": "accepted", "on": "2025-03-07"},
    {"cmd": "entry correct", "entry": "@p1#2", "minutes": 45, "reason": "typed 50 for 45"},
    {"cmd": "entry correct", "entry": "@r1", "to": "PL Havlíčkův Brod", "reason": "wrong hospital"},
    {"cmd": "case open", "ref": "p2", "client": "@k2", "service": "SOS", "on": "2025-03-10"},
    {"cmd": "session log", "case": "@p2", "minutes": 60, "form": "ambulatory", "activity": "therapy",
     "at": "2025-03-11 09:00", "override": None},
    {"cmd": "entry retract", "entry": "@p2#2", "reason": "logged on the wrong case"},
]  # fmt: skip


def write(directory: Path, lines: list[dict[str, Any] | str], name: str = "import.jsonl") -> str:
    path = directory / name
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_a_file_with_refs_is_imported_and_shows_in_history(kronika: Kronika, tmp_path: Path) -> None:
    summary = json.loads(kronika.ok("import", write(tmp_path, ROUND_TRIP), "--json"))
    assert summary["lines"] == len(ROUND_TRIP)
    assert summary["dry_run"] is False
    assert summary["facts"] > len(ROUND_TRIP)
    assert summary["created"] == {
        "k1": "K-0001", "k2": "K-0002", "p1": "P-0001", "s1": "P-0001#2", "r1": "R-0001", "p2": "P-0002",
    }  # fmt: skip

    first = kronika.json("history P-0001")
    assert (first["client"], first["service"], first["key_worker"], first["sessions"]) == (
        "K-0001",
        "SOS",
        "eva",
        2,
    )
    assert [e["kind"] for e in first["entries"]] == [
        "opened", "session", "session", "referral", "referral-outcome", "correction", "correction",
    ]  # fmt: skip
    opened, session, field_session, referral, outcome, _, _ = first["entries"]
    assert opened["occurred_at"] == "2025-02-28T23:00:00+00:00"
    assert session["recorded"]["minutes"] == 50
    assert session["current"]["minutes"] == 45
    assert session["corrected_by"] == [6]
    assert session["current"]["activities"] == ["crisis-intervention", "counselling"]
    assert session["current"]["staff"] == ["eva", "vera"]
    assert session["recorded_by"] == "admin"  # the one who imports records
    assert field_session["current"]["minutes"] == 30
    assert field_session["occurred_at"] == "2025-03-04T13:30:00+00:00"
    assert (field_session["current"]["district"], field_session["current"]["note"]) == ("Praha 8", "court")
    assert referral["current"]["organisation"] == "PL Havlíčkův Brod"
    assert referral["recorded"]["organisation"] == "PL Bohnice"
    assert (outcome["points_at"], outcome["current"]["outcome"]) == (4, "accepted")
    table = kronika.ok("history P-1")
    assert "corrected by #6: minutes: 50 → 45" in table

    second = kronika.json("history P-0002")
    assert (second["client"], second["sessions"]) == ("K-0002", 0)
    assert second["entries"][1]["retracted_by"] == 3

    assert kronika.json("client show K-0002")["name"] == "Jana Nová"
    assert kronika.json("service list")[0]["session_limit"] == 12
    assert {m["login"] for m in kronika.json("staff list")} == {"admin", "eva", "vera"}


def test_importing_the_same_file_again_records_nothing_new(kronika: Kronika, tmp_path: Path) -> None:
    path = write(tmp_path, ROUND_TRIP)
    first = json.loads(kronika.ok("import", path, "--json"))
    facts = kronika.facts()
    assert kronika.ok("import", path) == f"{len(ROUND_TRIP)} lines imported; 0 new facts recorded."
    again = json.loads(kronika.ok("import", path, "--json"))
    assert again["facts"] == 0
    assert again["created"] == first["created"]
    assert kronika.facts() == facts
    assert kronika.json("history P-1")["sessions"] == 2
    assert "there is no client K-0003" in kronika.refused("client show K-3")


def test_a_dry_run_checks_everything_and_writes_nothing(kronika: Kronika, tmp_path: Path) -> None:
    path = write(tmp_path, ROUND_TRIP)
    facts = kronika.facts()
    assert (
        kronika.ok("import", "--dry-run", path)
        == f"{len(ROUND_TRIP)} lines checked; nothing written (--dry-run)."
    )
    summary = json.loads(kronika.ok("import", "--dry-run", "--json", path))
    assert (summary["dry_run"], summary["facts"]) == (True, 0)
    assert kronika.facts() == facts
    assert "there is no case P-0001" in kronika.refused("history P-1")
    # What the dry run said each ref would get is what the import gives.
    assert json.loads(kronika.ok("import", "--json", path))["created"] == summary["created"]


BROKEN_AT_LINE_7: dict[str, tuple[dict[str, Any] | str, str]] = {
    "bad JSON": ('{"cmd": "session log", "case": "@p1", "minutes": 50,', "is not JSON"),
    "not an object": ('["session log", "@p1"]', '"cmd"'),
    "unknown cmd": ({"cmd": "session delete", "case": "@p1"}, "'session delete' is not a command"),
    "a read command": ({"cmd": "history", "case": "@p1"}, "'history' is not a command that records"),
    "unknown option": (
        {"cmd": "session log", "case": "@p1", "minuts": 50, "form": "field", "activity": "therapy"},
        "unknown option 'minuts'",
    ),
    "missing option": ({"cmd": "session log", "case": "@p1", "minutes": 50, "form": "field"}, "--activity"),
    "bad value": (
        {"cmd": "session log", "case": "@p1", "minutes": 50, "form": "sofa", "activity": "therapy"},
        "'sofa' is not one of",
    ),
    "bad date": (
        {"cmd": "session log", "case": "@p1", "minutes": 50, "form": "field", "activity": "therapy",
         "at": "31.2.2025"},
        "'31.2.2025' is not a date",
    ),
    "an object as a value": (
        {"cmd": "session log", "case": "@p1", "minutes": {"n": 50}, "form": "field", "activity": "therapy"},
        "cannot be an object",
    ),
    "a label used before it is defined": (
        {"cmd": "session log", "case": "@p9", "minutes": 50, "form": "field", "activity": "therapy"},
        '"case" begins with @ but names no earlier line',
    ),
    "a ref used twice": ({"cmd": "client add", "ref": "k1"}, '"ref" k1 is used by an earlier line'),
    "a list for a single value": (
        {"cmd": "client add", "name": ["Jana", "Malá"]},
        "name: a list only fits an option that takes several values",
    ),
    "a bad command id": ({"cmd": "client add", "command_id": "42"}, '"command_id" is not a UUID'),
    "a session on a closed case": (
        {"cmd": "session log", "case": "@p1", "minutes": 50, "form": "field", "activity": "therapy",
         "at": "2025-03-06 10:00"},
        "case P-0001 is closed. Reopen it first",
    ),
    "an enquiry that does not exist": (
        {"cmd": "enquiry refuse", "code": "E-9", "reason": "a"},
        "no enquiry E-0009",
    ),
    "a correction of an entry that does not exist": (
        {"cmd": "entry correct", "entry": "@p1#9", "minutes": 45, "reason": "typo"},
        "no entry P-0001#9",
    ),
}  # fmt: skip


@pytest.mark.parametrize("mistake", list(BROKEN_AT_LINE_7))
def test_a_file_with_a_bad_line_writes_nothing_and_names_the_line(
    kronika: Kronika, tmp_path: Path, mistake: str
) -> None:
    bad, named = BROKEN_AT_LINE_7[mistake]
    lines: list[dict[str, Any] | str] = [
        *SETUP,
        {"cmd": "client add", "ref": "k1", "birth_year": 1990},
        {"cmd": "case open", "ref": "p1", "client": "@k1", "service": "SOS", "on": "1.3.2025"},
        {"cmd": "case close", "code": "@p1", "reason": "goal-met", "on": "5.3.2025"},
        bad,
        {"cmd": "client add", "ref": "k2"},
    ]
    err = kronika.refused("import", write(tmp_path, lines))
    assert err.startswith("Error: nothing imported: line 7: ")
    assert named in err
    assert kronika.json("service list") == []  # not even the good lines before it


def test_every_mistake_of_form_is_reported_at_once(kronika: Kronika, tmp_path: Path) -> None:
    lines: list[dict[str, Any] | str] = [
        {"cmd": "client add", "ref": "k1"},
        "{oops",
        "",
        {"cmd": "client add", "sex": "alien"},
        {"cmd": "case open", "client": "@nobody", "service": "SOS"},
    ]
    err = kronika.refused("import", write(tmp_path, lines))
    for number in (2, 4, 5):
        assert f"line {number}: " in err
    assert "line 1: " not in err
    assert "line 3: " not in err  # a blank line is no mistake, but it is counted


def test_a_dry_run_also_checks_the_rules(kronika: Kronika, tmp_path: Path) -> None:
    lines: list[dict[str, Any] | str] = [
        *SETUP,
        {"cmd": "client add", "ref": "k1", "birth_year": 2018},
        {"cmd": "case open", "client": "@k1", "service": "SOS"},
    ]
    err = kronika.refused("import", "--dry-run", write(tmp_path, lines))
    assert "line 5: client K-0001" in err
    assert "outside the age range" in err


def test_the_13th_session_in_a_file_needs_an_override(kronika: Kronika, tmp_path: Path) -> None:
    sessions = [
        {"cmd": "session log", "case": "@p1", "minutes": 50, "form": "ambulatory",
         "activity": "crisis-intervention", "at": f"{day}.3.2025 10:00"}
        for day in range(2, 15)
    ]  # fmt: skip
    lines: list[dict[str, Any] | str] = [
        *SETUP,
        {"cmd": "client add", "ref": "k1"},
        {"cmd": "case open", "ref": "p1", "client": "@k1", "service": "SOS", "on": "1.3.2025"},
        *sessions,
    ]
    err = kronika.refused("import", write(tmp_path, lines))
    assert "line 18: case P-0001 has had all 12 sessions" in err
    assert "--override" in err
    sessions[-1]["override"] = "acute crisis"
    kronika.ok("import", write(tmp_path, lines))
    assert kronika.json("history P-1")["sessions"] == 13


def test_lines_are_recorded_with_the_rights_of_the_one_importing(kronika: Kronika, tmp_path: Path) -> None:
    kronika.ok("import", write(tmp_path, [*SETUP, {"cmd": "client add"}], "setup.jsonl"))
    kronika.ok("case open K-1 --service SOS --on 1.3.2025", user="eva")
    lines: list[dict[str, Any] | str] = [
        {"cmd": "session log", "ref": "s", "case": "P-1", "minutes": 50, "form": "field",
         "activity": "therapy", "at": "3.3.2025 10:00"},
        {"cmd": "entry correct", "entry": "@s", "minutes": 45, "reason": "typo"},
    ]  # fmt: skip
    path = write(tmp_path, lines)
    err = kronika.refused("import", path, user="eva")
    assert "line 2: eva may not correct" in err
    kronika.ok("import", path, user="vera")
    session = kronika.json("history P-1")["entries"][1]
    assert (session["recorded_by"], session["current"]["minutes"]) == ("vera", 45)


def test_a_lines_command_id_is_shared_with_the_command_line(kronika: Kronika, tmp_path: Path) -> None:
    kronika.ok("import", write(tmp_path, SETUP, "setup.jsonl"))
    assert kronika.ok(f"client add --birth-year 1990 --command-id {UUID_A}") == "K-0001"
    lines: list[dict[str, Any] | str] = [
        {"cmd": "client add", "ref": "k1", "birth_year": 1990, "command_id": UUID_A},
        {
            "cmd": "case open",
            "ref": "p1",
            "client": "@k1",
            "service": "SOS",
            "on": "1.3.2025",
            "command_id": UUID_B,
        },
    ]
    assert json.loads(kronika.ok("import", "--json", write(tmp_path, lines)))["created"] == {
        "k1": "K-0001",
        "p1": "P-0001",
    }
    assert "there is no client K-0002" in kronika.refused("client show K-2")
    # Lines with their own ids stay recorded once, however the file changes around them.
    facts = kronika.facts()
    changed = [{"cmd": "client add", "ref": "k9", "age_band": "18-26"}, *lines]
    assert json.loads(kronika.ok("import", "--json", write(tmp_path, changed)))["created"] == {
        "k9": "K-0002",
        "k1": "K-0001",
        "p1": "P-0001",
    }
    assert kronika.facts() == facts + 2  # the new client and its receipt only


def test_an_empty_file_or_a_missing_one_is_refused(kronika: Kronika, tmp_path: Path) -> None:
    assert "holds no commands" in kronika.refused("import", write(tmp_path, [""]))
    kronika.refused("import", str(tmp_path / "missing.jsonl"), exit_code=2)


def test_fractional_or_boolean_minutes_are_refused_not_rounded(kronika: Kronika, tmp_path: Path) -> None:
    for minutes in (50.7, True):
        lines: list[dict[str, Any] | str] = [
            *SETUP,
            {"cmd": "client add", "ref": "k1"},
            {"cmd": "case open", "ref": "p1", "client": "@k1", "service": "SOS", "on": "1.3.2025"},
            {"cmd": "session log", "case": "@p1", "minutes": minutes, "form": "field", "activity": "therapy"},
        ]
        err = kronika.refused("import", write(tmp_path, lines))
        assert "line 6: " in err, minutes


def test_an_unknown_option_points_to_the_help_of_the_whole_command(
    sqlite_kronika: Kronika, tmp_path: Path
) -> None:
    err = sqlite_kronika.refused("import", write(tmp_path, [{"cmd": "client add", "colour": "red"}]))
    assert "kronika client add --help" in err


def test_import_errors_are_one_line_in_czech_too(sqlite_kronika: Kronika, tmp_path: Path) -> None:
    code, out, err = sqlite_kronika("import", write(tmp_path, ["{oops", "{oops"]), lang="cs")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1


def test_the_installed_console_script_imports(kronika: Kronika, tmp_path: Path) -> None:
    code, out, err = kronika.script("import", write(tmp_path, ROUND_TRIP))
    assert (code, err) == (0, "")
    assert out.startswith(f"{len(ROUND_TRIP)} lines imported")
    code, out, err = kronika.script("import", write(tmp_path, [*SETUP, "{oops"], "bad.jsonl"))
    assert (code, out) == (1, "")
    kronika.assert_one_error_line(err)
    assert "line 4" in err


# -- docs/import.md is true ----------------------------------------------------


def code_blocks(language: str) -> list[str]:
    return re.findall(
        rf"^```{language}\n(.*?)^```", DOCS.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL
    )


def recording_commands() -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        elif hasattr(command.callback, "build"):
            found[" ".join(path)] = command

    walk(cli, ())
    return found


def keys(command: click.Command) -> set[str]:
    """The keys an import line may use: arguments by name, options as typed with ``_`` for ``-``."""
    names = set()
    for param in command.params:
        if param.name in ("command_id", "as_json"):
            continue
        if isinstance(param, click.Option):
            names.add(param.opts[0].lstrip("-").replace("-", "_"))
        else:
            names.add(str(param.name))
    return names


def test_the_docs_have_complete_examples() -> None:
    blocks = code_blocks("jsonl")
    assert blocks, "docs/import.md has no ```jsonl example"
    whole = max(blocks, key=len)
    commands = {json.loads(line)["cmd"] for line in whole.splitlines() if line.strip()}
    expected = {"service add", "staff add", "client add", "case open", "session log", "referral add",
                "referral outcome", "entry correct"}  # fmt: skip
    assert expected <= commands


@pytest.mark.parametrize("number", range(len(code_blocks("jsonl"))))
def test_every_jsonl_example_in_the_docs_imports_into_a_fresh_journal(
    kronika: Kronika, tmp_path: Path, number: int
) -> None:
    block = code_blocks("jsonl")[number]
    path = tmp_path / f"docs-example-{number}.jsonl"
    path.write_text(block, encoding="utf-8")
    lines = sum(1 for line in block.splitlines() if line.strip())
    assert (
        kronika.ok("import", "--dry-run", str(path)) == f"{lines} lines checked; nothing written (--dry-run)."
    )
    out = kronika.ok("import", str(path))
    assert out.startswith(f"{lines} lines imported; ")
    assert kronika.ok("import", str(path)) == f"{lines} lines imported; 0 new facts recorded."


def test_the_worked_example_in_the_docs_gives_what_the_docs_say(
    sqlite_kronika: Kronika, tmp_path: Path
) -> None:
    whole = max(code_blocks("jsonl"), key=len)
    path = tmp_path / "example.jsonl"
    path.write_text(whole, encoding="utf-8")
    sqlite_kronika.ok("import", str(path))
    first = sqlite_kronika.json("history P-0001")
    session = first["entries"][1]
    assert (session["recorded"]["minutes"], session["current"]["minutes"]) == (50, 45)
    assert first["is_open"] is False
    assert sqlite_kronika.json("history P-0002")["entries"][1]["current"]["district"] == "Praha 9"


def test_every_json_fragment_in_the_docs_names_a_real_command_and_real_keys() -> None:
    commands = recording_commands()
    checked = 0
    for block in [*code_blocks("json"), *code_blocks("jsonl")]:
        for line in block.splitlines():
            data = json.loads(line) if line.strip() else {}
            if "cmd" not in data:
                continue
            assert data["cmd"] in commands, line
            unknown = set(data) - keys(commands[data["cmd"]]) - {"cmd", "ref", "command_id"}
            assert not unknown, f"{data['cmd']} has no {unknown}: {line}"
            checked += 1
    assert checked > 20


def test_the_docs_table_lists_every_command_with_all_its_keys() -> None:
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(
            r"^\| `([a-z ]+)` \|(.*)\|\s*$", DOCS.read_text(encoding="utf-8"), re.MULTILINE
        )
    }
    commands = recording_commands()
    assert set(commands) <= set(rows), f"missing from the table: {set(commands) - set(rows)}"
    for name, command in commands.items():
        listed = set(re.findall(r'`"([a-z_]+)"`', rows[name]))
        assert listed == keys(command), name
        for param in command.params:
            if isinstance(param, click.Option) and param.required:
                assert f'**`"{param.opts[0].lstrip("-").replace("-", "_")}"`**' in rows[name], (
                    name,
                    param.name,
                )


def test_free_text_beginning_with_at_is_refused_without_repeating_it(
    kronika: Kronika, tmp_path: Path
) -> None:
    """A value beginning with @ is a label; a note that does is refused, and the note is not shown."""
    note = "@Eva Malá was here"
    session = {"cmd": "session log", "case": "@p1", "minutes": 50, "form": "field", "activity": "therapy",
               "note": note}  # fmt: skip
    opened = {"cmd": "case open", "ref": "p1", "client": "@k1", "service": "SOS", "on": "1.3.2025"}
    lines = [*SETUP, {"cmd": "client add", "ref": "k1"}, opened, session]
    err = kronika.refused("import", write(tmp_path, lines))
    assert err == (
        f"Error: nothing imported: line {len(lines)}: "
        '"note" begins with @ but names no earlier line\'s "ref" (free text cannot)'
    )


def test_an_escaped_half_character_is_refused_naming_its_key(kronika: Kronika, tmp_path: Path) -> None:
    """``"\\udcff"`` is valid JSON but no text: once a traceback from deep in the import."""
    path = tmp_path / "half.jsonl"
    path.write_text('{"cmd": "client add", "name": "Eva\\udcffMal\\u00e1"}\n', encoding="utf-8")
    err = kronika.refused("import", str(path))
    assert err == (
        "Error: nothing imported: line 1: name: a lone surrogate (\\udcff) is no character; "
        "write the text itself"
    )
    with kronika.journal() as journal:
        assert journal.mapper.keys.count() == 0  # type: ignore[attr-defined]
