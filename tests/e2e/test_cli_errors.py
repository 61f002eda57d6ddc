"""Mistakes and refusals: one line on stderr, the right exit code, nothing written.

Also: the date formats people type, configuration problems, Czech labels, and
the installed console script run as a real process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cli.i18n.cs import MESSAGES as CZECH

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

USAGE_ERRORS = [
    # bad option values
    ("session log P-1 --minutes abc --form ambulatory --activity counselling", "--minutes"),
    ("session log P-1 --minutes 50 --form sofa --activity counselling", "--form"),
    ("session log P-1 --minutes 50 --form ambulatory --activity counselling,juggling", "--activity"),
    ("client add --sex maybe", "--sex"),
    ("client add --birth-year 1700", "--birth-year"),
    ("client add --name Jana --birth-date 31.2.1990", "--birth-date"),
    ("staff add jan --name Jan --role boss --service SOS", "--role"),
    ("service add X --name X --type hospital --forms ambulatory", "--type"),
    ("service add X --name X --type counselling --forms ambulatory,online", "--forms"),
    ("service change SOS --capacity 0", "--capacity"),
    ("enquiry refuse E-1 --reason e", "--reason"),
    ("referral add P-1 --to X --kind friend", "--kind"),
    ("referral outcome R-1 maybe", "'maybe' is not one of 'accepted'"),
    ("case close P-1 --reason bored", "--reason"),
    ("contact log --case P-1 --channel pigeon --minutes 5", "--channel"),
    ("client add --command-id not-a-uuid", "--command-id"),
    ("session log P-1 --minutes 5 --form field --activity counselling --staff ,", "--staff"),  # once: you
    ("session log P-1 --minutes 5 --form field --activity ''", "--activity"),
    # bad dates and times
    ("case open K-1 --service SOS --on 32.13.2025", "--on"),
    ("case open K-1 --service SOS --on 2025-02-30", "--on"),
    ("case open K-1 --service SOS --on yesterday", "--on"),
    ("session log P-1 --minutes 50 --form field --activity counselling --at '3.3.2025 25:00'", "--at"),
    (
        "session log P-1 --minutes 5 --form field --activity counselling --at '30.3.2025 02:30'",
        "clocks skipped",
    ),
    ("history P-1 --as-of 1/3/2025", "--as-of"),
    # unknown commands and options, missing arguments and options
    ("sesion log P-1", "sesion"),
    ("client add --bogus", "--bogus"),
    ("history", "CASE"),
    ("session log P-1 --minutes 50 --form field", "--activity"),
    ("contact log --channel phone --minutes 5", "--case"),
    ("service change SOS", "parameter"),
    ("entry correct P-1#1 --reason typo", "--minutes"),
]


@pytest.mark.parametrize(("command", "named"), USAGE_ERRORS)
def test_a_usage_error_exits_2_with_one_line_and_writes_nothing(
    sqlite_sos: Kronika, command: str, named: str
) -> None:
    err = sqlite_sos.refused(command, user="vera", exit_code=2)
    assert named in err


def test_usage_errors_say_where_to_look(sqlite_sos: Kronika) -> None:
    err = sqlite_sos.refused("session log P-1 --minutes abc --form field --activity counselling", exit_code=2)
    assert err.endswith("See: kronika session log --help")


def test_an_unknown_activity_is_named_once_with_the_choices(sqlite_sos: Kronika) -> None:
    err = sqlite_sos.refused("session log P-1 --minutes 5 --form field --activity juggling", exit_code=2)
    assert "crisis-intervention" in err
    assert "not a valid Activity is not one of" not in err  # the message should not stutter


def test_usage_errors_are_the_same_on_postgres(sos: Kronika) -> None:
    sos.refused("case open K-1 --service SOS --on 31.2.2025", user="eva", exit_code=2)
    sos.refused("session log P-1 --minutes 50 --form sofa --activity counselling", user="eva", exit_code=2)


REFUSALS = [
    ("case open K-9 --service SOS", "there is no client K-0009"),
    ("case open K-1 --service NOPE", "there is no service NOPE"),
    ("case open K-1 --service SOS --on 1.1.2099", "in the future"),
    ("case open K-1 --service SOS --key-worker nobody", "there is no staff member nobody"),
    ("session log P-9 --minutes 5 --form field --activity counselling", "there is no case P-0009"),
    ("goal review P-1#7 --status achieved", "no entry P-0001#7"),
    ("complaint resolve S-3 --outcome justified", "there is no complaint S-0003"),
    ("enquiry refuse E-2 --reason a", "there is no enquiry E-0002"),
    ("client consent K-1 --purpose ' '", "purpose"),
]


def test_a_refusal_exits_1_with_one_line_and_writes_nothing(sos: Kronika) -> None:
    for command, named in REFUSALS:
        assert named in sos.refused(command, user="vera"), command


@pytest.mark.parametrize("day", ["2025-03-01", "1.3.2025", "01.03.2025", "1. 3. 2025"])
def test_days_are_typed_either_way(sqlite_kronika: Kronika, day: str) -> None:
    sqlite_kronika.ok("service add SOS --name SOS --type crisis-help --forms ambulatory")
    sqlite_kronika.ok("client add")
    assert sqlite_kronika.ok(f"case open K-1 --service SOS --on '{day}'") == "P-0001"
    # Days are Prague days: midnight of 1 March in Prague is 23:00 UTC the day before.
    assert sqlite_kronika.json("history P-1")["opened_at"] == "2025-02-28T23:00:00+00:00"


@pytest.mark.parametrize("moment", ["2025-03-03 14:30", "3.3.2025 14:30", "2025-03-03T14:30"])
def test_moments_are_typed_either_way(sqlite_sos: Kronika, moment: str) -> None:
    sqlite_sos.ok(f"contact log --case P-1 --channel phone --minutes 5 --at '{moment}'", user="eva")
    assert sqlite_sos.json("history P-1")["entries"][1]["occurred_at"] == "2025-03-03T13:30:00+00:00"


def test_dates_work_the_same_on_postgres(sos: Kronika) -> None:
    sos.ok("contact log --case P-1 --channel phone --minutes 5 --at '2025-07-03 14:30'", user="eva")
    sos.ok("contact log --case P-1 --channel phone --minutes 5 --at '3.7.2025 14:30'", user="eva")
    [_, first, second] = sos.json("history P-1")["entries"]
    assert first["occurred_at"] == second["occurred_at"] == "2025-07-03T12:30:00+00:00"  # summer time


def test_without_a_journal_every_command_says_to_run_init(empty_kronika: Kronika) -> None:
    for command in ("service list", "client add", "history P-1"):
        code, out, err = empty_kronika(command)
        assert (code, out) == (1, ""), err
        empty_kronika.assert_one_error_line(err)
        assert "there is no journal" in err
        assert "Create one with: kronika init" in err


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KRONIKA_LANG", "de"),
        ("KRONIKA_DATABASE_URL", "mysql://127.0.0.1/kronika"),
    ],
)
def test_a_bad_setting_exits_2_naming_the_variable(
    sqlite_kronika: Kronika, variable: str, value: str
) -> None:
    code, out, err = sqlite_kronika("service list", **{variable: value})
    assert (code, out) == (2, "")
    sqlite_kronika.assert_one_error_line(err)
    assert variable in err


def test_an_unknown_time_zone_is_a_bad_setting_not_a_traceback(sqlite_kronika: Kronika) -> None:
    before = sqlite_kronika.facts()
    command = "case open K-1 --service SOS --on 1.3.2025"
    code, out, err = sqlite_kronika(command, KRONIKA_TIMEZONE="Mars/Olympus")
    assert (code, out) == (2, "")
    sqlite_kronika.assert_one_error_line(err)
    assert "KRONIKA_TIMEZONE" in err
    assert sqlite_kronika.facts() == before


def test_a_data_directory_that_cannot_be_made_is_one_line_not_a_traceback(
    sqlite_kronika: Kronika, tmp_path: Path
) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("not a directory")
    for data_dir in (occupied, occupied / "below"):
        code, out, err = sqlite_kronika("init", KRONIKA_DATA_DIR=str(data_dir))
        assert code in (1, 2)
        assert out == ""
        sqlite_kronika.assert_one_error_line(err)
        assert str(data_dir) in err or "KRONIKA_DATA_DIR" in err


def test_json_output_parses(sos: Kronika) -> None:
    for command in ("service list", "staff list", "client show K-1", "history P-1"):
        assert json.loads(sos.ok(f"{command} --json", user="eva"))
    assert json.loads(sos.ok("client add --json", user="eva")) == {"result": "K-0002"}


CZECH_COMMANDS = [
    "service list",
    "staff list",
    "client show K-1",
    "history P-1",
    "history P-1 --as-of 1.3.2099",
]


def test_commands_work_and_print_in_czech(sos: Kronika) -> None:
    for command in CZECH_COMMANDS:
        out = sos.ok(command, user="eva", lang="cs")
        assert "P-0001" in out or "SOS" in out or "K-0001" in out or "eva" in out, command


def test_the_history_title_is_czech(sqlite_sos: Kronika) -> None:
    out = sqlite_sos.ok("history P-1", user="eva", lang="cs")
    assert "Případ P-0001 · klient K-0001 · služba SOS" in out
    assert "setkání: 0" in out


def test_errors_are_one_line_in_czech_too(sos: Kronika) -> None:
    before = sos.facts()
    code, out, err = sos("case close P-1 --reason goal-met", user="eva", lang="cs")
    assert (code, out) == (1, "")
    assert err.startswith(CZECH.get("Error", "Error") + ": ")
    assert err.count("\n") == 1
    code, _, err = sos(
        "session log P-1 --minutes abc --form field --activity counselling", user="eva", lang="cs"
    )
    assert code == 2
    assert err.startswith(CZECH.get("Error", "Error") + ": ")
    assert sos.facts() == before


@pytest.mark.parametrize(
    ("command", "czech"),
    [
        (
            "session log P-1 --minutes abc --form field --activity counselling",
            "Neplatná hodnota pro '--minutes'",
        ),
        ("session log P-1 --minutes 5 --form field", "Chybí volba '--activity'"),
        ("client add --bogus", "Volba '--bogus' neexistuje"),
        ("sesion log", "Příkaz 'sesion' neexistuje. Měli jste na mysli 'session'?"),
        ("client add --sex maybe", "není žádné z"),
    ],
)
def test_clicks_own_mistakes_are_in_czech_too(sqlite_sos: Kronika, command: str, czech: str) -> None:
    """Once half English: 'Chyba: Invalid value for '--minutes': 'abc' is not a valid integer'."""
    code, out, err = sqlite_sos(command, lang="cs")
    assert (code, out) == (2, "")
    sqlite_sos.assert_one_error_line(err.replace("Chyba: ", "Error: ", 1))
    assert czech in err
    assert sqlite_sos.ok("case", "--help", lang="cs").startswith("Použití: kronika case")


def test_a_czech_write_prints_the_new_code(sos: Kronika) -> None:
    assert sos.ok("client add --district 'Praha 3'", user="eva", lang="cs") == "K-0002"
    assert sos.ok("init", lang="cs")


def test_the_installed_console_script_records_reads_and_refuses(kronika: Kronika) -> None:
    code, out, err = kronika.script("--version")
    assert (code, err) == (0, "")
    assert "0.1.0" in out
    code, out, err = kronika.script("service", "add", "SOS", "--name", "SOS centrum", "--type", "crisis-help",
                                    "--forms", "ambulatory,field", "--session-limit", "12")  # fmt: skip
    assert (code, out, err) == (0, "SOS\n", "")
    assert kronika.script("client", "add", "--district", "Praha 3") == (0, "K-0001\n", "")
    assert kronika.script("case", "open", "K-1", "--service", "SOS", "--on", "1.3.2025")[:2] == (
        0,
        "P-0001\n",
    )
    code, out, err = kronika.script("history", "P-1", "--json")
    assert code == 0
    assert json.loads(out)["case"] == "P-0001"

    code, out, err = kronika.script("case", "reopen", "P-1", "--reason", "x")
    assert (code, out) == (1, "")
    kronika.assert_one_error_line(err)
    code, out, err = kronika.script("case", "open", "K-1", "--service", "SOS", "--on", "30.2.2025")
    assert (code, out) == (2, "")
    kronika.assert_one_error_line(err)


def test_the_installed_console_script_creates_a_journal(empty_kronika: Kronika) -> None:
    code, out, err = empty_kronika.script("init", "--name", "Jana Nováková", user="jana")
    assert (code, err) == (0, "")
    assert "jana is its admin" in out
    assert "exists already" in empty_kronika.script("init", user="jana")[1]
    assert empty_kronika.ok("staff list --json", user="jana").count('"login"') == 1
    code, out, _ = empty_kronika.script("--help")
    assert code == 0
    assert "Example:" in out


def test_a_mistyped_date_of_birth_is_not_repeated_in_the_error(kronika: Kronika) -> None:
    """A date of birth is personal data: the error names the option, not what was typed."""
    err = kronika.refused("client add --name Jana --birth-date 31.2.1990", exit_code=2)
    assert "--birth-date" in err
    assert "31.2.1990" not in err


NOT_UTF8 = "Eva\udcffMalá"  # what Python makes of the byte 0xff on a command line: half a character


@pytest.mark.parametrize(
    ("command", "named"),
    [
        (["client", "add", "--name", NOT_UTF8], "--name"),
        (["client", "add", f"--district={NOT_UTF8}"], "--district"),
        (["session", "log", "P-1", "--minutes", "5", "--form", "field", "--activity", "counselling",
          "--note", NOT_UTF8], "--note"),
        (["service", "add", "X", "--name", NOT_UTF8, "--type", "counselling", "--forms", "field"], "--name"),
        (["report", "district", NOT_UTF8, "--from", "1.1.2025", "--to", "31.12.2025"], "argument 3"),
    ],
)  # fmt: skip
def test_bytes_that_are_not_utf8_are_refused_naming_the_option_not_the_value(
    sqlite_sos: Kronika, command: list[str], named: str
) -> None:
    """Once a traceback, and a client's key written for a client never recorded."""
    err = sqlite_sos.refused(*command, exit_code=2)
    assert err.startswith(f"Error: {named} holds bytes that are not UTF-8 text")
    assert "Eva" not in err
    with sqlite_sos.journal() as journal:
        assert journal.mapper.keys.count() == 0  # type: ignore[attr-defined]


