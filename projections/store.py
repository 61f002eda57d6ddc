"""The read store: SQLAlchemy tables the projectors write and the queries read.

A separate SQLite file by default; with the journal on PostgreSQL, a schema
of its own in the same database. Read models are disposable: every table
here can be rebuilt from the journal.

Each projector's tables exist in *generations* (``cases__g1``,
``cases__g2``...): a rebuild fills a fresh generation while the live one keeps
serving, then one small transaction makes the fresh one live.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Dialect,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.exc import DBAPIError

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}


class Moment(TypeDecorator[datetime]):
    """A moment in time: stored as UTC, always read back with its time zone (also on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a moment without a time zone")
        return value.astimezone(UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[datetime | None], Any] | None:
        """On SQLite, the text ``DateTime`` stores ("2025-03-01 08:30:00.000000", UTC), written at once.

        SQLAlchemy's own formatting of each moment was about a twentieth of
        a rebuild there; this is the same text (a test compares them).
        """
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        to_utc = self.process_bind_param

        def process(value: datetime | None) -> str | None:
            moment = to_utc(value, dialect)
            return None if moment is None else moment.replace(tzinfo=None).isoformat(" ", "microseconds")

        return process

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Bookkeeping shared by all projectors (never generation-suffixed).
bookkeeping = MetaData(naming_convention=NAMING)

# Which generation of a projector's tables is live, and the projector version that built it.
projectors = Table(
    "projectors",
    bookkeeping,
    Column("projector", String(40), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

# How far each generation has read the journal's notification log (exclusive of nothing:
# every event with a notification id <= position is in that generation's rows).
positions = Table(
    "positions",
    bookkeeping,
    Column("projector", String(40), primary_key=True),
    Column("generation", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
)

# What every rebuild found when it compared the fresh tables with the live ones.
rebuilds = Table(
    "rebuilds",
    bookkeeping,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("projector", String(40), nullable=False),
    Column("started_at", Moment, nullable=False),
    Column("finished_at", Moment, nullable=False),
    Column("position", Integer, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("differences", Integer, nullable=False),
    Column("detail", JSON, nullable=False),
)


class Busy(Exception):
    """Someone else holds the lock (e.g. a rebuild is already running)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ReadStore:
    """An engine on the read store, with the schema applied to every statement."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        self.is_sqlite = url.startswith("sqlite")
        options: dict[str, Any] = {}
        if self.is_sqlite:
            # Pooled connections hold no lock between transactions; closing the last one
            # would checkpoint the WAL every time.
            options["connect_args"] = {"timeout": 30}
        else:
            options["pool_pre_ping"] = True
            options["connect_args"] = {"connect_timeout": 5}
        engine = create_engine(url, **options)
        if self.is_sqlite:
            _sqlite_transactions(engine)
        if schema:
            engine = engine.execution_options(schema_translate_map={None: schema})
        self.engine: Engine = engine

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction (on SQLite it takes the write lock at once)."""
        with self.engine.execution_options(immediate=True).begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A read transaction that sees one consistent state of every table."""
        options = {} if self.is_sqlite else {"isolation_level": "REPEATABLE READ"}
        with self.engine.connect().execution_options(**options) as conn, conn.begin():
            if self.is_sqlite:
                conn.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1")  # the snapshot starts here
            yield conn

    @contextmanager
    def lock(self, name: str, *, wait: bool = False) -> Iterator[None]:
        """Hold a named lock across processes and machines; without ``wait``, raise ``Busy`` at once.

        It dies with its holder: a PostgreSQL advisory lock on a connection of
        its own, or an exclusive ``flock`` on a file beside the SQLite file.
        """
        if self.is_sqlite:
            database = self.engine.url.database or ""
            path = Path(f"{database}.{name.replace(':', '-')}.lock")
            with path.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise Busy(name) from None
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
            return
        digest = hashlib.blake2b(f"{self.schema}:{name}".encode(), digest_size=8).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if wait:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            elif not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                raise Busy(name)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})

    def create(self) -> None:
        """Create the schema and the bookkeeping tables if missing (at init, deploy or rebuild).

        Projectors' tables are created by the rebuild that fills them. Two at
        once take turns.
        """
        if self.exists():
            return
        with self.lock("create", wait=True), self.begin() as conn:
            if self.schema and not self.is_sqlite:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"'))
            bookkeeping.create_all(conn)

    def exists(self) -> bool:
        """Whether ``create`` has run here."""
        try:
            with self.connect() as conn:
                conn.execute(projectors.select().limit(1))
        except DBAPIError as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                return False
            raise
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_transactions(engine: Engine) -> None:
    """Real SQLite transactions: BEGIN [IMMEDIATE], WAL, and transactional DDL.

    pysqlite's own transaction handling defers BEGIN and commits around DDL;
    SQLAlchemy's documented recipe hands control back to us.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the lock before they read, so two never deadlock on an upgrade;
        # readers get a snapshot and never block a writer (WAL).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")
