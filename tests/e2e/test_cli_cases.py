"""Cases and what happens in them, through the real CLI.

``sos`` is a crisis centre (ambulatory and field, 11+, 12 sessions a case)
with worker eva, supervisor vera, client K-0001 and case P-0001 opened on
1.3.2025 (see conftest.py).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika


SESSION = "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention"


def entries(kronika: Kronika, case: str = "P-0001") -> list[dict[str, Any]]:
    return kronika.json(f"history {case}")["entries"]


def test_a_case_is_opened_closed_and_reopened(sos: Kronika) -> None:
    assert sos.ok("case close P-0001 --reason goal-met --on 20.3.2025", user="vera") == "P-0001#2"
    assert sos.json("history P-1")["is_open"] is False
    assert "case P-0001 is closed" in sos.refused("case close P-0001 --reason other", user="vera")
    assert sos.ok("case reopen P-1 --reason 'client returned'", user="vera") == "P-0001#3"
    assert "open already" in sos.refused("case reopen P-1 --reason again", user="vera")
    history = sos.json("history P-1")
    assert history["is_open"] is True
    assert [e["kind"] for e in history["entries"]] == ["opened", "closed", "reopened"]
    assert history["entries"][1]["recorded"]["reason"] == "goal-met"


def test_only_a_supervisor_closes_or_reopens_a_case(sos: Kronika) -> None:
    err = sos.refused("case close P-1 --reason goal-met", user="eva")
    assert err.startswith("Error: eva may not correct, retract, override, close or reopen")
    sos.ok("case close P-1 --reason goal-met", user="vera")
    sos.refused("case reopen P-1 --reason back", user="eva")


def test_nothing_is_logged_on_a_closed_case_and_the_refusal_says_reopen(sos: Kronika) -> None:
    sos.ok("case close P-1 --reason lost-contact", user="vera")
    for command in (
        SESSION,
        "contact log --case P-1 --channel phone --minutes 5",
        "referral add P-1 --to 'PL Bohnice' --kind psychiatric",
    ):
        err = sos.refused(command, user="eva")
        assert "case P-0001 is closed" in err
        assert "kronika case reopen P-0001" in err


def test_a_contact_in_a_case_is_an_entry_of_the_case(sos: Kronika) -> None:
    out = sos.ok("contact log --case P-1 --channel phone --minutes 10 --at '2.3.2025 10:00'", user="eva")
    assert out == "P-0001#2"
    [_, contact] = entries(sos)
    assert contact["kind"] == "contact"
    assert contact["recorded"] == {"channel": "phone", "minutes": 10, "form": "ambulatory"}
    assert contact["occurred_at"] == "2025-03-02T09:00:00+00:00"


def test_a_contact_with_a_service_only_gets_a_c_code(sos: Kronika) -> None:
    assert sos.ok("contact log --service SOS --channel chat --minutes 15", user="eva") == "C-0001"
    assert sos.ok(
        "contact log --service SOS --client K-1 --channel email --minutes 5 --form field", user="eva"
    ) == ("C-0002")
    assert len(entries(sos)) == 1  # not entries of the case


def test_a_contact_needs_a_case_or_a_service_not_both(sos: Kronika) -> None:
    assert "not both" in sos.refused(
        "contact log --case P-1 --service SOS --channel phone --minutes 10", user="eva"
    )
    err = sos.refused("contact log --channel phone --minutes 10", user="eva", exit_code=2)
    assert "--case" in err


def test_a_contact_in_a_form_the_service_does_not_offer_is_refused(sos: Kronika) -> None:
    err = sos.refused("contact log --service SOS --channel phone --minutes 10 --form residential", user="eva")
    assert "not registered for the residential form" in err


def test_a_session_records_who_was_there_what_was_done_and_where(sos: Kronika) -> None:
    out = sos.ok(
        "session log P-1 --minutes 50 --form field --activity crisis-intervention,accompaniment "
        "--staff eva,vera --at '3.3.2025 14:30' --district 'Praha 3' --note 'first meeting'",
        user="eva",
    )
    assert out == "P-0001#2"
    session = entries(sos)[1]
    assert session["recorded_by"] == "eva"
    assert session["occurred_at"] == "2025-03-03T13:30:00+00:00"
    assert session["recorded"] == {
        "minutes": 50,
        "form": "field",
        "activities": ["crisis-intervention", "accompaniment"],
        "staff": ["eva", "vera"],
        "district": "Praha 3",
        "override": None,
        "note": "first meeting",
    }
    assert sos.json("history P-1")["sessions"] == 1


@pytest.mark.parametrize(
    ("command", "user"),
    [
        ("case close P-1 --reason goal-met", "vera"),  # another command, by someone who may run it
        ("case close P-1 --reason goal-met", "audrey"),  # ... by an auditor, who may not
        (f"{SESSION} --at '2.3.2025 11:00'", "vera"),  # the same kind of command, by someone else
    ],
)
def test_a_command_id_used_before_for_another_command_is_refused_not_answered(
    sos: Kronika, command: str, user: str
) -> None:
    """Answering from the first command's receipt would tell them it was done, with nothing recorded."""
    sos.ok("staff add audrey --name 'Audrey Auditorová' --role auditor")
    command_id = "5f0c6f0e-8f1e-4a39-9a5e-3f1d2c4b5a69"
    sos.ok(f"{SESSION} --at '2.3.2025 10:00' --command-id {command_id}", user="eva")
    err = sos.refused(f"{command} --command-id {command_id}", user=user)
    assert err == (
        f"Error: command id {command_id} answered another command, or someone else's; nothing was written. "
        "Give this command an id of its own"
    )
    replayed = sos.json("history P-1")
    assert (replayed["is_open"], replayed["sessions"]) == (True, 1)


