"""Exactly-once projection (``projections.tracking``) on real journals and read stores, SQLite and PostgreSQL.

What is checked, for every projector in the catalogue:

- catching up in pages of 1, 7 or 1000 facts gives the same tables, and those a rebuild gives;
- a catch-up that dies in the middle of a page (an exception, or its process killed) keeps
  nothing of that page and does not move the position; the next catch-up finishes the job;
- two catch-ups racing on one projector (threads, and processes) apply every fact once;
- a fact committed late by a slow writer is never skipped;
- a rebuild on a live projection that moves between its steps still ends with no differences
  and a swapped generation; ``swap=False`` changes nothing; a second rebuild is ``Busy``; a
  new projector version needs a rebuild; every rebuild is recorded, with the drift it found.

Synchronisation is by events, barriers and polling with deadlines, never by sleeping.
"""

from __future__ import annotations

import multiprocessing
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, insert, inspect, select, text, update

from domain import commands as c
from domain.client import ClientAttributes
from domain.journal import Journal
from domain.service import OpeningHours, ServiceParameters
from domain.vocabulary import (
    Activity,
    Channel,
    ClientKind,
    CloseReason,
    Form,
    ReferralKind,
    ReferralOutcome,
    Role,
    ServiceType,
)
from projections import tracking
from projections.audit_trail import AuditTrail
from projections.catalogue import all_projectors, projector_named
from projections.open_cases import OpenCases
from projections.projector import Projector, Tables, Tracked
from projections.session_counts import SessionCounts
from projections.store import Busy, ReadStore, positions, rebuilds
from projections.tracking import (
    PAGE,
    BuiltByNewerVersion,
    Difference,
    Live,
    Log,
    NeedsRebuild,
    catch_up,
    live,
    rebuild,
    refresh_many,
    status,
)
from workers.journal import open_journal
from workers.settings import Settings, postgres_env

DEADLINE = 60.0  # seconds any one wait may take before the test fails
NAMES = [p.name for p in all_projectors()]

# A service for bulk work: open nonstop, no session limit, an immediate capacity of 3.
BULK = ServiceParameters(
    name="Terénní program",
    type=ServiceType.CRISIS_HELP,
    forms=(Form.AMBULATORY, Form.FIELD),
    capacity=3,
    hours=OpeningHours.parse("nonstop"),
)


# -- fixtures and helpers ---------------------------------------------------------------


@pytest.fixture
def more_stores(store_settings: Settings, tmp_path: Path) -> Iterator[Callable[[str], ReadStore]]:
    """Further read stores beside the journal: another SQLite file, or another PostgreSQL schema."""
    made: list[ReadStore] = []

    def make(label: str) -> ReadStore:
        url, schema = store_settings.read_store()
        if schema is None:
            made.append(ReadStore(f"sqlite:///{tmp_path / f'read-{label}.sqlite'}"))
        else:
            made.append(ReadStore(url, f"{schema}_{label}"))
        made[-1].create()
        return made[-1]

    yield make
    for store in made:
        if store.schema:
            with store.engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{store.schema}" CASCADE'))
        store.dispose()


def live_of(store: ReadStore, projector: Projector) -> Live:
    with store.connect() as conn:
        current = live(conn, projector.name)
    assert current is not None, f"{projector.name} has no live tables"
    return current


def rows_of(conn: Connection, tables: Tables) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of one generation, table by table, in key order."""
    return {
        base: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
        for base, table in tables.items()
    }


def dump(store: ReadStore, projector: Projector) -> dict[str, list[tuple[Any, ...]]]:
    """The live tables' rows (one consistent snapshot)."""
    with store.snapshot() as conn:
        current = live(conn, projector.name)
        assert current is not None
        return rows_of(conn, projector.tables(current.generation))


def generations_on_disk(store: ReadStore, projector: Projector) -> set[int]:
    """The generations some table of the projector exists in (``<name>_<base>__g<N>``)."""
    pattern = re.compile(rf"^{re.escape(projector.name)}_[a-z_]+__g(\d+)$")
    names = inspect(store.engine).get_table_names(schema=store.schema)
    return {int(found[1]) for name in names if (found := pattern.match(name))}


def position_rows(store: ReadStore, projector: Projector) -> dict[int, int]:
    """Generation -> position, for every generation the bookkeeping knows."""
    with store.connect() as conn:
        query = select(positions.c.generation, positions.c.position).where(
            positions.c.projector == projector.name
        )
        return {row.generation: row.position for row in conn.execute(query)}


def assert_only_live_generation(store: ReadStore, projector: Projector) -> Live:
    current = live_of(store, projector)
    assert generations_on_disk(store, projector) == {current.generation}
    assert set(position_rows(store, projector)) == {current.generation}
    return current


def refresh(journal: Journal, store: ReadStore, projector: Projector) -> int:
    """``refresh_many`` for one projector, in the pages of a live catch-up: the facts applied, or it raises
    what it reports (``Busy``, ``BuiltByNewerVersion``)."""
    (outcome,) = refresh_many(journal, store, [projector], page_size=PAGE)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def facts_between(journal: Journal, after: int, upto: int | None = None) -> int:
    """How many facts the notification log holds after ``after`` (up to ``upto``)."""
    log, count = Log(journal), 0
    while True:
        page = log.read(after, 1000, upto)
        if page.last == after:
            return count
        count += len(page.items)
        after = page.last


def sessions_per_case(store: ReadStore) -> dict[str, int]:
    """Live sessions per case code as the open_cases projection has them."""
    projector = OpenCases()
    with store.connect() as conn:
        table = projector.tables(live_of(store, projector).generation).cases
        return {code: n for code, n in conn.execute(select(table.c.code, table.c.sessions)) if n}


def counted_per_case(store: ReadStore) -> dict[str, int]:
    """Live sessions per case code as the session_counts projection has them."""
    projector = SessionCounts()
    with store.connect() as conn:
        table = projector.tables(live_of(store, projector).generation).counts
        query = select(table.c.case, func.sum(table.c.sessions)).group_by(table.c.case)
        return {code: int(n) for code, n in conn.execute(query) if n}


