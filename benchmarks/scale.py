"""Kronika at 10 thousand to 10 million events, each figure beside a baseline measured in the same run.

For every size and store it builds a realistic journal (``journal_file.py``)
with ``kronika import``, then measures what staff, workers and auditors wait
for, each next to the floor the machine and the libraries set, measured here
and now on the same data:

    write     kronika session log           vs  one event appended with the library
    import    kronika import                vs  raw inserts of rows of the same size, 1,000 a transaction
    rebuild   kronika projections rebuild   vs  reading and decoding every stored event, nothing else
    catch-up  one kronika worker catching up  vs  the full rebuild of the same projectors
    history   kronika history (1,000 entries) vs loading the same aggregate with the library
    report    kronika report summary (a year) vs kronika service list (the CLI's start-up floor)
    memory    peak RSS of import and rebuild  vs  the same at 100k events

Beside the import and the rebuild it also measures what the stack allows:
the library's own save of as many events (nothing parsed or checked), and
decoding every event while writing a row per event to five tables.

Commands run as separate processes, as staff run them; timed variants are
interleaved so that the machine's noise hits both alike, and medians are
reported. Ratios are the figures: absolute times on a shared machine are not.

    .venv/bin/python benchmarks/scale.py --store both --parallel 100k   # 10k, 100k, 1M on both (make bench)
    .venv/bin/python benchmarks/scale.py --sizes 10k,100k         # SQLite only, a few minutes
    .venv/bin/python benchmarks/scale.py --sizes 10M --store postgres --runs 5   # when asked (hours)
    .venv/bin/python benchmarks/scale.py --sizes 10k --runs 3     # the smoke run CI does
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from journal_file import Region, journal_lines, more_lines, services_for, write  # noqa: E402

from workers import compression  # noqa: E402

PYTHON = sys.executable
KRONIKA = str(Path(sys.executable).parent / "kronika")
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
LONG_CASE = "P-0001"  # the journal file opens the long case first (1,000 entries) ...
NEW_CASE = "P-0002"  # ... and then a new case in the same service
RAW_BATCH = 1000
REDIS = "redis://127.0.0.1:6379/13"

# What each figure is compared with, and the target for the ratio.
TARGETS: dict[str, tuple[str, str, Callable[[float], bool]]] = {
    "write": ("kronika session log / one event appended with the library", "≤ 2×", lambda r: r <= 2),
    "import": ("kronika import events/s / raw inserts events/s", "≥ 15%", lambda r: r >= 0.15),
    "rebuild": ("rebuild events/s / read-and-decode events/s", "≥ 50%", lambda r: r >= 0.5),
    "catch-up": ("catch-up events/s / rebuild events/s", "≥ 50%", lambda r: r >= 0.5),
    "history": ("kronika history / loading the aggregate with the library", "≤ 2×", lambda r: r <= 2),
    "report": ("kronika report summary / kronika service list", "≤ 3×", lambda r: r <= 3),
    "memory-import": ("peak RSS of import / the same at 100k", "flat", lambda r: r <= 1.25),
    "memory-rebuild": ("peak RSS of rebuild / the same at 100k", "flat", lambda r: r <= 1.25),
}


@dataclass
class Figure:
    name: str
    value: float  # the command's measure (seconds, events/s or MiB)
    baseline: float  # the baseline's, in the same unit
    unit: str
    ratio: float

    @property
    def meets(self) -> bool:
        return TARGETS[self.name][2](self.ratio)


@dataclass
class Result:
    store: str
    size: str
    events: int
    figures: list[Figure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # extra timings, e.g. parallel rebuilds


# -- running commands ------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mib: float


def run(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Run a process to its end; its wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(argv)}\n{errors.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024)


def interleaved(variants: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """Each variant ``runs`` times, taking turns; the median of each."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, variant in variants.items():
            times[name].append(variant())
    return {name: statistics.median(values) for name, values in times.items()}


# -- the stores ----------------------------------------------------------------------


