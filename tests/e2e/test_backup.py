"""``kronika backup`` and ``kronika restore``: a journal round-trips, between SQLite and PostgreSQL too.

The source is ``sos`` (SQLite and PostgreSQL) with an identified client, a
noted session, an erased client and an issued report; the copy is restored
into the other kind of store where possible, and must verify, read and
report exactly as the original did.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from eventsourcing.persistence import ProgrammingError

from tests.e2e.conftest import Kronika

if TYPE_CHECKING:
    from collections.abc import Iterator

YEAR = "--from 1.1.2025 --to 31.12.2025"
SESSION = (
    "session log {case} --minutes 50 --form ambulatory --activity crisis-intervention --at '3.3.2025 10:00'"
)


@pytest.fixture
def source(sos: Kronika) -> Kronika:
    kept = sos.ok("client add --name 'Jana Kept' --district 'Praha 3'", user="eva")
    gone = sos.ok("client add --name 'Eva Gone' --district 'Praha 4'", user="eva")
    for client in (kept, gone):
        case = sos.ok(f"case open {client} --service SOS --on 1.3.2025", user="eva")
        sos.ok(SESSION.format(case=case) + " --note 'poznámka'", user="eva")
    sos.ok(f"client erase {gone} --reason request", user="vera")
    code, _out, err = sos(f"report summary {YEAR} --format json")
    assert code == 0, err
    return sos


@pytest.fixture
def target(request: pytest.FixtureRequest, tmp_path: Path, source: Kronika) -> Iterator[Kronika]:
    """An empty place of the other kind (SQLite for a PostgreSQL source and the other way round)."""
    database_url = None if source.database_url else request.getfixturevalue("postgres_url")
    copy = Kronika(tmp_path / "copy", database_url)
    copy.data_dir.mkdir(parents=True)
    (copy.data_dir / "master.key").write_text(source.settings.key_file.read_text())
    yield copy
    copy.close()


def _nothing_restored(target: Kronika) -> None:
    if target.database_url:
        try:
            facts = target.facts()
        except ProgrammingError:  # no table: nothing was even created
            facts = 0
        finally:
            target.close()
        assert facts == 0
    else:
        assert not (target.data_dir / "journal.sqlite").exists()


def _readings(kronika: Kronika) -> dict[str, object]:
    return {
        "history": kronika.json("history P-0002"),
        "erased": kronika.json("history P-0003"),
        "client": kronika.json("client show K-0002"),
        "gone": kronika.json("client show K-0003"),
        "cases": kronika.json("cases"),
    }


def test_a_backup_restores_to_the_same_facts_reads_reports_and_chain(
    source: Kronika, target: Kronika, tmp_path: Path
) -> None:
    file = tmp_path / "kronika.backup"
    out = source.ok(f"backup {file}")
    head = out.split("chain head ")[1].rstrip(".")
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    assert b"Jana Kept" not in file.read_bytes()  # the facts are still encrypted
    before = _readings(source)

    out = target.ok(f"restore {file}")
    assert f"chain head {head} as in the backup" in out
    assert target.ok(f"audit verify --digest {head}").endswith(
        "Intact: no fact was changed, removed, inserted or moved."
    )
    after = _readings(target)
    assert after["history"] == before["history"]
    assert after["client"]["name"] == "Jana Kept"  # type: ignore[index]
    assert after["gone"]["erased"] is True  # type: ignore[index]
    assert "name" not in after["gone"]  # type: ignore[operator]
    assert after["cases"] == before["cases"]
    assert "[erased]" in target.ok("history P-0003")

    code, out, err = target("report reproduce V-0001")
    assert (code, err) == (0, ""), out
    code, original, _ = source(f"report summary {YEAR} --format json")
    code, copied, _ = target(f"report summary {YEAR} --format json")
    assert json.loads(copied)["figures"] == json.loads(original)["figures"]


def test_restore_refuses_what_it_cannot_do_and_writes_nothing(
    source: Kronika, target: Kronika, tmp_path: Path
) -> None:
    file = tmp_path / "kronika.backup"
    source.ok(f"backup {file}")
    err = source.refused(f"backup {file}", exit_code=2)
    assert "exists; give a new file name" in err
    err = source.refused(f"backup {tmp_path / 'other.backup'}", user="eva")
    assert "eva may not administer" in err

    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(file.read_bytes())
    with sqlite3.connect(damaged) as conn:
        [state] = conn.execute("SELECT state FROM facts WHERE position = 5").fetchone()
        conn.execute("UPDATE facts SET state = ? WHERE position = 5", (state + b"\0",))
    for bad, message in (
        (damaged, "is damaged"),
        (tmp_path / "missing.backup", "there is no file"),
        (Path(__file__), "is not a Kronika backup"),
    ):
        code, out, err = target(f"restore {bad}")
        assert (code, out) == (2, ""), err
        Kronika.assert_one_error_line(err)
        assert message in err
    _nothing_restored(target)

    (target.data_dir / "master.key").write_text("A" * 43 + "=\n")
    code, out, err = target(f"restore {file}")
    assert (code, out) == (2, "")
    assert "the master key does not open this backup" in err
    _nothing_restored(target)

    code, out, err = source(f"restore {file}")
    assert code == 2
    assert "is not empty" in err


def test_a_tampered_journal_is_not_backed_up(source: Kronika, tmp_path: Path) -> None:
    """A backup of a changed log, restored, would give a fresh chain that agrees with the forgery."""
    from tests.integration.raw_store import RawStore

    raw = RawStore(source.settings)
    row = next(r for r in raw.rows() if r.topic.endswith("SessionHeld"))
    raw.set_state(row.position, row.state[::-1])
    file = tmp_path / "kronika.backup"
    err = source.refused(f"backup {file}")
    assert "the journal is not intact (the fact at position" in err
    assert "kronika audit verify" in err
    assert list(tmp_path.glob("kronika.backup*")) == []


def test_a_backup_to_a_directory_that_does_not_exist_is_one_line(source: Kronika, tmp_path: Path) -> None:
    err = source.refused(f"backup {tmp_path / 'nowhere' / 'x.backup'}", exit_code=2)
    assert "there is no directory" in err


def _forge(file: Path, change: str) -> None:
    """Alter a backup as someone without the master key could: consistently, head and all."""
    from projections.chain import GENESIS, Digest, content_hash, link_hash
    from workers.backup import _Fact

    with sqlite3.connect(file) as conn:
        if change == "fact":
            [state] = conn.execute("SELECT state FROM facts WHERE position = 5").fetchone()
            conn.execute("UPDATE facts SET state = ? WHERE position = 5", (state[::-1],))
        elif change == "last fact dropped":
            conn.execute("DELETE FROM facts WHERE position = (SELECT max(position) FROM facts)")
        elif change == "key":
            conn.execute("UPDATE keys SET wrapped = x'' WHERE rowid = (SELECT min(rowid) FROM keys)")
        link, position = GENESIS, 0
        for row in conn.execute("SELECT * FROM facts ORDER BY position"):
            fact = _Fact(row)
            link, position = link_hash(link, fact.id, content_hash(fact)), fact.id
        conn.execute("UPDATE meta SET value = ? WHERE name = 'head'", (str(Digest(position, link)),))
        conn.execute("UPDATE meta SET value = ? WHERE name = 'facts'", (str(position),))


@pytest.mark.parametrize("change", ["fact", "last fact dropped", "key"])
def test_a_backup_altered_with_its_head_rewritten_is_refused(
    source: Kronika, target: Kronika, tmp_path: Path, change: str
) -> None:
    file = tmp_path / "kronika.backup"
    source.ok(f"backup {file}")
    _forge(file, change)
    code, out, err = target(f"restore {file}")
    assert (code, out) == (2, ""), err
    Kronika.assert_one_error_line(err)
    assert "was altered after it was made" in err
    _nothing_restored(target)


def test_a_backup_without_authentication_is_refused(source: Kronika, target: Kronika, tmp_path: Path) -> None:
    file = tmp_path / "kronika.backup"
    source.ok(f"backup {file}")
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE meta SET value = 'kronika-backup-1' WHERE name = 'format'")
        conn.execute("DELETE FROM meta WHERE name = 'mac'")
    code, _out, err = target(f"restore {file}")
    assert code == 2
    Kronika.assert_one_error_line(err)
    assert "without authentication" in err
    _nothing_restored(target)
