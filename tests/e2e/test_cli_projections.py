"""The read models through the real CLI: ``cases``, ``case show``, ``audit``, ``projections``.

No broker is configured here, so every read command catches the projections
up in-process before it answers. ``sos`` is a crisis centre (ambulatory and
field, 11+, 12 sessions a case, open Mon-Fri 09:00-17:00) with worker eva,
supervisor vera, client K-0001 and case P-0001 opened on 1.3.2025 (see
conftest.py); ``with_pora`` adds a counselling service PORA with worker petr
and a case of its own.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import sql

from domain import commands as c
from domain.service import ServiceParameters
from domain.vocabulary import Activity, ClientKind, Form, Role, ServiceType

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

SESSION = "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention"
PROJECTIONS = ["open_cases", "session_counts", "audit_trail", "findings", "report_facts"]


def with_pora(kronika: Kronika, client: str) -> str:
    """A counselling service PORA (no session limit) with worker petr, and a case there; its code."""
    kronika.ok(
        "service add PORA --name Poradna --type counselling --forms ambulatory --hours 'Mon-Fri 09:00-17:00'"
    )
    kronika.ok("staff add petr --name 'Petr Svoboda' --role worker --service PORA")
    assert kronika.ok("client add --birth-year 1980", user="petr") == client
    return kronika.ok(f"case open {client} --service PORA --on 1.3.2025", user="petr")


def codes(rows: list[dict[str, Any]]) -> list[str]:
    return [row["code"] for row in rows]


# -- kronika cases ------------------------------------------------------------------


def test_cases_lists_open_cases_with_sessions_left_last_contact_and_open_referrals(sos: Kronika) -> None:
    sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva")  # P-0001#2
    sos.ok(f"{SESSION} --at '4.3.2025 10:00'", user="eva")  # #3
    sos.ok("contact log --case P-1 --channel phone --minutes 10 --at '5.3.2025 12:00'", user="eva")  # #4
    assert sos.ok(f"{SESSION} --at '6.3.2025 10:00'", user="eva") == "P-0001#5"
    sos.ok("entry retract P-1#5 --reason 'logged on the wrong case'", user="vera")  # counts for nothing
    sos.ok("referral add P-1 --to 'PL Bohnice' --kind psychiatric --at 4.3.2025", user="eva")  # R-0001
    sos.ok("referral add P-1 --to 'AK Novák' --kind legal --at 4.3.2025", user="eva")  # R-0002
    sos.ok("referral outcome R-1 accepted --on 5.3.2025", user="eva")
    assert with_pora(sos, "K-0002") == "P-0002"
    sos.ok("session log P-2 --minutes 30 --form ambulatory --activity counselling", user="petr")  # now
    sos.ok("client add --birth-year 1985", user="eva")
    assert sos.ok("case open K-3 --service SOS --on 2.3.2025", user="eva") == "P-0003"
    sos.ok("case close P-3 --reason client-ended", user="vera")

    before = datetime.now(UTC)
    found = sos.json("cases")
    after = datetime.now(UTC)
    assert codes(found) == ["P-0001", "P-0002"]  # the closed P-0003 is not listed
    first, second = found
    last_contact = datetime(2025, 3, 5, 11, 0, tzinfo=UTC)  # the contact; the retracted session is later
    assert first == {
        "code": "P-0001",
        "client": "K-0001",
        "service": "SOS",
        "key_worker": "eva",
        "opened_at": "2025-02-28T23:00:00+00:00",
        "is_open": True,
        "closed_at": None,
        "close_reason": None,
        "sessions": 2,
        "session_limit": 12,
        "last_contact_at": last_contact.isoformat(),
        "open_referrals": 1,
        "sessions_left": 10,
        "days_since_contact": first["days_since_contact"],
    }
    assert first["days_since_contact"] in {(before - last_contact).days, (after - last_contact).days}
    assert first["days_since_contact"] > 60
    assert (second["service"], second["key_worker"], second["sessions"]) == ("PORA", "petr", 1)
    assert (second["session_limit"], second["sessions_left"], second["days_since_contact"]) == (None, None, 0)
    assert second["open_referrals"] == 0

    # Filters.
    assert codes(sos.json("cases --service SOS")) == ["P-0001"]
    assert codes(sos.json("cases --service PORA")) == ["P-0002"]
    assert codes(sos.json("cases --worker petr")) == ["P-0002"]
    assert codes(sos.json("cases --worker eva")) == ["P-0001"]
    assert codes(sos.json("cases --stale-days 60")) == ["P-0001"]
    assert codes(sos.json("cases --stale-days 60 --service PORA")) == []

    # Rule 7: staff see their own services' cases; admins and auditors see all.
    sos.ok("staff add olga --name 'Olga Auditorová' --role auditor")
    assert codes(sos.json("cases", user="eva")) == ["P-0001"]
    assert codes(sos.json("cases", user="vera")) == ["P-0001"]
    assert codes(sos.json("cases", user="petr")) == ["P-0002"]
    assert codes(sos.json("cases --service SOS", user="petr")) == []
    assert codes(sos.json("cases", user="olga")) == ["P-0001", "P-0002"]

    table = sos.ok("cases")
    assert "Open cases (2)" in table
    [row] = [line for line in table.splitlines() if "P-0001" in line]
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells[:8] == ["P-0001", "K-0001", "SOS", "eva", "2025-03-01", "2", "10", "2025-03-05 12:00"]
    assert cells[9] == "1"
    assert "P-0003" not in table

    czech = sos.ok("cases", lang="cs")
    for label in ("Otevřené případy (2)", "Případ", "Klíčový pracovník", "Setkání", "Zbývá"):
        assert label in czech
    assert "Poslední kontakt" in czech
    assert "Otevřená zprostředkování" in czech
    assert "Open cases" not in czech
    assert "Sessions" not in czech


# -- kronika case show ------------------------------------------------------------------


def test_case_show_counts_sessions_by_month_and_form_after_corrections_and_retractions(
    sos: Kronika,
) -> None:
    sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva")  # #2: 50 min
    sos.ok(
        "session log P-1 --minutes 60 --form ambulatory --activity counselling --at '10.3.2025 10:00'",
        user="eva",
    )
    sos.ok(
        "session log P-1 --minutes 30 --form field --activity crisis-intervention --at '7.4.2025 10:00'",
        user="eva",
    )
    assert sos.ok(f"{SESSION} --at '12.3.2025 10:00'", user="eva") == "P-0001#5"

    def months(user: str = "admin") -> list[tuple[str, str, int, int]]:
        shown = sos.json("case show P-0001", user=user)
        return [(m["month"], m["form"], m["sessions"], m["minutes"]) for m in shown["sessions_by_month"]]

    assert months() == [("2025-03", "ambulatory", 3, 160), ("2025-04", "field", 1, 30)]

    sos.ok("entry correct P-1#2 --minutes 45 --reason 'typed 50 for 45'", user="vera")
    sos.ok("entry correct P-1#3 --form field --reason 'it was at her home'", user="vera")
    # 1.5.2025 00:30 in Prague is still April in UTC: months are the services' wall clock.
    sos.ok("entry correct P-1#4 --at '1.5.2025 00:30' --reason 'wrong month'", user="vera")
    sos.ok("entry retract P-1#5 --reason 'logged twice'", user="vera")

    expected = [("2025-03", "ambulatory", 1, 45), ("2025-03", "field", 1, 60), ("2025-05", "field", 1, 30)]
    assert months() == expected
    assert months(user="eva") == expected
    shown = sos.json("case show P-1")
    assert (shown["code"], shown["is_open"], shown["sessions"], shown["sessions_left"]) == (
        "P-0001",
        True,
        3,
        9,
    )
    assert shown["last_contact_at"] == "2025-04-30T22:30:00+00:00"  # the corrected moment

    table = sos.ok("case show P-0001")
    assert "Case P-0001" in table
    assert "3 / 12" in table
    assert "Sessions by month" in table
    assert any("2025-05" in line and "field" in line and "30" in line for line in table.splitlines())

    sos.ok("case close P-1 --reason goal-met", user="vera")
    closed = sos.json("case show P-0001")
    assert (closed["is_open"], closed["close_reason"]) == (False, "goal-met")
    assert closed["closed_at"] is not None
    [state] = [line for line in sos.ok("case show P-0001").splitlines() if "State" in line]
    assert "closed" in state
    assert "(goal-met)" in state
    assert sos.json("cases") == []

    err = sos.refused("case show P-0009")
    assert "there is no case P-0009" in err
    with_pora(sos, "K-0002")
    err = sos.refused("case show P-0001", user="petr")
    assert "petr may not read case records" in err
    assert "in service SOS" in err
    assert sos.json("case show P-0002", user="petr")["service"] == "PORA"


# -- kronika audit trail ------------------------------------------------------------


class Clock:
    """The journal's clock, moved by the test: facts recorded at chosen moments."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def recorded_in_march(kronika: Kronika) -> Kronika:
    """SOS, eva, vera and case P-0001, recorded by the domain API in March 2025.

    P-0001#2 a session held on 4.3. and recorded on 5.3., #3 a session recorded
    on 6.3., #4 vera's correction of #2 recorded at 00:30 on 20.3. in Prague
    (still the 19th in UTC), #5 her retraction of #3 recorded on 25.3.
    """
    clock = Clock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    with kronika.journal(clock=clock) as journal:
        parameters = ServiceParameters(
            name="SOS centrum", type=ServiceType.CRISIS_HELP, forms=(Form.AMBULATORY,), session_limit=12
        )
        journal.execute(c.RegisterService("SOS", parameters), actor="admin")
        journal.execute(c.AddStaff("eva", "Eva Malá", Role.WORKER, ["SOS"]), actor="admin")
        journal.execute(c.AddStaff("vera", "Věra Velká", Role.SUPERVISOR, ["SOS"]), actor="admin")
        journal.execute(c.RegisterClient(ClientKind.PSEUDONYMOUS), actor="eva")
        assert journal.execute(c.OpenCase("K-0001", "SOS"), actor="eva") == "P-0001"
        clock.now = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
        held = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
        session = c.LogSession(
            "P-0001", 50, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION], occurred_at=held
        )
        assert journal.execute(session, actor="eva") == "P-0001#2"
        clock.now = datetime(2025, 3, 6, 10, 0, tzinfo=UTC)
        session = c.LogSession("P-0001", 30, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])
        assert journal.execute(session, actor="eva") == "P-0001#3"
        clock.now = datetime(2025, 3, 19, 23, 30, tzinfo=UTC)
        correction = c.CorrectEntry("P-0001#2", {"minutes": 45}, "typed 50 for 45")
        assert journal.execute(correction, actor="vera") == "P-0001#4"
        clock.now = datetime(2025, 3, 25, 10, 0, tzinfo=UTC)
        assert journal.execute(c.RetractEntry("P-0001#3", "logged twice"), actor="vera") == "P-0001#5"
    return kronika