def test_the_one_logging_a_session_is_present_by_default(sos: Kronika) -> None:
    sos.ok(SESSION, user="eva")
    assert entries(sos)[1]["recorded"]["staff"] == ["eva"]


def test_durations_are_whole_minutes_from_1_to_1440(sos: Kronika) -> None:
    for minutes in ("0", "1441", "-5"):
        err = sos.refused(
            f"session log P-1 --minutes {minutes} --form field --activity counselling", user="eva"
        )
        assert "minutes" in err
    sos.refused("session log P-1 --minutes 50.5 --form field --activity counselling", user="eva", exit_code=2)
    assert (
        sos.ok("session log P-1 --minutes 1440 --form field --activity counselling", user="eva") == "P-0001#2"
    )


def test_nothing_happens_before_the_case_opened_or_in_the_future(sos: Kronika) -> None:
    err = sos.refused(f"{SESSION} --at '28.2.2025 10:00'", user="eva")
    assert "case P-0001 was opened only at 2025-03-01 00:00; give a later date or time" in err  # in Prague
    err = sos.refused("case close P-1 --reason goal-met --on 28.2.2025", user="vera")
    assert "case P-0001 was opened only at 2025-03-01 00:00; give a later date or time" in err
    err = sos.refused(f"{SESSION} --at '1.1.2099 10:00'", user="eva")
    assert "2099-01-01 10:00 is in the future" in err  # as given, in Prague's time


def test_the_13th_session_of_a_12_session_case_needs_a_supervisors_override(sos: Kronika) -> None:
    for day in range(2, 14):
        assert sos.ok(f"{SESSION} --at '{day}.3.2025 10:00'", user="eva") == f"P-0001#{day}"
    assert sos.json("history P-1")["sessions"] == 12

    err = sos.refused(f"{SESSION} --at '14.3.2025 10:00'", user="eva")
    assert "P-0001" in err
    assert "12 sessions" in err
    assert "--override" in err

    err = sos.refused(f"{SESSION} --at '14.3.2025 10:00' --override 'acute crisis'", user="eva")
    assert "eva may not" in err

    assert sos.ok(f"{SESSION} --at '14.3.2025 10:00' --override 'acute crisis'", user="vera") == "P-0001#14"
    history = sos.json("history P-1")
    assert history["sessions"] == 13
    assert history["entries"][-1]["recorded"]["override"] == "acute crisis"


