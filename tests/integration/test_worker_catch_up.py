"""A worker's catch-up task (``workers.app.catch_up``) on a short and on a long backlog.

The task is run in this process on the test's journal and read store, so
that what it reads and decodes can be counted; real worker processes run it
in ``tests/workers``. On SQLite and PostgreSQL:

- a nudge that finds more than ``LONG_BACKLOG`` facts to catch up brings every projector
  to the head from one reading of the log, and the other projectors' nudges find nothing;
- a short backlog is caught up for the nudged projector alone (the others' own nudges follow);
- while another worker holds the catch-up of all, a nudge still catches its own projector up;
- on PostgreSQL a long catch-up leaves the planner statistics of the live tables it filled.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from test_catch_up_many import counting_decodes  # the tests' directory is on the path
from test_tracking import (
    POSTGRES_ONLY,
    add_bulk_service,
    assert_rebuild_agrees,
    live_of,
    record_backlog,
)

from domain.journal import Journal
from projections import tracking
from projections.catalogue import all_projectors
from projections.session_counts import SessionCounts
from projections.store import ReadStore
from projections.tracking import LONG_BACKLOG, Log, refresh_many
from workers import app

NAMES = [p.name for p in all_projectors()]
START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def worker_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[Journal, ReadStore], None]:
    """Have the worker's tasks in this process use this journal and read store."""

    def use(journal: Journal, store: ReadStore) -> None:
        monkeypatch.setattr(app._Resources, "journal", journal)
        monkeypatch.setattr(app._Resources, "store", store)
        monkeypatch.setattr(app._Resources, "pid", os.getpid())

    return use


def built_at_head(journal: Journal, store: ReadStore) -> int:
    """Every projector's live tables built; the head they stand at."""
    refresh_many(journal, store, all_projectors())
    return Log(journal).head()


def positions(store: ReadStore) -> dict[str, int]:
    return {p.name: live_of(store, p).position for p in all_projectors()}


def test_a_long_backlog_is_caught_up_for_every_projector_from_one_reading_by_the_first_nudge(
    journal: Journal,
    store: ReadStore,
    worker_on: Callable[[Journal, ReadStore], None],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker_on(journal, store)
    add_bulk_service(journal)
    before = built_at_head(journal, store)
    record_backlog(journal, cases=5, sessions=300, start=START)
    head = Log(journal).head()
    assert head - before > LONG_BACKLOG
    decoded = counting_decodes(journal, monkeypatch)

    with caplog.at_level(logging.INFO, logger="kronika.workers"):
        app.catch_up("session_counts")

    assert positions(store) == dict.fromkeys(NAMES, head)
    assert sorted(decoded) == list(range(before + 1, head + 1))
    assert set(decoded.values()) == {1}, "a fact was decoded more than once"
    applied = {r.args[0]: r.args[1] for r in caplog.records if r.msg == "%s: applied %d facts"}  # type: ignore[index]
    assert set(applied) == set(NAMES)
    for name in NAMES:  # the other nudges of the same writes
        app.catch_up(name)
    assert set(decoded.values()) == {1}, "a later nudge read the backlog again"
    for projector in all_projectors():
        assert_rebuild_agrees(journal, store, projector)


def test_a_short_backlog_is_caught_up_for_the_nudged_projector_alone(
    journal: Journal, store: ReadStore, worker_on: Callable[[Journal, ReadStore], None]
) -> None:
    worker_on(journal, store)
    add_bulk_service(journal)
    before = built_at_head(journal, store)
    record_backlog(journal, cases=2, sessions=10, start=START)
    head = Log(journal).head()
    assert 0 < head - before <= LONG_BACKLOG

    app.catch_up("open_cases")

    expected = dict.fromkeys(NAMES, before) | {"open_cases": head}
    assert positions(store) == expected
    for name in NAMES:
        app.catch_up(name)
    assert positions(store) == dict.fromkeys(NAMES, head)
    for projector in all_projectors():
        assert_rebuild_agrees(journal, store, projector)


def test_while_another_worker_catches_everything_up_a_nudge_still_catches_its_projector_up(
    journal: Journal, store: ReadStore, worker_on: Callable[[Journal, ReadStore], None]
) -> None:
    worker_on(journal, store)
    add_bulk_service(journal)
    before = built_at_head(journal, store)
    record_backlog(journal, cases=5, sessions=300, start=START)
    head = Log(journal).head()

    with store.lock(app.CATCH_UP_TOGETHER):  # as another worker holds it
        app.catch_up("audit_trail")
        expected = dict.fromkeys(NAMES, before) | {"audit_trail": head}
        assert positions(store) == expected

    app.catch_up("findings")  # the lock is free again: the rest from one reading
    assert positions(store) == dict.fromkeys(NAMES, head)
    for projector in all_projectors():
        assert_rebuild_agrees(journal, store, projector)


def analyses(store: ReadStore) -> int:
    """How often PostgreSQL has analysed the live session counts table."""
    projector = SessionCounts()
    table = projector.tables(live_of(store, projector).generation).counts
    with store.connect() as conn:
        found = conn.execute(
            text("SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = :s AND relname = :t"),
            {"s": store.schema, "t": table.name},
        ).scalar()
    assert found is not None
    return int(found)


@pytest.mark.parametrize("store_settings", POSTGRES_ONLY, indirect=True)
def test_a_long_catch_up_on_postgresql_analyses_the_live_tables_it_filled(
    journal: Journal,
    store: ReadStore,
    worker_on: Callable[[Journal, ReadStore], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker_on(journal, store)
    add_bulk_service(journal)
    built_at_head(journal, store)
    monkeypatch.setattr(tracking, "ANALYSE_FIRST", 200)

    record_backlog(journal, cases=2, sessions=20, start=START)  # below ANALYSE_FIRST
    first = analyses(store)
    app.catch_up("session_counts")
    assert analyses(store) == first, "a short catch-up had the tables analysed"

    record_backlog(journal, cases=5, sessions=300, start=datetime(2025, 6, 2, 8, 0, tzinfo=UTC))
    app.catch_up("session_counts")
    assert analyses(store) == first + 1, "the live tables were left with the statistics of before"
