"""Done when: with ``kronika worker`` running, a session logged from the CLI shows in ``kronika cases``.

No manual step: the write nudges the workers and the read waits (within
``KRONIKA_WAIT_SECONDS``) until they include it. With a broker but no worker,
the read gives up after the bound in one line that says what to start.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e.conftest import assert_one_error_line
from tests.workers.conftest import BACKENDS, WORKER, Site

pytestmark = [pytest.mark.slow, pytest.mark.redis]

WAIT = 10  # seconds: the default bound, set explicitly


@pytest.mark.parametrize("site", BACKENDS, indirect=True)
def test_a_session_logged_from_the_cli_shows_in_cases_with_a_worker_running(site: Site) -> None:
    (case,) = site.open_cases(1)
    site.start_worker().wait_ready()
    for n in (1, 2, 3):
        code, out, err = site.log_session(case)
        assert (code, err) == (0, ""), err
        assert out.strip() == f"{case}#{n + 1}"  # entry 1 is the opening
        started = time.monotonic()
        code, out, err = site.kronika("cases", "--json", user=WORKER, KRONIKA_WAIT_SECONDS=str(WAIT))
        took = time.monotonic() - started
        assert (code, err) == (0, ""), f"{err}\n{site.logs()}"
        assert took < WAIT, f"kronika cases took {took:.1f} s"
        (row,) = json.loads(out)
        assert (row["code"], row["sessions"]) == (case, n)
    shown = json.loads(site.ok("case", "show", case, "--json", user=WORKER))
    assert sum(month["sessions"] for month in shown["sessions_by_month"]) == 3
    assert "Sessions" in site.ok("cases", user=WORKER)  # the table a person reads, too
    site.wait_caught_up()  # the reads waited for what they read; the rest follow the same nudges
    site.assert_equals_a_rebuild()


@pytest.mark.parametrize("broker_up", [True, False], ids=["redis-up", "redis-down"])
def test_with_a_broker_but_no_worker_cases_fails_after_the_wait_in_one_line(
    site: Site, broker_up: bool
) -> None:
    (case,) = site.open_cases(1)
    if not broker_up:
        site.broker.stop()
    code, _out, err = site.log_session(case)
    assert code == 0, err  # the write is recorded either way
    if broker_up:
        assert err == ""
    else:
        assert err.startswith("Note: recorded, but the workers could not be told"), err
        assert err.count("\n") == 1, err
    started = time.monotonic()
    code, out, err = site.kronika("cases", user=WORKER, KRONIKA_WAIT_SECONDS="1")
    took = time.monotonic() - started
    assert (code, out) == (1, "")
    assert_one_error_line(err)
    assert "within 1 s" in err
    assert "kronika worker" in err
    assert ("the broker did not answer" in err) is not broker_up, err
    assert 1 <= took < 8, f"kronika cases took {took:.1f} s"