class Store(ABC):
    """Where one size's journal lives, and the environment its commands run in."""

    name: str

    def __init__(self, work: Path, size: str) -> None:
        self.dir = work / f"{self.name}-{size}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        base = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
        self.env = base | {
            "KRONIKA_DATA_DIR": str(self.dir / "data"),
            "KRONIKA_USER": "admin",
            "KRONIKA_LANG": "en",
            "PYTHONPATH": str(HERE.parent),
        }

    def kronika(self, *args: str) -> Run:
        return run([KRONIKA, *args], self.env)

    def python(self, code: str, *args: str) -> Run:
        return run([PYTHON, "-c", code, *args], self.env)

    def head(self) -> int:
        found = subprocess.run(
            [PYTHON, "-c", HEAD], env=self.env, check=True, capture_output=True, text=True
        ).stdout
        return int(found)

    @abstractmethod
    def raw_inserts(self, count: int, row_bytes: int) -> float:
        """Events/s of plain batched inserts of rows the size of stored events, into the same database."""

    @abstractmethod
    def row_bytes(self) -> int:
        """The stored events' average size."""

    @abstractmethod
    def journal_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for the journal's own store."""

    @abstractmethod
    def scratch_env(self) -> dict[str, str]:
        """The library's settings for a scratch store like the journal's, to append to."""

    @abstractmethod
    def empty_env(self) -> dict[str, str]:
        """The library's settings for a new, empty store beside the journal's (dropped with it)."""

    @abstractmethod
    def floor_store(self) -> tuple[str, str]:
        """A SQLAlchemy URL and schema ('' for none) beside the read store's, for the rebuild's floor."""

    def library_save(self, count: int, row_bytes: int) -> float:
        """Events/s of the library saving ``count`` events of ``row_bytes`` stored, as an import saves."""
        env = json.dumps(self.empty_env() | self.cipher_env())
        found = subprocess.run(
            [PYTHON, "-c", LIBRARY_SAVE, env, str(count), str(row_bytes)],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return float(found)

    def cipher_env(self) -> dict[str, str]:
        """The journal's cipher and compressor, so the library's processes store and read alike."""
        key_file = Path(self.env["KRONIKA_DATA_DIR"]) / "master.key"
        return {
            "COMPRESSOR_TOPIC": compression.TOPIC,
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": key_file.read_text().strip(),
        }

    def drop(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class SQLite(Store):
    name = "sqlite"

    @property
    def file(self) -> Path:
        return self.dir / "data" / "journal.sqlite"

    def row_bytes(self) -> int:
        with sqlite3.connect(self.file) as db:
            return int(db.execute("SELECT avg(length(state)) FROM stored_events").fetchone()[0])

    def raw_inserts(self, count: int, row_bytes: int) -> float:
        with sqlite3.connect(self.file, isolation_level=None) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # as the library runs it
            db.execute("DROP TABLE IF EXISTS bench_raw")
            db.execute(
                "CREATE TABLE bench_raw (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                "state BLOB, PRIMARY KEY (originator_id, originator_version))"
            )
            started = time.perf_counter()
            for rows in _raw_rows(count, row_bytes):
                db.execute("BEGIN")
                db.executemany("INSERT INTO bench_raw VALUES (?, ?, ?, ?)", rows)
                db.execute("COMMIT")
            seconds = time.perf_counter() - started
            db.execute("DROP TABLE bench_raw")
        return count / seconds

    def journal_env(self) -> dict[str, str]:
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(self.file)}

    def empty_env(self) -> dict[str, str]:
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(self.dir / "empty.sqlite")}

    def floor_store(self) -> tuple[str, str]:
        return f"sqlite:///{self.dir / 'floor.sqlite'}", ""

    def scratch_env(self) -> dict[str, str]:
        copy = self.dir / "scratch.sqlite"
        shutil.copyfile(self.file, copy)  # the same file's content, without foreign rows in the journal
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(copy)}


