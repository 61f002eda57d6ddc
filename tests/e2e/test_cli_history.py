"""Corrections, retractions and ``kronika history`` (table, --json, --as-of) through the real CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from domain import commands as c
from domain.service import ServiceParameters
from domain.vocabulary import Activity, ClientKind, Form, Role, ServiceType

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

PRAGUE = ZoneInfo("Europe/Prague")
SESSION = (
    "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention --at '3.3.2025 10:00'"
)


class Clock:
    """The journal's clock, moved by the test: facts recorded on chosen days."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def recorded_in_march(kronika: Kronika) -> Iterator[tuple[Kronika, Clock]]:
    """Case P-0001 with a 50-minute session, all recorded by the domain API in early March 2025."""
    clock = Clock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    with kronika.journal(clock=clock) as journal:
        parameters = ServiceParameters(
            name="SOS centrum", type=ServiceType.CRISIS_HELP, forms=(Form.AMBULATORY,), session_limit=12
        )
        journal.execute(c.RegisterService("SOS", parameters), actor="admin")
        journal.execute(c.AddStaff("eva", "Eva Malá", Role.WORKER, ["SOS"]), actor="admin")
        journal.execute(c.AddStaff("vera", "Věra Velká", Role.SUPERVISOR, ["SOS"]), actor="admin")
        journal.execute(c.RegisterClient(ClientKind.PSEUDONYMOUS), actor="eva")
        journal.execute(c.OpenCase("K-0001", "SOS"), actor="eva")
        clock.now = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
        session = c.LogSession("P-0001", 50, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])
        assert journal.execute(session, actor="eva") == "P-0001#2"
        yield kronika, clock


