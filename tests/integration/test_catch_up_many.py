"""Catching several projectors up from one reading of the log (``tracking.catch_up_many``).

What is checked, on SQLite and PostgreSQL:

- each page of the log is decoded once for all projectors, wherever each one stands;
- the tables equal those per-projector ``catch_up`` makes, and those a rebuild makes;
- a projector moved by another catch-up between the page's reading and its claim is
  rolled back alone and caught up from where it then stands: nothing applied twice;
- a projector that needs a rebuild (or was built by a newer version) is reported, the others
  caught up; ``refresh_many`` builds the missing ones from one more reading;
- a rebuild whose live tables are far behind catches them all up from one reading.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from test_tracking import (  # the tests' directory is on the path
    SessionCountsV2,
    add_bulk_service,
    assert_only_live_generation,
    assert_rebuild_agrees,
    counted_per_case,
    dump,
    facts_between,
    failed_claims,
    live_of,
    mixed_history,
    more_stores,  # noqa: F401 (a fixture, used by name)
    record_backlog,
    refresh,
)

from projections import tracking
from projections.audit_trail import AuditTrail
from projections.catalogue import all_projectors
from projections.open_cases import OpenCases
from projections.session_counts import SessionCounts
from projections.store import ReadStore
from projections.tracking import (
    BuiltByNewerVersion,
    Log,
    NeedsRebuild,
    catch_up,
    catch_up_many,
    refresh_many,
)
from workers.settings import Settings


def counting_decodes(journal: Any, monkeypatch: Any) -> Counter[int]:
    """Count how often each notification is decoded from now on."""
    decoded: Counter[int] = Counter()
    decode = journal.mapper.to_domain_event

    def counting(notification: Any) -> Any:
        decoded[notification.id] += 1
        return decode(notification)

    monkeypatch.setattr(journal.mapper, "to_domain_event", counting)
    return decoded


def test_projectors_at_different_positions_are_caught_up_from_one_decoding_and_equal_catch_up_alone(
    clocked_office: Any,
    clock: Any,
    more_stores: Callable[[str], ReadStore],  # noqa: F811 (the fixture)
    monkeypatch: Any,
) -> None:
    journal = clocked_office.journal
    together, apart = more_stores("together"), more_stores("apart")
    projectors = all_projectors()
    for store in (together, apart):
        for projector in projectors:
            refresh(journal, store, projector)
    steps = iter(projectors)

    def between() -> None:  # each time one more projector is caught up: they end far apart
        step = next(steps, None)
        if step is not None:
            for store in (together, apart):
                catch_up(journal, store, step)

    mixed_history(clocked_office, clock, between)
    positions = {live_of(together, p).position for p in projectors}
    assert len(positions) >= 3, f"the projectors stand at different positions: {positions}"
    low = min(positions)

    decoded = counting_decodes(journal, monkeypatch)
    applied = catch_up_many(journal, together, projectors, page_size=7)
    monkeypatch.undo()

    head = Log(journal).head()
    assert set(decoded) == set(range(low + 1, head + 1)), "every fact after the lowest position was read"
    assert set(decoded.values()) == {1}, "and decoded once for all the projectors"
    alone = [catch_up(journal, apart, p, page_size=7) for p in projectors]
    assert applied == alone
    for projector in projectors:
        assert live_of(together, projector).position == head
        assert dump(together, projector) == dump(apart, projector), projector.name
        assert_rebuild_agrees(journal, together, projector)
    assert catch_up_many(journal, together, projectors) == [0] * len(projectors)


def test_a_projector_moved_by_a_racing_catch_up_is_never_applied_twice(
    office: Any, store: ReadStore, store_settings: Settings, journal_at: Any, monkeypatch: Any
) -> None:
    """After the many catch-up has read a page, another process catches one projector up.

    Its claim on that projector fails, in a savepoint: the others' pages still commit, and the
    moved one is caught up from its new position.
    """
    journal = office.journal
    add_bulk_service(journal)
    projectors = [SessionCounts(), OpenCases(), AuditTrail()]
    for projector in projectors:
        refresh(journal, store, projector)
    start = live_of(store, projectors[0]).position
    sessions = record_backlog(journal, cases=20, sessions=300, start=journal.clock() - timedelta(days=30))
    backlog = facts_between(journal, start)

    other_journal = journal_at()
    other_store = ReadStore(*store_settings.read_store())
    raced: list[int] = []
    read = Log.read

    def read_then_race(self: Log, after: int, limit: int, stop: int | None = None) -> tracking.Page:
        page = read(self, after, limit, stop)
        if self.journal is journal and len(raced) < 2:
            # another process moves session_counts past this page (and half the next) meanwhile
            raced.append(catch_up(other_journal, other_store, SessionCounts(), until=after + limit + 50))
        return page

    moved = failed_claims(monkeypatch)
    monkeypatch.setattr(Log, "read", read_then_race)
    try:
        applied = catch_up_many(journal, store, projectors, page_size=100)
    finally:
        other_store.dispose()
    monkeypatch.undo()

    assert [(name, seen) for name, seen, _ in moved] == [
        ("session_counts", start),
        ("session_counts", start + 150),
    ]
    assert applied[0] + sum(raced) == backlog, "every fact applied to session_counts once"
    assert applied[1:] == [backlog, backlog]
    head = Log(journal).head()
    for projector in projectors:
        assert live_of(store, projector).position == head
        assert_rebuild_agrees(journal, store, projector)
    assert counted_per_case(store) == dict(sessions)


def test_projectors_needing_a_rebuild_are_reported_and_refresh_many_builds_them(
    office: Any, store: ReadStore, monkeypatch: Any
) -> None:
    journal = office.journal
    office.session(office.case(), "eva")
    refresh(journal, store, OpenCases())
    refresh(journal, store, SessionCounts())
    office.session(office.case(), "eva")

    outcomes = catch_up_many(journal, store, [OpenCases(), SessionCountsV2(), AuditTrail()])
    assert isinstance(outcomes[0], int)
    assert outcomes[0] > 0
    assert type(outcomes[1]) is NeedsRebuild
    assert type(outcomes[2]) is NeedsRebuild
    assert outcomes[2].name == "audit_trail"
    assert live_of(store, OpenCases()).position == Log(journal).head()

    decoded = counting_decodes(journal, monkeypatch)
    refreshed = refresh_many(journal, store, [OpenCases(), SessionCountsV2(), AuditTrail()])
    monkeypatch.undo()
    everything = facts_between(journal, 0)
    assert refreshed == [0, everything, everything]
    assert set(decoded.values()) == {1}, "both were built from one reading"
    assert live_of(store, SessionCountsV2()).version == 2
    assert_rebuild_agrees(journal, store, AuditTrail())

    # the old version stops, the new one goes on
    outcomes = refresh_many(journal, store, [SessionCounts(), OpenCases()])
    assert isinstance(outcomes[0], BuiltByNewerVersion)
    assert outcomes[1] == 0


def test_a_rebuild_catches_live_tables_far_behind_up_together_before_comparing(
    office: Any, store: ReadStore, monkeypatch: Any
) -> None:
    journal = office.journal
    add_bulk_service(journal)
    projectors = all_projectors()
    for projector in projectors:
        refresh(journal, store, projector)
    record_backlog(journal, cases=10, sessions=200, start=journal.clock() - timedelta(days=30))
    first = live_of(store, projectors[0]).position
    catch_up(journal, store, projectors[0], page_size=50, until=first + 120)
    behind = first  # the others stand here, far behind the head

    decoded = counting_decodes(journal, monkeypatch)
    outcomes = tracking.rebuild_many(journal, store, projectors, page_size=50)
    monkeypatch.undo()

    head = Log(journal).head()
    assert head > behind + 400
    # the replay decodes every fact once; the live tables' catch-up the facts after the lowest once more
    expected = {n: 2 if n > behind else 1 for n in range(1, head + 1)}
    assert dict(decoded) == expected
    for projector, outcome in zip(projectors, outcomes, strict=True):
        assert isinstance(outcome, tracking.RebuildReport), projector.name
        assert (outcome.position, outcome.differences, outcome.swapped) == (head, 0, True)
        assert_only_live_generation(store, projector)
