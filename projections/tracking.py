"""Exactly-once projection: tracked catch-up, full rebuild, verification, status.

The truth is the journal's notification log. A projector's rows and its
position in that log are written in one read-store transaction, and the
position moves only by compare-and-set (``WHERE position = :seen``): a worker
killed mid-page leaves nothing behind, a duplicated nudge finds nothing to
do, and of two workers racing on one page exactly one commits it.

A rebuild replays the whole log into a fresh generation of the projector's
tables, brings it to exactly the live generation's position, compares the
two, and makes the fresh one live in one transaction that succeeds only if
the live one did not move meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Connection, String, Table, func, insert, select, text, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import DBAPIError

from domain.facts import Record
from domain.journal import Journal
from projections.projector import Projector, Tracked
from projections.store import Busy, ReadStore, positions, projectors, rebuilds

PAGE = 1000
# A rebuild, or one process catching several projectors up on a backlog: bigger pages, fewer
# statements per fact (a write transaction then lasts up to about a second).
BULK_PAGE = 4000
# After how many facts a rebuild or a long catch-up first has PostgreSQL analyse the tables it fills
# (then each time they double); live tables are analysed after a catch-up of at least as many facts
# that grew them by a tenth.
ANALYSE_FIRST = 20_000
# How far behind a projector must be for a worker to catch every projector up from one reading.
LONG_BACKLOG = 100
# How many differing rows a rebuild keeps in its record, per table.
DRIFT_SAMPLES = 20


class NeedsRebuild(Exception):
    """The projector has no live tables yet, or they were built by another version."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class BuiltByNewerVersion(NeedsRebuild):
    """The live tables were built by a newer version of the projector: this program must not touch them."""


class _Moved(Exception):
    """Someone else moved the position first: roll back and look again."""


# -- reading the log -----------------------------------------------------------


@dataclass
class Page:
    items: list[Tracked]
    last: int  # the position after this page


class Log:
    """The journal's notification log, read in pages of decoded facts."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def head(self) -> int:
        return int(self.journal.recorder.max_notification_id() or 0)

    def read(self, after: int, limit: int, stop: int | None = None) -> Page:
        notifications = self.journal.recorder.select_notifications(
            after, limit=limit, stop=stop, inclusive_of_start=False
        )
        items = []
        to_domain_event = self.journal.mapper.to_domain_event
        for notification in notifications:
            fact = to_domain_event(notification)
            if isinstance(fact, Record.Event):
                items.append(Tracked(notification.id, fact))
        last = notifications[-1].id if notifications else after
        if stop is not None and len(notifications) < limit:
            # Everything up to ``stop`` was committed when ``stop`` was reached (commit
            # order is id order), so ids missing below it are gaps, not late commits.
            last = max(last, stop)
        return Page(items, last)


# -- positions -----------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    generation: int
    version: int
    position: int


def live(conn: Connection, name: str) -> Live | None:
    row = conn.execute(
        select(projectors.c.generation, projectors.c.version, positions.c.position)
        .join(
            positions,
            (positions.c.projector == projectors.c.projector)
            & (positions.c.generation == projectors.c.generation),
        )
        .where(projectors.c.projector == name)
    ).first()
    return Live(*row) if row else None


def _position(conn: Connection, name: str, generation: int) -> int | None:
    return conn.execute(
        select(positions.c.position).where(
            (positions.c.projector == name) & (positions.c.generation == generation)
        )
    ).scalar()


def _claim(conn: Connection, name: str, generation: int, seen: int, new: int) -> None:
    """Move the position from ``seen`` to ``new``, or raise if it is not at ``seen`` any more."""
    moved = conn.execute(
        update(positions)
        .where(
            (positions.c.projector == name)
            & (positions.c.generation == generation)
            & (positions.c.position == seen)
        )
        .values(position=new)
    )
    if moved.rowcount != 1:
        raise _Moved


# -- catching up ---------------------------------------------------------------


def catch_up(
    journal: Journal,
    store: ReadStore,
    projector: Projector,
    *,
    until: int | None = None,
    generation: int | None = None,
    page_size: int = PAGE,
) -> int:
    """Apply every fact after the projector's position (up to ``until``); the number applied.

    Without ``generation`` the live tables are caught up; a live generation
    built by another version of the projector raises ``NeedsRebuild``.
    """
    log = Log(journal)
    applied = 0
    while True:
        with store.connect() as conn:
            if generation is None:
                current = _live_or_missing(store, conn, projector.name)
                if current is not None and current.version > projector.version:
                    raise BuiltByNewerVersion(projector.name)
                if current is None or current.version != projector.version:
                    raise NeedsRebuild(projector.name)
                gen, seen = current.generation, current.position
            else:
                gen, seen = generation, _position(conn, projector.name, generation) or 0
        if until is not None and seen >= until:
            return applied
        # Read and decode before the write transaction opens: it stays short.
        page = log.read(seen, page_size, until)
        if page.last == seen:
            return applied
        try:
            with store.begin() as conn:
                _claim(conn, projector.name, gen, seen, page.last)
                if generation is None and _live_generation(conn, projector.name) != gen:
                    raise _Moved  # a rebuild swapped generations under us
                if page.items:
                    projector.project(conn, projector.tables(gen), page.items)
        except _Moved:
            continue
        applied += len(page.items)


@dataclass(eq=False)
class _Target:
    """One projector's generation to catch up (the live one when ``generation`` is None)."""

    projector: Projector
    generation: int | None = None
    until: int | None = None
    applied: int = 0
    stopped: NeedsRebuild | None = None
    started_at: int | None = None  # the position it was first found at
    analysed: int = 0  # what it had applied when it last had its tables analysed


