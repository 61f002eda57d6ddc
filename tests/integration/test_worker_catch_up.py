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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from test_catch_up_many import counting_decodes  # the tests' directory is on the path
from test_tracking import (
    POSTGRES_ONLY,
    add_bulk_service,
    analyses,
    assert_rebuild_agrees,
    live_of,
    record_backlog,
)

from domain.journal import Journal
from projections import tracking
from projections.catalogue import all_projectors
from projections.store import ReadStore
from projections.tracking import LONG_BACKLOG, Log, refresh_many
from workers import app

NAMES = [p.name for p in all_projectors()]
LONG, SHORT = 300, 10  # sessions: each one two facts or more


@dataclass
class Site:
    """A journal whose projections are built to its head, and the worker's tasks in this process on it."""

    journal: Journal
    store: ReadStore
    built: int  # the head the projections were built to
    start: datetime = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)

    def backlog(self, sessions: int) -> int:
        """Record ``sessions`` sessions (a later day each time) without catching up; the new head."""
        record_backlog(self.journal, cases=5, sessions=sessions, start=self.start)
        self.start += timedelta(days=30)
        return Log(self.journal).head()

    def positions(self) -> dict[str, int]:
        return {p.name: live_of(self.store, p).position for p in all_projectors()}

    def assert_equals_a_rebuild(self) -> None:
        for projector in all_projectors():
            assert_rebuild_agrees(self.journal, self.store, projector)


@pytest.fixture
def site(journal: Journal, store: ReadStore, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setattr(app._Resources, "journal", journal)
    monkeypatch.setattr(app._Resources, "store", store)
    monkeypatch.setattr(app._Resources, "pid", os.getpid())
    add_bulk_service(journal)
    refresh_many(journal, store, all_projectors())
    return Site(journal, store, Log(journal).head())


def test_a_long_backlog_is_caught_up_for_every_projector_from_one_reading_by_the_first_nudge(
    site: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    head = site.backlog(LONG)
    assert head - site.built > LONG_BACKLOG
    decoded = counting_decodes(site.journal, monkeypatch)

    with caplog.at_level(logging.INFO, logger="kronika.workers"):
        app.catch_up("session_counts")

    assert site.positions() == dict.fromkeys(NAMES, head)
    assert sorted(decoded) == list(range(site.built + 1, head + 1))
    assert set(decoded.values()) == {1}, "a fact was decoded more than once"
    applied = {r.args[0]: r.args[1] for r in caplog.records if r.msg == "%s: applied %d facts"}  # type: ignore[index]
    assert set(applied) == set(NAMES)
    for name in NAMES:  # the other nudges of the same writes
        app.catch_up(name)
    assert set(decoded.values()) == {1}, "a later nudge read the backlog again"
    site.assert_equals_a_rebuild()


def test_a_short_backlog_is_caught_up_for_the_nudged_projector_alone(site: Site) -> None:
    head = site.backlog(SHORT)
    assert 0 < head - site.built <= LONG_BACKLOG

    app.catch_up("open_cases")

    assert site.positions() == dict.fromkeys(NAMES, site.built) | {"open_cases": head}
    for name in NAMES:
        app.catch_up(name)
    assert site.positions() == dict.fromkeys(NAMES, head)
    site.assert_equals_a_rebuild()


def test_while_another_worker_catches_everything_up_a_nudge_still_catches_its_projector_up(
    site: Site,
) -> None:
    head = site.backlog(LONG)

    with site.store.lock(app.CATCH_UP_TOGETHER):  # as another worker holds it
        app.catch_up("audit_trail")
        assert site.positions() == dict.fromkeys(NAMES, site.built) | {"audit_trail": head}

    app.catch_up("findings")  # the lock is free again: the rest from one reading
    assert site.positions() == dict.fromkeys(NAMES, head)
    site.assert_equals_a_rebuild()


@pytest.mark.parametrize("store_settings", POSTGRES_ONLY, indirect=True)
def test_a_long_catch_up_on_postgresql_analyses_the_live_tables_it_filled(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracking, "ANALYSE_FIRST", 200)

    site.backlog(SHORT)  # below ANALYSE_FIRST
    first = analyses(site.store)
    app.catch_up("session_counts")
    assert analyses(site.store) == first, "a short catch-up had the tables analysed"

    site.backlog(LONG)
    app.catch_up("session_counts")
    assert analyses(site.store) == first + 1, "the live tables were left with the statistics of before"
