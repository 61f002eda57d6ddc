"""The event table's rows read raw, whatever was done to them (no SQLAlchemy: the write path uses it).

The library's notifications decode columns as the library wrote them and
fail, or crash, on a row edited behind its back: SQLite returns a state
made TEXT with a zero byte as undecodable text, a record id that is no UUID
raises, a NULL state is no bytes. The hash chain (``projections.chain``),
backups and the master-key check read the rows here instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.journal import Journal

PAGE = 5000


@dataclass(frozen=True)
class StoredFact:
    """One row of the event table as it is, whatever was done to it.

    ``sound`` is False when the row is not what Kronika writes (a record id
    that is no UUID, a version that is no number, a type or state of the
    wrong kind or missing): such a row cannot be a fact Kronika recorded, so
    ``verify`` reports it as changed. Its content hash still differs from
    every sound row's.
    """

    id: int
    originator_id: UUID | str
    originator_version: int | str
    topic: str
    state: bytes
    sound: bool = True


def facts(
    journal: Journal, after: int = 0, stop: int | None = None, *, page_size: int = PAGE
) -> Iterator[StoredFact]:
    """Every row of the event table after ``after`` (up to ``stop``), in log order, read raw.

    Not through the library's notifications: those decode columns as the
    library wrote them and fail (or crash) on a row edited behind its back.
    """
    recorder: Any = journal.recorder
    while True:
        page = _raw_page(recorder, after, stop, page_size)
        yield from page
        if len(page) < page_size:
            return
        after = page[-1].id


def _raw_page(recorder: Any, after: int, stop: int | None, limit: int) -> list[StoredFact]:
    datastore = recorder.datastore
    table = recorder.events_table_name
    until = stop if stop is not None else 2**62
    if hasattr(datastore, "schema"):  # PostgreSQL: the columns are typed, only NULLs can surprise
        from psycopg import sql
        from psycopg.rows import tuple_row

        statement = sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{} "
            "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id LIMIT %s"
        ).format(sql.Identifier(datastore.schema), sql.Identifier(table))
        with datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(statement, (after, until, limit))
            return [_postgres_fact(*row) for row in cursor.fetchall()]
    # SQLite stores whatever it is given: read every column as bytes, and its type beside it.
    columns = ", ".join(
        f"CAST({name} AS BLOB), typeof({name})"
        for name in ("originator_id", "originator_version", "topic", "state")
    )
    query = f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"  # noqa: S608 - the library's table name
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(query, (after, until, limit))
        return [_sqlite_fact(*row) for row in cursor.fetchall()]


def _postgres_fact(position: int, originator: Any, version: Any, topic: Any, state: Any) -> StoredFact:
    if topic is not None and state is not None:
        return StoredFact(position, originator, version, topic, bytes(state))
    return StoredFact(position, originator, version, f"{topic}:{state is None}", bytes(state or b""), False)


def _sqlite_fact(
    position: int,
    originator: bytes | None,
    originator_type: str,
    version: bytes | None,
    version_type: str,
    topic: bytes | None,
    topic_type: str,
    state: bytes | None,
    state_type: str,
) -> StoredFact:
    raw_id = (originator or b"").decode("utf-8", "replace")
    raw_topic = (topic or b"").decode("utf-8", "replace")
    raw_version = (version or b"").decode("utf-8", "replace")
    sound = (originator_type, version_type, topic_type, state_type) == ("text", "integer", "text", "blob")
    identity: UUID | str = raw_id
    if sound:
        try:
            uuid = UUID(raw_id)
        except ValueError:
            sound = False
        else:
            identity = uuid
            sound = uuid.hex == raw_id and raw_topic.encode() == topic  # as the library writes them
    if not sound:
        # What is hashed must tell this row from a sound one with the same text: say what was odd.
        identity = f"{raw_id}:{originator_type}"
        raw_version = f"{raw_version}:{version_type}"
        raw_topic = f"{raw_topic}:{topic_type}:{state_type}"
    return StoredFact(
        position,
        identity,
        int(raw_version) if sound else raw_version,
        raw_topic,
        state or b"",
        sound,
    )
