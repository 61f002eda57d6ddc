"""Rule 6 across OS processes: several writers on one journal at once, SQLite file and PostgreSQL.

Each writer is its own Python process with its own Journal (``workers.journal.open_journal``).
The processes start together: each opens its journal, says "ready", and waits for "go".

Rule 6 lets a writer either succeed or get a clear conflict (``WriteConflict``, after the
journal's own retries ran out). A writer that gets one does what a client should: it sends the
same command again under the same command id. The assertions are on the outcome: every command
recorded exactly once, nothing lost, nothing doubled, no other kind of error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from domain import commands as c
from domain.client import ClientAttributes
from domain.codes import CodeKind
from domain.journal import Journal
from domain.service import ServiceParameters
from domain.vocabulary import ClientKind, Form, Role, ServiceType
from workers.journal import open_journal
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4

# The writer: arguments are a JSON document {data_dir, database_url, actor, mode, ...}.
WRITER = r"""
import json, sys
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from domain import commands as c
from domain.errors import KronikaError, WriteConflict
from domain.vocabulary import Activity, ClientKind, Form
from workers.journal import open_journal
from workers.settings import Settings

job = json.loads(sys.argv[1])
settings = Settings(
    data_dir=Path(job["data_dir"]), database_url=job["database_url"], broker_url=None,
    language="en", timezone="Europe/Prague", user=job["actor"],
)
journal = open_journal(settings)
print("ready", flush=True)
sys.stdin.readline()

answers, refusals, conflicts = [], [], 0
for n in range(job["count"]):
    if job["mode"] == "client":
        command = c.RegisterClient(ClientKind.ANONYMOUS)
    else:
        command = c.LogSession(job["case"], 30, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])
    command_id = UUID(job["command_id"]) if job.get("command_id") else uuid4()
    for attempt in range(MAX_RETRIES):
        try:
            answers.append(journal.execute(command, actor=job["actor"], command_id=command_id))
        except WriteConflict:
            # Rule 6 allows a clear conflict; a client sends the same command again, same id.
            conflicts += 1
            continue
        except KronikaError as error:
            refusals.append(type(error).__name__)
        break
    else:
        refusals.append("gave up")