def trail(kronika: Kronika, args: str = "", user: str = "admin") -> list[tuple[Any, ...]]:
    rows = kronika.json(f"audit trail {args}", user=user)
    assert [r["position"] for r in rows] == sorted(r["position"] for r in rows)
    return [
        (r["fact"], r["recorded_by"], r["entry"], r["corrects"], r["retracts"], r["purpose"]) for r in rows
    ]


def test_audit_trail_shows_who_recorded_or_read_what_when_and_why(recorded_in_march: Kronika) -> None:
    kronika = recorded_in_march
    assert with_pora(kronika, "K-0002") == "P-0002"
    kronika.ok("session log P-2 --minutes 30 --form ambulatory --activity counselling", user="petr")
    kronika.ok("staff add olga --name 'Olga Auditorová' --role auditor")
    kronika.ok("history P-0001 --purpose 'quality audit'", user="vera")

    opened = ("Case.Opened", "eva", "P-0001#1", None, None, None)
    held = ("Case.SessionHeld", "eva", "P-0001#2", None, None, None)
    second = ("Case.SessionHeld", "eva", "P-0001#3", None, None, None)
    corrected = ("Case.EntryCorrected", "vera", "P-0001#4", "P-0001#2", None, None)
    retracted = ("Case.EntryRetracted", "vera", "P-0001#5", None, "P-0001#3", None)
    read = ("CaseRead.Viewed", "vera", None, None, None, "quality audit")
    assert trail(kronika, "--case P-0001") == [opened, held, second, corrected, retracted, read]

    rows = kronika.json("audit trail --case P-1")
    session = rows[1]
    assert session["recorded_at"] == "2025-03-05T10:00:00+00:00"
    assert session["occurred_at"] == "2025-03-04T15:00:00+00:00"
    assert (session["subject"], session["case"], session["service"]) == ("P-0001", "P-0001", "SOS")
    assert rows[3]["recorded_at"] == "2025-03-19T23:30:00+00:00"
    assert (rows[5]["case"], rows[5]["service"]) == ("P-0001", "SOS")
    assert rows[5]["recorded_at"] > "2026"  # the read, recorded by this test run

    # Who: what a login recorded or read.
    assert trail(kronika, "--staff vera") == [corrected, retracted, read]
    assert {r[1] for r in trail(kronika, "--staff petr")} == {"petr"}
    # When it was recorded: whole days in Prague, both ends included.
    assert trail(kronika, "--case P-1 --to 19.3.2025") == [opened, held, second]
    assert trail(kronika, "--case P-1 --from 20.3.2025 --to 25.3.2025") == [corrected, retracted]
    assert trail(kronika, "--case P-1 --from 5.3.2025 --to 5.3.2025") == [held]
    assert trail(kronika, "--case P-1 --from 26.3.2025") == [read]
    assert trail(kronika, "--from 1.1.2099") == []

    table = kronika.ok("audit trail --case P-0001")
    assert "Audit trail (6)" in table
    err = kronika.refused("audit trail --from 31.3.2025 --to 1.3.2025", exit_code=2)  # once: no rows, exit 0
    assert "--to 2025-03-01 is before --from 2025-03-31" in err
    assert any("quality audit" in line and "CaseRead.Viewed" in line for line in table.splitlines())
    assert any("P-0001#4" in line and "P-0001#2" in line for line in table.splitlines())
    assert any("2025-03-05 11:00" in line and "2025-03-04 16:00" in line for line in table.splitlines())

    # Supervisors see their services, auditors everything, workers nothing.
    everything = trail(kronika, user="olga")
    assert trail(kronika) == everything
    assert ("Staff.Added", "admin", None, None, None, None) in everything
    assert any(row[2] == "P-0002#2" for row in everything)
    supervised = kronika.json("audit trail", user="vera")
    assert supervised
    assert {r["service"] for r in supervised} == {"SOS"}
    assert [r for r in supervised if r["case"] == "P-0001"] == kronika.json("audit trail --case P-0001")
    assert trail(kronika, "--case P-0002", user="vera") == []
    for worker in ("eva", "petr"):
        err = kronika.refused("audit trail", user=worker)
        assert f"{worker} may not read the audit trail" in err
        assert "supervisor" in err
        assert "auditor" in err


