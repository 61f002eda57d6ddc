"""Backup and restore of a journal: the stored facts and the client keys, exactly as stored.

A backup is one SQLite file: every stored fact at its position (still
encrypted with the master key), every client key (still wrapped with it,
destroyed ones as tombstones) and the hash chain's head over the facts. It
holds no key that opens anything: restoring needs the installation's master
key, kept apart. The read store is not in it; it is rebuilt from the facts.

Restore writes into an empty journal (SQLite or PostgreSQL, whichever the
settings name) at the same positions, so issued reports reproduce, and the
chain recomputed over the restored facts must equal the backup's head.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

from domain.journal import Journal
from projections.chain import GENESIS, Digest, content_hash, link_hash
from workers.journal import SealedJournal, open_journal
from workers.settings import ConfigurationError, Settings

FORMAT = "kronika-backup-1"
PAGE = 5000


class BadBackup(ConfigurationError):
    """The file is not a Kronika backup, or not a whole one."""


def backup(journal: Journal, path: Path) -> Digest:
    """Write the journal to a new file; the chain head of what was written."""
    if path.exists():
        raise ConfigurationError(f"{path} exists; give a new file name")
    assert isinstance(journal, SealedJournal)
    keys = journal.mapper.keys.export()  # first: an erasure after this still reaches the copy's facts
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    out = sqlite3.connect(partial)
    try:
        out.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE facts (position INTEGER PRIMARY KEY, originator_id TEXT NOT NULL,"
            " originator_version INTEGER NOT NULL, topic TEXT NOT NULL, state BLOB NOT NULL);"
            "CREATE TABLE keys (subject TEXT PRIMARY KEY, wrapped BLOB NOT NULL);"
        )
        out.executemany("INSERT INTO keys VALUES (?, ?)", [(str(s), w) for s, w in keys])
        link, position, after = GENESIS, 0, 0
        while True:
            page = journal.recorder.select_notifications(after, limit=PAGE, inclusive_of_start=False)
            rows = []
            for n in page:
                link, position = link_hash(link, n.id, content_hash(n)), n.id
                rows.append((n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state)))
            out.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", rows)
            if len(page) < PAGE:
                break
            after = page[-1].id
        head = Digest(position, link)
        out.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", FORMAT), ("head", str(head)), ("facts", str(position))],
        )
        out.commit()
    finally:
        out.close()
    partial.chmod(0o600)
    partial.rename(path)
    return head


class _Fact:
    """A stored fact read back from a backup, shaped like the library's notifications."""

    __slots__ = ("id", "originator_id", "originator_version", "state", "topic")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.id, originator, self.originator_version, self.topic, self.state = row
        self.originator_id = UUID(originator)


def restore(settings: Settings, path: Path) -> tuple[int, Digest]:
    """Restore a backup into an empty journal; the facts restored and the chain head they make.

    Everything that can be wrong is checked before anything is written: the
    file, its chain head, the master key, the target's emptiness.
    """
    if not settings.master_key and not settings.key_file.exists():
        raise ConfigurationError(
            f"restoring needs the master key of the installation the backup came from: put it at "
            f"{settings.key_file} or set KRONIKA_MASTER_KEY_FILE"
        )
    source = _open_backup(path)
    try:
        expected = Digest.parse(_meta(source, "head"))
        link, position = GENESIS, 0
        for row in source.execute("SELECT * FROM facts ORDER BY position"):
            fact = _Fact(row)
            link, position = link_hash(link, fact.id, content_hash(fact)), fact.id
        if Digest(position, link) != expected:
            raise BadBackup(f"{path} is damaged: its facts do not make the chain head it recorded")
        existed = (settings.data_dir / "journal.sqlite").exists()
        journal = open_journal(settings, create=True)
        assert isinstance(journal, SealedJournal)
        writer = _Writer(journal, settings)
        written = False
        try:
            if journal.recorder.max_notification_id():
                raise ConfigurationError(
                    "the journal where the settings point is not empty; restore into a new "
                    "KRONIKA_DATA_DIR or database schema"
                )
            first = source.execute("SELECT * FROM facts ORDER BY position LIMIT 1").fetchone()
            if first is not None:
                _opens(journal, _Fact(first))
            written, count = True, 0
            cursor = source.execute("SELECT * FROM facts ORDER BY position")
            while rows := cursor.fetchmany(PAGE):
                writer.insert([_Fact(r) for r in rows])
                count += len(rows)
            keys = [(UUID(s), bytes(w)) for s, w in source.execute("SELECT subject, wrapped FROM keys")]
            journal.mapper.keys.import_rows(keys)
            writer.finish(position)
        except BaseException:
            if written:
                writer.undo()
            journal.close()
            if not existed and not settings.database_url:
                for suffix in ("", "-wal", "-shm"):
                    (settings.data_dir / f"journal.sqlite{suffix}").unlink(missing_ok=True)
            raise
        journal.close()
    finally:
        source.close()
    return count, expected


def _open_backup(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BadBackup(f"there is no file {path}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if _meta(source, "format") != FORMAT:
            raise BadBackup(f"{path} is not a Kronika backup (format {FORMAT})")
    except (sqlite3.DatabaseError, BadBackup):
        source.close()
        raise BadBackup(f"{path} is not a Kronika backup; make one with: kronika backup FILE") from None
    return source


def _meta(source: sqlite3.Connection, name: str) -> str:
    row = source.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise BadBackup(f"the backup has no {name}")
    return str(row[0])


def _opens(journal: SealedJournal, fact: _Fact) -> None:
    from eventsourcing.persistence import MapperDeserialisationError

    try:
        journal.mapper.to_domain_event(fact)  # type: ignore[arg-type]
    except MapperDeserialisationError:
        raise ConfigurationError(
            "the master key does not open this backup: set KRONIKA_MASTER_KEY_FILE to the key of the "
            "installation it was made from"
        ) from None


class _Writer:
    """Raw inserts at the backed-up positions, in the library's own event table."""

    def __init__(self, journal: SealedJournal, settings: Settings) -> None:
        self.datastore = journal.recorder.datastore  # type: ignore[attr-defined]
        self.postgres = settings.database_url is not None
        if self.postgres:
            schema = self.datastore.schema
            self.table, self.keys = f'"{schema}".kronika_events', f'"{schema}".kronika_keys'
        else:
            self.table, self.keys = "stored_events", "kronika_keys"

    def insert(self, facts: list[_Fact]) -> None:
        if self.postgres:
            statement = (
                f"INSERT INTO {self.table} "  # noqa: S608 - our own table's name
                "(notification_id, originator_id, originator_version, topic, state) "
                "VALUES (%s, %s, %s, %s, %s)"
            )
            rows: list[tuple[Any, ...]] = [
                (f.id, f.originator_id, f.originator_version, f.topic, f.state) for f in facts
            ]
        else:
            statement = (
                "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?, ?)"
            )
            rows = [(f.id, f.originator_id.hex, f.originator_version, f.topic, f.state) for f in facts]
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(statement, rows)

    def undo(self) -> None:
        """A restore that failed half-way leaves the target as empty as it found it."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608 - our table
            cursor.execute(f"DELETE FROM {self.keys}")  # noqa: S608 - our table

    def finish(self, last: int) -> None:
        """PostgreSQL: the id sequence goes on after the restored facts."""
        if self.postgres and last:
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'notification_id'), %s)",
                    (last,),
                )
