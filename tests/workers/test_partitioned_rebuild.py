"""The nightly rebuild shared out across worker processes: parts rebuilt at once, nothing drifts.

``rebuild_all`` with ``parts`` above one sends one ``rebuild_part`` message
per part; a worker with two processes takes one part in each, and both
rebuild their projectors at the same time. The result is exactly what one
rebuild gives: every projector swapped to a fresh generation, no
difference found, the counts right.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from projections.store import rebuilds
from tests.workers.conftest import BACKENDS, DEADLINE, PROJECTORS, Site, poll
from workers.app import REBUILD_ALL, share_out
from workers.nudge import task_message

pytestmark = [pytest.mark.slow, pytest.mark.redis]

CASES = 10
SESSIONS = 2000  # 4,000 facts: each part takes a few seconds, long enough to see them overlap
PARTS = 2


def rebuilt_since(site: Site, last_id: int) -> list[dict[str, Any]]:
    with site.store.connect() as conn:
        found = conn.execute(select(rebuilds).where(rebuilds.c.id > last_id).order_by(rebuilds.c.id))
        return [dict(row) for row in found.mappings()]


def last_rebuild_id(site: Site) -> int:
    return max((row["id"] for row in rebuilt_since(site, 0)), default=0)


def generations(site: Site) -> dict[str, int]:
    from projections.tracking import live

    with site.store.connect() as conn:
        found = {name: live(conn, name) for name in PROJECTORS}
    return {name: at.generation for name, at in found.items() if at is not None}


@pytest.mark.parametrize("site", BACKENDS, indirect=True)
def test_a_rebuild_in_parts_runs_on_several_worker_processes_at_once_and_equals_one_rebuild(
    site: Site,
) -> None:
    codes = site.open_cases(CASES)
    site.record_sessions(codes, SESSIONS)
    site.start_worker(concurrency=PARTS).wait_ready()
    site.wait_caught_up(idle=True)
    before, last_id = generations(site), last_rebuild_id(site)

    site.broker.push(task_message(REBUILD_ALL, [True, PARTS]))
    poll(
        lambda: len(rebuilt_since(site, last_id)) == len(PROJECTORS),
        DEADLINE,
        lambda: f"rebuilt so far: {rebuilt_since(site, last_id)}\n{site.logs()}",
        every=0.1,
    )

    done = {row["projector"]: row for row in rebuilt_since(site, last_id)}
    assert sorted(done) == sorted(PROJECTORS)
    for name, row in done.items():
        assert row["differences"] == 0, (name, row["detail"])
        assert row["detail"]["swapped"] is True, name
    after = generations(site)
    assert all(after[name] != before[name] for name in PROJECTORS), (before, after)

    # Each part was rebuilt in its own stretch of time; the stretches overlap: they ran at once.
    spans: list[tuple[datetime, datetime]] = []
    for part in share_out(PROJECTORS, PARTS):
        spans.append((min(done[n]["started_at"] for n in part), max(done[n]["finished_at"] for n in part)))
    (first_start, first_end), (second_start, second_end) = spans
    overlap = min(first_end, second_end) - max(first_start, second_start)
    assert overlap.total_seconds() > 0, f"the parts ran one after the other: {spans}"

    site.assert_equals_a_rebuild()


def test_the_projectors_are_dealt_out_into_parts_each_in_exactly_one() -> None:
    for parts in range(1, len(PROJECTORS) + 2):
        dealt = share_out(PROJECTORS, parts)
        assert len(dealt) == min(parts, len(PROJECTORS))
        assert all(dealt), dealt
        assert sorted(name for part in dealt for name in part) == sorted(PROJECTORS)