# -- kronika audit findings ---------------------------------------------------------


def findings(kronika: Kronika, args: str = "", user: str = "admin") -> list[tuple[str, str, list[str]]]:
    return [
        (f["rule"], f["subject"], f["entries"]) for f in kronika.json(f"audit findings {args}", user=user)
    ]


def test_audit_findings_name_sessions_outside_hours_and_stale_cases(sos: Kronika) -> None:
    sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva")  # P-0001#2, a Monday
    sos.ok(f"{SESSION} --at '8.3.2025 10:00'", user="eva")  # P-0001#3, a Saturday
    with_pora(sos, "K-0002")
    sos.ok(
        "session log P-2 --minutes 30 --form ambulatory --activity counselling --at '9.3.2025 11:00'",
        user="petr",
    )

    saturday = ("outside-hours", "P-0001#3", ["P-0001#3"])
    sunday = ("outside-hours", "P-0002#2", ["P-0002#2"])
    # P-0001 has been quiet since 8.3.2025 10:00 (09:00 UTC): stale 60 days later, on 7.5.2025.
    assert findings(sos, "--as-of 6.5.2025") == [saturday, sunday]
    stale = ("stale-case", "P-0001", ["P-0001#3"])
    assert findings(sos, "--as-of 7.5.2025") == [saturday, sunday, stale]
    assert findings(sos, "--as-of 2025-05-08") == [
        saturday,
        sunday,
        stale,
        ("stale-case", "P-0002", ["P-0002#2"]),
    ]
    [outside, *_] = sos.json("audit findings --as-of 7.5.2025")
    assert outside == {
        "rule": "outside-hours",
        "service": "SOS",
        "case": "P-0001",
        "subject": "P-0001#3",
        "detail": "session Sat 10:00-10:50, open Mon-Fri 09:00-17:00",
        "entries": ["P-0001#3"],
        "occurred_at": "2025-03-08T09:00:00+00:00",
    }
    assert findings(sos, "--service SOS --as-of 7.5.2025") == [saturday, stale]
    assert findings(sos, "--case P-0002 --as-of 7.5.2025") == [sunday]
    assert findings(sos, "--as-of 7.5.2025", user="vera") == [saturday, stale]  # her service only
    err = sos.refused("audit findings", user="eva")
    assert "eva may not read the audit trail and the quality findings" in err

    table = sos.ok("audit findings --service SOS --as-of 7.5.2025")
    assert "Findings (2)" in table
    assert any("outside-hours" in line and "P-0001#3" in line for line in table.splitlines())
    assert "mimo provozní dobu" in sos.ok("audit findings --service SOS --as-of 7.5.2025", lang="cs")

    # Retracting the Saturday session takes its finding away and restarts the stale clock earlier.
    sos.ok("entry retract P-1#3 --reason 'logged twice'", user="vera")
    assert findings(sos, "--service SOS --as-of 1.5.2025") == []
    assert findings(sos, "--service SOS --as-of 2.5.2025") == [("stale-case", "P-0001", ["P-0001#2"])]