def catch_up_many(
    journal: Journal,
    store: ReadStore,
    projectors: Sequence[Projector],
    *,
    until: int | None = None,
    page_size: int = PAGE,
) -> list[int | NeedsRebuild]:
    """Catch several projectors' live tables up, reading and decoding each page of the log once.

    For each projector in order: the facts applied, or the ``NeedsRebuild``
    (``BuiltByNewerVersion``) that ``catch_up`` would have raised for it; the
    others are caught up all the same.
    """
    targets = [_Target(p, until=until) for p in projectors]
    _catch_up_targets(journal, store, targets, page_size)
    _analyze_live(store, [t.projector for t in targets if _grew_by_a_tenth(t)])
    return [t.stopped if t.stopped is not None else t.applied for t in targets]


def _grew_by_a_tenth(target: _Target) -> bool:
    """Whether a catch-up applied enough to make the planner's statistics stale (as autovacuum judges)."""
    grown, known = _growth(target)
    return grown >= max(ANALYSE_FIRST, known // 10)


def _doubled(target: _Target) -> bool:
    """Whether the tables a catch-up fills doubled since the planner last learnt their size."""
    grown, known = _growth(target)
    return grown >= max(ANALYSE_FIRST, known)


def _growth(target: _Target) -> tuple[int, int]:
    """Facts applied since the tables were last analysed; about how many they held then."""
    return target.applied - target.analysed, (target.started_at or 0) + target.analysed


def _analyse_growing(store: ReadStore, targets: Sequence[_Target]) -> None:
    """Analyse, in the middle of a long catch-up, the tables that doubled since they last were.

    Planned as the small tables they were when it began, each page's lookups
    would become scans of the whole table: a catch-up of an empty read store
    from a journal of 10M facts slowed down to under half its speed at 1M.
    """
    growing = [target for target in targets if _doubled(target)]
    _analyze_live(store, [t.projector for t in growing if t.generation is None])
    _analyze(store, [(t.projector, t.generation) for t in growing if t.generation is not None])
    for target in growing:
        target.analysed = target.applied


def _catch_up_targets(journal: Journal, store: ReadStore, targets: Sequence[_Target], page_size: int) -> None:
    """What ``catch_up`` does for each target, with one reading of the log for all.

    Each round reads the page after the lowest position ``m``; a target at
    ``p`` (``m <= p < last``) gets the page's facts after ``p`` and claims
    ``p -> last`` (or its ``until``), in a savepoint of the page's transaction:
    a target whose position moved meanwhile is rolled back alone and looked at
    again in the next round, from where it then stands.
    """
    log = Log(journal)
    active = list(targets)
    while active:
        standing: list[tuple[_Target, int, int]] = []  # target, generation, position
        with store.connect() as conn:
            for target in active:
                name = target.projector.name
                if target.generation is None:
                    current = _live_or_missing(store, conn, name)
                    if current is not None and current.version > target.projector.version:
                        target.stopped = BuiltByNewerVersion(name)
                        continue
                    if current is None or current.version != target.projector.version:
                        target.stopped = NeedsRebuild(name)
                        continue
                    gen, seen = current.generation, current.position
                else:
                    gen, seen = target.generation, _position(conn, name, target.generation) or 0
                if target.until is not None and seen >= target.until:
                    continue
                if target.started_at is None:
                    target.started_at = seen
                standing.append((target, gen, seen))
        if not standing:
            return
        low = min(seen for _, _, seen in standing)
        untils = [target.until for target, _, _ in standing]
        stop = None if None in untils else max(u for u in untils if u is not None)
        # Read and decode before the write transaction opens: it stays short.
        page = log.read(low, page_size, stop)
        if page.last == low:  # nothing after the lowest: those at it are done
            active = [target for target, _, seen in standing if seen > low]
            continue
        done: list[tuple[_Target, int]] = []
        with store.begin() as conn:
            for target, gen, seen in standing:
                if seen >= page.last:
                    continue  # ahead of this page
                new = page.last if target.until is None else min(page.last, target.until)
                items = [item for item in page.items if seen < item.position <= new]
                try:
                    with conn.begin_nested():
                        _claim(conn, target.projector.name, gen, seen, new)
                        if target.generation is None and _live_generation(conn, target.projector.name) != gen:
                            raise _Moved  # a rebuild swapped generations under us
                        if items:
                            target.projector.project(conn, target.projector.tables(gen), items)
                except _Moved:
                    continue
                done.append((target, len(items)))
        for target, count in done:  # committed
            target.applied += count
        _analyse_growing(store, [target for target, _ in done])
        active = [target for target, _, _ in standing]


def _live_or_missing(store: ReadStore, conn: Connection, name: str) -> Live | None:
    try:
        return live(conn, name)
    except DBAPIError:
        if store.exists():
            raise
        return None  # the read store was never set up


def _live_generation(conn: Connection, name: str) -> int | None:
    return conn.execute(select(projectors.c.generation).where(projectors.c.projector == name)).scalar()


def behind(journal: Journal, store: ReadStore, projector: Projector) -> int | None:
    """How many positions the live tables are behind the log's head; None if they must be built first."""
    with store.connect() as conn:
        current = _live_or_missing(store, conn, projector.name)
    if current is None or current.version != projector.version:
        return None
    return max(Log(journal).head() - current.position, 0)


def refresh_many(
    journal: Journal, store: ReadStore, projectors: Sequence[Projector], *, page_size: int = BULK_PAGE
) -> list[int | Busy | NeedsRebuild]:
    """Catch live tables up, building first those missing or outdated: one reading to catch up, one to build.

    For each projector in order: the facts applied, or why it was not
    (``BuiltByNewerVersion``; ``Busy``: another is rebuilding it); the others
    are refreshed all the same.
    """
    outcomes: list[int | Busy | NeedsRebuild] = list(
        catch_up_many(journal, store, projectors, page_size=page_size)
    )
    stale = [
        p
        for p, outcome in zip(projectors, outcomes, strict=True)
        if isinstance(outcome, NeedsRebuild) and not isinstance(outcome, BuiltByNewerVersion)
    ]
    if stale:
        built = dict(zip([p.name for p in stale], rebuild_many(journal, store, stale), strict=True))
        for index, projector in enumerate(projectors):
            if projector.name in built:
                outcome = built[projector.name]
                outcomes[index] = outcome.events if isinstance(outcome, RebuildReport) else outcome
    return outcomes


def build_at(journal: Journal, store: ReadStore, projector: Projector, position: int) -> None:
    """Build live tables from the log up to ``position`` in a store of their own (to reproduce a report)."""
    store.create()
    generation = _new_generation(store, projector)
    catch_up(journal, store, projector, generation=generation, until=position)
    with store.begin() as conn:
        conn.execute(
            insert(projectors).values(
                projector=projector.name, generation=generation, version=projector.version
            )
        )


# -- rebuilding ----------------------------------------------------------------


@dataclass
class Difference:
    table: str
    key: list[Any]
    columns: list[str]  # the columns that differ; empty when the row is on one side only
    side: str  # "both", "live only", "rebuilt only"


@dataclass
class RebuildReport:
    projector: str
    position: int
    events: int
    rows: int
    compared: bool
    differences: int = 0
    samples: list[Difference] = field(default_factory=list)
    swapped: bool = True


def rebuild(
    journal: Journal,
    store: ReadStore,
    projector: Projector,
    *,
    swap: bool = True,
    page_size: int = BULK_PAGE,
) -> RebuildReport:
    """Replay the log into fresh tables, compare them with the live ones, make them live.

    With ``swap=False`` (``--verify``) the fresh tables are compared and dropped.
    Only one rebuild of a projector runs at a time: a second one raises ``Busy``.
    """
    (outcome,) = rebuild_many(journal, store, [projector], swap=swap, page_size=page_size)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


Outcome = RebuildReport | Busy | BuiltByNewerVersion


def rebuild_many(
    journal: Journal,
    store: ReadStore,
    projectors: Sequence[Projector],
    *,
    swap: bool = True,
    page_size: int = BULK_PAGE,
) -> list[Outcome]:
    """Rebuild several projectors from one reading of the log; an outcome for each, in order.

    Decoding the log costs as much as projecting it, so the fresh tables of
    every projector are filled from the same pages, each page in one
    transaction. A projector whose rebuild runs elsewhere comes back as
    ``Busy``, one whose live tables a newer version built as
    ``BuiltByNewerVersion``; the others are rebuilt all the same.
    """
    store.create()
    outcomes: dict[str, Outcome] = {}
    with ExitStack() as held:
        mine = []
        for projector in projectors:
            try:
                held.enter_context(store.lock(f"rebuild:{projector.name}"))
            except Busy as busy:
                outcomes[projector.name] = busy
                continue
            mine.append(projector)
        started = datetime.now(UTC)
        fresh = {p.name: _new_generation(store, p) for p in mine}
        events = _replay(journal, store, [(p, fresh[p.name]) for p in mine], page_size)
        levelled = _level(journal, store, mine, fresh, page_size)
        _analyze(store, [(p, fresh[p.name]) for p in mine])
        for projector in mine:
            try:
                outcomes[projector.name] = _settle(
                    journal,
                    store,
                    projector,
                    fresh[projector.name],
                    events + levelled.get(projector.name, 0),
                    started,
                    swap,
                    page_size,
                )
            except BuiltByNewerVersion as newer:
                outcomes[projector.name] = newer
    return [outcomes[p.name] for p in projectors]


def _replay(
    journal: Journal, store: ReadStore, targets: Sequence[tuple[Projector, int]], page_size: int
) -> int:
    """Fill fresh generations (held under their rebuild locks) from the whole log; the facts applied.

    As the fresh tables grow (each time they double), PostgreSQL's planner is
    told how big they now are: planned as empty tables, the lookups of each
    page's rows become scans of the whole table, and a rebuild slows down
    with the square of the journal (seen at 1M events with autovacuum off).
    """
    log = Log(journal)
    seen = applied = 0
    analyse_at = ANALYSE_FIRST
    while targets:
        page = log.read(seen, page_size)
        if page.last == seen:
            break
        with store.begin() as conn:
            for projector, generation in targets:
                _claim(conn, projector.name, generation, seen, page.last)
                if page.items:
                    projector.project(conn, projector.tables(generation), page.items)
        seen = page.last
        applied += len(page.items)
        if applied >= analyse_at:
            _analyze(store, targets)
            analyse_at = 2 * applied
    return applied


def _level(
    journal: Journal, store: ReadStore, mine: Sequence[Projector], fresh: dict[str, int], page_size: int
) -> dict[str, int]:
    """Bring every fresh generation and its live one to the same position, all from one reading.

    The one behind catches up to the other (live tables far behind a rebuild
    are the usual case after a big import). ``_settle`` still checks each
    projector, and levels it again if it moved meanwhile. Returns the facts
    applied to the fresh generations.
    """
    targets = []
    with store.connect() as conn:
        for projector in mine:
            current = live(conn, projector.name)
            if current is None or current.version != projector.version:
                continue  # nothing comparable is live: _settle decides
            built = _position(conn, projector.name, fresh[projector.name]) or 0
            if built < current.position:
                targets.append(_Target(projector, fresh[projector.name], until=current.position))
            elif built > current.position:
                targets.append(_Target(projector, until=built))
    _catch_up_targets(journal, store, targets, page_size)
    return {t.projector.name: t.applied for t in targets if t.generation is not None}


def _analyze(store: ReadStore, targets: Sequence[tuple[Projector, int]]) -> None:
    """Give PostgreSQL's planner statistics of freshly filled tables before they are compared and read.

    Without them (autovacuum comes later, or is off) it plans as for empty
    tables: sorts where it should hash, scans where it should use an index.
    """
    if store.is_sqlite:
        return
    with store.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        schema = f"{quote(store.schema)}." if store.schema else ""
        for projector, generation in targets:
            for table in projector.tables(generation):
                conn.execute(text(f"ANALYZE {schema}{quote(table.name)}"))


def _analyze_live(store: ReadStore, caught_up: Sequence[Projector]) -> None:
    """Analyse live tables a long catch-up filled; not those a rebuild holds (it analyses its own)."""
    if store.is_sqlite:
        return
    for projector in caught_up:
        try:
            with store.lock(f"rebuild:{projector.name}"):
                with store.connect() as conn:
                    current = live(conn, projector.name)
                if current is not None:
                    _analyze(store, [(projector, current.generation)])
        except Busy:
            continue


def _settle(
    journal: Journal,
    store: ReadStore,
    projector: Projector,
    fresh: int,
    events: int,
    started: datetime,
    swap: bool,
    page_size: int,
) -> RebuildReport:
    """Bring a replayed generation level with the live one, compare them and swap them."""
    while True:
        with store.connect() as conn:
            current = live(conn, projector.name)
        if current is not None and current.version > projector.version:
            _drop(store, projector, fresh)
            raise BuiltByNewerVersion(projector.name)
        if current is None or current.version != projector.version:
            # Nothing comparable is live: what was built becomes live (unless only verifying).
            report = RebuildReport(projector.name, _must(store, projector, fresh), events, 0, False)
            report.rows = _count(store, projector, fresh)
            if not swap:
                report.swapped = False
                break
            if _swap(journal, store, projector, current, fresh, compared_at=None, page_size=page_size):
                break
            continue
        fresh_position = _must(store, projector, fresh)
        if fresh_position != current.position:
            # Bring the one behind to where the other is, then compare at the same position.
            if fresh_position < current.position:
                events += catch_up(
                    journal, store, projector, generation=fresh, until=current.position, page_size=page_size
                )
            else:
                catch_up(journal, store, projector, until=fresh_position, page_size=page_size)
            continue
        report = _compare(store, projector, current.generation, fresh, current.position)
        report.events = events
        if not report.compared:
            continue
        if not swap:
            report.swapped = False
            break
        compared_at = current.position
        if _swap(journal, store, projector, current, fresh, compared_at=compared_at, page_size=page_size):
            break
    _record(store, report, started)
    if report.swapped:
        _drop(store, projector, current.generation if current else None)
    else:
        _drop(store, projector, fresh)
    return report


def _must(store: ReadStore, projector: Projector, generation: int) -> int:
    with store.connect() as conn:
        position = _position(conn, projector.name, generation)
    assert position is not None
    return position


def _new_generation(store: ReadStore, projector: Projector) -> int:
    """Tables for a fresh generation; called under the rebuild lock, so any other one not live is debris."""
    with store.begin() as conn:
        live_generation = _live_generation(conn, projector.name)
        known = conn.execute(select(positions.c.generation).where(positions.c.projector == projector.name))
        generations = {g for (g,) in known}
        for leftover in sorted(generations - {live_generation}):  # of rebuilds that died
            projector.tables(leftover).metadata.drop_all(conn)
            conn.execute(
                sql_delete(positions).where(
                    (positions.c.projector == projector.name) & (positions.c.generation == leftover)
                )
            )
        generation = max(generations | {live_generation or 0}) + 1
        tables = projector.tables(generation)
        tables.metadata.drop_all(conn)  # tables without a position row, of a rebuild that died early
        tables.metadata.create_all(conn)
        conn.execute(insert(positions).values(projector=projector.name, generation=generation, position=0))
    return generation


def _swap(
    journal: Journal,
    store: ReadStore,
    projector: Projector,
    current: Live | None,
    fresh: int,
    *,
    compared_at: int | None,
    page_size: int,
) -> bool:
    """Make ``fresh`` live in one transaction; False if the live generation changed meanwhile.

    After a comparison at ``compared_at`` the live tables may have moved on:
    with the live position row locked (catch-ups wait), the fresh tables get
    the same facts in this transaction, so both stand at the same position
    when the fresh ones go live. Equal at the comparison plus the same facts
    applied by the same projector means equal still: no second comparison.
    """
    try:
        with store.begin() as conn:
            if current is None:
                if _live_generation(conn, projector.name) is not None:
                    raise _Moved
                conn.execute(
                    insert(projectors).values(
                        projector=projector.name, generation=fresh, version=projector.version
                    )
                )
                return True
            if compared_at is not None:
                _lock_position(conn, projector.name, current.generation)
                if _live_generation(conn, projector.name) != current.generation:
                    raise _Moved
                live_at = _position(conn, projector.name, current.generation)
                assert live_at is not None
                _apply_between(journal, conn, projector, fresh, compared_at, live_at, page_size)
            changed = conn.execute(
                update(projectors)
                .where(
                    (projectors.c.projector == projector.name)
                    & (projectors.c.generation == current.generation)
                )
                .values(generation=fresh, version=projector.version)
            )
            if changed.rowcount != 1:
                raise _Moved
    except _Moved:
        return False
    return True


def _lock_position(conn: Connection, name: str, generation: int) -> None:
    """Take the position row's lock (a write that changes nothing) until the transaction ends."""
    conn.execute(
        update(positions)
        .where((positions.c.projector == name) & (positions.c.generation == generation))
        .values(position=positions.c.position)
    )


def _apply_between(
    journal: Journal,
    conn: Connection,
    projector: Projector,
    generation: int,
    start: int,
    stop: int,
    page_size: int,
) -> None:
    """Apply the facts after ``start`` up to ``stop`` to a generation, inside ``conn``'s transaction."""
    log = Log(journal)
    seen = start
    while seen < stop:
        page = log.read(seen, page_size, stop)
        if page.items:
            projector.project(conn, projector.tables(generation), page.items)
        seen = page.last
    _claim(conn, projector.name, generation, start, stop)


def _drop(store: ReadStore, projector: Projector, generation: int | None) -> None:
    if generation is None:
        return
    with store.begin() as conn:
        projector.tables(generation).metadata.drop_all(conn)
        conn.execute(
            sql_delete(positions).where(
                (positions.c.projector == projector.name) & (positions.c.generation == generation)
            )
        )


def _count(store: ReadStore, projector: Projector, generation: int) -> int:
    with store.connect() as conn:
        return sum(
            int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            for table in projector.tables(generation)
        )


def _compare(
    store: ReadStore, projector: Projector, live_gen: int, fresh: int, position: int
) -> RebuildReport:
    report = RebuildReport(projector.name, position, 0, 0, True)
    live_tables, fresh_tables = projector.tables(live_gen), projector.tables(fresh)
    with store.snapshot() as conn:
        # Both generations must still be at the compared position in this snapshot.
        if _position(conn, projector.name, live_gen) != position:
            report.compared = False
        for base, live_table in live_tables.items():
            fresh_table = getattr(fresh_tables, base)
            if _same(conn, live_table, fresh_table):
                report.rows += _rows_in(conn, fresh_table)
                continue
            for difference in _differences(conn, base, live_table, fresh_table):
                report.differences += 1
                if len(report.samples) < DRIFT_SAMPLES:
                    report.samples.append(difference)
            report.rows += _rows_in(conn, fresh_table)
    return report


def _rows_in(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def _same(conn: Connection, live_table: Table, fresh_table: Table) -> bool:
    """Whether both tables hold the same rows, asked of the database (set differences both ways).

    The usual answer is yes, and the database gives it far faster than walking
    the rows here; when it says no, ``_differences`` finds and names them.
    """
    if any(isinstance(c.type, JSON) for c in live_table.columns):
        return False  # PostgreSQL has no equality for json: walk them
    names = [c.name for c in live_table.columns]
    live_rows = select(*(live_table.c[n] for n in names))
    fresh_rows = select(*(fresh_table.c[n] for n in names))
    for one, other in ((live_rows, fresh_rows), (fresh_rows, live_rows)):
        extra = one.except_(other).subquery()
        if conn.execute(select(func.count()).select_from(extra)).scalar():
            return False
    return True


def _differences(conn: Connection, base: str, live_table: Table, fresh_table: Table) -> Iterator[Difference]:
    """Walk both tables in key order side by side (streaming, so any size fits)."""
    names = [c.name for c in live_table.columns]
    keys = [c.name for c in live_table.primary_key.columns]
    at = [names.index(k) for k in keys]
    postgres = conn.dialect.name == "postgresql"

    def rows(table: Table) -> Iterator[Any]:
        # Python's order of strings is the C collation's, not a language's.
        order = [
            table.c[k].collate("C") if postgres and isinstance(table.c[k].type, String) else table.c[k]
            for k in keys
        ]
        query = select(*(table.c[n] for n in names)).order_by(*order)
        for partition in conn.execution_options(yield_per=2000).execute(query).partitions():
            yield from partition

    left, right = rows(live_table), rows(fresh_table)
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if a is not None and b is not None and a == b:  # the usual case: the same row on both sides
            a, b = next(left, None), next(right, None)
            continue
        ka = [a[i] for i in at] if a is not None else None
        kb = [b[i] for i in at] if b is not None else None
        if kb is None or (ka is not None and _less(ka, kb)):
            yield Difference(base, _plain(ka), [], "live only")
            a = next(left, None)
        elif ka is None or _less(kb, ka):
            yield Difference(base, _plain(kb), [], "rebuilt only")
            b = next(right, None)
        else:
            assert a is not None
            assert b is not None
            changed = [n for i, n in enumerate(names) if a[i] != b[i]]
            if changed:
                yield Difference(base, _plain(ka), changed, "both")
            a, b = next(left, None), next(right, None)


def _less(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return tuple(a) < tuple(b)


def _plain(key: Sequence[Any] | None) -> list[Any]:
    return [v if isinstance(v, int | str) or v is None else str(v) for v in key or ()]


def _record(store: ReadStore, report: RebuildReport, started: datetime) -> None:
    with store.begin() as conn:
        conn.execute(
            insert(rebuilds).values(
                projector=report.projector,
                started_at=started,
                finished_at=datetime.now(UTC),
                position=report.position,
                rows=report.rows,
                differences=report.differences,
                detail={
                    "compared": report.compared,
                    "swapped": report.swapped,
                    "events": report.events,
                    "samples": [vars(d) for d in report.samples],
                },
            )
        )


# -- status --------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    projector: str
    version: int
    built_by_version: int | None
    generation: int | None
    position: int | None
    head: int
    last_rebuild: datetime | None
    last_drift: int | None

    @property
    def behind(self) -> int | None:
        return None if self.position is None else max(self.head - self.position, 0)


def status(journal: Journal, store: ReadStore, all_projectors: Sequence[Projector]) -> list[Status]:
    head = Log(journal).head()
    found = []
    with store.connect() as conn:
        for projector in all_projectors:
            current = live(conn, projector.name)
            last = conn.execute(
                select(rebuilds.c.finished_at, rebuilds.c.differences)
                .where(rebuilds.c.projector == projector.name)
                .order_by(rebuilds.c.id.desc())
                .limit(1)
            ).first()
            found.append(
                Status(
                    projector=projector.name,
                    version=projector.version,
                    built_by_version=current.version if current else None,
                    generation=current.generation if current else None,
                    position=current.position if current else None,
                    head=head,
                    last_rebuild=last[0] if last else None,
                    last_drift=last[1] if last else None,
                )
            )
    return found


def wait_for(
    store: ReadStore, all_projectors: Sequence[Projector], position: int, timeout: float, poll: float = 0.05
) -> bool:
    """Wait until every projector's live tables include ``position``; False on timeout."""
    deadline = time.monotonic() + timeout
    names = [p.name for p in all_projectors]
    while True:
        with store.connect() as conn:
            reached = [live(conn, name) for name in names]
        if all(r is not None and r.position >= position for r in reached):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll)