class Postgres(Store):
    name = "postgres"

    def __init__(self, work: Path, size: str, url: str) -> None:
        super().__init__(work, size)
        self.url = url
        self.schema = f"bench_{size.lower()}_{os.getpid()}"  # two runs at once never share one
        self.env["KRONIKA_DATABASE_URL"] = f"{url}?schema={self.schema}"
        self.drop_schemas()

    @contextmanager
    def connect(self) -> Iterator[Any]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            yield conn

    def drop_schemas(self) -> None:
        with self.connect() as conn:
            for schema in (
                self.schema,
                *(f"{self.schema}_{s}" for s in ("read", "baseline", "empty", "floor")),
            ):
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def row_bytes(self) -> int:
        with self.connect() as conn:
            query = f'SELECT avg(length(state)) FROM "{self.schema}".kronika_events'  # noqa: S608 - our schema
            found = conn.execute(query).fetchone()
        return int(found[0])

    def raw_inserts(self, count: int, row_bytes: int) -> float:
        with self.connect() as conn:
            table = f'"{self.schema}".bench_raw'
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(
                f"CREATE TABLE {table} (originator_id uuid, originator_version bigint, topic text, "
                "state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
            )
            started = time.perf_counter()
            for rows in _raw_rows(count, row_bytes, uuids=True):
                with conn.transaction(), conn.cursor() as cursor:
                    insert = f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                    cursor.executemany(insert + "VALUES (%s, %s, %s, %s)", rows)
            seconds = time.perf_counter() - started
            conn.execute(f"DROP TABLE {table}")
        return count / seconds

    def journal_env(self) -> dict[str, str]:
        from workers.settings import postgres_env

        return postgres_env(f"{self.url}?schema={self.schema}") | {"CREATE_TABLE": "n"}

    def scratch_env(self) -> dict[str, str]:
        """An empty schema beside the journal's (a row in the journal's own would be a foreign fact)."""
        with self.connect() as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}_baseline"')
        return self.journal_env() | {"POSTGRES_SCHEMA": f"{self.schema}_baseline", "CREATE_TABLE": "y"}

    def empty_env(self) -> dict[str, str]:
        with self.connect() as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}_empty"')
        return self.journal_env() | {"POSTGRES_SCHEMA": f"{self.schema}_empty", "CREATE_TABLE": "y"}

    def floor_store(self) -> tuple[str, str]:
        from workers.settings import Settings

        with self.connect() as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}_floor"')
        url, _ = Settings.from_environ(self.env).read_store()
        return url, f"{self.schema}_floor"

    def drop(self) -> None:
        self.drop_schemas()
        super().drop()


def _raw_rows(count: int, row_bytes: int, *, uuids: bool = False) -> Iterator[list[tuple[Any, ...]]]:
    import uuid

    state = os.urandom(row_bytes)
    for start in range(0, count, RAW_BATCH):
        rows = []
        for number in range(start, min(count, start + RAW_BATCH)):
            originator = uuid.UUID(int=number + 1)
            rows.append(
                (originator if uuids else str(originator), 1, "domain.case:Case.SessionLogged", state)
            )
        yield rows


# -- the processes the baselines run -------------------------------------------------

HEAD = """
from workers.journal import open_journal
from workers.settings import Settings
journal = open_journal(Settings.from_environ(), personal=False)
print(journal.recorder.max_notification_id() or 0)
"""

# Reading and decoding every stored event with the library, doing nothing else.
DECODE = """
from workers.journal import open_journal
from workers.settings import Settings
journal = open_journal(Settings.from_environ(), personal=False)
to_domain_event, after = journal.mapper.to_domain_event, None
while True:
    page = journal.recorder.select_notifications(after, limit=1000, inclusive_of_start=False)
    if not page:
        break
    for notification in page:
        to_domain_event(notification)
    after = page[-1].id
"""

