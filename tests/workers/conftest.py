"""The real thing: a private ``redis-server``, ``kronika worker`` processes, and staff using the CLI.

Every test gets a Redis server of its own on a free port (the shared Redis on
6379 is never touched, let alone stopped), so it may stop and start it at
will. Workers and the beat are started as an operator starts them, the
installed ``kronika`` script in a session of its own; whatever a test does,
their process groups are killed at teardown. Nothing here sleeps to
synchronise: everything waits for a condition, with a deadline.

"Equal to a clean rebuild" means ``kronika projections rebuild --verify
--json`` finds no difference in any projector, compared at the journal's
head, and the numbers a test expects (sessions per case, session totals,
sessions in the audit trail) are exactly right.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis
from sqlalchemy import func, select

from domain import commands as c
from domain.journal import Journal
from domain.vocabulary import Activity, Form
from projections.audit_trail import AuditTrail
from projections.catalogue import all_projectors
from projections.queries import live_tables
from projections.session_counts import SessionCounts
from projections.store import ReadStore
from projections.tracking import live
from tests.conftest import ADMIN, _service_missing
from tests.integration.conftest import Office
from workers.journal import open_journal
from workers.nudge import CATCH_UP, QUEUE, task_message
from workers.projecting import open_read_store, set_up
from workers.settings import Settings

REDIS_SERVER = shutil.which("redis-server")
SCRIPT = Path(sys.executable).parent / "kronika"
PROJECTORS = [p.name for p in all_projectors()]
# Who records the backlog's sessions: a worker of the intervention centre (no session limit).
WORKER = "petr"
SERVICE = "IC"
MINUTES = 30
# A bound for anything that should take seconds; generous, because CI has two cores for everything.
DEADLINE = 90.0
SAVE_EVERY = 1_000  # sessions in one save of ``Site.record_sessions``
# Kombu keeps a delivered, not yet acknowledged message here until it is acknowledged.
UNACKED = "unacked"

T = TypeVar("T")
Outcome = tuple[int, str, str]


def poll(
    what: Callable[[], T | None], deadline: float, describe: Callable[[], str], every: float = 0.02
) -> T:
    """Call ``what`` until it answers something truthy; fail with ``describe()`` after ``deadline`` s."""
    end = time.monotonic() + deadline
    while True:
        found = what()
        if found:
            return found
        if time.monotonic() >= end:
            pytest.fail(f"not within {deadline:g} s: {describe()}", pytrace=False)
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"({path.name}: nothing written)"
    return f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:])


# -- the broker -------------------------------------------------------------------------------


class PrivateRedis:
    """A ``redis-server`` of this test's own, without persistence; ``stop`` and ``start`` at will."""

    def __init__(self, directory: Path) -> None:
        assert REDIS_SERVER is not None
        self.binary: str = REDIS_SERVER
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.directory / f"redis-{self.port}.log"

    def start(self, *, same_port: bool = False) -> None:
        """Start it (again); on a fresh start a port someone took meanwhile is swapped for another."""
        assert self.process is None, "already running"
        for _attempt in range(5):
            self.starts += 1
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)],
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            if self._answers():
                return
            self._end()
            if same_port:
                break
            self.port = free_port()
        pytest.fail(f"redis-server did not start on port {self.port}\n{tail(self.log)}", pytrace=False)

    def _answers(self) -> bool:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return True
            time.sleep(0.01)
        return False

    def stop(self) -> None:
        """Stop the server (everything in it is lost: it keeps nothing on disk)."""
        self._end()

    def _end(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @contextmanager
    def client(self) -> Iterator[redis.Redis]:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, socket_connect_timeout=5)
        try:
            yield client
        finally:
            client.close()

    def push(self, *messages: bytes) -> None:
        """Put raw task messages into the workers' queue, as a write's nudge does."""
        with self.client() as client:
            client.lpush(QUEUE, *messages)

    def queued(self) -> int:
        with self.client() as client:
            return int(client.llen(QUEUE))

    def idle(self) -> bool:
        """Nothing queued and nothing delivered but not yet acknowledged."""
        with self.client() as client:
            return client.llen(QUEUE) == 0 and client.hlen(UNACKED) == 0


def catch_up_message(name: str) -> bytes:
    return task_message(CATCH_UP, [name])


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A running Redis server of this test's own (stopped at teardown)."""
    if REDIS_SERVER is None:
        _service_missing("Redis", "no redis-server to start a private one; apt-get install redis-server")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


# -- worker processes -------------------------------------------------------------------------


@dataclass
class Process:
    """A ``kronika worker`` or ``kronika beat``: its own process group, its output in a file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group (the main process and its pool), and reap the main process."""
        if self.process.returncode is not None:
            return  # reaped already: its group id may belong to someone else by now
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def wait_ready(self, deadline: float = DEADLINE) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.process.returncode}\n{tail(self.log)}")
            return re.search(r"celery@\S+ ready\.", self.output()) is not None

        poll(ready, deadline, lambda: f"{self.name} is not ready\n{tail(self.log)}", every=0.05)

    def applied(self, projector: str, since: int = 0) -> int:
        """The facts this worker's tasks applied to ``projector``'s live tables, from its log.

        ``since``: only what it logged after that many characters of output (see ``mark``).
        """
        logged = self.output()[since:]
        return sum(int(n) for n in re.findall(rf"\] {projector}: applied (\d+) facts", logged))

    def mark(self) -> int:
        """Where its output ends now, for ``applied(since=...)``."""
        return len(self.output())