def trail_length(store: ReadStore) -> int:
    projector = AuditTrail()
    with store.connect() as conn:
        table = projector.tables(live_of(store, projector).generation).trail
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def assert_rebuild_agrees(journal: Journal, store: ReadStore, projector: Projector) -> None:
    """A verifying rebuild finds the live tables exactly as a replay of the whole log makes them."""
    report = rebuild(journal, store, projector, swap=False)
    assert (report.compared, report.differences, report.samples) == (True, 0, [])
    assert report.position == live_of(store, projector).position


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {DEADLINE:.0f} s for {what}")
        time.sleep(0.01)


# -- histories ------------------------------------------------------------------------------


def failed_claims(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    """Every claim that found its position moved, as (projector, seen, new), from now on."""
    moved: list[tuple[str, int, int]] = []
    claim = tracking._claim

    def claim_counting(conn: Connection, name: str, generation: int, seen: int, new: int) -> None:
        try:
            claim(conn, name, generation, seen, new)
        except tracking._Moved:
            moved.append((name, seen, new))
            raise

    monkeypatch.setattr(tracking, "_claim", claim_counting)
    return moved


def mixed_history(office: Any, clock: Any, between: Callable[[], object] = lambda: None) -> Counter[str]:
    """A few weeks of two services: sessions, contacts, referrals and their outcomes, corrections
    (of minutes, form, staff and dates, some across a month and some late), retractions, closes,
    reopens, reads of histories, amended clients, a reconfigured service and an enquiry.

    ``between`` is called now and then (to catch up in the middle). Returns the live sessions per case.
    """
    run = office.run
    sessions: Counter[str] = Counter()
    logged: list[str] = []  # the sessions, in the order logged

    def session(case: str, actor: str, **fields: Any) -> str:
        entry: str = office.session(case, actor, **fields)
        sessions[case] += 1
        return entry

    def retract(entry: str, supervisor: str) -> None:
        run(c.RetractEntry(entry, "entered in error"), supervisor)
        case = entry.split("#", maxsplit=1)[0]
        if case in sessions and entry in logged:
            sessions[case] -= 1

    sos = [office.case("eva", "SOS", days_ago=40) for _ in range(3)]
    ic = [office.case("petr", "IC", days_ago=40) for _ in range(4)]
    minor = office.client("petr", birth_year=2009)
    ic.append(run(c.OpenCase(minor, "IC", key_worker="petr", override="with OSPOD"), "ivan"))
    between()

    for day in range(6):
        clock.advance(hours=20)
        for n, case in enumerate(sos):
            staff = ["eva", "jan"] if (day + n) % 3 == 0 else []
            logged.append(session(case, "eva", staff=staff, occurred_at=office.now - timedelta(hours=2)))
        at = office.now - timedelta(hours=1)  # all IC sessions at once: more clients than its capacity
        for case in ic:
            logged.append(session(case, "petr", occurred_at=at, minutes=45, form=Form.FIELD))
        run(c.LogContact(Channel.PHONE, 10, case=sos[day % 3]), "eva")
        if day % 2:
            between()

    caseless = run(c.LogContact(Channel.PHONE, 10, service="SOS"), "eva")
    run(c.CorrectEntry(caseless, {"minutes": 25}, "was longer"), "vera")
    retract(run(c.LogContact(Channel.CHAT, 5, service="SOS"), "jan"), "vera")
    referral = run(c.MakeReferral(sos[0], "Azylový dům", ReferralKind.SHELTER), "eva")
    run(c.RecordReferralOutcome(referral, ReferralOutcome.ACCEPTED), "eva")
    other = run(c.MakeReferral(sos[1], "Advokát", ReferralKind.LEGAL), "eva")
    retract(run(c.RecordReferralOutcome(other, ReferralOutcome.NO_SHOW), "eva"), "vera")
    run(c.MakeReferral(ic[0], "Policie ČR", ReferralKind.POLICE), "petr")
    between()

    run(c.CorrectEntry(logged[0], {"minutes": 80, "form": Form.FIELD}, "typed 50 for 80"), "vera")
    run(c.CorrectEntry(logged[1], {"staff": ["jan", "eva"]}, "jan was there too"), "vera")
    february = datetime(2025, 2, 10, 10, 0, tzinfo=clock.now.tzinfo)
    run(c.CorrectEntry(logged[2], {"occurred_at": february}, "logged a month late"), "vera")
    run(c.CorrectEntry(logged[3], {"minutes": 30}, "shorter"), "ivan")
    retract(logged[4], "ivan")  # one IC client fewer at that moment: back within capacity
    retract(logged[9], "vera")
    run(c.CorrectEntry(referral, {"occurred_at": office.now - timedelta(days=2)}, "made earlier"), "vera")
    run(c.AmendClient(minor, {"birth_year": 1995}), "petr")
    run(c.ReconfigureService("SOS", {"session_limit": 20}))
    run(c.ReceiveEnquiry("IC", Channel.PHONE, police_notice_at=office.now - timedelta(hours=3)), "petr")
    office.journal.history(sos[0], actor="olga", purpose="quality audit")
    office.journal.history(ic[0], actor="ivan")
    between()

    run(c.CloseCase(sos[1], CloseReason.CLIENT_ENDED), "vera")
    run(c.ReopenCase(sos[1], "the client came back"), "vera")
    clock.advance(hours=1)
    session(sos[1], "eva")
    run(c.CloseCase(sos[2], CloseReason.GOAL_MET), "vera")
    run(c.CloseCase(ic[1], CloseReason.REFERRED), "ivan")
    clock.advance(days=31)
    run(c.CorrectEntry(logged[5], {"minutes": 55}, "found the notes"), "ivan")  # a late correction
    retract(logged[6], "ivan")  # a late retraction
    office.journal.history(sos[1], actor="olga", purpose="complaint")
    return sessions


def add_bulk_service(journal: Journal) -> None:
    """The bulk service ``TP`` and its worker ``tomas`` (and supervisor ``tereza``)."""
    journal.execute(c.RegisterService("TP", BULK), actor="admin")
    journal.execute(c.AddStaff("tomas", "Tomáš Malý", Role.WORKER, ["TP"]), actor="admin")
    journal.execute(c.AddStaff("tereza", "Tereza Malá", Role.SUPERVISOR, ["TP"]), actor="admin")


def record_backlog(journal: Journal, *, cases: int, sessions: int, start: datetime) -> Counter[str]:
    """Open ``cases`` cases at ``TP`` and record ``sessions`` sessions across them, in one batch.

    Sessions are 20 minutes apart, 30 to 60 minutes long. Returns the sessions per case.
    """
    rng = random.Random(sessions)
    per_case: Counter[str] = Counter()
    now = start
    with journal.batch() as batch:
        codes = []
        for _ in range(cases):
            now += timedelta(minutes=1)
            attributes = ClientAttributes(birth_year=1985)
            client = batch.run(c.RegisterClient(ClientKind.PSEUDONYMOUS, attributes), actor="tomas", now=now)
            codes.append(batch.run(c.OpenCase(client, "TP", opened_at=now), actor="tomas", now=now))
        for n in range(sessions):
            now += timedelta(minutes=20)
            case = codes[n % cases]
            minutes = rng.choice((30, 45, 60))
            command = c.LogSession(case, minutes, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])
            batch.run(command, actor="tomas", now=now)
            per_case[case] += 1
        batch.flush()
    return per_case


