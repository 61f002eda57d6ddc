"""A worker links a long unlinked hash chain in slices, serving the catch-ups queued meanwhile.

After a restore, or imports while no worker ran, the chain may have a
million facts to link. One task linking them all would keep a worker with
one process from catching up anything a user just wrote (read-your-writes
would time out); so a task links one slice and queues the rest behind
whatever arrived meanwhile.
"""

from __future__ import annotations

import re

import pytest

from projections import chain
from tests.workers.conftest import DEADLINE, Site, catch_up_message, poll
from workers.app import CHAIN_SLICE, EXTEND_CHAIN
from workers.nudge import task_message

pytestmark = [pytest.mark.slow, pytest.mark.redis]

LINKED = re.compile(r"hash chain: (\d+) facts linked")
APPLIED = re.compile(r"open_cases: applied \d+ facts")


def test_a_long_chain_is_linked_in_slices_with_a_nudged_catch_up_served_between_them(site: Site) -> None:
    codes = site.open_cases(20)
    while site.head() <= CHAIN_SLICE:
        site.record_sessions(codes, 2_000)
    head = site.head()
    # Queued before the worker starts, in this order: the chain's task, then a write's nudge.
    site.broker.push(task_message(EXTEND_CHAIN, []), catch_up_message("open_cases"))

    worker = site.start_worker(concurrency=1)
    poll(lambda: chain.head(site.store).position == head, DEADLINE, site.describe)
    # A slice is logged just after its commit: wait for the last line, not only the head.
    output = poll(lambda: _linked_in_full(worker.output(), head), DEADLINE, worker.output)
    slices = [int(found) for found in LINKED.findall(output)]
    assert (slices[0], sum(slices)) == (CHAIN_SLICE, head), output
    first_slice, nudge_served = LINKED.search(output), APPLIED.search(output)
    assert first_slice, output
    assert nudge_served, output
    rest = LINKED.search(output, first_slice.end())
    assert rest, output
    assert first_slice.end() < nudge_served.start() < rest.start(), output
    with site.journal() as journal:
        found = chain.verify(journal, site.store)
    assert (found.intact, found.chained) == (True, head)


def _linked_in_full(output: str, head: int) -> str | None:
    """The worker's output once its log accounts for every fact linked, else nothing."""
    return output if sum(int(found) for found in LINKED.findall(output)) >= head else None