# -- an installation ------------------------------------------------------------------------


@dataclass
class Backlog:
    """What a test recorded through the domain: sessions per case code."""

    sessions: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.sessions.values())


class Site:
    """One installation: its journal and read store, its broker, its workers, its staff at the CLI."""

    def __init__(self, tmp_path: Path, database_url: str | None, broker: PrivateRedis) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.broker = broker
        self.data_dir = tmp_path / "kronika-data"
        self.settings = Settings(
            data_dir=self.data_dir,
            database_url=database_url,
            broker_url=None,
            language="en",
            timezone="Europe/Prague",
            user=ADMIN,
        )
        self.processes: list[Process] = []
        self.expected: Counter[str] = Counter()  # sessions per case, as recorded
        self._journal: Journal | None = None
        self._store: ReadStore | None = None
        self._sessions_logged = 0

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    # -- setting up ---------------------------------------------------------------------------

    def init(self) -> None:
        """What ``kronika init`` does, plus the usual office: services SOS and IC, their staff."""
        journal = open_journal(self.settings, create=True)
        try:
            assert journal.initialise(ADMIN, "Admin Istrator")
            Office(journal).setup()
            set_up(self.settings, journal)
        finally:
            journal.close()

    def open_cases(self, count: int) -> list[str]:
        """Open ``count`` cases at the intervention centre, 400 days ago; their codes."""
        with self.journal() as journal:
            office = Office(journal)
            codes = [office.case(actor=WORKER, service=SERVICE, days_ago=400) for _ in range(count)]
        for code in codes:
            self.expected[code] += 0
        return codes

    def record_sessions(self, codes: list[str], count: int) -> Backlog:
        """``count`` sessions over ``codes``, saved through the domain a thousand at a time: no nudge, no CLI.

        Sessions start a minute after the last one ends, oldest first, so that no two overlap: the findings
        projector's capacity rule costs up to the cube of the sessions that overlap each other. (In one
        save of several thousand, an 11 MB pipeline of psycopg 3.3.9, the test once hung: the server
        waiting for the rest of the pipeline, the client for its results.)
        """
        backlog = Backlog()
        with self.journal() as journal, journal.batch() as batch:
            start = journal.clock() - timedelta(days=350)
            for n in range(count):
                code = codes[n % len(codes)]
                at = start + timedelta(minutes=(MINUTES + 1) * (self._sessions_logged + n))
                command = c.LogSession(
                    code, MINUTES, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION], occurred_at=at
                )
                batch.run(command, actor=WORKER)
                backlog.sessions[code] += 1
                if (n + 1) % SAVE_EVERY == 0:
                    batch.flush()
            batch.flush()
        self._sessions_logged += count
        self.expected.update(backlog.sessions)
        return backlog

    # -- the CLI --------------------------------------------------------------------------------

    def env(self, user: str = ADMIN, broker_url: str | None = "", **extra: str) -> dict[str, str]:
        """A user's environment: this site's settings; the site's broker unless told otherwise."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
        env.update(
            KRONIKA_DATA_DIR=str(self.data_dir),
            KRONIKA_USER=user,
            KRONIKA_LANG="en",
            KRONIKA_TIMEZONE="Europe/Prague",
            PYTHONUNBUFFERED="1",
        )
        if self.database_url:
            env["KRONIKA_DATABASE_URL"] = self.database_url
        broker = self.broker.url if broker_url == "" else broker_url
        if broker:
            env["KRONIKA_BROKER_URL"] = broker
        env.update(extra)
        return env

    def kronika(
        self, *args: str, user: str = ADMIN, broker_url: str | None = "", timeout: float = 120, **extra: str
    ) -> Outcome:
        """Run the installed ``kronika`` script as a user would; (exit code, stdout, stderr)."""
        done = subprocess.run(  # noqa: PLW1510 - the exit code is what is tested
            [str(SCRIPT), *args],
            env=self.env(user, broker_url, **extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return done.returncode, done.stdout, done.stderr

    def ok(self, *args: str, user: str = ADMIN, **extra: Any) -> str:
        """Run a command that must succeed without a word on stderr; its stdout."""
        code, out, err = self.kronika(*args, user=user, **extra)
        assert (code, err) == (0, ""), f"kronika {' '.join(args)} exited {code}: {err}\n{self.logs()}"
        return out

    def log_session(self, case: str, user: str = WORKER, **extra: Any) -> Outcome:
        """``kronika session log`` from the CLI; counted as expected when it succeeds."""
        outcome = self.kronika(
            "session", "log", case, "--minutes", str(MINUTES), "--form", "ambulatory",
            "--activity", "crisis-intervention", user=user, **extra,
        )  # fmt: skip
        if outcome[0] == 0:
            self.expected[case] += 1
        return outcome

    # -- workers --------------------------------------------------------------------------------

    def start(self, command: str, *args: str, user: str = ADMIN) -> Process:
        name = f"{command}-{len(self.processes) + 1}"
        log = self.tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(SCRIPT), command, *args],
                env=self.env(user),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started = Process(name, process, log)
        self.processes.append(started)
        return started

    def start_worker(self, concurrency: int = 1) -> Process:
        return self.start("worker", "--concurrency", str(concurrency))

    def start_beat(self) -> Process:
        return self.start("beat")

    def kill_all(self) -> None:
        for process in self.processes:
            process.kill()

    def logs(self) -> str:
        return "\n".join(tail(p.log) for p in self.processes)

    # -- the stores, read here directly -----------------------------------------------------------

    @contextmanager
    def journal(self) -> Iterator[Journal]:
        journal = open_journal(self.settings)
        try:
            yield journal
        finally:
            journal.close()

    @property
    def store(self) -> ReadStore:
        if self._store is None:
            self._store = open_read_store(self.settings)
        return self._store

    def head(self) -> int:
        if self._journal is None:
            self._journal = open_journal(self.settings)
        return int(self._journal.recorder.max_notification_id() or 0)

    def facts_between(self, after: int, until: int) -> int:
        """How many facts the journal holds after position ``after`` up to ``until``."""
        with self.journal() as journal:
            found = journal.recorder.select_notifications(after + 1, limit=until - after + 1, stop=until)
        return len(found)

    def positions(self) -> dict[str, int]:
        """Each projector's live position (-1 if it has none)."""
        with self.store.connect() as conn:
            found = {name: live(conn, name) for name in PROJECTORS}
        return {name: -1 if at is None else at.position for name, at in found.items()}

    def caught_up(self) -> bool:
        head = self.head()
        return all(position == head for position in self.positions().values())

    def wait_caught_up(self, deadline: float = DEADLINE, *, idle: bool = False) -> None:
        """Wait until every projector is at the journal's head (and, with ``idle``, Redis is empty)."""

        def done() -> bool:
            return self.caught_up() and (not idle or self.broker.idle())

        poll(done, deadline, self.describe, every=0.05)

    def describe(self) -> str:
        return f"head {self.head()}, positions {self.positions()}\n{self.logs()}"

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
        if self._store is not None:
            self._store.dispose()

    # -- verifying ------------------------------------------------------------------------------

    def verify(self) -> list[dict[str, Any]]:
        """``kronika projections rebuild --verify --json``: no drift in any projector, at the head."""
        head = self.head()
        code, out, err = self.kronika("projections", "rebuild", "--verify", "--json", broker_url=None)
        assert code == 0, f"drift or failure (exit {code}): {err}{out}"
        reports = json.loads(out)
        assert [r["projector"] for r in reports] == PROJECTORS
        for report in reports:
            assert report["differences"] == 0, f"{report['projector']} drifted: {report['samples']}"
            assert report["compared"] is True, report
            assert report["position"] == head, f"{report['projector']} compared at {report['position']}"
        return reports

    def assert_counts(self) -> None:
        """Sessions per case in ``kronika cases``, in the session counts and in the audit trail."""
        code, out, err = self.kronika("cases", "--json")
        assert code == 0, err
        shown = {row["code"]: row["sessions"] for row in json.loads(out)}
        assert shown == dict(self.expected), "open_cases counts sessions wrongly"
        with self.store.snapshot() as conn:
            counts = live_tables(conn, SessionCounts()).counts
            per_case = dict(
                conn.execute(select(counts.c.case, func.sum(counts.c.sessions)).group_by(counts.c.case)).all()
            )
            minutes = conn.execute(select(func.sum(counts.c.minutes))).scalar()
            trail = live_tables(conn, AuditTrail()).trail
            held = conn.execute(
                select(func.count()).select_from(trail).where(trail.c.fact == "Case.SessionHeld")
            ).scalar()
        expected = {code: n for code, n in self.expected.items() if n}
        assert {code: int(n) for code, n in per_case.items()} == expected, "session_counts counts wrongly"
        assert int(minutes or 0) == MINUTES * sum(expected.values())
        assert held == sum(expected.values()), "the audit trail lists sessions wrongly"

    def assert_equals_a_rebuild(self) -> None:
        assert self.caught_up(), self.describe()
        self.verify()
        self.assert_counts()


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path, private_redis: PrivateRedis) -> Iterator[Site]:
    """An initialised installation with a private broker; SQLite unless parametrized ``postgres``."""
    backend = getattr(request, "param", "sqlite")
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    site = Site(tmp_path, url, private_redis)
    site.init()
    try:
        yield site
    finally:
        # Before the broker stops and the schema is dropped: nothing may outlive the test.
        site.kill_all()
        site.close()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
POSTGRES_ONLY = [pytest.param("postgres", marks=pytest.mark.postgres)]