# -- kronika projections ------------------------------------------------------------


def statuses(kronika: Kronika) -> dict[str, dict[str, Any]]:
    return {s["projector"]: s for s in kronika.json("projections status")}


def test_projections_status_catch_up_and_rebuild(sos: Kronika) -> None:
    sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva")
    sos.ok("history P-0001 --purpose 'check'", user="vera")
    sos.ok("cases")  # a read catches up the projection it reads, and only that one
    found = statuses(sos)
    assert found["open_cases"]["behind"] == 0
    assert found["audit_trail"]["behind"] > 0
    reads = ("case show P-0001", "audit trail", "audit findings")
    for read in (*reads, "report summary --from 1.1.2025 --to 31.12.2025 --explain clients.total.count"):
        sos.ok(read)
    found = statuses(sos)
    assert list(found) == PROJECTIONS
    head = sos.facts()
    for status in found.values():
        assert (status["position"], status["head"], status["behind"]) == (head, head, 0)

    # A write alone does not move the projections (no broker): they fall behind until caught up.
    sos.ok(f"{SESSION} --at '4.3.2025 10:00'", user="eva")
    behind = statuses(sos)
    new_head = sos.facts()
    assert new_head > head
    assert {s["behind"] for s in behind.values()} == {new_head - head}

    assert sos.ok("projections catch-up open_cases") == f"open_cases: {new_head - head} facts applied"
    after = statuses(sos)
    assert after["open_cases"]["behind"] == 0
    assert after["findings"]["behind"] == new_head - head
    out = sos.ok("projections catch-up").splitlines()
    assert out == [
        "open_cases: 0 facts applied",
        f"session_counts: {new_head - head} facts applied",
        f"audit_trail: {new_head - head} facts applied",
        f"findings: {new_head - head} facts applied",
        f"report_facts: {new_head - head} facts applied",
        f"hash chain: {new_head - head} facts linked",  # without NAME, the chain too
    ]
    assert sos.ok("projections catch-up").splitlines()[-1] == "hash chain: 0 facts linked"
    assert {s["behind"] for s in statuses(sos).values()} == {0}

    err = sos.refused("projections catch-up open_cases nonsense", exit_code=2)
    assert "nonsense is not a projection" in err
    assert "open_cases, session_counts, audit_trail, findings, report_facts" in err

    cases, shown = sos.json("cases"), sos.json("case show P-0001")
    trail_rows, found_rows = sos.json("audit trail"), sos.json("audit findings --as-of 1.6.2025")
    generations = {name: s["generation"] for name, s in statuses(sos).items()}

    verified = sos.json("projections rebuild --verify")
    assert [r["projector"] for r in verified] == PROJECTIONS
    for report in verified:
        assert (report["differences"], report["samples"], report["swapped"]) == (0, [], False)
        assert report["compared"] is True
        assert report["position"] == new_head
        assert report["rows"] > 0
    assert {name: s["generation"] for name, s in statuses(sos).items()} == generations

    out = sos.ok("projections rebuild").splitlines()
    assert len(out) == len(PROJECTIONS)
    for name, line in zip(PROJECTIONS, out, strict=True):
        assert line.startswith(f"{name}: ")
        assert line.endswith(", differences: 0")
    rebuilt = statuses(sos)
    for name, status in rebuilt.items():
        assert status["generation"] != generations[name]  # the fresh tables are live now
        assert (status["behind"], status["last_drift"]) == (0, 0)
        assert status["last_rebuild"] is not None

    assert sos.json("cases") == cases
    assert sos.json("case show P-0001") == shown
    assert sos.json("audit trail") == trail_rows
    assert sos.json("audit findings --as-of 1.6.2025") == found_rows
    assert cases[0]["sessions"] == 2
    assert len(found_rows) == 1  # the stale case, measured on 1.6.2025

    for user in ("vera", "eva"):
        err = sos.refused("projections rebuild --verify", user=user)
        assert (
            f"{user} may not administer the journal (services, staff, backups, projections): "
            "this needs role admin" in err
        )
    sos.ok("staff add olga --name 'Olga Auditorová' --role auditor")
    sos.refused("projections rebuild", user="olga")


