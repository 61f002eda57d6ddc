"""Settings and data-directory mistakes are one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli.main import cli


def _run(args: list[str], **env: str):
    return CliRunner().invoke(cli, args, env={"KRONIKA_USER": "admin", "KRONIKA_LANG": "en", **env})


def test_an_unknown_time_zone_is_named_with_the_way_out(tmp_path: Path) -> None:
    result = _run(["service", "list"], KRONIKA_DATA_DIR=str(tmp_path), KRONIKA_TIMEZONE="Mars/Olympus")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: KRONIKA_TIMEZONE='Mars/Olympus' is not a time zone; use e.g. Europe/Prague"
    )


def test_a_wait_that_is_not_a_number_of_seconds_is_named_with_the_way_out(tmp_path: Path) -> None:
    for wrong in ("soon", "-1", "7200"):
        result = _run(["cases"], KRONIKA_DATA_DIR=str(tmp_path), KRONIKA_WAIT_SECONDS=wrong)
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            f"Error: KRONIKA_WAIT_SECONDS={wrong!r}: give seconds between 0 and 3600, e.g. 10"
        )


def test_a_data_directory_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = _run(["init"], KRONIKA_DATA_DIR=str(blocker / "kronika"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot use ")
    assert "KRONIKA_DATA_DIR" in lines[0]
    assert "Traceback" not in result.output


def test_import_refuses_numbers_json_would_bend_and_names_the_full_command(tmp_path: Path) -> None:
    env = {"KRONIKA_DATA_DIR": str(tmp_path / "data")}
    assert _run(["init"], **env).exit_code == 0
    lines = tmp_path / "in.jsonl"
    for line, problem in [
        ('{"cmd": "client add", "birth_year": 1990.5}', "line 1: birth_year: 1990.5 is not a whole number"),
        ('{"cmd": "client add", "birth_year": true}', "line 1: birth_year: true or false only fits a switch"),
        ('{"cmd": "client add", "colour": "red"}', "see: kronika client add --help"),
    ]:
        lines.write_text(line + "\n", encoding="utf-8")
        result = _run(["import", str(lines)], **env)
        assert result.exit_code == 1
        assert problem in result.stderr


def test_import_accepts_a_byte_order_mark_and_defaults_left_unset(tmp_path: Path) -> None:
    env = {"KRONIKA_DATA_DIR": str(tmp_path / "data")}
    assert _run(["init"], **env).exit_code == 0
    lines = tmp_path / "in.jsonl"
    lines.write_bytes('\ufeff{"cmd": "client add"}\n'.encode())
    result = _run(["import", str(lines), "--json"], **env)
    assert result.exit_code == 0, result.stderr
    assert '"lines": 1' in result.stdout