def test_a_setting_that_is_not_utf8_is_a_bad_setting(sqlite_kronika: Kronika) -> None:
    code, out, err = sqlite_kronika("service list", KRONIKA_USER=NOT_UTF8)
    assert (code, out) == (2, "")
    assert err.strip() == "Error: KRONIKA_USER holds bytes that are not UTF-8 text; set it again"


def test_a_damaged_journal_file_is_one_line_naming_the_file_and_restore(sqlite_sos: Kronika) -> None:
    journal = sqlite_sos.settings.data_dir / "journal.sqlite"
    journal.write_bytes(b"not a database, whatever it was " * 200)
    for command in ("cases", "session log P-1 --minutes 5 --form field --activity counselling"):
        code, out, err = sqlite_sos(command)
        assert (code, out) == (1, ""), err
        sqlite_sos.assert_one_error_line(err)
        assert f"the journal {journal} cannot be used (file is not a database)" in err
        assert "kronika restore FILE" in err


def test_a_damaged_read_store_names_itself_and_once_removed_is_built_again(sqlite_sos: Kronika) -> None:
    read_store = sqlite_sos.settings.data_dir / "read.sqlite"
    sqlite_sos.ok("session log P-1 --minutes 5 --form field --activity counselling", user="eva")
    before = sqlite_sos.json("cases")
    read_store.write_bytes(b"not a database, whatever it was " * 200)
    for command in ("cases", "projections rebuild"):
        code, out, err = sqlite_sos(command)
        assert (code, out) == (1, ""), err
        sqlite_sos.assert_one_error_line(err)
        assert f"the read store {read_store} cannot be used (file is not a database)" in err
        assert "remove it and it is built again" in err
    read_store.unlink()
    assert sqlite_sos.json("cases") == before
    assert before[0]["sessions"] == 1
