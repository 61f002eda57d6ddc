"""``kronika import`` of long files: checked once, staged, recorded in portions; memory does not grow.

The file is checked line by line against the journal plus what the lines
before produced (staged on disk), then recorded 1000 lines a transaction in
line order. These tests make portions and the record cache small so that a
few thousand lines span many of them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cli import importer
from cli import staging as staging_module
from cli.staging import Staging
from domain import commands as c
from domain.vocabulary import Activity, Form
from tests.e2e.conftest import SCRIPT, assert_one_error_line, fresh
from tests.e2e.test_import import SETUP, write

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

FIELD = {"cmd": "service add", "code": "TP", "name": "Terénní program", "type": "field-programme",
         "forms": "field"}  # fmt: skip  # no session limit


def people(count: int, sessions: int = 2, *, service: str = "SOS", form: str = "ambulatory") -> list[Any]:
    """``count`` clients, each with a case and ``sessions`` sessions: refs point back across the file."""
    lines: list[Any] = []
    for n in range(count):
        lines += [
            {"cmd": "client add", "ref": f"k{n}", "birth_year": 1990, "name": f"Klient {n}"},
            {"cmd": "case open", "ref": f"p{n}", "client": f"@k{n}", "service": service, "on": "2.1.2025"},
        ]
        lines += [
            {"cmd": "session log", "case": f"@p{n}", "minutes": 30, "form": form, "activity": "counselling",
             "at": f"2025-{2 + s // 25:02d}-{1 + s % 25:02d} 10:00"}
            for s in range(sessions)
        ]  # fmt: skip
    return lines


@pytest.fixture
def small_portions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Portions of 7 lines, checks of 5 lines, 10 records in memory: a short file spans many of each."""
    monkeypatch.setattr(importer, "FLUSH_EVERY", 7)
    monkeypatch.setattr(importer, "CHECK_EVERY", 5)
    monkeypatch.setattr(importer, "KEEP_RECORDS", 10)


@pytest.mark.usefixtures("small_portions")
def test_refs_resolve_across_portions_and_records_forgotten_meanwhile(
    kronika: Kronika, tmp_path: Path
) -> None:
    lines = [*SETUP, *people(30, sessions=3)]
    # The first client is corrected at the end: its record was forgotten long before.
    lines.append({"cmd": "entry correct", "entry": "@p0#2", "minutes": 45, "reason": "typed 30 for 45"})
    summary = json.loads(kronika.ok("import", "--json", write(tmp_path, lines)))
    assert summary["created"]["k29"] == "K-0030"
    assert summary["created"]["p0"] == "P-0001"
    assert summary["created"]["p29"] == "P-0030"
    first = kronika.json("history P-0001")
    assert first["sessions"] == 3
    assert first["entries"][1]["current"]["minutes"] == 45
    assert kronika.json("history P-0030")["client"] == "K-0030"
    assert kronika.json("client show K-0030")["name"] == "Klient 29"  # sealed with the client's key
    assert "there is no client K-0031" in kronika.refused("client show K-31")
    # Codes stay dense after an import: the next client is the 31st.
    assert kronika.ok("client add --birth-year 1990") == "K-0031"
    assert (
        kronika.ok("import", write(tmp_path, lines)) == f"{len(lines)} lines imported; 0 new facts recorded."
    )


@pytest.mark.usefixtures("small_portions")
def test_a_rule_broken_on_the_last_line_writes_nothing(kronika: Kronika, tmp_path: Path) -> None:
    lines = [*SETUP, *people(25), {"cmd": "entry correct", "entry": "@p3#9", "minutes": 5, "reason": "typo"}]
    before = kronika.facts()
    err = kronika.refused("import", write(tmp_path, lines))
    assert err.startswith(f"Error: nothing imported: line {len(lines)}: ")
    assert "no entry P-0004#9" in err
    assert kronika.facts() == before
    assert kronika.json("service list") == []


@pytest.mark.usefixtures("small_portions")
def test_a_dry_run_of_a_long_file_writes_nothing_not_even_client_keys(
    kronika: Kronika, tmp_path: Path
) -> None:
    path = write(tmp_path, [*SETUP, *people(20)])
    before = kronika.facts()
    summary = json.loads(kronika.ok("import", "--dry-run", "--json", path))
    assert (summary["facts"], summary["created"]["k19"]) == (0, "K-0020")
    assert kronika.facts() == before
    with kronika.journal() as journal:
        assert journal.mapper.keys.count() == 0  # type: ignore[attr-defined]
    assert json.loads(kronika.ok("import", "--json", path))["created"] == summary["created"]