# -- 1. pages of any size, one page, and a rebuild agree ------------------------------------

PAGE_SIZES = (1, 7, 1000)


def test_catch_up_in_pages_equals_one_big_page_equals_a_rebuild(
    clocked_office: Any, clock: Any, more_stores: Callable[[str], ReadStore]
) -> None:
    journal = clocked_office.journal
    stores = {size: more_stores(f"p{size}") for size in PAGE_SIZES}
    for store in stores.values():
        for projector in all_projectors():  # built now, so catch-ups (not a rebuild) add the history
            refresh(journal, store, projector)
    start = live_of(stores[1], OpenCases()).position

    def catch_up_in_sevens() -> None:  # the store caught up in pages of 7 is also caught up midway
        for projector in all_projectors():
            catch_up(journal, stores[7], projector, page_size=7)

    sessions = mixed_history(clocked_office, clock, between=catch_up_in_sevens)
    head = Log(journal).head()
    facts = facts_between(journal, start)
    assert facts == head - start, "the log has no gaps here: every position is a fact"
    assert facts < 1000, "with pages of 1000, the whole history is one page"

    for size, store in stores.items():
        for projector in all_projectors():
            catch_up(journal, store, projector, page_size=size)
            assert live_of(store, projector).position == head
    for projector in all_projectors():
        paged = {size: dump(store, projector) for size, store in stores.items()}
        assert paged[1] == paged[1000], f"{projector.name}: pages of 1 differ from one page"
        assert paged[7] == paged[1000], f"{projector.name}: pages of 7 differ from one page"
        assert any(paged[1000].values()), f"{projector.name}: the history left no rows at all"
        for size, store in stores.items():
            before = live_of(store, projector)
            report = rebuild(journal, store, projector, page_size=size)
            assert (report.compared, report.differences, report.swapped) == (True, 0, True), (
                projector.name,
                size,
                report.samples,
            )
            assert report.position == head
            assert live_of(store, projector).generation > before.generation
            assert dump(store, projector) == paged[1000], f"{projector.name}: the rebuilt tables differ"
            assert_only_live_generation(store, projector)

    expected = {case: n for case, n in sessions.items() if n}
    for store in stores.values():
        assert sessions_per_case(store) == expected
        assert counted_per_case(store) == expected


# -- 2. exactly once under crashes ------------------------------------------------------------


class Crash(Exception):
    """A projector died in the middle of a page."""


def crashing(projector_class: type[Projector], on_page: int) -> Any:
    """The projector, dying in its ``on_page``-th page (or the first later one that writes), after writing."""

    class Crashing(projector_class):  # type: ignore[valid-type,misc]
        def __init__(self) -> None:
            super().__init__()
            self.pages = 0
            self.done_to: int | None = None  # the position after the last page that went through
            self.before: dict[str, list[tuple[Any, ...]]] | None = None  # the tables as the page found them
            self.died_at: Tracked | None = None

        def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
            self.pages += 1
            before = rows_of(conn, tables) if self.pages >= on_page else None
            super().project(conn, tables, page)
            if before is not None and rows_of(conn, tables) != before:
                self.before, self.died_at = before, page[0]
                raise Crash(f"{self.name} died in page {self.pages}")
            self.done_to = page[-1].position

    return Crashing()


@pytest.mark.parametrize("name", NAMES)
def test_a_catch_up_dying_mid_page_keeps_nothing_of_it_and_the_next_one_completes(
    clocked_office: Any, clock: Any, store: ReadStore, name: str
) -> None:
    journal = clocked_office.journal
    projector = projector_named(name)
    refresh(journal, store, projector)
    mixed_history(clocked_office, clock)

    crasher = crashing(type(projector), on_page=4)
    with pytest.raises(Crash):
        catch_up(journal, store, crasher, page_size=7)
    assert crasher.pages >= 4
    assert crasher.before is not None
    assert crasher.died_at is not None
    current = live_of(store, projector)
    assert current.position == crasher.done_to, "the position moved past pages that were not kept"
    assert current.position < crasher.died_at.position
    assert dump(store, projector) == crasher.before, "rows of the page that died were kept"

    applied = catch_up(journal, store, projector, page_size=7)
    assert applied == facts_between(journal, crasher.done_to)
    assert live_of(store, projector).position == Log(journal).head()
    assert_rebuild_agrees(journal, store, projector)


def test_a_rebuild_dying_midway_leaves_the_live_tables_as_they_were(
    clocked_office: Any, clock: Any, store: ReadStore
) -> None:
    journal = clocked_office.journal
    for projector in all_projectors():
        refresh(journal, store, projector)
    mixed_history(clocked_office, clock)
    for projector in all_projectors():
        catch_up(journal, store, projector)
        before, rows = live_of(store, projector), dump(store, projector)
        with pytest.raises(Crash):
            rebuild(journal, store, crashing(type(projector), on_page=3), page_size=7)
        assert live_of(store, projector) == before
        assert dump(store, projector) == rows
        report = rebuild(journal, store, projector)  # the lock died with the rebuild that held it
        assert (report.compared, report.differences, report.swapped) == (True, 0, True)
        assert dump(store, projector) == rows