journal.close()
print(json.dumps({"answers": answers, "refusals": refusals, "conflicts": conflicts}), flush=True)
""".replace("MAX_RETRIES", "20")


def run_writers(settings: Settings, jobs: list[dict[str, object]]) -> list[dict[str, Any]]:
    """Start one process per job, let them all go at once, and collect what each was answered."""
    processes = []
    try:
        for job in jobs:
            document = {"data_dir": str(settings.data_dir), "database_url": settings.database_url, **job}
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRITER, json.dumps(document)],
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for process in processes:
            line = process.stdout.readline() if process.stdout else ""
            assert line.strip() == "ready", process.stderr.read() if process.stderr else line
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def prepared(store_settings: Settings):
    """A journal with a crisis service (limit as the test asks), four workers and one open case."""
    journal = open_journal(store_settings, create=True)
    journal.initialise("admin", "Admin Istrator")

    def prepare(session_limit: int | None) -> tuple[Journal, str]:
        parameters = ServiceParameters(
            "Krizová pomoc", ServiceType.CRISIS_HELP, (Form.AMBULATORY,), session_limit=session_limit
        )
        journal.execute(c.RegisterService("SOS", parameters), actor="admin")
        for n in range(WRITERS):
            journal.execute(c.AddStaff(f"worker{n}", f"Pracovník {n}", Role.WORKER, ["SOS"]), actor="admin")
        client = journal.execute(
            c.RegisterClient(ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=1980)), actor="admin"
        )
        opened_at = journal.clock() - timedelta(days=1)
        case = journal.execute(
            c.OpenCase(client, "SOS", opened_at=opened_at, key_worker="worker0"), actor="admin"
        )
        return journal, case

    yield prepare
    journal.close()


def facts(journal: Journal) -> int:
    """Facts recorded, leaving out the records of who read a history."""
    notifications = journal.recorder.select_notifications(start=1, limit=10_000)
    return sum(1 for n in notifications if "CaseRead" not in n.topic)


def test_four_writers_appending_sessions_to_one_case_lose_nothing_and_duplicate_nothing(
    prepared, store_settings
) -> None:
    journal, case = prepared(session_limit=None)
    before = facts(journal)
    per_writer = 15
    jobs = [
        {"actor": f"worker{n}", "mode": "session", "case": case, "count": per_writer} for n in range(WRITERS)
    ]
    results = run_writers(store_settings, jobs)

    assert [r["refusals"] for r in results] == [[]] * WRITERS
    answers = [a for r in results for a in r["answers"]]
    assert len(answers) == len(set(answers)) == WRITERS * per_writer
    assert set(answers) == {f"{case}#{n}" for n in range(2, 2 + WRITERS * per_writer)}

    history = journal.history(case, actor="admin")
    sessions = [e for e in history.entries if e.kind == "session"]
    assert history.sessions == len(sessions) == WRITERS * per_writer
    assert sorted(e.number for e in sessions) == list(range(2, 2 + WRITERS * per_writer))
    assert len(history.entries) == 1 + WRITERS * per_writer
    assert facts(journal) == before + 2 * WRITERS * per_writer  # each session and its command's receipt
    # Each writer's sessions are recorded under its own name, as many as it was told were recorded.
    for n, result in enumerate(results):
        mine = {e.ref for e in sessions if e.recorded_by == f"worker{n}"}
        assert mine == set(result["answers"])


def test_the_same_command_sent_by_several_processes_at_once_is_recorded_exactly_once(
    prepared, store_settings
) -> None:
    journal, case = prepared(session_limit=None)
    before = facts(journal)
    command_id = str(uuid4())
    jobs = [
        {"actor": "worker0", "mode": "session", "case": case, "count": 3, "command_id": command_id}
        for _ in range(WRITERS)
    ]
    results = run_writers(store_settings, jobs)

    answers = {a for r in results for a in r["answers"]}
    assert answers == {f"{case}#2"}
    assert all(len(r["answers"]) == 3 for r in results)
    history = journal.history(case, actor="admin")
    assert history.sessions == 1
    assert [e.number for e in history.entries] == [1, 2]
    assert facts(journal) == before + 2  # the session and the command's receipt


def test_concurrent_registrations_get_distinct_dense_codes(prepared, store_settings) -> None:
    journal, _ = prepared(session_limit=None)
    already = journal.highest_code(CodeKind.CLIENT)
    per_writer = 10
    jobs = [{"actor": f"worker{n}", "mode": "client", "count": per_writer} for n in range(WRITERS)]
    results = run_writers(store_settings, jobs)

    codes = [a for r in results for a in r["answers"]]
    expected = {f"K-{n:04d}" for n in range(already + 1, already + 1 + WRITERS * per_writer)}
    assert len(codes) == len(set(codes)) == WRITERS * per_writer
    assert set(codes) == expected
    assert journal.highest_code(CodeKind.CLIENT) == already + WRITERS * per_writer
    for code in codes:
        assert journal.client(code, actor="admin").kind is ClientKind.ANONYMOUS


def test_concurrent_writers_cannot_together_exceed_the_session_limit(prepared, store_settings) -> None:
    journal, case = prepared(session_limit=12)
    jobs = [{"actor": f"worker{n}", "mode": "session", "case": case, "count": 5} for n in range(WRITERS)]
    results = run_writers(store_settings, jobs)

    held = [a for r in results for a in r["answers"]]
    refused = [e for r in results for e in r["refusals"]]
    assert len(held) == 12
    assert refused == ["SessionLimitReached"] * (WRITERS * 5 - 12)
    assert journal.history(case, actor="admin").sessions == 12