@pytest.mark.usefixtures("small_portions")
def test_a_writer_touching_the_same_records_stops_the_import_between_portions_and_a_rerun_completes_it(
    kronika: Kronika, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kronika.ok("import", write(tmp_path, [*SETUP, {"cmd": "client add"}], "setup.jsonl"))
    kronika.ok("case open K-0001 --service SOS --on 1.3.2025")
    session = {"cmd": "session log", "case": "P-0001", "minutes": 30, "form": "ambulatory",
               "activity": "counselling", "at": "2025-03-04 10:00"}  # fmt: skip
    path = write(tmp_path, [*people(2), session, session])  # lines 1-7 the first portion; 8-10 the second
    record = Staging.record
    portions: list[int] = []

    def someone_writes_before_the_second_portion(staging: Staging, events: list[Any]) -> int:
        portions.append(len(events))
        if len(portions) == 2:  # after the check, before the second portion: a session on the same case
            with kronika.journal() as other:
                other.execute(
                    c.LogSession("P-0001", 20, Form.AMBULATORY, [Activity.COUNSELLING]), actor="eva"
                )
        return record(staging, events)

    monkeypatch.setattr(Staging, "record", someone_writes_before_the_second_portion)
    before = kronika.facts()
    code, out, err = kronika("import", path)
    monkeypatch.undo()

    assert (code, out) == (1, "")
    assert_one_error_line(err)
    assert "someone else wrote to the same records meanwhile; the first 7 lines are recorded" in err
    assert kronika.facts() == before + portions[0] + 2, (
        "the first portion, and the other session with its receipt"
    )
    assert kronika.ok("import", path) == "10 lines imported; 6 new facts recorded."
    history = kronika.json("history", "P-0001")
    assert [e["recorded"]["minutes"] for e in history["entries"] if e["kind"] == "session"] == [20, 30, 30]
    assert kronika.json("history P-0003")["sessions"] == 2  # the first portion's, recorded once


def peak_of_import(kronika: Kronika, path: str) -> int:
    tracemalloc.start()
    try:
        kronika.ok("import", path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_lines(
    sqlite_kronika: Kronika, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What is held at once is bounded by these (a real import: 1000, 200 and 2000); the files exceed them.
    monkeypatch.setattr(importer, "FLUSH_EVERY", 50)
    monkeypatch.setattr(importer, "CHECK_EVERY", 20)
    monkeypatch.setattr(importer, "KEEP_RECORDS", 20)
    small = write(tmp_path, people(60), "small.jsonl")  # 240 lines
    large = write(tmp_path, people(240), "large.jsonl")  # 960 lines, 4 times the records
    peak_of_import(sqlite_kronika, write(tmp_path, SETUP, "setup.jsonl"))  # and everything imported once
    small_peak = peak_of_import(sqlite_kronika, small)
    large_peak = peak_of_import(sqlite_kronika, large)
    # Holding every record (or every line) would make the large file's peak grow about fourfold.
    assert large_peak < small_peak * 1.25, (small_peak, large_peak)
    assert sqlite_kronika.json("history P-0300")["sessions"] == 2


def test_an_import_killed_between_portions_and_run_again_records_every_line_once(
    kronika: Kronika, tmp_path: Path
) -> None:
    """A real ``kronika import`` killed with SIGKILL once its first portion is in the journal."""
    lines = [FIELD, *people(100, sessions=58, service="TP", form="field")]  # 6001 lines: 7 portions
    path = write(tmp_path, lines)
    with fresh(tmp_path / "clean", None) as clean:  # what one import records, in another journal
        start = clean.facts()
        clean.ok("import", path)
        one_import = clean.facts() - start

    before = kronika.facts()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
    env |= {k: v for k, v in kronika.env().items() if v is not None}
    process = subprocess.Popen([str(SCRIPT), "import", path], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while kronika.facts() == before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.kill()
    process.wait()
    killed_at = kronika.facts() - before
    assert 0 < killed_at < one_import, f"killed after {killed_at} of {one_import} facts: not between portions"

    out = kronika.ok("import", path)
    assert out == f"{len(lines)} lines imported; {one_import - killed_at} new facts recorded."
    assert kronika.facts() - before == one_import
    for case in ("P-0001", "P-0050", "P-0100"):
        assert kronika.json("history", case)["sessions"] == 58
    assert "there is no case P-0101" in kronika.refused("history P-101")


@pytest.mark.parametrize("dry_run", [False, True])
def test_staged_facts_hold_no_personal_data_in_the_clear(
    sqlite_kronika: Kronika, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    close = Staging.close
    staged: list[bytes] = []

    def look_before_closing(staging: Staging) -> None:
        staged.extend(bytes(row[0]) for row in staging.db.execute("SELECT state FROM facts"))
        staged.extend(str(row[0]).encode() for row in staging.db.execute("SELECT topic FROM facts"))
        close(staging)

    monkeypatch.setattr(Staging, "close", look_before_closing)
    path = write(tmp_path, [*SETUP, *people(3)])
    sqlite_kronika.ok("import", *(["--dry-run"] if dry_run else []), path)
    assert len(staged) > 2 * 20
    clear = [b"Klient", "Malá".encode(), b"1990"]  # a client's name, a staff member's, a birth year
    assert not [state for state in staged if any(text in state for text in clear)]
    assert any(b"Client.Registered" in topic for topic in staged)  # the right table was looked at
    states = staged[: len(staged) // 2]
    assert not [state for state in states if readable(state)], "a staged fact is only compressed, or plain"


def readable(state: bytes) -> bool:
    """Whether a stored state is JSON as it is or once inflated (ciphertext is neither)."""
    for candidate in (state, _inflated(state)):
        try:
            json.loads(candidate)
        except (ValueError, UnicodeDecodeError):
            continue
        return True
    return False


def _inflated(state: bytes) -> bytes:
    try:
        return zlib.decompress(state)
    except zlib.error:
        return b""


FIELD_CASE = [*SETUP, FIELD, *people(1, 0, service="TP", form="field")]  # P-0001, at TP


def long_notes(count: int, length: int) -> list[Any]:
    """Sessions on P-0001 (a field programme's case: no session limit) with notes of ``length`` letters."""
    letters = random.Random(6)
    return [
        {"cmd": "session log", "case": "P-0001", "minutes": 30, "form": "field", "activity": "counselling",
         "at": f"2025-03-{1 + n // 60:02d} {8 + n % 60 // 6:02d}:{n % 6 * 10:02d}",
         "note": "".join(letters.choices("abcdefghij klmnop", k=length))}
        for n in range(count)
    ]  # fmt: skip


def test_a_portion_of_long_notes_is_recorded_however_large(kronika: Kronika, tmp_path: Path) -> None:
    """A thousand lines of long notes (about 6 MB stored), one portion of lines: all recorded, once.

    On PostgreSQL the library inserts a transaction's facts as one statement
    in psycopg's pipeline mode, which waits for ever on a statement larger
    than the socket's send buffer (4 MiB by default on Linux): as one
    transaction, this import never ended. Run as a real process, so that a
    hang fails the test instead of stopping the suite.
    """
    kronika.ok("import", write(tmp_path, FIELD_CASE, "a.jsonl"))
    before = kronika.facts()

    code, out, err = kronika.script("import", str(write(tmp_path, long_notes(1000, 9000), "notes.jsonl")))

    assert (code, err) == (0, ""), err
    assert out.strip() == "1000 lines imported; 2000 new facts recorded."
    assert kronika.facts() == before + 2000
    assert kronika.json("history P-0001")["sessions"] == 1000


def test_a_portion_ends_after_the_line_that_fills_it(
    sqlite_kronika: Kronika, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transactions of at most ``PORTION_BYTES`` stored, plus the line that reached it; none splits a line."""
    kronika = sqlite_kronika
    kronika.ok("import", write(tmp_path, FIELD_CASE, "a.jsonl"))
    monkeypatch.setattr(staging_module, "PORTION_BYTES", 20_000)
    record = Staging.record
    portions: list[list[Any]] = []

    def recording(staging: Staging, events: list[Any]) -> int:
        portions.append(list(events))
        return record(staging, events)

    monkeypatch.setattr(Staging, "record", recording)
    kronika.ok("import", write(tmp_path, long_notes(60, 3000), "notes.jsonl"))  # one portion of lines

    sizes = [sum(len(event.state) for event in portion) for portion in portions]
    assert len(portions) > 5, sizes
    for portion, size in zip(portions, sizes, strict=True):
        assert len(portion) % 2 == 0, "each line's session and receipt in one transaction"
        last_line = sum(len(e.state) for e in portion[-2:])
        assert size - last_line < 20_000, "it ended after the line that filled it"
    assert sum(len(p) for p in portions) == 120
    assert kronika.json("history P-0001")["sessions"] == 60