def test_a_rebuild_dying_midway_leaves_no_generation_behind(
    clocked_office: Any, clock: Any, store: ReadStore
) -> None:
    journal = clocked_office.journal
    projector = SessionCounts()
    refresh(journal, store, projector)
    mixed_history(clocked_office, clock)
    with pytest.raises(Crash):
        rebuild(journal, store, crashing(SessionCounts, on_page=2), page_size=7)
    rebuild(journal, store, projector)
    assert_only_live_generation(store, projector)


def _stuck_catch_up(settings: Settings, name: str, on_page: int, stuck: Any, never: Any) -> None:
    """In a process of its own: catch up; in the ``on_page``-th page, after writing, hang (until killed)."""
    journal = open_journal(settings)
    store = ReadStore(*settings.read_store())
    base = type(projector_named(name))

    class Hanging(base):  # type: ignore[valid-type,misc]
        pages = 0

        def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
            Hanging.pages += 1
            before = rows_of(conn, tables)
            super().project(conn, tables, page)
            if Hanging.pages >= on_page and rows_of(conn, tables) != before:
                stuck.set()
                never.wait(DEADLINE * 4)  # the parent kills this process long before

    catch_up(journal, store, Hanging(), page_size=7)


@pytest.mark.parametrize("name", ["session_counts", "findings"])
def test_a_worker_killed_mid_page_leaves_nothing_of_it(
    clocked_office: Any, clock: Any, store: ReadStore, store_settings: Settings, name: str
) -> None:
    journal = clocked_office.journal
    projector = projector_named(name)
    refresh(journal, store, projector)
    mixed_history(clocked_office, clock)

    context = multiprocessing.get_context("spawn")
    stuck, never = context.Event(), context.Event()
    worker = context.Process(target=_stuck_catch_up, args=(store_settings, name, 5, stuck, never))
    worker.start()
    try:
        assert stuck.wait(DEADLINE), "the worker never reached the page it hangs in"
        before, rows = live_of(store, projector), dump(store, projector)  # its page is not committed
        worker.kill()
        worker.join(DEADLINE)
        assert worker.exitcode is not None, "the killed worker did not end"
    finally:
        if worker.is_alive():
            worker.kill()
            worker.join(DEADLINE)
    assert before.position > 0
    assert live_of(store, projector) == before
    assert dump(store, projector) == rows

    applied = catch_up(journal, store, projector, page_size=7)
    assert applied == facts_between(journal, before.position)
    assert live_of(store, projector).position == Log(journal).head()
    assert_rebuild_agrees(journal, store, projector)


# -- 3. compare-and-set: racing catch-ups -------------------------------------------------------


def test_two_catch_ups_reading_the_same_page_commit_it_once(
    office: Any, store: ReadStore, store_settings: Settings, journal_at: Any, monkeypatch: Any
) -> None:
    """Both threads read the same first page before either claims it: one commits, one finds it moved."""
    journal = office.journal
    add_bulk_service(journal)
    projector = SessionCounts()
    refresh(journal, store, projector)
    start = live_of(store, projector).position
    sessions = record_backlog(journal, cases=30, sessions=2000, start=journal.clock() - timedelta(days=60))
    backlog = facts_between(journal, start)

    racers: set[int] = set()
    met: set[int] = set()
    barrier = threading.Barrier(2, timeout=DEADLINE)
    read = Log.read

    def read_then_meet(self: Log, after: int, limit: int, stop: int | None = None) -> tracking.Page:
        page = read(self, after, limit, stop)
        me = threading.get_ident()
        if me in racers and me not in met:
            met.add(me)
            barrier.wait()  # both have read the page at ``after``; now both try to claim it
        return page

    moved = failed_claims(monkeypatch)
    monkeypatch.setattr(Log, "read", read_then_meet)

    applied: dict[int, int] = {}
    failures: list[BaseException] = []

    def race(n: int, racer_journal: Journal) -> None:
        racers.add(threading.get_ident())
        racer_store = ReadStore(*store_settings.read_store())
        try:
            applied[n] = catch_up(racer_journal, racer_store, SessionCounts(), page_size=100)
        except BaseException as error:
            failures.append(error)
            barrier.abort()
        finally:
            racer_store.dispose()

    threads = [threading.Thread(target=race, args=(n, journal_at())) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE)
    assert not any(t.is_alive() for t in threads), "a racing catch-up did not finish"
    assert failures == []
    assert moved, "the racers never collided"
    assert moved[0][1] == start, "the first collision is on the first page"
    assert sum(applied.values()) == backlog, f"applied {applied} of {backlog}: a page went twice or never"
    assert live_of(store, projector).position == Log(journal).head()
    assert counted_per_case(store) == dict(sessions)
    assert_rebuild_agrees(journal, store, projector)


def _racing_worker(settings: Settings, names: list[str], go: Any, results: Any) -> None:
    """In a process of its own, with its own journal and read store: catch up as soon as told."""
    journal = open_journal(settings)
    store = ReadStore(*settings.read_store())
    try:
        go.wait()
        applied = {name: catch_up(journal, store, projector_named(name), page_size=100) for name in names}
        results.put(("ok", applied))
    except BaseException as error:
        results.put(("failed", repr(error)))
    finally:
        store.dispose()
        journal.close()


