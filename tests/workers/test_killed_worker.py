"""A worker killed with SIGKILL mid-batch, and restarted: the read models equal a clean rebuild.

A backlog of ten thousand sessions is recorded while no worker runs. A
worker starts catching every projector up from one reading of the log, in
bulk pages; when a projector is part of the way through (several pages
still to go), the whole worker process group is killed with
SIGKILL, mid-page most likely, with no chance to clean up. What it
committed stays, what it had not committed is gone with it; a new worker
applies exactly the rest.
"""

from __future__ import annotations

import signal

import pytest

from projections.tracking import BULK_PAGE
from tests.workers.conftest import BACKENDS, DEADLINE, Site, poll

pytestmark = [pytest.mark.slow, pytest.mark.redis]

CASES = 20
SESSIONS = 5 * BULK_PAGE // 2  # each one a session and a command receipt: five bulk pages of facts
# A worker is killed part of the way through a projector, then the next one too; a third finishes.
KILLS = 2


@pytest.mark.parametrize("site", BACKENDS, indirect=True)
def test_a_worker_killed_mid_batch_and_restarted_leaves_what_a_rebuild_leaves(site: Site) -> None:
    codes = site.open_cases(CASES)
    start = site.positions()
    site.record_sessions(codes, SESSIONS)
    head = site.head()
    assert all(position < head - 4 * BULK_PAGE for position in start.values())

    killed_at = start
    for _kill in range(KILLS):
        before = killed_at
        worker = site.start_worker()

        def part_way(before: dict[str, int] = before) -> list[str]:
            """Projectors this worker moved that still have at least two pages to go."""
            return [n for n, at in site.positions().items() if before[n] < at <= head - 2 * BULK_PAGE]

        caught = poll(part_way, DEADLINE, site.describe, every=0.005)
        worker.kill()
        assert worker.process.returncode == -signal.SIGKILL
        killed_at = site.positions()
        assert any(before[n] < killed_at[n] < head for n in caught), f"killed too late: {killed_at}"

    last = site.start_worker()
    site.wait_caught_up()
    site.assert_equals_a_rebuild()
    # The last worker applied exactly what the killed ones had not committed: nothing twice, nothing lost.
    for name, at in killed_at.items():
        assert last.applied(name) == site.facts_between(at, head), name