def test_a_retracted_session_does_not_count_towards_the_limit(sos: Kronika) -> None:
    sos.ok("service change SOS --session-limit 1")
    sos.ok(f"{SESSION} --at '2.3.2025 10:00'", user="eva")
    sos.refused(f"{SESSION} --at '3.3.2025 10:00'", user="eva")
    sos.ok("entry retract P-1#2 --reason 'wrong case'", user="vera")
    assert sos.ok(f"{SESSION} --at '3.3.2025 10:00'", user="eva") == "P-0001#4"


def test_staff_record_only_in_their_own_services_cases(sos: Kronika) -> None:
    sos.ok("service add IC --name 'Intervenční centrum' --type intervention-centre --forms ambulatory")
    sos.ok("staff add petr --name Petr --role worker --service IC")
    err = sos.refused(SESSION, user="petr")
    assert "petr may not record client work" in err
    assert "SOS" in err
    sos.ok("staff add olga --name Olga --role auditor")
    sos.refused(SESSION, user="olga")
    assert sos.json("history P-1 --purpose audit", user="olga")["case"] == "P-0001"  # auditors read


def test_a_referral_gets_an_r_code_and_later_its_outcome(sos: Kronika) -> None:
    out = sos.ok(
        "referral add P-1 --to 'PL Bohnice' --kind psychiatric --reason 'suicidal thoughts' --at 3.3.2025",
        user="eva",
    )
    assert out == "R-0001"
    assert sos.ok("referral outcome R-1 accepted --on 5.3.2025", user="eva") == "P-0001#3"
    referral, outcome = entries(sos)[1:]
    assert referral["kind"] == "referral"
    assert referral["recorded"] == {
        "referral": "R-0001",
        "organisation": "PL Bohnice",
        "kind": "psychiatric",
        "reason": "suicidal thoughts",
    }
    assert (outcome["kind"], outcome["points_at"], outcome["recorded"]["outcome"]) == (
        "referral-outcome",
        2,
        "accepted",
    )


def test_a_referral_outcome_needs_an_existing_referral_and_a_sensible_date(sos: Kronika) -> None:
    assert "there is no referral R-0009" in sos.refused("referral outcome R-9 accepted", user="eva")
    sos.ok("referral add P-1 --to 'AK Novák' --kind legal --at 4.3.2025", user="eva")
    assert "before the referral" in sos.refused("referral outcome R-1 declined --on 2.3.2025", user="eva")
    sos.refused("referral outcome R-1 maybe", user="eva", exit_code=2)


def test_a_goal_is_set_and_reviewed(sos: Kronika) -> None:
    assert sos.ok("goal set P-1 --goal 'find safe housing' --at 2.3.2025", user="eva") == "P-0001#2"
    assert (
        sos.ok("goal review P-0001#2 --status partly-achieved --note 'shelter found'", user="eva")
        == "P-0001#3"
    )
    goal, review = entries(sos)[1:]
    assert (goal["kind"], goal["recorded"]["goal"]) == ("goal", "find safe housing")
    assert (review["kind"], review["points_at"], review["recorded"]["status"]) == (
        "goal-review",
        2,
        "partly-achieved",
    )
    assert "P-0001#1 (goal)" in sos.refused("goal review P-1#1 --status achieved", user="eva")


def test_a_complaint_is_received_and_resolved_by_a_supervisor(sos: Kronika) -> None:
    out = json.loads(
        sos.ok("complaint add --service SOS --summary 'waited too long' --client K-1 --json", user="eva")
    )
    assert out == {"result": "S-0001"}
    sos.refused("complaint resolve S-1 --outcome justified", user="eva")
    assert (
        sos.ok("complaint resolve S-1 --outcome partly-justified --response 'apologised'", user="vera")
        == "S-0001"
    )
    assert "already resolved" in sos.refused("complaint resolve S-1 --outcome unjustified", user="vera")


def test_a_retried_command_with_the_same_command_id_is_recorded_once(sos: Kronika) -> None:
    command_id = "5f0c6f0e-8f1e-4a39-9a5e-3f1d2c4b5a69"
    first = sos.ok(f"{SESSION} --at '2.3.2025 10:00' --command-id {command_id}", user="eva")
    facts = sos.facts()
    again = sos.ok(f"{SESSION} --at '2.3.2025 10:00' --command-id {command_id}", user="eva")
    assert first == again == "P-0001#2"
    assert sos.facts() == facts
    assert sos.json("history P-1")["sessions"] == 1
