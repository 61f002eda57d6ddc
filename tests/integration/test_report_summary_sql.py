"""The summary counted by the database is the summary counted entry by entry, figure by figure.

``kronika report summary`` computes its figures with grouped queries
(``summary_counts``); ``--explain`` still goes through every entry of the
period (``load_facts`` and ``summary``). Here both run on the same realistic
journal (the benchmark's generator: crisis centres' year of sessions,
contacts, referrals, closings, corrections, retractions, anonymous walk-ins
and refusals, imported with ``kronika import``), on SQLite and PostgreSQL,
for several periods, profiles and scopes, and every figure, every section's
rows in order, and the digest must be the same.

A few clients are added by hand for what the generator never writes: the
same district spelt three ways (the report shows the spelling seen first in
the period, so which one depends on the period), estimated age bands,
clients without work, a case opened and closed on one day, and a correction
moving a session into another month.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from projections.reports.figures import (
    SUMMARY,
    Period,
    Report,
    Tally,
    compute,
    load_facts,
    summary,
)
from projections.reports.profiles import Profile, load_profiles
from projections.store import ReadStore
from workers.projecting import open_read_store
from workers.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from journal_file import journal_lines

PROFILES = load_profiles()


def by_hand() -> Iterator[dict[str, Any]]:
    """Clients the generator does not make (KC001 is its first crisis centre)."""
    spellings = [("říčany ", "2025-01-02"), ("ŘÍČANY", "2025-01-02"), ("Říčany", "2025-06-10")]
    for n, (district, day) in enumerate(spellings):
        yield {"cmd": "client add", "ref": f"d{n}", "birth_year": 1990, "district": district}
        yield {"cmd": "case open", "ref": f"dp{n}", "client": f"@d{n}", "service": "KC001", "on": day}
        yield {"cmd": "session log", "case": f"@dp{n}", "minutes": 20, "form": "ambulatory",
               "activity": "counselling", "staff": "w1x1", "at": f"{day} 1{n}:00"}  # fmt: skip
    for n, band in enumerate(["18-26", "30-40", "65+", "11-17"]):
        yield {"cmd": "client add", "ref": f"b{n}", "age_band": band}
        yield {
            "cmd": "case open",
            "ref": f"bp{n}",
            "client": f"@b{n}",
            "service": "KC001",
            "on": "2025-03-03",
        }
        yield {"cmd": "session log", "case": f"@bp{n}", "minutes": 45, "form": "field",
               "activity": "counselling", "staff": "w1x2", "at": "2025-03-31 23:30"}  # fmt: skip
        yield {"cmd": "contact log", "case": f"@bp{n}", "channel": "phone", "minutes": 5 + n,
               "at": "2025-04-01 08:00"}  # fmt: skip
    yield {"cmd": "client add", "ref": "idle", "birth_year": 2000}
    # Opened and closed on one day: its last event is the closing (by number, the day being the same).
    yield {"cmd": "client add", "ref": "brief", "birth_year": 1985, "district": "Beroun"}
    yield {"cmd": "case open", "ref": "briefp", "client": "@brief", "service": "KC001", "on": "2025-07-01"}
    yield {"cmd": "case close", "code": "@briefp", "reason": "goal-met", "on": "2025-07-01"}
    yield {"cmd": "entry correct", "entry": "@bp0#2", "at": "2.5.2025 10:00", "reason": "špatný den"}


@pytest.fixture
def journal_store(store_settings: Settings, tmp_path: Path) -> Iterator[ReadStore]:
    """A journal of about 4,000 facts imported with ``kronika import``, its projections caught up."""
    lines = tmp_path / "journal.jsonl"
    with lines.open("w", encoding="utf-8") as out:
        for line in [*journal_lines(4000, long_case=40), *by_hand()]:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    env = {
        "KRONIKA_DATA_DIR": str(store_settings.data_dir),
        "KRONIKA_DATABASE_URL": store_settings.database_url,
        "KRONIKA_USER": "admin",
        "KRONIKA_LANG": "en",
        "KRONIKA_TIMEZONE": "Europe/Prague",
        "KRONIKA_BROKER_URL": None,
    }
    runner = CliRunner()
    for argv in (["init", "--name", "Admin Istrator"], ["import", str(lines)], ["projections", "catch-up"]):
        result = runner.invoke(cli, argv, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output + result.stderr
    store = open_read_store(store_settings)
    yield store
    store.dispose()


def entry_by_entry(store: ReadStore, profile: Profile, parameters: dict[str, Any]) -> Report:
    """The summary as ``--explain`` computes it: every entry of the period brought in and tallied."""
    period = Period(date.fromisoformat(parameters["from"]), date.fromisoformat(parameters["to"]))
    with store.snapshot() as conn:
        facts = load_facts(conn, period, parameters["services"])
        return Report(SUMMARY, profile, parameters, facts.position, summary(facts, profile, Tally()))


def counted(store: ReadStore, profile: Profile, parameters: dict[str, Any]) -> Report:
    """The summary as ``kronika report summary`` computes it."""
    with store.snapshot() as conn:
        report, explanation = compute(conn, SUMMARY, profile, parameters)
    assert explanation is None
    return report


ASKED = [
    ("standard", "2025-01-01", "2025-12-31", None),
    ("min30", "2025-01-01", "2025-12-31", None),
    ("standard", "2025-03-15", "2025-08-09", None),  # months cut in two at both ends
    ("min30", "2025-04-01", "2025-04-30", ["KC001"]),
    ("standard", "2025-06-01", "2026-02-28", ["KC002", "PORADNA"]),
    ("standard", "2024-01-01", "2024-12-31", None),  # nothing in it
]


def test_the_database_counts_every_figure_as_the_entries_add_up(journal_store: ReadStore) -> None:
    for name, start, end, services in ASKED:
        profile = PROFILES.get(name)
        parameters = {"from": start, "to": end, "services": services}
        slow = entry_by_entry(journal_store, profile, parameters)
        fast = counted(journal_store, profile, parameters)
        asked = f"{name} {start}..{end} {services}"
        differing = {
            figure: (slow.figures.get(figure), fast.figures.get(figure))
            for figure in sorted(set(slow.figures) | set(fast.figures))
            if slow.figures.get(figure) != fast.figures.get(figure)
        }
        assert differing == {}, asked
        assert [(s.key, s.columns, s.rows) for s in fast.sections] == [
            (s.key, s.columns, s.rows) for s in slow.sections
        ], asked
        assert (fast.position, fast.digest) == (slow.position, slow.digest), asked


def test_the_journal_holds_what_the_comparison_needs(journal_store: ReadStore) -> None:
    """Guards the test above: the year's figures are not trivially equal (zeros on both sides)."""
    year = counted(
        journal_store, PROFILES.get("standard"), {"from": "2025-01-01", "to": "2025-12-31", "services": None}
    )
    figures = year.figures
    assert figures["clients.total.count"] > 200
    assert figures["clients.more-than-one-form.count"] > 0
    assert figures["clients.anonymous-contacts.count"] > 0
    assert figures["cases.closed.count"] > 0
    assert figures["cases.open-at-end.count"] > 0
    assert figures["referrals.total.total"] > 0
    assert figures["refusals.total.count"] > 0
    assert figures["sessions-per-case.13+.cases"] >= 1  # the long case
    # The district spelt three ways shows as it was first seen: "říčany " (its space dropped) and
    # "ŘÍČANY" on 2 January (the first in the order of entries, its case opened first), "Říčany" in June.
    assert "districts.říčany.clients" in figures
    assert not any(f.startswith(("districts.ŘÍČANY.", "districts.Říčany.")) for f in figures)
    summer = counted(
        journal_store, PROFILES.get("standard"), {"from": "2025-06-01", "to": "2025-12-31", "services": None}
    )
    assert summer.figures["districts.Říčany.clients"] == 1
    assert not any(f.startswith(("districts.říčany.", "districts.ŘÍČANY.")) for f in summer.figures)
    # Estimated bands count when they lie within a profile band, else unknown.
    assert figures["ages.18-26.clients"] >= 1
    assert figures["ages.65+.clients"] >= 1
