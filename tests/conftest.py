"""Shared fixtures: real SQLite files, a real PostgreSQL schema per test.

PostgreSQL is found at ``KRONIKA_TEST_POSTGRES_URL`` (default: the local
server's ``test`` database). Without it, tests that need it are skipped and
the run says so at the end; with ``CI=true`` a missing service fails them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from domain.journal import Journal
from workers.journal import open_journal
from workers.settings import Settings

POSTGRES_URL = os.environ.get("KRONIKA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KRONIKA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN = "admin"

MISSING = "is not reachable"


def _service_missing(name: str, detail: str) -> None:
    message = f"{name} {MISSING} ({detail})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        _service_missing("PostgreSQL", f"{POSTGRES_URL}: {str(error).strip().splitlines()[0]}")
    return POSTGRES_URL


@pytest.fixture(scope="session")
def redis_server() -> str:
    """The local Redis server's URL (database 0; tests choose their own database or queue)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        _service_missing("Redis", f"{REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh schema of its own for one test, dropped afterwards."""
    schema = f"kronika_test_{uuid.uuid4().hex[:12]}"
    yield f"{postgres_server}?schema={schema}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        for name in (schema, f"{schema}_read"):  # the journal's schema and the read store's beside it
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def settings_for(data_dir: Path, database_url: str | None = None, user: str = ADMIN) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        broker_url=None,
        language="en",
        timezone="Europe/Prague",
        user=user,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for an empty journal, once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        return settings_for(tmp_path, request.getfixturevalue("postgres_url"))
    return settings_for(tmp_path)


@pytest.fixture
def journal(store_settings: Settings) -> Iterator[Journal]:
    """An initialised journal whose first admin is ``admin``."""
    journal = open_journal(store_settings, create=True)
    journal.initialise(ADMIN, "Admin Istrator")
    yield journal
    journal.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly which services were missing and how many tests that skipped."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if MISSING in reason:
            reason = reason.removeprefix("Skipped: ")
            reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        terminalreporter.write_line(f"NOT TESTED: {reason}: {count} tests skipped.", yellow=True, bold=True)