def test_a_correction_shows_in_the_history_beside_the_original(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    assert sos.ok("entry correct P-0001#2 --minutes 45 --reason 'typed 50 for 45'", user="vera") == "P-0001#3"

    table = sos.ok("history P-0001", user="vera")
    assert "minutes=50" in table  # the original, as recorded
    assert "corrected by #3: minutes: 50 → 45 (typed 50 for 45)" in table
    assert "correction of #2" in table
    assert table.index("minutes=50") < table.index("corrected by #3")

    history = sos.json("history P-0001", user="vera")
    session, correction = history["entries"][1:]
    assert session["recorded"]["minutes"] == 50
    assert session["current"]["minutes"] == 45
    assert session["corrected_by"] == [3]
    assert (correction["kind"], correction["points_at"], correction["recorded_by"]) == (
        "correction",
        2,
        "vera",
    )
    assert correction["recorded"]["changes"] == {"minutes": 45}
    assert correction["recorded"]["reason"] == "typed 50 for 45"


def test_history_as_of_a_day_before_the_correction_shows_the_original_alone(
    recorded_in_march: tuple[Kronika, Clock],
) -> None:
    kronika, _ = recorded_in_march
    yesterday = datetime.now(PRAGUE).date() - timedelta(days=1)  # taken first: the correction is later
    assert (
        kronika.ok("entry correct P-1#2 --minutes 45 --reason 'typed 50 for 45'", user="vera") == "P-0001#3"
    )

    before = kronika.json(f"history P-1 --as-of {yesterday.isoformat()}")
    assert [e["kind"] for e in before["entries"]] == ["opened", "session"]
    assert before["entries"][1]["current"]["minutes"] == 50
    assert before["entries"][1]["corrected_by"] == []
    table = kronika.ok(f"history P-1 --as-of {yesterday:%d.%m.%Y}")
    assert "as recorded by" in table
    assert "minutes=50" in table
    assert "corrected" not in table

    now = kronika.json("history P-1")
    assert [e["kind"] for e in now["entries"]] == ["opened", "session", "correction"]
    assert now["entries"][1]["current"]["minutes"] == 45


def test_as_of_means_as_recorded_by_the_end_of_that_day_in_prague(
    recorded_in_march: tuple[Kronika, Clock],
) -> None:
    kronika, clock = recorded_in_march
    clock.now = datetime(2025, 3, 19, 23, 30, tzinfo=UTC)  # 20.3.2025 00:30 in Prague
    with kronika.journal(clock=clock) as journal:
        journal.execute(c.CorrectEntry("P-0001#2", {"minutes": 45}, "typed 50 for 45"), actor="vera")

    def kinds(day: str) -> list[str]:
        return [e["kind"] for e in kronika.json(f"history P-0001 --as-of {day}")["entries"]]

    assert kinds("19.3.2025") == ["opened", "session"]
    assert kinds("2025-03-20") == ["opened", "session", "correction"]
    assert kinds("4.3.2025") == ["opened"]
    assert kronika.json("history P-0001 --as-of 19.3.2025")["as_of"].startswith("2025-03-19T22:59:59")
    err = kronika.refused("history P-0001 --as-of 28.2.2025")
    assert (
        err == "Error: case P-0001 had not been recorded by 2025-02-28 23:59; give a later --as-of, or none"
    )


def test_a_retraction_shows_beside_what_it_retracts_and_stops_corrections(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    assert sos.ok("entry retract P-1#2 --reason 'logged on the wrong case'", user="vera") == "P-0001#3"
    table = sos.ok("history P-1", user="eva")
    assert "RETRACTED by #3: logged on the wrong case" in table
    history = sos.json("history P-1")
    assert history["entries"][1]["retracted_by"] == 3
    assert history["sessions"] == 0
    err = sos.refused("entry correct P-1#2 --minutes 45 --reason late", user="vera")
    assert "P-0001#2 was retracted" in err
    sos.refused("entry retract P-1#2 --reason again", user="vera")


def test_corrections_and_retractions_are_for_supervisors(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    assert "eva may not" in sos.refused("entry correct P-1#2 --minutes 45 --reason typo", user="eva")
    assert "eva may not" in sos.refused("entry retract P-1#2 --reason typo", user="eva")


def test_a_correction_must_point_at_a_correctable_field_of_an_existing_entry(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    assert "no entry P-0001#9" in sos.refused("entry correct P-1#9 --minutes 45 --reason typo", user="vera")
    err = sos.refused("entry correct P-1#2 --channel phone --reason typo", user="vera")
    assert "no correctable field channel" in err
    err = sos.refused("entry correct P-1#2 --reason 'nothing named'", user="vera", exit_code=2)
    assert "--minutes" in err
    assert "is not an entry" in sos.refused("entry correct K-1 --minutes 5 --reason typo", user="vera")


def test_an_entry_that_cannot_be_corrected_at_all_is_named_plainly(sos: Kronika) -> None:
    err = sos.refused("entry correct P-1#1 --minutes 45 --reason typo", user="vera")  # the opening
    assert "P-0001#1 (opened)" in err
    assert "field ;" not in err  # no empty field name where there is none


def test_corrected_values_are_checked_like_the_originals(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    sos.refused("entry correct P-1#2 --minutes 0 --reason typo", user="vera")
    sos.refused("entry correct P-1#2 --form residential --reason typo", user="vera")
    sos.refused("entry correct P-1#2 --at '1.1.2025 10:00' --reason typo", user="vera")


def test_many_fields_of_a_session_are_corrected_at_once(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    sos.ok(
        "entry correct P-1#2 --at '3.3.2025 11:00' --form field --activity counselling,accompaniment "
        "--staff eva,vera --district 'Praha 5' --note 'corrected note' --reason 'from the paper log'",
        user="vera",
    )
    current = sos.json("history P-1")["entries"][1]["current"]
    assert current["occurred_at"] == "2025-03-03T10:00:00+00:00"
    assert (current["form"], current["activities"], current["staff"]) == (
        "field",
        ["counselling", "accompaniment"],
        ["eva", "vera"],
    )
    assert (current["district"], current["note"]) == ("Praha 5", "corrected note")


def test_referrals_goals_and_contacts_are_corrected_by_their_codes(sos: Kronika) -> None:
    sos.ok("referral add P-1 --to 'PL Bohnice' --kind psychiatric --at 3.3.2025", user="eva")
    assert sos.ok(
        "entry correct R-0001 --to 'PL Havlíčkův Brod' --kind medical --reason typo", user="vera"
    ) == ("P-0001#3")
    sos.ok("referral outcome R-1 no-show --on 4.3.2025", user="eva")
    sos.ok("entry correct P-1#4 --outcome accepted --reason 'she went after all'", user="vera")
    sos.ok("goal set P-1 --goal 'housing' --at 3.3.2025", user="eva")
    sos.ok("entry correct P-1#6 --goal 'safe housing' --reason wording", user="vera")
    history = sos.json("history P-1")["entries"]
    assert (history[1]["current"]["organisation"], history[1]["current"]["kind"]) == (
        "PL Havlíčkův Brod",
        "medical",
    )
    assert history[3]["current"]["outcome"] == "accepted"
    assert history[5]["current"]["goal"] == "safe housing"

    assert sos.ok("contact log --service SOS --channel phone --minutes 10", user="eva") == "C-0001"
    assert sos.ok("entry correct C-0001 --minutes 20 --reason typo", user="vera") == "C-0001"
    assert sos.ok("entry retract C-1 --reason 'logged twice'", user="vera") == "C-0001"
    assert "C-0001 was retracted" in sos.refused("entry correct C-1 --minutes 25 --reason typo", user="vera")


def test_history_of_an_unknown_case_is_refused(sos: Kronika) -> None:
    assert "there is no case P-0009" in sos.refused("history P-9")
    assert "is not a case code" in sos.refused("history X-1")


def test_history_table_names_the_case_client_service_and_key_worker(sos: Kronika) -> None:
    table = sos.ok("history P-1", user="eva")
    for text in ("P-0001", "K-0001", "SOS", "eva", "open", "opened"):
        assert text in table


def test_reading_history_needs_active_staff(sos: Kronika) -> None:
    assert "nobody is not active staff" in sos.refused("history P-1", user="nobody")


def test_recorded_at_and_by_show_who_wrote_when(recorded_in_march: tuple[Kronika, Clock]) -> None:
    kronika, _ = recorded_in_march
    session = kronika.json("history P-1")["entries"][1]
    assert session["recorded_at"].startswith("2025-03-05T10:00")
    assert session["recorded_by"] == "eva"
    assert date.fromisoformat(session["occurred_at"][:10]) == date(2025, 3, 5)
