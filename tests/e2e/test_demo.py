"""``kronika demo``: a fresh journal holding a year of an SOS crisis centre, and its tour.

The first part runs the real command (in-process through click's
``CliRunner``, once as the installed console script) into temporary
directories and reads the journal it wrote. The second part checks the pure
generator behind it, ``cli/demo_data.py``, without a journal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.demo import MARKER
from cli.demo_data import STAFF, YEAR, ZONE, DemoYear, Tally
from cli.main import cli
from domain import commands as c
from domain.facts import CLOCK_SKEW
from domain.journal import Journal
from domain.service import OpeningHours
from domain.vocabulary import Role
from workers.journal import open_journal
from workers.settings import Settings

ADMIN = "admin"
SCRIPT = Path(sys.executable).parent / "kronika"
CLIENTS = "60"


def _env(**extra: str | None) -> dict[str, str | None]:
    """A user's environment: no KRONIKA_* variable but the user, language and time zone."""
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("KRONIKA_")}
    env.update(KRONIKA_USER=ADMIN, KRONIKA_LANG="en", KRONIKA_TIMEZONE="Europe/Prague")
    env.update(extra)
    return env


def kronika(*args: str, **env: str | None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=_env(**env), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir, None, None, "en", "Europe/Prague", ADMIN)


@contextmanager
def _journal(data_dir: Path) -> Iterator[Journal]:
    journal = open_journal(_settings(data_dir))
    try:
        yield journal
    finally:
        journal.close()


def _events(data_dir: Path) -> list[Any]:
    """Every fact in the journal, in the order it was stored."""
    with _journal(data_dir) as journal:
        notifications = journal.recorder.select_notifications(start=1, limit=10_000_000)
        return [journal.mapper.to_domain_event(n) for n in notifications]


