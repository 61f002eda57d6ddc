"""An import's facts, staged on disk until the whole file has checked, then copied in portions.

The importer runs each line once, against the journal as it is plus what the
lines before it produced. What a line produced is mapped to stored events at
once, with the journal's own mapper (so staged facts are compressed and
encrypted exactly as they will be stored), and kept in a private temporary
SQLite database that SQLite deletes when it is closed (or when the process
dies: the file is unlinked as soon as it is opened). Records are read from the
journal plus the staged facts, so the unit of work may forget any record
whose facts are staged: memory stays flat however long the file is.

When every line has checked, the staged events are copied into the journal in
line order, a portion of lines per transaction, each line with its receipt.
The events carry the versions computed against the journal as it was checked:
a writer who touched the same records meanwhile makes the portion fail with
``IntegrityError`` (and the lines before it stay recorded, whole).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import partial
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, project_aggregate
from eventsourcing.domain import OriginatorVersionError
from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain.client import Client
from domain.facts import Record
from domain.journal import Journal
from workers.sealing import SealingMapper

ERASED = get_topic(Client.Erased)
# The most a transaction of an import holds, in stored bytes: a quarter of Linux's default largest
# socket send buffer (see ``Staging.portions``); a portion of ordinary lines holds about 0.6 MB.
PORTION_BYTES = 1 << 20


class Staging:
    """Staged stored events (by line), and the refs' labels of the file being imported."""

    def __init__(self, journal: Journal, *, dry_run: bool = False) -> None:
        self.journal = journal
        # A dry run's facts are never recorded: they are staged without their personal fields sealed
        # per client (still compressed and encrypted with the master key), so no client key is made.
        self.seal = isinstance(journal.mapper, SealingMapper) and not dry_run
        # "" is a private temporary database on disk, deleted when closed.
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-2048")  # KiB: a small page cache; the OS caches the file
        self.db.execute(
            "CREATE TABLE facts (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, record BLOB NOT NULL, "
            "version INTEGER NOT NULL, topic TEXT NOT NULL, state BLOB NOT NULL)"
        )
        self.db.execute("CREATE INDEX facts_by_record ON facts (record, version)")
        self.db.execute("CREATE TABLE labels (label TEXT PRIMARY KEY, code TEXT)")
        self.db.execute("BEGIN")
        self.staged = 0  # events staged so far
        self._noted: list[tuple[int, Record, int]] = []  # (line, record, its pending facts then)
        self._absent: set[UUID] = set()  # records the journal was found not to hold (see expect)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- labels ("ref" of a line, "@label" in later lines) ---------------------------

    def __contains__(self, label: object) -> bool:
        found = self.db.execute("SELECT 1 FROM labels WHERE label = ?", (label,)).fetchone()
        return found is not None

    def add_label(self, label: str) -> None:
        self.db.execute("INSERT INTO labels (label) VALUES (?)", (label,))

    def set_code(self, label: str, code: str) -> None:
        self.db.execute("UPDATE labels SET code = ? WHERE label = ?", (code, label))

    def code(self, label: str) -> str:
        found = self.db.execute("SELECT code FROM labels WHERE label = ?", (label,)).fetchone()
        assert found is not None, "a label is added when its line is read"
        assert found[0] is not None, "a label is resolved only after its line ran"
        return str(found[0])

    def codes(self) -> dict[str, str]:
        """What each label's line created, in the order of the lines."""
        rows = self.db.execute("SELECT label, code FROM labels WHERE code IS NOT NULL ORDER BY rowid")
        return dict(rows)

    # -- facts ------------------------------------------------------------------------

    def note(self, line: int, records: list[Record]) -> None:
        """The facts the records hold pending now, up to the ones noted before, are ``line``'s."""
        self._noted.extend((line, record, len(record.pending_events)) for record in records)

    def stage(self) -> None:
        """Map the noted facts to stored events, as a save would, and keep them with their lines."""
        if not self._noted:
            return
        records = list({record.id: record for _, record, _ in self._noted}.values())
        mapper = self.journal.mapper
        if self.seal:
            assert isinstance(mapper, SealingMapper)
            mapper.prepare(records)  # whom each record is about; the keys its personal fields need
        to_stored_event = mapper.to_stored_event if self.seal else partial(Mapper.to_stored_event, mapper)
        rows = []
        taken: dict[UUID, int] = {}
        for line, record, upto in self._noted:
            for event in record.pending_events[taken.get(record.id, 0) : upto]:
                stored = to_stored_event(event)
                origin = stored.originator_id
                record_id = origin if isinstance(origin, UUID) else UUID(origin)
                rows.append((line, record_id.bytes, stored.originator_version, stored.topic, stored.state))
            taken[record.id] = upto
        for record in records:
            record.collect_events()
            if self.seal:
                assert isinstance(mapper, SealingMapper)
                mapper.subjects.pop(record.id, None)  # prepared again before any later save
        self.db.executemany(
            "INSERT INTO facts (line, record, version, topic, state) VALUES (?, ?, ?, ?, ?)", rows
        )
        self.staged += len(rows)
        self._noted = []

    def expect(self, record_ids: list[UUID]) -> None:
        """Find out at once which of these records the journal holds (one query, not one each)."""
        self._absent = set(record_ids) - _held(self.journal, record_ids)

    def load(self, record_id: UUID) -> Record | None:
        """The record from the journal plus its staged facts; None if neither holds it."""
        rows = self.db.execute(
            "SELECT version, topic, state FROM facts WHERE record = ? ORDER BY version", (record_id.bytes,)
        ).fetchall()
        if not rows:
            if record_id in self._absent:
                return None
            try:
                record: Any = self.journal.repository.get(record_id)
            except AggregateNotFoundError:
                return None
            assert isinstance(record, Record)
            return record
        stored = [
            *self.journal.recorder.select_events(record_id),
            *(StoredEvent(record_id, version, topic, state) for version, topic, state in rows),
        ]
        try:
            record = project_aggregate(None, (self._decode(s) for s in stored))
        except OriginatorVersionError:
            # Someone else recorded facts of this record since the line that staged ours ran.
            raise IntegrityError(f"record {record_id} changed during the import") from None
        assert isinstance(record, Record)
        return record

    def _decode(self, stored: StoredEvent) -> Any:
        if stored.topic == ERASED:
            # The journal's mapper destroys an erased client's key when it reads the erasure (to finish
            # one cut short); a staged erasure is not recorded yet, so it must not do that.
            return Mapper.to_domain_event(self.journal.mapper, stored)
        return self.journal.mapper.to_domain_event(stored)

    # -- copying into the journal -----------------------------------------------------------

    def portions(self, lines: int, size: int) -> Iterator[tuple[int, list[StoredEvent]]]:
        """The staged events of lines 1..size, size+1..2*size, ... in line order; each portion's last line.

        Lines are numbered 1..``lines`` here (the file's lines that hold a command).
        A portion also ends early, after a whole line, once its facts' stored
        states reach ``PORTION_BYTES``: on PostgreSQL the library inserts a
        portion as one statement in psycopg's pipeline mode, and psycopg
        (3.3.9, libpq 18) waits for ever on a statement larger than
        the socket's send buffer (4 MiB by default on Linux), the server
        waiting for the rest of it.
        """
        rows = self.db.execute("SELECT line, record, version, topic, state FROM facts ORDER BY seq")
        last = min(lines, size)
        portion: list[StoredEvent] = []
        held, current = 0, 0
        for line, record, version, topic, state in rows:
            while line > last:
                yield last, portion
                portion, held, last = [], 0, min(lines, last + size)
            if line > current and held >= PORTION_BYTES:  # a line's facts stay in one transaction
                yield current, portion
                portion, held = [], 0
            current = line
            portion.append(StoredEvent(UUID(bytes=record), version, topic, state))
            held += len(state)
        while True:
            yield last, portion
            if last >= lines:
                return
            portion, last = [], min(lines, last + size)

    def record(self, events: list[StoredEvent]) -> int:
        """Insert one portion in one transaction; the number of facts recorded."""
        if not events:
            return 0
        journal = self.journal
        positions = journal.recorder.insert_events(events)
        if positions:
            journal.last_position = max(positions)
        mapper = journal.mapper
        if isinstance(mapper, SealingMapper):
            # As a save does: an erased client's key goes once their erasure is recorded.
            for event in events:
                if event.topic == ERASED:
                    mapper.keys.shred(UUID(str(event.originator_id)))
        return len(events)


def _held(journal: Journal, record_ids: list[UUID]) -> set[UUID]:
    """Which of the records have facts in the journal's event table."""
    if not record_ids:
        return set()
    recorder: Any = journal.recorder
    datastore = recorder.datastore
    table = recorder.events_table_name
    if hasattr(datastore, "schema"):  # PostgreSQL
        from psycopg import sql

        statement = sql.SQL("SELECT DISTINCT originator_id FROM {}.{} WHERE originator_id = ANY(%s)").format(
            sql.Identifier(datastore.schema), sql.Identifier(table)
        )
        with datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, (list(record_ids),))
            return {UUID(str(row["originator_id"] if isinstance(row, dict) else row[0])) for row in cursor}
    marks = ", ".join("?" for _ in record_ids)
    query = f"SELECT DISTINCT originator_id FROM {table} WHERE originator_id IN ({marks})"  # noqa: S608 - the library's table name, ? marks
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(query, [i.hex for i in record_ids])
        return {UUID(row[0]) for row in cursor.fetchall()}