# The most the library lets an import write: aggregates of two events (a fact and its receipt, as an
# import line records), a thousand a save as an import's transaction, events padded to the stored
# size of the journal's, the same cipher and compressor; nothing parsed or checked. Prints events/s.
LIBRARY_SAVE = """
import json, sys, time
from random import Random
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
class Entry(Aggregate):
    @event("Logged")
    def __init__(self, detail: str) -> None:
        pass
    @event("Receipted")
    def receipted(self, detail: str) -> None:
        pass
class Journal(Application):
    name = "Kronika"
journal = Journal(env=json.loads(sys.argv[1]))
count, row_bytes, letters = int(sys.argv[2]), int(sys.argv[3]), Random(1)
def detail(length):
    return "".join(letters.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(length))
def stored_size(length):  # text compresses: the length giving the stored size is found, not guessed
    return len(journal.mapper.to_stored_event(Entry(detail=detail(length)).collect_events()[0]).state)
length = 0
while stored_size(length) < row_bytes:
    length += 4
details = [detail(length) for _ in range(2000)]
started = time.perf_counter()
for _ in range(0, count, 2000):
    entries = []
    for n in range(1000):
        entry = Entry(detail=details[2 * n])
        entry.receipted(detail=details[2 * n + 1])
        entries.append(entry)
    journal.save(*entries)
print(2000 * -(-count // 2000) / (time.perf_counter() - started))
"""

# The least five projections could do: decode every stored event (as DECODE) and write one row per
# event to each of five tables, a transaction per page, through SQLAlchemy as the projectors do.
DECODE_AND_WRITE = """
import sys
from sqlalchemy import Column, Integer, MetaData, String, Table
from projections.store import ReadStore
from workers.journal import open_journal
from workers.settings import Settings
journal = open_journal(Settings.from_environ(), personal=False)
store = ReadStore(sys.argv[1], sys.argv[2] or None)
metadata = MetaData()
tables = [
    Table(f"floor_{n}", metadata, Column("position", Integer, primary_key=True),
          Column("subject", String(36)), Column("kind", String(80)))
    for n in range(5)
]
metadata.drop_all(store.engine)
metadata.create_all(store.engine)
to_domain_event, after = journal.mapper.to_domain_event, None
while True:
    page = journal.recorder.select_notifications(after, limit=1000, inclusive_of_start=False)
    if not page:
        break
    rows = []
    for notification in page:
        fact = to_domain_event(notification)
        subject = str(fact.originator_id)
        rows.append({"position": notification.id, "subject": subject, "kind": notification.topic})
    with store.begin() as conn:
        for table in tables:
            conn.execute(table.insert(), rows)
    after = page[-1].id
metadata.drop_all(store.engine)
"""

# A minimal process appending one event with the library (the same cipher and compressor).
APPEND = """
import json, sys
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
class Note(Aggregate):
    pass
class Journal(Application):
    name = "Kronika"  # the same tables as the journal's
Journal(env=json.loads(sys.argv[1])).save(Note())
"""

# A minimal process loading the long case's aggregate with the library.
LOAD = """
import json, sys
from eventsourcing.application import Application
from domain.codes import coded_id
class Journal(Application):
    name = "Kronika"  # the journal's tables
journal = Journal(env=json.loads(sys.argv[1]))
journal.repository.get(coded_id(sys.argv[2]))
"""


# -- the benchmark -----------------------------------------------------------------


