"""Duplicated, lost and reordered nudges change nothing: the truth is the journal, not the messages.

A nudge only says "catch this projector up"; what to apply is read from the
journal after the projector's own position. So the same message delivered
thirty times, catch-ups in any order, a rebuild among them, a message for a
projector that does not exist, and writes whose nudge never reached Redis
all end in the rows a clean rebuild makes, with every session counted once.
"""

from __future__ import annotations

import json
import random

import pytest

from tests.workers.conftest import DEADLINE, PROJECTORS, WORKER, Site, catch_up_message, free_port, poll
from workers.app import REBUILD_ALL
from workers.nudge import task_message

pytestmark = [pytest.mark.slow, pytest.mark.redis]

CASES = 10


def test_duplicated_reordered_and_lost_nudges_leave_what_a_rebuild_leaves(site: Site) -> None:
    rng = random.Random(20250301)
    codes = site.open_cases(CASES)

    # Lost: staff write while Redis is away and no worker runs; more is recorded with no nudge at all.
    site.broker.stop()
    for case in codes[:3]:
        code, _out, err = site.log_session(case)
        assert code == 0, err
        assert err.startswith("Note: recorded, but the workers could not be told"), err
    site.record_sessions(codes, 1000)
    site.broker.start(same_port=True)

    # Duplicated (the very same message, same task id), reordered, a rebuild among them, and one
    # for a projection that does not exist: all waiting before any worker runs.
    same = catch_up_message("session_counts")
    waiting = [same] * 30 + [catch_up_message(name) for name in PROJECTORS * 5]
    waiting += [task_message(REBUILD_ALL, []), catch_up_message("no_such_projection")]
    rng.shuffle(waiting)
    site.broker.push(*waiting)
    worker = site.start_worker(concurrency=2)
    worker.wait_ready()

    # While it works through them, more sessions, more duplicates, more shuffles.
    for _round in range(3):
        site.record_sessions(codes, 400)
        more = [same] * 10 + [catch_up_message(name) for name in rng.sample(PROJECTORS, len(PROJECTORS))] * 3
        rng.shuffle(more)
        site.broker.push(*more)
        poll(lambda: site.broker.queued() == 0, DEADLINE, site.describe)  # taken; some still running

    site.wait_caught_up(idle=True)
    assert "no projection named 'no_such_projection'; message dropped" in worker.output()
    site.assert_equals_a_rebuild()
    assert sum(site.expected.values()) == 3 + 1000 + 3 * 400


def test_a_write_whose_nudge_was_lost_is_caught_up_by_the_next_read(site: Site) -> None:
    (case,) = site.open_cases(1)
    site.start_worker().wait_ready()
    site.wait_caught_up(idle=True)
    nobody = f"redis://127.0.0.1:{free_port()}/0"  # the write's nudge goes nowhere
    code, _out, err = site.log_session(case, broker_url=nobody)
    assert code == 0, err
    assert err.startswith("Note: recorded"), err
    # The read nudges once itself when the workers do not include the write soon.
    code, out, err = site.kronika("cases", "--json", user=WORKER, KRONIKA_WAIT_SECONDS="10")
    assert (code, err) == (0, ""), f"{err}\n{site.logs()}"
    assert [(row["code"], row["sessions"]) for row in json.loads(out)] == [(case, 1)]
    site.wait_caught_up()  # the read waited for open cases only; its nudge reached every projection
    site.assert_equals_a_rebuild()
