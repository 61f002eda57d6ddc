"""A rebuild equals the live tables on a log of more than 100,000 facts (SQLite).

The main process records a year and a half of a busy field programme in batches: cohorts of
50 cases, sessions across them every 20 minutes, some corrected and some retracted, a third
of the cases closed. Two projection workers (processes of their own, as in production) keep
the live tables caught up while it writes, each for two or three projectors; the writer never runs
more than two batches ahead of them, so catch-ups and writes interleave by construction.
When the writer is done, each worker catches up a last time and rebuilds its projectors:
every rebuild must find 0 differences. Totals are spot-checked against what was recorded.

To see the timings, run it alone with ``-s``:
``python -m pytest -s tests/integration/test_rebuild_scale.py``.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from test_tracking import refresh  # the tests' directory is on the path

from domain import commands as c
from domain.client import ClientAttributes
from domain.journal import Journal
from domain.service import OpeningHours, ServiceParameters
from domain.vocabulary import Activity, ClientKind, CloseReason, Form, Role, ServiceType
from projections.audit_trail import LEFT_OUT, AuditTrail
from projections.catalogue import all_projectors, projector_named
from projections.open_cases import OpenCases
from projections.reports.facts import SESSION, ReportFacts
from projections.session_counts import SessionCounts
from projections.store import Busy, ReadStore
from projections.tracking import Log, catch_up, live, rebuild
from workers.journal import open_journal
from workers.settings import Settings

pytestmark = pytest.mark.slow

FACTS = 100_000  # at least this many facts in the log
COHORTS, COHORT, ROUNDS = 32, 50, 28  # 1,600 cases, 44,800 sessions
PAGE = 5000  # facts per page, for the catch-ups and the rebuilds
FLUSH_EVERY = 2000  # commands per batch
AHEAD = 2  # batches the writer may run ahead of the projection workers
WORKERS = (["findings", "audit_trail"], ["open_cases", "session_counts", "report_facts"])  # about equal work
START = datetime(2023, 1, 2, 7, 0, tzinfo=UTC)
DEADLINE = 300.0

FIELD_PROGRAMME = ServiceParameters(
    name="Terénní program Praha",
    type=ServiceType.CRISIS_HELP,
    forms=(Form.AMBULATORY, Form.FIELD),
    capacity=2,
    hours=OpeningHours.parse("nonstop"),
)


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=None,
        broker_url=None,
        language="en",
        timezone="Europe/Prague",
        user="admin",
    )


def _projection_worker(settings: Settings, names: list[str], done: Any, results: Any) -> None:
    """Catch the live tables up until the writer is done, once more after, then rebuild them."""
    journal = open_journal(settings)
    store = ReadStore(*settings.read_store())
    projectors = [projector_named(name) for name in names]
    try:
        rounds, applied = 0, Counter[str]()
        started = time.perf_counter()
        while True:
            last = done.is_set()  # read before catching up: the final round sees every write
            found = 0
            for projector in projectors:
                count = catch_up(journal, store, projector, page_size=PAGE)
                applied[projector.name] += count
                found += count
            rounds += bool(found)
            if last:
                break
            if not found:
                done.wait(0.05)  # nothing new: wait for the writer (or its end), at most briefly
        caught_up = time.perf_counter() - started
        reports, busy = {}, 0
        for projector in projectors:
            begun = time.perf_counter()
            while True:
                try:
                    report = rebuild(journal, store, projector, page_size=PAGE)
                    break
                except Busy as error:
                    # ReadStore.create() inside rebuild() try-locks "create": a rebuild of another
                    # projector starting at the same moment makes this one fail (a product bug).
                    if error.name != "create":
                        raise
                    busy += 1
            reports[projector.name] = {
                "compared": report.compared,
                "differences": report.differences,
                "samples": [vars(s) for s in report.samples],
                "swapped": report.swapped,
                "position": report.position,
                "events": report.events,
                "rows": report.rows,
                "seconds": time.perf_counter() - begun,
            }
        results.put(
            (
                "ok",
                {
                    "rounds": rounds,
                    "applied": dict(applied),
                    "caught_up": caught_up,
                    "reports": reports,
                    "busy_create": busy,
                },
            )
        )
    except BaseException as error:
        results.put(("failed", repr(error)))
    finally:
        store.dispose()
        journal.close()


def _positions(store: ReadStore) -> dict[str, int]:
    with store.connect() as conn:
        return {p.name: found.position for p in all_projectors() if (found := live(conn, p.name)) is not None}


class Writer:
    """Records the generated history in batches, never more than ``AHEAD`` batches before the workers."""

    def __init__(self, journal: Journal, store: ReadStore) -> None:
        self.journal = journal
        self.store = store
        self.flushed: list[int] = []  # the log's head after each batch
        self.waited = 0.0
        self.waited_for: list[int] = []  # positions the workers had to reach before the writer went on
        self.commands = 0

    def run(self, batch: Any, command: Any, actor: str, now: datetime) -> str:
        result: str = batch.run(command, actor=actor, now=now)
        self.commands += 1
        if self.commands % FLUSH_EVERY == 0:
            self.flush(batch)
        return result

    def flush(self, batch: Any) -> None:
        batch.flush()
        self.flushed.append(Log(self.journal).head())
        if len(self.flushed) > AHEAD:
            self.wait_for(self.flushed[-1 - AHEAD])

    def wait_for(self, position: int) -> None:
        self.waited_for.append(position)
        begun = time.perf_counter()
        deadline = time.monotonic() + DEADLINE
        while min(_positions(self.store).values()) < position:
            if time.monotonic() > deadline:
                pytest.fail(f"the projection workers did not reach {position} in {DEADLINE:.0f} s")
            time.sleep(0.02)
        self.waited += time.perf_counter() - begun


def _generate(journal: Journal, writer: Writer) -> tuple[Counter[str], Counter[str]]:
    """The history; returns sessions recorded and sessions retracted, per case."""
    rng = random.Random(2025)
    recorded: Counter[str] = Counter()
    retracted: Counter[str] = Counter()
    now = START
    with journal.batch() as batch:
        for _cohort in range(COHORTS):
            cases = []
            for _ in range(COHORT):
                now += timedelta(minutes=2)
                attributes = ClientAttributes(birth_year=rng.randint(1950, 2005))
                client = writer.run(
                    batch, c.RegisterClient(ClientKind.PSEUDONYMOUS, attributes), "tomas", now
                )
                cases.append(writer.run(batch, c.OpenCase(client, "TP", opened_at=now), "tomas", now))
            entries = []
            for _round in range(ROUNDS):
                for case in cases:
                    now += timedelta(minutes=20)
                    staff = ["tomas", "tereza"] if rng.random() < 0.1 else []
                    command = c.LogSession(
                        case,
                        rng.choice((30, 45, 60)),
                        rng.choice((Form.AMBULATORY, Form.FIELD)),
                        [Activity.CRISIS_INTERVENTION],
                        staff=staff,
                    )
                    entries.append(writer.run(batch, command, "tomas", now))
                    recorded[case] += 1
            for entry in rng.sample(entries, 60):
                now += timedelta(minutes=1)
                if rng.random() < 0.35:
                    writer.run(batch, c.RetractEntry(entry, "saved twice"), "tereza", now)
                    retracted[entry.split("#", maxsplit=1)[0]] += 1
                else:
                    changes = {"minutes": rng.choice((20, 90)), "form": Form.FIELD}
                    writer.run(batch, c.CorrectEntry(entry, changes, "typed wrong"), "tereza", now)
            for case in cases[::3]:
                now += timedelta(minutes=1)
                writer.run(batch, c.CloseCase(case, CloseReason.GOAL_MET), "tereza", now)
        writer.flush(batch)
    return recorded, retracted


def test_a_rebuild_of_a_log_of_100000_facts_equals_the_live_tables_caught_up_while_writing(
    tmp_path: Path,
) -> None:
    began = time.perf_counter()
    settings = _settings(tmp_path)
    journal = open_journal(settings, create=True, clock=lambda: START)
    journal.initialise("admin", "Admin Istrator")
    journal.execute(c.RegisterService("TP", FIELD_PROGRAMME), actor="admin")
    journal.execute(c.AddStaff("tomas", "Tomáš Malý", Role.WORKER, ["TP"]), actor="admin")
    journal.execute(c.AddStaff("tereza", "Tereza Malá", Role.SUPERVISOR, ["TP"]), actor="admin")
    store = ReadStore(*settings.read_store())
    store.create()
    for projector in all_projectors():
        refresh(journal, store, projector)

    context = multiprocessing.get_context("spawn")
    done, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_projection_worker, args=(settings, names, done, results)) for names in WORKERS
    ]
    for worker in workers:
        worker.start()
    try:
        writer = Writer(journal, store)
        generating = time.perf_counter()
        recorded, retracted = _generate(journal, writer)
        generated = time.perf_counter() - generating
        done.set()
        outcomes = [results.get(timeout=DEADLINE) for _ in workers]
        for worker in workers:
            worker.join(DEADLINE)
    finally:
        done.set()
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join(DEADLINE)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    found = [outcome for _, outcome in outcomes]

    head = Log(journal).head()
    reports = {name: report for outcome in found for name, report in outcome["reports"].items()}
    rebuilt = {name: round(report["seconds"], 1) for name, report in reports.items()}
    print(
        f"\n{head:,} facts; writing {generated:.1f} s (of which {writer.waited:.1f} s waiting for the "
        f"workers); catch-up done {max(o['caught_up'] for o in found):.1f} s after the workers started; "
        f"rebuilds {rebuilt} s; retried after Busy('create'): {sum(o['busy_create'] for o in found)}; "
        f"total {time.perf_counter() - began:.1f} s"
    )
    assert head >= FACTS
    assert len(writer.flushed) > 2 * AHEAD
    assert sorted(reports) == sorted(p.name for p in all_projectors())
    for name, report in reports.items():
        assert (report["compared"], report["differences"], report["swapped"]) == (True, 0, True), (
            name,
            report["samples"],
        )
        assert report["position"] == head
    # Interleaved by construction: after each batch the writer waited until the live tables had
    # the facts of the batch two before it, so catch-ups ran all along, not only at the end.
    assert len(writer.waited_for) == len(writer.flushed) - AHEAD
    assert writer.waited_for[-1] < head
    assert _positions(store) == dict.fromkeys(reports, head)

    # Spot checks: sessions per case = recorded - retracted, in both projections that count them.
    expected = {case: recorded[case] - retracted[case] for case in recorded}
    assert sum(expected.values()) == COHORTS * COHORT * ROUNDS - sum(retracted.values())
    with store.connect() as conn:
        open_cases = OpenCases().tables(_live_generation(conn, "open_cases"))
        query = select(open_cases.cases.c.code, open_cases.cases.c.sessions)
        per_case = {row.code: row.sessions for row in conn.execute(query)}
        assert per_case == expected
        counts = SessionCounts().tables(_live_generation(conn, "session_counts")).counts
        counted = select(counts.c.case, func.sum(counts.c.sessions)).group_by(counts.c.case)
        assert {case: int(n) for case, n in conn.execute(counted)} == expected
        trail = AuditTrail().tables(_live_generation(conn, "audit_trail")).trail
        trail_rows = int(conn.execute(select(func.count()).select_from(trail)).scalar() or 0)
        work = ReportFacts().tables(_live_generation(conn, "report_facts")).work
        worked = select(work.c.case, func.count()).where(work.c.kind == SESSION).group_by(work.c.case)
        assert {case: int(n) for case, n in conn.execute(worked)} == expected
    assert trail_rows == _facts_in_trail(journal)
    store.dispose()
    journal.close()


def _live_generation(conn: Any, name: str) -> int:
    found = live(conn, name)
    assert found is not None
    return found.generation


def _facts_in_trail(journal: Journal) -> int:
    """Facts the audit trail keeps: all but command receipts and the directory's bookkeeping."""
    left_out = tuple(f"{cls.__module__}:{cls.__qualname__.rsplit('.', 1)[0]}." for cls in LEFT_OUT)
    count, after = 0, 0
    while True:
        notifications = journal.recorder.select_notifications(after, limit=10_000, inclusive_of_start=False)
        if not notifications:
            return count
        count += sum(1 for n in notifications if not n.topic.startswith(left_out))
        after = notifications[-1].id