def compile_bytecode() -> None:
    """Kronika's modules compiled once, as an installed program has them (the library's are, by pip).

    Otherwise, where ``PYTHONDONTWRITEBYTECODE`` is set (as on some build
    machines), every timed command would compile Kronika's sources again
    while the baselines load the library's bytecode.
    """
    packages = [str(HERE.parent / name) for name in ("cli", "domain", "projections", "workers")]
    subprocess.run([PYTHON, "-m", "compileall", "-q", *packages], check=True)


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def measure(store: Store, size: str, runs: int, *, parallel: bool, redis: str) -> Result:
    events = parse_size(size)
    journal = store.dir / "journal.jsonl"
    write(journal, journal_lines(events))
    # What a worker catches up: a twentieth as many lines as events (~11% more facts) a round; a short
    # round is noisy, so up to 100k, three.
    more = [store.dir / f"more-{seed}.jsonl" for seed in range(7, 10 if events <= 100_000 else 8)]
    for seed, path in enumerate(more, start=7):
        write(path, more_lines(Region(seed=seed), max(100, events // 20), services_for(events)))
    store.kronika("init", "--name", "Benchmark Admin")
    start = store.head()
    say(f"{store.name} {size}: importing ...")
    imported = store.kronika("import", str(journal))
    count = store.head() - start
    result = Result(store.name, size, count)
    row_bytes = store.row_bytes()
    raw = statistics.median([store.raw_inserts(count, row_bytes) for _ in range(2)])
    add(result, "import", count / imported.seconds, raw, "events/s")
    result.seconds["import-peak-mib"] = imported.peak_mib
    result.seconds["import-library-eps"] = store.library_save(count, row_bytes)

    say(f"{store.name} {size}: catching the projections up in one process ...")
    # What the first read does without workers, the hash chain included; the rebuild then compares.
    result.seconds["catch-up-after-import-s"] = store.kronika("projections", "catch-up").seconds

    say(f"{store.name} {size}: rebuilding ...")
    rebuilds: list[Run] = []
    decodes: list[Run] = []
    floors: list[Run] = []
    for _ in range(max(1, min(runs, 3) if events <= 100_000 else 1)):
        decodes.append(store.python(DECODE))
        rebuilds.append(store.kronika("projections", "rebuild"))
        floors.append(store.python(DECODE_AND_WRITE, *store.floor_store()))
    rebuild_eps = count / statistics.median(r.seconds for r in rebuilds)
    add(result, "rebuild", rebuild_eps, count / statistics.median(r.seconds for r in decodes), "events/s")
    result.seconds["rebuild-floor-eps"] = count / statistics.median(r.seconds for r in floors)
    result.seconds["rebuild-peak-mib"] = max(r.peak_mib for r in rebuilds)
    if parallel:
        result.seconds |= parallel_rebuild(store, redis)
        spread = [f"{key} {value:.2f}" for key, value in result.seconds.items() if "rebuild-" in key]
        say(f"{store.name} {size}: " + ", ".join(spread))

    say(f"{store.name} {size}: a worker catching up ...")
    rates = [added / seconds for added, seconds in worker_catch_up(store, more, redis)]
    say(f"{store.name} {size}: catch-up rounds " + ", ".join(f"{rate:,.0f}/s" for rate in rates))
    add(result, "catch-up", statistics.median(rates), rebuild_eps, "events/s")

    say(f"{store.name} {size}: timing single commands ...")
    append_env = json.dumps(store.scratch_env() | store.cipher_env())

    def session(case: str) -> Callable[[], float]:
        log = ["session", "log", case, "--minutes", "5", "--form", "ambulatory", "--activity", "information"]
        return lambda: store.kronika(*log).seconds

    medians = interleaved(
        {
            "write": session(NEW_CASE),
            "append": lambda: store.python(APPEND, append_env).seconds,
            "write-long-case": session(LONG_CASE),
        },
        runs,
    )
    result.seconds["write-long-case-s"] = medians["write-long-case"]
    add(result, "write", medians["write"], medians["append"], "s")
    load_env = json.dumps(store.journal_env() | store.cipher_env())
    medians = interleaved(
        {
            "history": lambda: store.kronika("history", LONG_CASE, "--purpose", "benchmark").seconds,
            "load": lambda: store.python(LOAD, load_env, LONG_CASE).seconds,
        },
        runs,
    )
    add(result, "history", medians["history"], medians["load"], "s")
    year = ["report", "summary", "--from", "1.1.2025", "--to", "31.12.2025", "--format", "json"]
    medians = interleaved(
        {
            "report": lambda: store.kronika(*year).seconds,
            "service list": lambda: store.kronika("service", "list").seconds,
        },
        max(3, runs // 3),
    )
    add(result, "report", medians["report"], medians["service list"], "s")
    return result


def worker_catch_up(store: Store, more: Sequence[Path], redis_url: str) -> list[tuple[int, float]]:
    """One real worker (``kronika worker --concurrency 1``) catching up what an import just recorded.

    The worker is started and left to catch up what is there, the hash
    chain included: a starting worker links every fact not yet chained
    (the benchmark's ``projections catch-up`` has linked the imported
    journal), and with one process it would do that before the first
    round's catch-up queued behind it. Then each file in turn is imported (one nudge at its end,
    which queues no chain work) and the clock runs from the import's end
    until every projection holds its last fact. The facts and seconds of
    each round.
    """
    import redis

    from projections import chain
    from projections.catalogue import all_projectors
    from projections.tracking import Log, status
    from workers.journal import open_journal
    from workers.projecting import open_read_store
    from workers.settings import Settings

    env = store.env | {"KRONIKA_BROKER_URL": redis_url}
    queue = redis.Redis.from_url(redis_url)
    queue.delete("kronika")
    settings = Settings.from_environ(env)
    journal, reads = open_journal(settings, personal=False), open_read_store(settings)

    def caught_up() -> bool:
        return all(s.behind == 0 for s in status(journal, reads, all_projectors()))

    def idle() -> bool:
        return caught_up() and chain.head(reads).position >= Log(journal).head()

    worker = subprocess.Popen(
        [KRONIKA, "worker", "--concurrency", "1", "--loglevel", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(idle, "the worker to start, catch up and link the hash chain")
        rounds = []
        for path in more:
            before = store.head()
            run([KRONIKA, "import", str(path)], env)
            started = time.perf_counter()
            _wait(caught_up, "the worker to catch up the import")
            rounds.append((store.head() - before, time.perf_counter() - started))
        return rounds
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        queue.delete("kronika")
        journal.close()
        reads.dispose()


def _wait(done: Callable[[], bool], what: str, timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"benchmark step failed: waited {timeout:.0f} s for {what}")
        time.sleep(0.02)


def parallel_rebuild(store: Store, redis_url: str) -> dict[str, float]:
    """Rebuilds spread over processes, each against one process (or one worker) rebuilding everything.

    Two ways: a ``kronika projections rebuild NAME`` process per projector at
    once (each reads the whole log); and the workers' nightly rebuild shared
    out into parts (``rebuild_all(parts=N)``), taken by a worker with N
    processes, against the same with one part and one process.
    """
    from projections.catalogue import all_projectors

    names = [p.name for p in all_projectors()]
    one = store.kronika("projections", "rebuild").seconds
    started = time.perf_counter()
    processes = [
        subprocess.Popen([KRONIKA, "projections", "rebuild", name], env=store.env, stdout=subprocess.DEVNULL)
        for name in names
    ]
    if any(p.wait() != 0 for p in processes):
        raise SystemExit("a parallel rebuild failed")
    apart = time.perf_counter() - started
    found = {"rebuild-one-process-s": one, "rebuild-a-process-each-s": apart}
    found["parallel-speed-up"] = one / apart
    for parts in (1, 2, len(names)):
        found[f"rebuild-workers-{parts}-s"] = worker_rebuild(store, redis_url, parts)
    return found


def worker_rebuild(store: Store, redis_url: str, parts: int) -> float:
    """The nightly rebuild in ``parts`` parts by a worker of as many processes: seconds of rebuilding.

    Timed by the rebuilds' own records, from the first part's start to the
    last projector's end: the worker's start-up and the messages' trip are
    left out alike for every number of parts.
    """
    import redis
    from sqlalchemy import func, select

    from projections.catalogue import all_projectors
    from projections.store import rebuilds
    from workers.app import REBUILD_ALL
    from workers.nudge import QUEUE, task_message
    from workers.projecting import open_read_store
    from workers.settings import Settings

    env = store.env | {"KRONIKA_BROKER_URL": redis_url}
    queue = redis.Redis.from_url(redis_url)
    queue.delete(QUEUE)
    reads = open_read_store(Settings.from_environ(env))
    wanted = len(all_projectors())

    def rebuilt_since(last: int) -> int:
        with reads.connect() as conn:
            query = select(func.count()).select_from(rebuilds).where(rebuilds.c.id > last)
            return int(conn.execute(query).scalar() or 0)

    with reads.connect() as conn:
        last = int(conn.execute(select(func.max(rebuilds.c.id))).scalar() or 0)
    worker = subprocess.Popen(
        [KRONIKA, "worker", "--concurrency", str(parts), "--loglevel", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        queue.lpush(QUEUE, task_message(REBUILD_ALL, [True, parts]))
        _wait(lambda: rebuilt_since(last) >= wanted, f"the workers' rebuild in {parts} parts")
        with reads.connect() as conn:
            span = select(func.min(rebuilds.c.started_at), func.max(rebuilds.c.finished_at))
            first, end = conn.execute(span.where(rebuilds.c.id > last)).one()
        return float((end - first).total_seconds())
    finally:
        worker.terminate()
        worker.wait(timeout=120)
        queue.delete(QUEUE)
        reads.dispose()


def add(result: Result, name: str, value: float, baseline: float, unit: str) -> None:
    """Record a figure, and print its row at once: a long run shows what it has measured so far."""
    figure = Figure(name, value, baseline, unit, value / baseline)
    result.figures.append(figure)
    print(row(result, figure), flush=True)


def memory_figures(results: list[Result]) -> None:
    """Peak memory at each size above 100k against the same at 100k (flat: no growth with the journal)."""
    by_key = {(r.store, r.size.lower()): r for r in results}
    for result in results:
        reference = by_key.get((result.store, "100k"))
        if reference is None or result.events <= reference.events:
            continue
        for what in ("import", "rebuild"):
            peak, base = result.seconds[f"{what}-peak-mib"], reference.seconds[f"{what}-peak-mib"]
            result.figures.append(Figure(f"memory-{what}", peak, base, "MiB", peak / base))


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def show(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:,.0f} ms"
    if unit == "events/s":
        return f"{value:,.0f}/s"
    return f"{value:,.0f} {unit}"


HEADER = (
    "| store | size | events | figure | Kronika | baseline | ratio | target | |\n"
    "|---|---|---|---|---|---|---|---|---|"
)


def row(result: Result, figure: Figure) -> str:
    ratio = f"{figure.ratio:.0%}" if figure.unit == "events/s" else f"{figure.ratio:.2f}×"
    return (
        f"| {result.store} | {result.size} | {result.events:,} | {figure.name} | "
        f"{show(figure.value, figure.unit)} | {show(figure.baseline, figure.unit)} | {ratio} | "
        f"{TARGETS[figure.name][1]} | {'met' if figure.meets else '**missed**'} |"
    )


def table(results: list[Result]) -> str:
    return "\n".join([HEADER, *(row(r, f) for r in results for f in r.figures)])


# What each figure's work grows with: the journal's events, or nothing (one command on one case).
WORK_GROWS = {
    "import": True,
    "rebuild": True,
    "catch-up": True,
    "report": True,
    "write": False,
    "history": False,
}


def growth(results: list[Result]) -> str:
    """Each figure's cost per unit of work against the smallest size; above 1.5 it grows faster than the work.

    Import, rebuild and catch-up are measured in events/s, so their cost is
    1/rate; a report over a year covers every event; a write and a history
    do the same work at every size.
    """
    sizes = list(dict.fromkeys(r.size for r in results))
    lines = ["| store | figure | " + " | ".join(sizes) + " |", "|---|---|" + "---|" * len(sizes)]
    for store in dict.fromkeys(r.store for r in results):
        mine = {r.size: r for r in results if r.store == store}
        for name, grows in WORK_GROWS.items():
            costs: list[float | None] = []
            for size in sizes:
                result = mine.get(size)
                figure = next((f for f in result.figures if f.name == name), None) if result else None
                if result is None or figure is None:
                    costs.append(None)
                    continue
                cost = 1 / figure.value if figure.unit == "events/s" else figure.value
                if grows and figure.unit != "events/s":
                    cost /= result.events
                costs.append(cost)
            first = next((c for c in costs if c), None)
            cells = ["–" if c is None or not first else f"{c / first:.2f}" for c in costs]
            lines.append(f"| {store} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ceilings(result: Result) -> str:
    """What the stack allows, beside the import and the rebuild: each as a share of it and of the baseline."""
    found = {f.name: f for f in result.figures}
    parts = []
    for name, key, what in (
        ("import", "import-library-eps", "the library saving as many events"),
        ("rebuild", "rebuild-floor-eps", "decoding every event and writing a row per event to five tables"),
    ):
        figure, ceiling = found[name], result.seconds[key]
        parts.append(
            f"{what} {ceiling:,.0f}/s ({ceiling / figure.baseline:.0%} of the {name}'s baseline; "
            f"the {name} reaches {figure.value / ceiling:.0%} of it)"
        )
    return f"{result.store} {result.size}: what the stack allows: " + "; ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="journal sizes in events, e.g. 10k,1M,10M")
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres", default=POSTGRES, help="a database to create scratch schemas in")
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs of each single command")
    parser.add_argument(
        "--parallel", default="", metavar="SIZES", help="at these sizes also time a process per projector"
    )
    parser.add_argument("--redis", default=REDIS, help="a Redis database for the worker")
    parser.add_argument("--work", type=Path, help="where the journals go (default: a temporary directory)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the journals afterwards")
    options = parser.parse_args(argv)
    stores = ["sqlite", "postgres"] if options.store == "both" else [options.store]
    parallel = set(filter(None, options.parallel.split(",")))
    work = options.work or Path(tempfile.mkdtemp(prefix="kronika-bench-"))
    compile_bytecode()
    results = []
    for name in stores:
        for size in options.sizes.split(","):
            store = Postgres(work, size, options.postgres) if name == "postgres" else SQLite(work, size)
            try:
                results.append(
                    measure(store, size, options.runs, parallel=size in parallel, redis=options.redis)
                )
            finally:
                if not options.keep:
                    store.drop()
    memory_figures(results)
    print(table(results))
    print()
    print("Cost per unit of work against the smallest size (above 1.5: grows faster than the work):")
    print(growth(results))
    for result in results:
        s = result.seconds
        print(
            f"{result.store} {result.size}: kronika session log on the 1,000-entry case "
            f"{s['write-long-case-s'] * 1000:,.0f} ms; the first catch-up after the import "
            f"{s['catch-up-after-import-s']:,.1f} s; peak memory: import {s['import-peak-mib']:,.0f} MiB, "
            f"rebuild {s['rebuild-peak-mib']:,.0f} MiB"
        )
        print(ceilings(result))
        if "parallel-speed-up" in s:
            print(
                f"{result.store} {result.size}: rebuild by one process {s['rebuild-one-process-s']:.1f} s, "
                f"a process per projector {s['rebuild-a-process-each-s']:.1f} s: "
                f"speed-up {s['parallel-speed-up']:.2f}×"
            )
            one_worker = s["rebuild-workers-1-s"]
            shared = ", ".join(
                f"{key.split('-')[2]} parts on as many processes {s[key]:.1f} s ({one_worker / s[key]:.2f}×)"
                for key in s
                if key.startswith("rebuild-workers-") and key != "rebuild-workers-1-s"
            )
            print(f"{result.store} {result.size}: the workers' rebuild, 1 part {one_worker:.1f} s; {shared}")
    if options.json:
        options.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    if not options.keep and not options.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
