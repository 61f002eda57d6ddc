"""No personal data leaves the journal through the broker or the workers' logs.

Staff record an identified client with a name, a date of birth, an e-mail and
notes while a real Redis and a real worker run. The messages as they wait in
Redis, everything Redis holds afterwards, and the worker's log must not
contain any of it; and the worker keeps no task results.
"""

from __future__ import annotations

import json

import pytest

from tests.workers.conftest import BACKENDS, DEADLINE, WORKER, Site, poll

pytestmark = [pytest.mark.slow, pytest.mark.redis]

NAME = "Bohumila Nezaměnitelná"
PLANTED = (NAME, "Nezaměnitelná", "1979-04-03", "bohumila@example.org", "Důvěrná poznámka", "Ztracenka")


def _everything_in(site: Site) -> bytes:
    """Every key's raw value in the broker's Redis, lists and hashes included."""
    found = []
    with site.broker.client() as redis:
        for key in redis.scan_iter():
            found.append(key)
            kind = redis.type(key)
            if kind == b"list":
                found.extend(redis.lrange(key, 0, -1))
            elif kind == b"hash":
                found.extend(v for pair in redis.hgetall(key).items() for v in pair)
            elif kind == b"set":
                found.extend(redis.smembers(key))
            elif kind == b"zset":
                found.extend(redis.zrange(key, 0, -1))
            elif kind == b"string":
                found.append(redis.get(key) or b"")
    return b"\n".join(found)


@pytest.mark.parametrize("site", BACKENDS, indirect=True)
def test_messages_redis_and_worker_logs_hold_no_personal_data(site: Site) -> None:
    client = site.ok(
        "client", "add", "--name", NAME, "--birth-date", "3.4.1979", "--contact", "bohumila@example.org",
        user=WORKER,
    ).strip()  # fmt: skip
    case = site.ok("case", "open", client, "--service", "IC", "--on", "1.3.2025", user=WORKER).strip()
    site.ok(
        "session", "log", case, "--minutes", "50", "--form", "ambulatory",
        "--activity", "crisis-intervention", "--at", "3.3.2025 10:00",
        "--note", "Důvěrná poznámka o Ztracence", user=WORKER,
    )  # fmt: skip
    queued = _everything_in(site)
    assert site.broker.queued() > 0  # the nudges are really waiting there, no worker yet
    for text in PLANTED:
        assert text.encode() not in queued

    worker = site.start_worker()
    worker.wait_ready()
    (row,) = [r for r in json.loads(site.ok("cases", "--json", user=WORKER)) if r["code"] == case]
    assert row["sessions"] == 1  # the worker did its work, over the personal facts
    site.wait_caught_up()
    site.ok(
        "client", "show", client, "--purpose", "check", user=WORKER
    )  # a read, logged nowhere but the journal
    site.ok("history", case, user=WORKER)

    # The log is really there and says what it did (a line written just after the commit).
    logged = poll(lambda: _having(worker.output(), "applied"), DEADLINE, worker.output)
    held = _everything_in(site)
    for text in PLANTED:
        assert text not in logged
        assert text.encode() not in held
    assert b"celery-task-meta" not in held  # no results kept


def _having(output: str, text: str) -> str | None:
    return output if text in output else None