def test_worker_and_beat_need_a_broker(sqlite_kronika: Kronika) -> None:
    for command in ("worker", "beat", "worker --concurrency 1"):
        err = sqlite_kronika.refused(command, exit_code=2)
        assert "KRONIKA_BROKER_URL" in err
        assert "redis://" in err


# -- drift --------------------------------------------------------------------------


@dataclass
class LiveRow:
    """Changes a live read-model row behind the projections' back (a fault, or a bug)."""

    kronika: Kronika

    def execute(self, statement: str) -> int:
        """Run ``statement`` ({table} is the live open_cases cases table); the rows it changed."""
        if self.kronika.database_url is None:
            with closing(sqlite3.connect(self.kronika.data_dir / "read.sqlite")) as db, db:
                [generation] = db.execute(
                    "SELECT generation FROM projectors WHERE projector = 'open_cases'"
                ).fetchone()
                return db.execute(statement.format(table=f"open_cases_cases__g{generation}")).rowcount
        server, _, schema = self.kronika.database_url.partition("?schema=")
        with psycopg.connect(server, autocommit=True) as conn:
            read_schema = sql.Identifier(f"{schema}_read")
            query = sql.SQL("SELECT generation FROM {}.projectors WHERE projector = 'open_cases'")
            row = conn.execute(query.format(read_schema)).fetchone()
            assert row is not None
            table = sql.Identifier(f"{schema}_read", f"open_cases_cases__g{row[0]}")
            return conn.execute(sql.SQL(statement).format(table=table)).rowcount