def test_catch_ups_racing_in_processes_count_every_session_once(
    office: Any, store: ReadStore, store_settings: Settings
) -> None:
    journal = office.journal
    add_bulk_service(journal)
    for projector in all_projectors():
        refresh(journal, store, projector)
    start = {p.name: live_of(store, p).position for p in all_projectors()}
    sessions = record_backlog(journal, cases=30, sessions=2500, start=journal.clock() - timedelta(days=60))
    head = Log(journal).head()

    context = multiprocessing.get_context("spawn")
    go, results = context.Barrier(3, timeout=DEADLINE), context.Queue()
    workers = [
        context.Process(target=_racing_worker, args=(store_settings, NAMES, go, results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        go.wait()  # both workers have opened their journal and read store
        outcomes = [results.get(timeout=DEADLINE * 3) for _ in workers]
        for worker in workers:
            worker.join(DEADLINE)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join(DEADLINE)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    for projector in all_projectors():
        applied = [found[projector.name] for _, found in outcomes]
        assert sum(applied) == facts_between(journal, start[projector.name]), (projector.name, applied)
        assert live_of(store, projector).position == head
        assert_rebuild_agrees(journal, store, projector)
    assert sessions_per_case(store) == dict(sessions)
    assert counted_per_case(store) == dict(sessions)
    assert trail_length(store) > sum(sessions.values())


# -- 4. a slow writer's fact is never skipped ---------------------------------------------------


def test_a_fact_committed_late_by_a_slow_writer_is_not_skipped(
    office: Any, store: ReadStore, store_settings: Settings, journal_at: Any
) -> None:
    """Writer A's insert is held open (its notification id taken, not committed) while writer B
    tries to record after it, and a catch-up runs; then A commits, B follows, and the next
    catch-up applies both. The catch-up in between must stop below A's id, not pass over it.

    Why the order holds: a catch-up's position only ever becomes the id of a fact it has read
    (or, with ``stop``, a position some catch-up read before), and every id below an id that can
    be read is either readable too or will never be. The journal makes commit order equal id
    order. On PostgreSQL the recorder takes ``LOCK TABLE ... IN EXCLUSIVE MODE`` on the events
    table before the INSERT draws ids from the sequence, and holds it until commit: B cannot
    draw an id until A has committed (or rolled back, leaving a gap that is never filled). The
    lock does not block readers (SELECT takes ACCESS SHARE), so the catch-up runs on. On SQLite
    a write transaction holds the database's single write lock and the id is the rowid,
    ``max(rowid) + 1`` taken under that lock; readers (WAL) see only committed transactions.
    """
    journal = office.journal
    projector = OpenCases()
    case = office.case("petr", "IC")
    office.session(case, "petr")
    refresh(journal, store, projector)
    assert sessions_per_case(store) == {case: 1}

    slow, queued = journal_at(), journal_at()
    inserted, release, trying = threading.Event(), threading.Event(), threading.Event()
    held_ids: list[int] = []
    if store_settings.database_url:
        fetch = slow.recorder._fetch_ids_after_insert_events

        def fetch_then_hold(curs: Any, stored_events: Any, **kwargs: Any) -> Any:
            ids = fetch(curs, stored_events, **kwargs)  # inserted, under the table lock
            held_ids.extend(ids)
            inserted.set()
            release.wait(DEADLINE)
            return ids

        slow.recorder._fetch_ids_after_insert_events = fetch_then_hold
        lock_table = queued.recorder._lock_table

        def lock_table_signalled(curs: Any) -> None:
            trying.set()
            lock_table(curs)

        queued.recorder._lock_table = lock_table_signalled
    else:
        insert_events = slow.recorder._insert_events

        def insert_then_hold(cursor: Any, stored_events: Any, **kwargs: Any) -> Any:
            ids = insert_events(cursor, stored_events, **kwargs)  # inserted, holding the write lock
            held_ids.extend(ids)
            inserted.set()
            release.wait(DEADLINE)
            return ids

        slow.recorder._insert_events = insert_then_hold
        queued_insert = queued.recorder._insert_events

        def insert_signalled(cursor: Any, stored_events: Any, **kwargs: Any) -> Any:
            trying.set()
            return queued_insert(cursor, stored_events, **kwargs)

        queued.recorder._insert_events = insert_signalled

    failures: list[BaseException] = []

    def write(writer: Journal) -> None:
        try:
            writer.execute(c.LogSession(case, 40, Form.FIELD, [Activity.CRISIS_INTERVENTION]), actor="petr")
        except BaseException as error:
            failures.append(error)
            inserted.set()

    first = threading.Thread(target=write, args=(slow,))
    second = threading.Thread(target=write, args=(queued,))
    try:
        first.start()
        assert inserted.wait(DEADLINE)
        assert failures == []
        second.start()
        assert trying.wait(DEADLINE)
        if store_settings.database_url:
            wait_until(
                lambda: _waits_for_table_lock(store, store_settings, journal), "B to queue for the lock"
            )
        head_before = Log(journal).head()
        assert head_before < held_ids[0], "the held fact is visible before it was committed"

        catch_up(journal, store, projector)  # does not wait for the writers, and must not pass A's id
        during = live_of(store, projector)
        assert during.position == head_before
        assert during.position < held_ids[0]
        assert sessions_per_case(store) == {case: 1}
        assert second.is_alive(), "B committed while A held the journal"
    finally:
        release.set()
        first.join(DEADLINE)
        second.join(DEADLINE)
    assert not first.is_alive()
    assert not second.is_alive()
    assert failures == []
    assert slow.last_position is not None
    assert queued.last_position is not None
    assert slow.last_position < queued.last_position, "B's fact got an id below A's"

    applied = catch_up(journal, store, projector)
    assert applied == facts_between(journal, during.position) == 4  # two sessions, two receipts
    assert sessions_per_case(store) == {case: 3}
    assert live_of(store, projector).position == Log(journal).head()
    assert_rebuild_agrees(journal, store, projector)


def _waits_for_table_lock(store: ReadStore, settings: Settings, journal: Journal) -> bool:
    """Whether some PostgreSQL session waits for a lock on the journal's events table."""
    assert settings.database_url
    schema = postgres_env(settings.database_url)["POSTGRES_SCHEMA"] or "public"
    table = journal.recorder.events_table_name  # type: ignore[attr-defined]
    with store.engine.connect() as conn:
        waiting = conn.execute(
            text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = to_regclass(:name)"),
            {"name": f'"{schema}"."{table}"'},
        ).scalar()
    return bool(waiting)


# -- 5. rebuilds ---------------------------------------------------------------------------------


def test_a_rebuild_of_a_projection_moving_under_it_ends_with_no_differences_and_swaps(
    office: Any, store: ReadStore, monkeypatch: Any
) -> None:
    """Writes and live catch-ups happen at each step of the rebuild: before it (the live tables
    behind the log), between reading the live position and comparing (the comparison is refused
    and done again), and between the comparison and the swap (the swap brings the fresh tables
    up to the live position in its own transaction)."""
    journal = office.journal
    cases = [office.case("petr", "IC") for _ in range(3)]
    logged = Counter(dict.fromkeys(cases, 0))
    projectors = [OpenCases(), SessionCounts()]

    def write(count: int) -> None:
        for n in range(count):
            case = cases[n % len(cases)]
            office.session(case, "petr")
            logged[case] += 1

    def write_and_catch_up(count: int) -> None:
        write(count)
        for projector in projectors:
            catch_up(journal, store, projector, page_size=3)

    for projector in projectors:
        refresh(journal, store, projector)

    steps: Counter[str] = Counter()
    compared: list[bool] = []
    swapped_at: list[int] = []
    must, compare, swap = tracking._must, tracking._compare, tracking._swap

    def must_then_move(store_: ReadStore, projector: Projector, generation: int) -> int:
        # The live tables, behind the fresh ones, were caught up to them before the first call:
        # both stand at one position, and the live ones move after the rebuild read theirs.
        position = must(store_, projector, generation)
        steps["must"] += 1
        if steps["must"] == 1:
            write_and_catch_up(2)
        return position

    def compare_counted(*args: Any, **kwargs: Any) -> tracking.RebuildReport:
        report = compare(*args, **kwargs)
        compared.append(report.compared)
        return report

    def move_then_swap(*args: Any, **kwargs: Any) -> bool:
        if not swapped_at:
            write_and_catch_up(3)  # the live position moves after the comparison, before the swap
        done = swap(*args, **kwargs)
        swapped_at.append(Log(journal).head() if done else -1)
        return done

    monkeypatch.setattr(tracking, "_must", must_then_move)
    monkeypatch.setattr(tracking, "_compare", compare_counted)
    monkeypatch.setattr(tracking, "_swap", move_then_swap)

    for projector in projectors:
        steps.clear()
        compared.clear()
        swapped_at.clear()
        write(4)  # the live tables are behind the log when the rebuild starts
        before = live_of(store, projector)
        report = rebuild(journal, store, projector, page_size=3)
        assert (report.compared, report.differences, report.swapped) == (True, 0, True), report.samples
        assert compared == [False, True], "the first comparison must be refused: the live position moved"
        current = assert_only_live_generation(store, projector)
        assert current.generation > before.generation
        assert swapped_at[-1] == current.position > report.position, "the swap took the later facts along"
        assert_rebuild_agrees(journal, store, projector)
    monkeypatch.undo()

    for projector in projectors:
        catch_up(journal, store, projector)
        assert_rebuild_agrees(journal, store, projector)
    assert sessions_per_case(store) == dict(logged)
    assert counted_per_case(store) == dict(logged)


def test_rebuilds_while_another_worker_writes_and_catches_up_end_with_no_differences(
    office: Any, store: ReadStore, store_settings: Settings, journal_at: Any
) -> None:
    """The same, with a second worker (a thread with its own journal and read store) recording
    sessions and catching up the live tables all the while the rebuilds run."""
    journal = office.journal
    cases = [office.case("petr", "IC") for _ in range(4)]
    projectors = [OpenCases(), SessionCounts(), AuditTrail()]
    for projector in projectors:
        refresh(journal, store, projector)

    logged: Counter[str] = Counter()
    rounds = [0]
    done = threading.Event()
    failures: list[BaseException] = []

    def busy_worker(worker_journal: Journal) -> None:
        worker_store = ReadStore(*store_settings.read_store())
        own = [type(projector)() for projector in projectors]
        try:
            while not done.is_set() or rounds[0] < 3:
                case = cases[rounds[0] % len(cases)]
                worker_journal.execute(
                    c.LogSession(case, 30, Form.FIELD, [Activity.CRISIS_INTERVENTION]), actor="petr"
                )
                logged[case] += 1
                for projector in own:
                    catch_up(worker_journal, worker_store, projector, page_size=2)
                rounds[0] += 1
        except BaseException as error:
            failures.append(error)
        finally:
            worker_store.dispose()

    worker = threading.Thread(target=busy_worker, args=(journal_at(),))
    worker.start()
    try:
        wait_until(lambda: rounds[0] >= 1 or bool(failures), "the worker's first round")
        reports = [rebuild(journal, store, projector, page_size=5) for projector in projectors]
        during = rounds[0]
    finally:
        done.set()
        worker.join(DEADLINE)
    assert not worker.is_alive()
    assert failures == []
    assert during >= 1
    for projector, report in zip(projectors, reports, strict=True):
        assert (report.compared, report.differences, report.swapped) == (True, 0, True), report.samples
        assert_only_live_generation(store, projector)
        catch_up(journal, store, projector)
        assert_rebuild_agrees(journal, store, projector)
    assert sessions_per_case(store) == dict(logged)
    assert counted_per_case(store) == dict(logged)


def test_a_verifying_rebuild_changes_nothing_and_drops_what_it_built(
    clocked_office: Any, clock: Any, store: ReadStore
) -> None:
    journal = clocked_office.journal
    for projector in all_projectors():
        refresh(journal, store, projector)
    mixed_history(clocked_office, clock)
    for projector in all_projectors():
        catch_up(journal, store, projector)
        before, rows = live_of(store, projector), dump(store, projector)
        report = rebuild(journal, store, projector, swap=False)
        assert (report.compared, report.differences, report.swapped) == (True, 0, False)
        assert report.rows == sum(len(r) for r in rows.values())
        assert live_of(store, projector) == before
        assert dump(store, projector) == rows
        assert assert_only_live_generation(store, projector) == before


def test_a_verifying_rebuild_of_a_projection_not_built_yet_builds_nothing(
    office: Any, store: ReadStore
) -> None:
    report = rebuild(office.journal, store, SessionCounts(), swap=False)
    assert not report.swapped
    with store.connect() as conn:
        assert live(conn, SessionCounts.name) is None
    assert generations_on_disk(store, SessionCounts()) == set()


def test_rebuilding_every_projector_at_once_decodes_each_fact_once_and_equals_rebuilding_each(
    clocked_office: Any, clock: Any, more_stores: Callable[[str], ReadStore], monkeypatch: Any
) -> None:
    journal = clocked_office.journal
    mixed_history(clocked_office, clock)
    separately, together = more_stores("apart"), more_stores("together")
    for projector in all_projectors():
        rebuild(journal, separately, projector, page_size=50)
    decoded: Counter[int] = Counter()
    decode = journal.mapper.to_domain_event

    def counting(notification: Any) -> Any:
        decoded[notification.id] += 1
        return decode(notification)

    monkeypatch.setattr(journal.mapper, "to_domain_event", counting)
    outcomes = tracking.rebuild_many(journal, together, all_projectors(), page_size=50)
    monkeypatch.undo()

    head = Log(journal).head()
    assert len(decoded) == facts_between(journal, 0) == head, "every fact was read"
    assert set(decoded.values()) == {1}, "and decoded once for all the projectors"
    for projector, outcome in zip(all_projectors(), outcomes, strict=True):
        assert isinstance(outcome, tracking.RebuildReport)
        assert (outcome.position, outcome.swapped) == (head, True)
        assert dump(together, projector) == dump(separately, projector), projector.name


def test_a_rebuild_of_many_skips_a_busy_projector_and_rebuilds_the_others(
    office: Any, store: ReadStore
) -> None:
    journal = office.journal
    office.session(office.case(), "eva")
    for projector in all_projectors():
        refresh(journal, store, projector)
    busy_one = SessionCounts()
    before = live_of(store, busy_one)

    with store.lock(f"rebuild:{busy_one.name}"):
        outcomes = dict(zip(NAMES, tracking.rebuild_many(journal, store, all_projectors()), strict=True))

    busy = outcomes.pop(busy_one.name)
    assert isinstance(busy, Busy)
    assert busy.name == f"rebuild:{busy_one.name}"
    assert live_of(store, busy_one) == before, "the busy projector was left alone"
    for name, outcome in outcomes.items():
        assert isinstance(outcome, tracking.RebuildReport), name
        assert (outcome.compared, outcome.differences, outcome.swapped) == (True, 0, True), name


def test_a_second_rebuild_of_one_projector_is_busy(office: Any, store: ReadStore, monkeypatch: Any) -> None:
    journal = office.journal
    office.session(office.case(), "eva")
    projector = SessionCounts()
    refresh(journal, store, projector)
    before = live_of(store, projector)

    with store.lock(f"rebuild:{projector.name}"), pytest.raises(Busy) as busy:
        rebuild(journal, store, projector)
    assert busy.value.name == "rebuild:session_counts"
    assert assert_only_live_generation(store, projector) == before, "a refused rebuild left something"
    refresh(journal, store, OpenCases())  # another projector's rebuild is not held up

    # A rebuild started while another one is running (from another engine) is refused too.
    refused: list[Busy] = []
    compare = tracking._compare

    def compare_while_another_starts(*args: Any) -> tracking.RebuildReport:
        other = ReadStore(store.url, store.schema)
        try:
            rebuild(journal, other, SessionCounts())
        except Busy as error:
            refused.append(error)
        finally:
            other.dispose()
        return compare(*args)

    monkeypatch.setattr(tracking, "_compare", compare_while_another_starts)
    report = rebuild(journal, store, projector)
    monkeypatch.undo()
    assert [error.name for error in refused] == ["rebuild:session_counts"]
    assert (report.differences, report.swapped) == (0, True)
    assert assert_only_live_generation(store, projector).generation == before.generation + 1
    rebuild(journal, store, projector)  # the lock went with the rebuild that held it


class SessionCountsV2(SessionCounts):
    version = 2


def test_a_new_projector_version_needs_a_rebuild_and_refresh_makes_it(
    clocked_office: Any, clock: Any, store: ReadStore
) -> None:
    journal = clocked_office.journal
    refresh(journal, store, SessionCounts())
    sessions = mixed_history(clocked_office, clock)
    catch_up(journal, store, SessionCounts())
    before = live_of(store, SessionCounts())
    rows = dump(store, SessionCounts())

    with pytest.raises(NeedsRebuild) as needs:
        catch_up(journal, store, SessionCountsV2())
    assert needs.value.name == "session_counts"
    assert live_of(store, SessionCounts()) == before

    assert refresh(journal, store, SessionCountsV2()) == facts_between(journal, 0)
    current = assert_only_live_generation(store, SessionCountsV2())
    assert (current.version, current.position) == (2, before.position)
    assert current.generation > before.generation
    assert dump(store, SessionCountsV2()) == rows
    [found] = status(journal, store, [SessionCountsV2()])
    assert (found.version, found.built_by_version, found.generation, found.behind) == (
        2,
        2,
        current.generation,
        0,
    )

    with pytest.raises(NeedsRebuild):  # the old version's workers stop instead of writing into it
        catch_up(journal, store, SessionCounts())
    office_session = clocked_office.session(next(iter(sessions)), "eva")
    assert office_session
    assert refresh(journal, store, SessionCountsV2()) == 2  # a session and its receipt
    assert_rebuild_agrees(journal, store, SessionCountsV2())


def test_tampered_rows_are_reported_as_differences_and_every_rebuild_is_recorded(
    clocked_office: Any, clock: Any, store: ReadStore
) -> None:
    journal = clocked_office.journal
    projector = SessionCounts()
    refresh(journal, store, projector)
    mixed_history(clocked_office, clock)
    catch_up(journal, store, projector)
    first = rebuild(journal, store, projector)
    assert first.differences == 0
    rows = dump(store, projector)

    tables = projector.tables(live_of(store, projector).generation)
    counts, sessions = tables.counts, tables.sessions
    with store.begin() as conn:
        count = conn.execute(select(counts).order_by(*counts.primary_key.columns).limit(1)).mappings().one()
        count_key = [count[k.name] for k in counts.primary_key.columns]
        conn.execute(
            update(counts)
            .where(*(k == count[k.name] for k in counts.primary_key.columns))
            .values(sessions=count["sessions"] + 5, minutes=count["minutes"] + 1)
        )
        gone = (
            conn.execute(select(sessions).order_by(*sessions.primary_key.columns).limit(1)).mappings().one()
        )
        conn.execute(delete(sessions).where(*(k == gone[k.name] for k in sessions.primary_key.columns)))
        conn.execute(insert(counts).values(_counts_row("P-9999")))

    verified = rebuild(journal, store, projector, swap=False)
    expected = [
        Difference("counts", count_key, ["sessions", "minutes"], "both"),
        Difference("counts", ["P-9999", "K-9999", "SOS", "field", "2025-03"], [], "live only"),
        Difference("sessions", [gone["case_id"], gone["number"]], [], "rebuilt only"),
    ]
    assert verified.differences == 3
    assert _sorted(verified.samples) == _sorted(expected)
    assert not verified.swapped
    assert dump(store, projector) != rows, "a verifying rebuild must not repair anything"

    repaired = rebuild(journal, store, projector)
    assert (repaired.differences, repaired.swapped) == (3, True)
    assert dump(store, projector) == rows, "the rebuilt tables are live now"
    last = rebuild(journal, store, projector, swap=False)
    assert last.differences == 0

    with store.connect() as conn:
        recorded = conn.execute(
            select(rebuilds.c.differences, rebuilds.c.detail, rebuilds.c.position, rebuilds.c.finished_at)
            .where(rebuilds.c.projector == projector.name)
            .order_by(rebuilds.c.id)
        ).all()
    first_build = 1  # ``refresh`` built the live tables with a rebuild
    assert [r.differences for r in recorded] == [0, 0, 3, 3, 0]
    assert [r.detail["swapped"] for r in recorded] == [True, True, False, True, False]
    assert [r.detail["compared"] for r in recorded] == [False, True, True, True, True]
    assert all(r.position == last.position for r in recorded[first_build:])
    samples = recorded[2].detail["samples"]
    assert _sorted([Difference(**s) for s in samples]) == _sorted(expected)
    [found] = status(journal, store, [projector])
    assert found.last_drift == 0
    assert found.last_rebuild == recorded[-1].finished_at


def _counts_row(case: str) -> dict[str, Any]:
    return {
        "case": case,
        "client": "K-9999",
        "service": "SOS",
        "form": "field",
        "month": "2025-03",
        "sessions": 1,
        "minutes": 50,
    }


def _sorted(differences: Sequence[Difference]) -> list[tuple[str, str, list[str], list[str]]]:
    return sorted((d.table, d.side, [str(k) for k in d.key], sorted(d.columns)) for d in differences)


def test_catch_up_and_status_before_the_read_store_exists(office: Any, store_settings: Settings) -> None:
    """A projector with no live tables (or no read store at all) needs a rebuild; refresh builds it."""
    journal = office.journal
    fresh = ReadStore(*store_settings.read_store())
    try:
        with pytest.raises(NeedsRebuild):
            catch_up(journal, fresh, OpenCases())
        fresh.create()
        with pytest.raises(NeedsRebuild):
            catch_up(journal, fresh, OpenCases())
        found = status(journal, fresh, all_projectors())
        assert [(s.generation, s.position, s.behind) for s in found] == [(None, None, None)] * len(NAMES)
        assert refresh(journal, fresh, OpenCases()) == facts_between(journal, 0)
        [built] = status(journal, fresh, [OpenCases()])
        assert (built.generation, built.behind, built.last_drift) == (1, 0, 0)
    finally:
        fresh.dispose()


def test_an_older_version_never_rebuilds_over_tables_a_newer_version_built(
    office: Any, store: ReadStore
) -> None:
    journal = office.journal
    refresh(journal, store, SessionCountsV2())
    built = live_of(store, SessionCountsV2())
    rows = dump(store, SessionCountsV2())
    with pytest.raises(BuiltByNewerVersion):
        refresh(journal, store, SessionCounts())
    with pytest.raises(BuiltByNewerVersion):
        rebuild(journal, store, SessionCounts())
    assert assert_only_live_generation(store, SessionCountsV2()) == built
    assert dump(store, SessionCountsV2()) == rows


# -- statistics for PostgreSQL's planner --------------------------------------------------------


POSTGRES_ONLY = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def stats_store(
    journal: Journal, more_stores: Callable[[str], ReadStore], monkeypatch: pytest.MonkeyPatch
) -> ReadStore:
    """A read store beside the journal of the bulk service; tables analysed from 100 facts on."""
    add_bulk_service(journal)
    monkeypatch.setattr(tracking, "ANALYSE_FIRST", 100)
    return more_stores("stats")


@pytest.mark.parametrize("store_settings", POSTGRES_ONLY, indirect=True)
def test_a_rebuild_on_postgresql_gives_the_planner_statistics_of_its_fresh_tables_as_they_grow(
    journal: Journal, stats_store: ReadStore
) -> None:
    record_backlog(journal, cases=5, sessions=200, start=datetime(2025, 3, 3, 8, 0, tzinfo=UTC))
    rebuild(journal, stats_store, SessionCounts(), page_size=50)
    # At 100 facts, 200, 400 while replaying, then once more before the comparison.
    assert analyses(stats_store) >= 3, "the fresh tables were planned as empty while they grew"


@pytest.mark.parametrize("store_settings", POSTGRES_ONLY, indirect=True)
def test_a_long_catch_up_on_postgresql_has_the_live_tables_analysed_each_time_they_double(
    journal: Journal, stats_store: ReadStore
) -> None:
    projector = SessionCounts()
    rebuild(journal, stats_store, projector)  # the live tables: a few facts, analysed
    built = live_of(stats_store, projector).position
    record_backlog(journal, cases=5, sessions=400, start=datetime(2025, 3, 3, 8, 0, tzinfo=UTC))
    grown = Log(journal).head() - built
    before = analyses(stats_store)

    assert refresh_many(journal, stats_store, [projector], page_size=50) == [grown]

    # Past 100 facts, then each time they doubled (about 250 and 550 here), and once at the end
    # (before, only at the end); never once a page.
    pages = grown // 50
    assert 4 <= analyses(stats_store) - before < pages / 3, "the tables were planned as small while they grew"


def analyses(store: ReadStore) -> int:
    """How often PostgreSQL has analysed the live session counts table."""
    projector = SessionCounts()
    table = projector.tables(live_of(store, projector).generation).counts
    with store.connect() as conn:
        found = conn.execute(
            text("SELECT analyze_count FROM pg_stat_user_tables WHERE schemaname = :s AND relname = :t"),
            {"s": store.schema, "t": table.name},
        ).scalar()
    assert found is not None, "PostgreSQL keeps no statistics of that table"
    return int(found)
