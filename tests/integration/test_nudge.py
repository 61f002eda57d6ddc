"""The nudge a write sends: Celery's own message format, over a plain socket, to the real Redis."""

from __future__ import annotations

import base64
import json
import socket
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.conftest import settings_for
from workers.nudge import CATCH_UP, QUEUE, NudgeFailed, last_write, nudge, remember_write, task_message

pytestmark = pytest.mark.redis

# A database of its own, so that nothing else on the local Redis sees these messages.
DATABASE = 13


@pytest.fixture
def broker(redis_server: str) -> redis.Redis:
    url = redis_server.rsplit("/", 1)[0] + f"/{DATABASE}"
    client = redis.Redis.from_url(url)
    client.delete(QUEUE)
    yield client
    client.delete(QUEUE)
    client.close()


def _url(client: redis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs['db']}"


def test_the_nudge_is_the_message_celerys_own_send_task_puts_in_redis(broker: redis.Redis) -> None:
    celery = Celery("compare", broker=_url(broker))
    celery.conf.task_default_queue = QUEUE
    celery.send_task(CATCH_UP, args=("open_cases",), ignore_result=True)
    theirs = json.loads(broker.rpop(QUEUE))
    ours = json.loads(task_message(CATCH_UP, ["open_cases"]))

    def shape(message: dict) -> dict:
        headers = {k: v for k, v in message["headers"].items() if k not in ("id", "root_id", "origin")}
        properties = {
            k: v
            for k, v in message["properties"].items()
            if k not in ("correlation_id", "delivery_tag", "reply_to")
        }
        body = json.loads(base64.b64decode(message["body"]))
        rest = {k: v for k, v in message.items() if k not in ("headers", "properties", "body")}
        return {"headers": headers, "properties": properties, "body": body, **rest}

    assert shape(ours) == shape(theirs)
    assert ours["headers"]["id"] == ours["headers"]["root_id"] == ours["properties"]["correlation_id"]
    uuid.UUID(ours["properties"]["delivery_tag"])


def test_a_nudge_pushes_one_catch_up_per_projection_into_the_chosen_database(broker: redis.Redis) -> None:
    nudge(_url(broker), ["open_cases", "findings"])
    pushed = [json.loads(m) for m in broker.lrange(QUEUE, 0, -1)]
    assert sorted(json.loads(base64.b64decode(m["body"]))[0][0] for m in pushed) == ["findings", "open_cases"]
    assert {m["headers"]["task"] for m in pushed} == {CATCH_UP}


def test_a_nudge_carries_no_personal_data_only_projection_names(broker: redis.Redis) -> None:
    nudge(_url(broker), ["open_cases"])
    (raw,) = broker.lrange(QUEUE, 0, -1)
    message = json.loads(raw)
    assert json.loads(base64.b64decode(message["body"]))[:2] == [["open_cases"], {}]
    assert message["headers"]["argsrepr"] == "('open_cases',)"


def test_a_broker_that_is_not_there_fails_the_nudge_at_once() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(NudgeFailed):
        nudge(f"redis://127.0.0.1:{port}/0", ["open_cases"])
    assert time.perf_counter() - started < 2


def test_a_broker_that_refuses_the_command_fails_the_nudge(broker: redis.Redis) -> None:
    kwargs = broker.connection_pool.connection_kwargs
    with pytest.raises(NudgeFailed, match=r"(?i)invalid|out of range|ERR"):
        nudge(f"redis://{kwargs['host']}:{kwargs['port']}/99999", ["open_cases"])


def test_the_last_write_is_remembered_per_user(tmp_path: Path) -> None:
    eva, petr = settings_for(tmp_path, user="eva"), settings_for(tmp_path, user="petr")
    assert last_write(eva) == 0
    remember_write(eva, 41)
    remember_write(eva, 42)
    remember_write(petr, 7)
    assert (last_write(eva), last_write(petr)) == (42, 7)