@pytest.fixture
def tampered(sos: Kronika) -> Kronika:
    """P-0001 with two sessions, whose live open_cases row claims five more."""
    sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva")
    sos.ok(f"{SESSION} --at '4.3.2025 10:00'", user="eva")
    assert sos.json("cases")[0]["sessions"] == 2
    assert LiveRow(sos).execute("UPDATE {table} SET sessions = sessions + 5 WHERE code = 'P-0001'") == 1
    return sos


def test_rebuild_verify_finds_a_tampered_row_and_a_rebuild_repairs_it(tampered: Kronika) -> None:
    kronika = tampered
    assert kronika.json("cases")[0]["sessions"] == 7  # the reads really serve the tampered row
    assert kronika.json("cases")[0]["sessions_left"] == 5

    code, out, err = kronika("projections rebuild --verify")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0].startswith("open_cases: ")
    assert lines[0].endswith(", differences: 1")
    assert lines[1].startswith("  cases [")
    assert lines[1].endswith("]: both sessions")
    assert [line for line in lines[2:] if not line.endswith(", differences: 0")] == []
    assert len(lines) == 1 + len(PROJECTIONS)

    code, out, err = kronika("projections rebuild --verify --json")
    assert (code, err) == (1, "")
    [open_cases, *others] = json.loads(out)
    assert (open_cases["projector"], open_cases["differences"], open_cases["swapped"]) == (
        "open_cases",
        1,
        False,
    )
    [sample] = open_cases["samples"]
    assert (sample["table"], sample["columns"], sample["side"]) == ("cases", ["sessions"], "both")
    assert [o["differences"] for o in others] == [0] * (len(PROJECTIONS) - 1)
    assert kronika.json("cases")[0]["sessions"] == 7  # --verify changed nothing
    assert statuses(kronika)["open_cases"]["last_drift"] == 1

    out = kronika.ok("projections rebuild open_cases")
    assert out.splitlines()[0].endswith(", differences: 1")  # found, recorded, and swapped out
    assert kronika.json("cases")[0]["sessions"] == 2
    assert kronika.json("cases")[0]["sessions_left"] == 10
    assert kronika.json("case show P-0001")["sessions"] == 2

    code, out, err = kronika("projections rebuild --verify")
    assert (code, err) == (0, "")
    assert all(line.endswith(", differences: 0") for line in out.splitlines())
    assert len(out.splitlines()) == len(PROJECTIONS)
    assert statuses(kronika)["open_cases"]["last_drift"] == 0
