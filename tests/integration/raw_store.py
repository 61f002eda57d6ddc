"""Direct access to the journal's stored rows, as someone with the database files would have.

For tests that look for personal data in the raw bytes, and that tamper with
the log behind Kronika's back (SQLite and PostgreSQL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import psycopg
from psycopg import sql

from workers.settings import Settings


@dataclass(frozen=True)
class Row:
    position: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes


class RawStore:
    """The event table of a journal, one row per stored fact, by notification position."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.postgres = settings.database_url is not None
        if self.postgres:
            assert settings.database_url is not None
            parts = urlparse(settings.database_url)
            self.schema = parse_qs(parts.query)["schema"][0]
            self.url = settings.database_url.split("?")[0]
            self.table = sql.SQL("{}.kronika_events").format(sql.Identifier(self.schema))

    @contextmanager
    def _pg(self) -> Iterator[psycopg.Connection[Any]]:
        with psycopg.connect(self.url, autocommit=False) as conn:
            yield conn

    @contextmanager
    def _sqlite(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.settings.data_dir / "journal.sqlite")
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def rows(self) -> list[Row]:
        if self.postgres:
            with self._pg() as conn:
                query = sql.SQL(
                    "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
                    "ORDER BY notification_id"
                ).format(self.table)
                return [Row(*r[:4], bytes(r[4])) for r in conn.execute(query)]
        with self._sqlite() as conn:
            found = conn.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                "FROM stored_events ORDER BY rowid"
            )
            return [Row(*r[:4], bytes(r[4])) for r in found]

    def row(self, position: int) -> Row:
        [found] = [r for r in self.rows() if r.position == position]
        return found

    def set_state(self, position: int, state: bytes) -> None:
        self._execute("UPDATE {t} SET state = %s WHERE {id} = %s", state, position)

    def set_topic(self, position: int, topic: str) -> None:
        self._execute("UPDATE {t} SET topic = %s WHERE {id} = %s", topic, position)

    def update(self, position: int, assignment: str) -> None:
        """``UPDATE ... SET <assignment>`` on one row, in the store's own SQL (``state = NULL``)."""
        self._execute("UPDATE {t} SET " + assignment + " WHERE {id} = %s", position)

    def delete(self, position: int) -> None:
        self._execute("DELETE FROM {t} WHERE {id} = %s", position)

    def put(self, row: Row, position: int) -> None:
        """Write a row at a position (which must be free)."""
        self._execute(
            "INSERT INTO {t} ({id}, originator_id, originator_version, topic, state) "
            "VALUES (%s, %s, %s, %s, %s)",
            position,
            row.originator_id,
            row.originator_version,
            row.topic,
            row.state,
        )

    def move(self, position: int, to: int) -> None:
        self._execute("UPDATE {t} SET {id} = %s WHERE {id} = %s", to, position)

    def _execute(self, statement: str, *params: Any) -> None:
        if self.postgres:
            query = sql.SQL(statement.replace("{t}", "{}").replace("{id}", "notification_id")).format(
                self.table
            )
            with self._pg() as conn:
                conn.execute(query, params)
            return
        with self._sqlite() as conn:
            conn.execute(
                statement.replace("{t}", "stored_events").replace("{id}", "rowid").replace("%s", "?"), params
            )

    def spoil_client_keys(self) -> None:
        """Flip a bit of every wrapped client key: none opens with the master key any more."""
        if self.postgres:
            keys = sql.SQL("{}.kronika_keys").format(sql.Identifier(self.schema))
            flip = sql.SQL("UPDATE {} SET wrapped = set_byte(wrapped, 0, get_byte(wrapped, 0) # 1)")
            with self._pg() as conn:
                conn.execute(flip.format(keys))
            return
        with self._sqlite() as conn:
            spoiled = [
                (bytes([wrapped[0] ^ 1]) + wrapped[1:], subject)
                for subject, wrapped in conn.execute("SELECT subject, wrapped FROM kronika_keys")
            ]
            conn.executemany("UPDATE kronika_keys SET wrapped = ? WHERE subject = ?", spoiled)

    def dump(self) -> bytes:
        """What a reader of the database sees: raw files (SQLite), every row of every table (PostgreSQL)."""
        if not self.postgres:
            return b"".join(p.read_bytes() for p in sorted(self.settings.data_dir.rglob("*")) if p.is_file())
        chunks = []
        with self._pg() as conn:
            tables = conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN (%s, %s)",
                (self.schema, f"{self.schema}_read"),
            ).fetchall()
            for schema, name in tables:
                query = sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(name))
                for row in conn.execute(query):
                    for value in row:
                        chunks.append(
                            bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                        )
        return b"\n".join(chunks)
