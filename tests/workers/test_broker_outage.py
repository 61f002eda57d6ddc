"""Redis stops while staff keep writing: the writes go on, and the projections catch up when it is back.

The journal, not Redis, is the truth: a write that cannot nudge says so in a
note and succeeds. Redis comes back empty (it keeps nothing on disk) on the
same port; the worker reconnects, and the beat's catch-up (the safety net
under lost nudges) and the next write's nudge bring the read models to
the head.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import assert_one_error_line
from tests.workers.conftest import DEADLINE, WORKER, Site, poll

pytestmark = [pytest.mark.slow, pytest.mark.redis]

CASES = 3


def test_writes_go_on_while_redis_is_down_and_the_workers_catch_up_when_it_is_back(site: Site) -> None:
    codes = site.open_cases(CASES)
    worker = site.start_worker()
    beat = site.start_beat()
    worker.wait_ready()
    code, _out, err = site.log_session(codes[0])
    assert (code, err) == (0, ""), err
    site.wait_caught_up()

    site.broker.stop()
    for case in codes * 2:
        code, out, err = site.log_session(case)
        assert code == 0, err
        assert out.startswith(f"{case}#")
        assert err.startswith("Note: recorded, but the workers could not be told"), err
        assert err.count("\n") == 1, err
    site.record_sessions(codes, 300)  # and more, from elsewhere, with no nudge at all
    # A read meanwhile cannot have the workers catch up: it says so, within its bound.
    code, out, err = site.kronika("cases", user=WORKER, KRONIKA_WAIT_SECONDS="1")
    assert (code, out) == (1, "")
    assert_one_error_line(err)
    assert "the broker did not answer" in err
    assert not site.caught_up()
    # The beat's catch-up comes due while Redis is away: the beat keeps trying to connect.
    poll(lambda: "beat: Connection error" in beat.output(), DEADLINE, site.describe)
    assert beat.process.poll() is None

    site.broker.start(same_port=True)
    # Nobody writes or reads: the worker reconnects and the beat's catch-up brings everything in.
    site.wait_caught_up()
    site.assert_equals_a_rebuild()

    # And the next write's nudge reaches the reconnected worker.
    code, _out, err = site.log_session(codes[1])
    assert (code, err) == (0, ""), err
    code, out, err = site.kronika("cases", "--json", user=WORKER)
    assert (code, err) == (0, ""), f"{err}\n{site.logs()}"
    assert {row["code"]: row["sessions"] for row in json.loads(out)} == dict(site.expected)
    site.wait_caught_up()  # the read waited for open cases only; the others follow the same nudge
    site.assert_equals_a_rebuild()
