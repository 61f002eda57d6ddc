"""After a write: remember its position, and nudge the workers to catch up.

This runs at the end of every write command, so it must cost next to
nothing: importing Celery costs ~340 ms and redis-py ~80 ms, more than the
write itself. The nudge is therefore a Celery task message (protocol 2, the
format Celery's own ``send_task`` puts into Redis; a test compares the two
and a real worker consumes it) pushed with one pipelined Redis command over
a plain socket. A lost nudge loses nothing: the beat's frequent catch-up
and the next nudge find the same work, because the truth is the journal.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from workers.settings import Settings

if TYPE_CHECKING:
    import socket

QUEUE = "kronika"
CATCH_UP = "kronika.catch_up"
TIMEOUT = 0.5
# The projectors a write nudges (``projections.catalogue`` is not imported here: it loads SQLAlchemy).
PROJECTORS = ["open_cases", "session_counts", "audit_trail", "findings", "report_facts"]


class NudgeFailed(Exception):
    """The broker could not be reached or refused the nudge."""


class NotCaughtUp(Exception):
    """With a broker, the workers did not bring the projections to the caller's last write in time."""

    def __init__(self, position: int, waited: float, nudge_failed: str | None) -> None:
        super().__init__(position)
        self.position = position
        self.waited = waited
        self.nudge_failed = nudge_failed


# -- the caller's last write --------------------------------------------------------


def _position_file(settings: Settings) -> Path:
    return settings.data_dir / "last-write" / settings.user


def remember_write(settings: Settings, position: int) -> None:
    """Keep the position of this user's last write, so their next read can wait for it."""
    path = _position_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_suffix(f".{os.getpid()}")
    temporary.write_text(str(position))
    temporary.replace(path)


def last_write(settings: Settings) -> int:
    """The position of this user's last write from this machine (0 if none)."""
    try:
        return int(_position_file(settings).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def highest_write(settings: Settings) -> int:
    """The highest position any user's last write from this machine reached (0 if none).

    ``kronika audit verify`` checks the log still reaches it: a fact removed
    from the end of the log before the hash chain reached it shows there.
    """
    highest = 0
    try:
        files = list((settings.data_dir / "last-write").iterdir())
    except OSError:
        return 0
    for path in files:
        try:
            highest = max(highest, int(path.read_text().strip() or 0))
        except (OSError, ValueError):
            continue
    return highest


def forget_writes(settings: Settings) -> None:
    """A journal created or restored here starts afresh: the last writes remembered were elsewhere."""
    try:
        files = list((settings.data_dir / "last-write").iterdir())
    except OSError:
        return
    for path in files:
        path.unlink(missing_ok=True)


# -- the nudge ----------------------------------------------------------------------


def task_message(task: str, args: list[object], queue: str = QUEUE) -> bytes:
    """A Celery protocol-2 task message as kombu stores it in a Redis list."""
    task_id = str(uuid.uuid4())
    body = json.dumps([args, {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}])
    message = {
        "body": base64.b64encode(body.encode()).decode(),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {
            "lang": "py",
            "task": task,
            "id": task_id,
            "shadow": None,
            "eta": None,
            "expires": None,
            "group": None,
            "group_index": None,
            "retries": 0,
            "timelimit": [None, None],
            "root_id": task_id,
            "parent_id": None,
            "argsrepr": repr(tuple(args)),
            "kwargsrepr": "{}",
            "origin": "kronika-cli",
            "ignore_result": True,
            "replaced_task_nesting": 0,
            "stamped_headers": None,
            "stamps": {},
        },
        "properties": {
            "correlation_id": task_id,
            "reply_to": "",
            "delivery_mode": 2,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": str(uuid.uuid4()),
        },
    }
    return json.dumps(message).encode()


def nudge(broker_url: str, projectors: list[str]) -> None:
    """Ask the workers to catch each projector up; raise ``NudgeFailed`` if the broker is away."""
    messages = [task_message(CATCH_UP, [name]) for name in projectors]
    parts = urlparse(broker_url)
    if parts.scheme != "redis":
        _nudge_with_redis_py(broker_url, messages)
        return
    commands: list[list[bytes]] = []
    if parts.password:
        user = [unquote(parts.username).encode()] if parts.username else []
        commands.append([b"AUTH", *user, unquote(parts.password).encode()])
    database = parts.path.strip("/") or "0"
    if database != "0":
        commands.append([b"SELECT", database.encode()])
    commands.append([b"LPUSH", QUEUE.encode(), *messages])
    import socket  # only when there are workers to nudge

    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), TIMEOUT) as conn:
            conn.sendall(b"".join(_resp(command) for command in commands))
            replies = _read_replies(conn, len(commands))
    except OSError as error:
        raise NudgeFailed(f"{parts.hostname}:{parts.port or 6379}: {error.strerror or error}") from None
    for reply in replies:
        if reply.startswith(b"-"):
            raise NudgeFailed(reply[1:].decode(errors="replace"))


def _resp(command: list[bytes]) -> bytes:
    """One command in the Redis serialisation protocol (RESP)."""
    out = [b"*%d\r\n" % len(command)]
    for argument in command:
        out.append(b"$%d\r\n%s\r\n" % (len(argument), argument))
    return b"".join(out)


def _read_replies(conn: socket.socket, count: int) -> list[bytes]:
    """The first line of each of ``count`` simple replies (+OK, :N or -ERR ...)."""
    data = b""
    while data.count(b"\r\n") < count:
        chunk = conn.recv(4096)
        if not chunk:
            raise NudgeFailed("the broker closed the connection")
        data += chunk
    return data.split(b"\r\n")[:count]


def _nudge_with_redis_py(broker_url: str, messages: list[bytes]) -> None:
    import redis

    try:
        client = redis.Redis.from_url(broker_url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        client.lpush(QUEUE, *messages)
    except (redis.RedisError, ValueError) as error:
        raise NudgeFailed(str(error)) from None