def _shape(data_dir: Path) -> tuple[list[tuple[str, Any, int]], list[str]]:
    """What two runs of the same year must share: every fact's kind, record and number, every answer."""
    events = _events(data_dir)
    # Reads of histories (by other tests of the same demo) are not part of the year.
    facts = [
        (type(e).__qualname__, e.originator_id, e.originator_version)
        for e in events
        if type(e).__qualname__ != "CaseRead.Viewed"
    ]
    answers = [e.result for e in events if type(e).__qualname__ == "CommandReceipt.Issued"]
    return facts, answers


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo of 60 clients, run once: its directory and its output."""
    where = tmp_path_factory.mktemp("demo") / "kronika-demo"
    code, out, err = kronika("demo", "--dir", str(where), "--clients", CLIENTS)
    assert (code, err) == (0, ""), err
    return where, out


# -- the command ----------------------------------------------------------------


def test_the_demo_records_a_year_of_facts_of_every_kind(demo: tuple[Path, str]) -> None:
    where, _out = demo
    assert (where / MARKER).is_file()
    assert (where / "journal.sqlite").is_file()
    kinds = Counter(type(e).__qualname__ for e in _events(where))
    expected = {
        "Service.Registered", "Staff.Added", "Staff.RoleChanged", "Staff.Left",
        "Client.Registered", "Enquiry.Received", "Enquiry.Refused", "Enquiry.LedToCase",
        "Case.Opened", "Case.SessionHeld", "Case.ReferralMade", "Case.ReferralOutcomeRecorded",
        "Case.GoalSet", "Case.GoalReviewed", "Case.EntryCorrected", "Case.EntryRetracted",
        "Case.Closed", "Case.Reopened", "Contact.Logged", "Contact.Corrected", "Contact.Retracted",
        "Complaint.Received", "Complaint.Resolved", "CommandReceipt.Issued",
    }  # fmt: skip
    assert expected <= set(kinds), expected - set(kinds)
    assert kinds["Service.Registered"] == 2
    assert kinds["Case.SessionHeld"] > 100
    assert kinds["Contact.Logged"] > 20  # mostly anonymous calls and chats


def test_every_fact_is_recorded_in_2025_after_it_happened(demo: tuple[Path, str]) -> None:
    where, _out = demo
    events = _events(where)
    for event in events:
        assert event.timestamp.astimezone(ZONE).year == YEAR, event
        occurred = getattr(event, "occurred_at", None)
        if occurred is not None:
            assert occurred.astimezone(ZONE).year == YEAR, event
            assert occurred <= event.timestamp + CLOCK_SKEW, event


def test_the_tour_shows_a_correction_beside_the_original(demo: tuple[Path, str]) -> None:
    where, out = demo
    assert "What was recorded" in out
    assert "corrections" in out
    assert f"export KRONIKA_DATA_DIR={where}" in out
    assert "corrected by #" in out  # the history of one case, correction beside the original
    case, day = re.search(r"kronika history (P-\d{4}) --as-of (\d{4}-\d\d-\d\d)", out).groups()  # type: ignore[union-attr]

    # The suggested commands work against the demo's journal, as its admin.
    code, now, err = kronika("history", case, KRONIKA_DATA_DIR=str(where))
    assert (code, err) == (0, "")
    assert "corrected by #" in now
    code, then, err = kronika("history", case, "--as-of", day, KRONIKA_DATA_DIR=str(where))
    assert (code, err) == (0, "")
    assert "corrected by" not in then
    assert "correction of" not in then
    child = re.search(r"kronika case open (K-\d{4}) --service SOS", out).group(1)  # type: ignore[union-attr]
    code, _, err = kronika("case", "open", child, "--service", "SOS", KRONIKA_DATA_DIR=str(where))
    assert code == 1
    assert "outside the age range 11-" in err


def test_the_same_seed_gives_the_same_year(demo: tuple[Path, str], tmp_path: Path) -> None:
    """Run again as the installed script, with another hash seed: the same facts and codes."""
    where, _out = demo
    again = tmp_path / "again"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
    env.update(KRONIKA_USER=ADMIN, KRONIKA_LANG="en", PYTHONHASHSEED="12345")
    done = subprocess.run(  # noqa: PLW1510 - the exit code is what is tested
        [str(SCRIPT), "demo", "--dir", str(again), "--clients", CLIENTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    facts, answers = _shape(again)
    first_facts, first_answers = _shape(where)
    # Only the journal's creation has its own command id; every other fact is the same.
    assert facts[3:] == first_facts[3:]
    assert answers == first_answers
    assert {"K-0001", "P-0001", "E-0001", "R-0001", "C-0001", "S-0001"} <= set(answers)


def test_another_seed_gives_another_year(tmp_path: Path) -> None:
    code, _, err = kronika("demo", "--dir", str(tmp_path / "a"), "--clients", "20", "--seed", "1")
    assert (code, err) == (0, "")
    code, _, err = kronika("demo", "--dir", str(tmp_path / "b"), "--clients", "20", "--seed", "2")
    assert (code, err) == (0, "")
    assert _shape(tmp_path / "a") != _shape(tmp_path / "b")


def test_a_rerun_replaces_the_directory_the_demo_made(tmp_path: Path) -> None:
    where = tmp_path / "demo"
    assert kronika("demo", "--dir", str(where), "--clients", "20")[0] == 0
    first = len(_events(where))
    (where / "leftover.txt").write_text("from an earlier demo")
    code, _, err = kronika("demo", "--dir", str(where), "--clients", "20")
    assert (code, err) == (0, "")
    assert len(_events(where)) == first  # replaced, not appended to
    assert not (where / "leftover.txt").exists()


def test_an_empty_directory_is_used(tmp_path: Path) -> None:
    code, _, err = kronika("demo", "--dir", str(tmp_path), "--clients", "20")
    assert (code, err) == (0, "")
    assert (tmp_path / "journal.sqlite").is_file()


def test_a_directory_the_demo_did_not_make_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = kronika("demo", "--dir", str(tmp_path), "--clients", "20")
    assert code == 2
    assert out == ""
    assert err.startswith("Error: ")
    assert err.count("\n") == 1
    assert "not made by kronika demo" in err
    assert "nothing was changed" in err
    assert "--dir" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("mine")
    code, _, err = kronika("demo", "--dir", str(target), "--clients", "20")
    assert code == 2
    assert "Error: " in err
    assert target.read_text() == "mine"


# -- the generator ----------------------------------------------------------------


def _year(seed: int = 2025, clients: int = 1680, admin: str = ADMIN) -> tuple[DemoYear, list[Any], Tally]:
    year = DemoYear(seed=seed, clients=clients, admin=admin)
    tally = Tally()
    commands = []
    for now, actor, command in year.commands():
        assert year.expected is not None
        tally.add(now, command, year.expected)
        commands.append((now, actor, command, year.expected))
    return year, commands, tally


@pytest.fixture(scope="module")
def full_year() -> tuple[DemoYear, list[Any], Tally]:
    return _year()


def test_the_year_has_the_shape_of_the_report(full_year: tuple[DemoYear, list[Any], Tally]) -> None:
    """1,680 clients = 1,585 ambulatory + 95 field; 3,120 h = 2,995 + 125 (SOS centrum, 2025)."""
    _, _, tally = full_year
    ambulatory, field = tally.served("SOS", "ambulatory"), tally.served("SOS", "field")
    assert len(tally.served("SOS")) == 1680
    assert 80 <= len(field) <= 110
    assert 1500 <= len(ambulatory) <= 1680
    assert 2700 <= tally.hours("SOS") <= 3500
    assert 2600 <= tally.hours("SOS", "ambulatory") <= 3400
    assert 90 <= tally.hours("SOS", "field") <= 170
    assert 2500 <= tally.sessions("SOS") <= 4500
    assert tally.anonymous_contacts("SOS") >= 500
    assert 10 <= len(tally.served("OOL")) <= 30
    p3_clients, p3_sessions = tally.district("Praha 3", "SOS")
    assert 10 <= p3_clients <= 45
    assert p3_sessions >= 2 * p3_clients


def test_the_year_holds_the_exceptions_auditors_look_for(
    full_year: tuple[DemoYear, list[Any], Tally],
) -> None:
    _, commands, tally = full_year
    assert set(tally.refusals) == {"a", "b", "c", "d"}
    assert 2 <= tally.session_overrides <= 4
    assert tally.age_overrides == 1
    assert tally.late_corrections >= 3
    assert tally.commands["CorrectEntry"] >= 20
    assert tally.commands["RetractEntry"] >= 3
    assert tally.commands["ReopenCase"] >= 3
    assert tally.commands["RecordReferralOutcome"] >= 0.6 * tally.commands["MakeReferral"]
    assert tally.commands["ReceiveComplaint"] >= 1
    assert tally.commands["SetGoal"] >= 5
    assert len(tally.closed) >= 5
    # The 9-year-old is refused with reason a.
    children = {
        answer
        for _, _, command, answer in commands
        if isinstance(command, c.RegisterClient) and command.attributes.birth_year == YEAR - 9
    }
    child_enquiries = {
        answer
        for _, _, command, answer in commands
        if isinstance(command, c.ReceiveEnquiry) and command.client in children
    }
    refused = [
        cmd
        for _, _, cmd, _ in commands
        if isinstance(cmd, c.RefuseEnquiry) and cmd.enquiry in child_enquiries
    ]
    assert [r.reason.value for r in refused] == ["a"]


def test_reason_d_names_a_client_whose_contract_was_terminated(
    full_year: tuple[DemoYear, list[Any], Tally],
) -> None:
    _, commands, tally = full_year
    clients = [answer for _, _, command, answer in commands if isinstance(command, c.RegisterClient)]
    assert len(clients) == len(set(clients))
    assert len(clients) == 1680 + len(tally.served("OOL")) + 1  # and the refused child
    case_client = {answer: cmd.client for _, _, cmd, answer in commands if isinstance(cmd, c.OpenCase)}
    terminated = [
        (case_client[cmd.case], now)
        for now, _, cmd, _ in commands
        if isinstance(cmd, c.CloseCase) and cmd.reason.value == "contract-terminated"
    ]
    enquirers = {
        answer: (cmd.client, now) for now, _, cmd, answer in commands if isinstance(cmd, c.ReceiveEnquiry)
    }
    refused = [
        cmd.enquiry
        for _, _, cmd, _ in commands
        if isinstance(cmd, c.RefuseEnquiry) and cmd.reason.value == "d"
    ]
    assert refused
    for enquiry in refused:
        client, asked = enquirers[enquiry]
        assert any(
            client == who and timedelta(0) < asked - ended < timedelta(days=182) for who, ended in terminated
        )


def test_only_supervisors_override_and_correct(full_year: tuple[DemoYear, list[Any], Tally]) -> None:
    year, commands, _ = full_year
    supervisors = {year.logins[m.key] for m in STAFF if m.role is Role.SUPERVISOR or m.promoted}
    sessions: Counter[str] = Counter()
    for _, actor, command, _answer in commands:
        if isinstance(command, c.LogSession):
            sessions[command.case] += 1
            if command.override:
                assert actor in supervisors
                assert sessions[command.case] > 12
        if isinstance(command, c.CorrectEntry | c.RetractEntry | c.CloseCase | c.ReopenCase):
            assert actor in supervisors, command


def test_times_are_realistic(full_year: tuple[DemoYear, list[Any], Tally]) -> None:
    """Recorded in order, in 2025, never before it happened; sessions mostly in opening hours."""
    _, commands, _ = full_year
    hours = {
        "SOS": OpeningHours.parse("Mon-Fri 09:00-20:00"),
        "OOL": OpeningHours.parse("Mon-Fri 09:00-17:00"),
    }
    services: dict[str, str] = {}
    moments = [now for now, *_ in commands]
    assert moments == sorted(moments)
    assert all(now.astimezone(ZONE).year == YEAR for now in moments)
    inside = outside = 0
    for now, _, command, answer in commands:
        occurred = getattr(command, "occurred_at", None) or getattr(command, "opened_at", None)
        if occurred is not None:
            assert occurred <= now, command
            assert occurred.astimezone(ZONE).year == YEAR
        if isinstance(command, c.OpenCase):
            services[answer] = command.service
        if isinstance(command, c.LogSession):
            assert command.occurred_at is not None
            assert now - command.occurred_at < timedelta(days=10)
            if hours[services[command.case]].is_open(command.occurred_at.astimezone(ZONE)):
                inside += 1
            else:
                outside += 1
    assert outside >= 1  # a few late field crises: quality findings
    assert inside >= 0.97 * (inside + outside)


def test_the_generator_is_deterministic_and_small_years_keep_every_feature() -> None:
    first, second = _year(seed=7, clients=20), _year(seed=7, clients=20)
    assert [cmd[:3] for cmd in first[1]] == [cmd[:3] for cmd in second[1]]
    assert [cmd[:3] for cmd in _year(seed=8, clients=20)[1]] != [cmd[:3] for cmd in first[1]]
    tally = first[2]
    assert set(tally.refusals) == {"a", "b", "c", "d"}
    assert tally.session_overrides >= 1
    assert tally.served("SOS", "field")
    assert tally.anonymous_contacts() >= 1
    assert tally.late_corrections >= 1


def test_staff_logins_never_clash_with_the_admin() -> None:
    year, commands, _ = _year(seed=3, clients=20, admin="eva")
    logins = [command.login for _, _, command, _ in commands if isinstance(command, c.AddStaff)]
    assert "eva" not in logins
    assert year.logins["eva"] == "eva2"
    assert len(set(logins)) == len(STAFF)


# -- projections of the demo's year ----------------------------------------------------


def test_the_demo_builds_its_projections_and_a_verifying_rebuild_finds_no_drift(
    demo: tuple[Path, str],
) -> None:
    where, out = demo
    assert "Projections (open cases, session counts, audit trail, findings, report facts) built in" in out
    code, status, err = kronika("projections", "status", "--json", KRONIKA_DATA_DIR=str(where))
    assert (code, err) == (0, "")
    rows = json.loads(status)
    assert {r["projector"] for r in rows} == {
        "open_cases",
        "session_counts",
        "audit_trail",
        "findings",
        "report_facts",
    }
    code, out, err = kronika("projections", "rebuild", "--verify", "--json", KRONIKA_DATA_DIR=str(where))
    assert (code, err) == (0, "")
    reports = json.loads(out)
    assert [(r["projector"], r["differences"], r["swapped"]) for r in reports] == [
        ("open_cases", 0, False),
        ("session_counts", 0, False),
        ("audit_trail", 0, False),
        ("findings", 0, False),
        ("report_facts", 0, False),
    ]
    assert all(r["rows"] > 0 and r["compared"] for r in reports)


def test_the_projections_agree_with_the_journal_on_every_cases_sessions(demo: tuple[Path, str]) -> None:
    """Each case's session count in the projections equals its aggregate's, replayed from the facts."""
    where, _out = demo
    replayed: dict[Any, Any] = {}
    for fact in _events(where):
        if type(fact).__qualname__.startswith("Case."):
            replayed[fact.originator_id] = fact.mutate(replayed.get(fact.originator_id))
    expected = {case.code: case.sessions_held for case in replayed.values()}
    assert sum(expected.values()) > len(expected) > 10
    shown = {}
    for code in expected:
        exit_code, out, err = kronika("case", "show", code, "--json", KRONIKA_DATA_DIR=str(where))
        assert (exit_code, err) == (0, "")
        found = json.loads(out)
        assert found["sessions"] == sum(m["sessions"] for m in found["sessions_by_month"])
        shown[code] = found["sessions"]
    assert shown == expected
