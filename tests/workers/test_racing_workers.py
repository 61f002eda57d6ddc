"""Workers racing on the same projector, on PostgreSQL: every session is counted exactly once.

A page of facts and the projector's new position are committed together,
and the position moves only by compare-and-set: of two catch-ups that read
the same page, one commits it and the other looks again. So the facts each
racer reports to have applied add up to exactly the facts in the journal,
and the rows are those of a clean rebuild.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workers.conftest import (
    DEADLINE,
    POSTGRES_ONLY,
    PROJECTORS,
    Site,
    catch_up_message,
    poll,
)

pytestmark = [pytest.mark.slow, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
CASES = 20
SESSIONS = 2500  # 5,000 facts
RACERS = 4

# One racer: opens its own journal and read store, says "ready", waits for "go", catches up.
RACER = r"""
import json, sys
from pathlib import Path

from projections.catalogue import projector_named
from projections.tracking import catch_up
from workers.journal import open_journal
from workers.projecting import open_read_store
from workers.settings import Settings

job = json.loads(sys.argv[1])
settings = Settings(
    data_dir=Path(job["data_dir"]), database_url=job["database_url"], broker_url=None,
    language="en", timezone="Europe/Prague", user="admin",
)
journal, store = open_journal(settings), open_read_store(settings)
projector = projector_named(job["projector"])
with store.connect():
    pass
print("ready", flush=True)
sys.stdin.readline()
applied = catch_up(journal, store, projector, page_size=job["page_size"])
journal.close()
store.dispose()
print(json.dumps({"applied": applied}), flush=True)
"""


@pytest.mark.parametrize("site", POSTGRES_ONLY, indirect=True)
def test_two_worker_processes_racing_on_each_projector_count_every_session_once(site: Site) -> None:
    codes = site.open_cases(CASES)
    workers = [site.start_worker(), site.start_worker()]
    for worker in workers:
        worker.wait_ready()
    site.wait_caught_up(idle=True)  # both idle, each waiting on Redis for one message
    start = site.positions()
    site.record_sessions(codes, SESSIONS)
    head = site.head()
    marks = [worker.mark() for worker in workers]

    # Two catch-ups of the same projector at once, one for each idle worker; projector after projector.
    def finished() -> list[int]:
        return [w.output()[m:].count("] succeeded in ") for w, m in zip(workers, marks, strict=True)]

    for pairs, name in enumerate(PROJECTORS, start=1):
        site.broker.push(catch_up_message(name), catch_up_message(name))

        def both_done(pairs: int = pairs) -> bool:
            return sum(finished()) == 2 * pairs

        poll(both_done, DEADLINE, site.describe)
        assert finished() == [pairs, pairs], f"{name}: one worker took both messages"
    assert site.caught_up(), site.describe()

    site.assert_equals_a_rebuild()
    for name in PROJECTORS:
        shares = [worker.applied(name, since) for worker, since in zip(workers, marks, strict=True)]
        # Which worker committed how many pages varies (the first to commit tends to stay ahead).
        assert sum(shares) == site.facts_between(start[name], head), (name, shares)


@pytest.mark.parametrize("site", POSTGRES_ONLY, indirect=True)
def test_processes_catching_up_one_projector_at_once_apply_each_fact_once(site: Site) -> None:
    codes = site.open_cases(CASES)
    start = site.positions()["session_counts"]
    site.record_sessions(codes, SESSIONS)
    head = site.head()

    job: dict[str, object] = {"data_dir": str(site.data_dir), "database_url": site.database_url}
    job |= {"projector": "session_counts", "page_size": 100}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, json.dumps(job)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(RACERS)
    ]
    try:
        for racer in racers:
            assert racer.stdout is not None
            line = racer.stdout.readline()
            assert line.strip() == "ready", racer.stderr.read() if racer.stderr else line
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        shares = []
        for racer in racers:
            out, err = racer.communicate(timeout=DEADLINE)
            assert racer.returncode == 0, err
            shares.append(json.loads(out.strip().splitlines()[-1])["applied"])
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()

    assert sum(shares) == site.facts_between(start, head), shares
    assert sum(1 for share in shares if share) >= 2, f"the racers did not race: {shares}"
    # The other projectors by a worker, then the whole comparison.
    site.start_worker()
    site.wait_caught_up()
    site.assert_equals_a_rebuild()
