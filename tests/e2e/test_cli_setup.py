"""``kronika init``, ``service ...`` and ``staff ...`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN, Kronika

SOS = (
    "service add SOS --name 'SOS centrum' --type crisis-help --forms ambulatory,field --min-age 11 "
    "--capacity 3 --hours 'Mon-Fri 09:00-17:00' --session-limit 12 --target-groups 'osoby v krizi,oběti' "
    "--registry-id 1234567"
)


def test_init_creates_the_journal_and_makes_the_user_its_admin(kronika: Kronika) -> None:
    # The fixture ran `kronika init` as admin already; admin may now administer.
    staff = kronika.json("staff list")
    assert staff == [
        {"login": "admin", "name": "Admin Istrator", "role": "admin", "services": [], "active": True}
    ]


def test_init_creates_the_master_key_once_and_says_where_it_is(empty_kronika: Kronika) -> None:
    out = empty_kronika.ok("init")
    key = empty_kronika.settings.key_file
    assert f"Its master key is {key} (readable by you only)" in out
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    text = key.read_text()
    again = empty_kronika.ok("init")
    assert "master key" not in again
    assert key.read_text() == text


def test_init_twice_is_harmless(kronika: Kronika) -> None:
    before = kronika.facts()
    out = kronika.ok("init --name 'Someone Else'", user="mallory")
    assert "exists already" in out
    assert kronika.facts() == before
    assert [m["login"] for m in kronika.json("staff list")] == ["admin"]


def test_a_service_is_registered_and_listed_with_its_parameters(kronika: Kronika) -> None:
    assert kronika.ok(SOS) == "SOS"
    [service] = kronika.json("service list")
    assert service == {
        "code": "SOS",
        "name": "SOS centrum",
        "type": "crisis-help",
        "forms": ["ambulatory", "field"],
        "min_age": 11,
        "max_age": None,
        "capacity": 3,
        "hours": "Mon-Fri 09:00-17:00",
        "session_limit": 12,
        "target_groups": ["osoby v krizi", "oběti"],
        "registry_id": "1234567",
    }
    table = kronika.ok("service list")
    assert "SOS centrum" in table
    assert "§60" in table


def test_changing_a_service_keeps_what_is_not_named(kronika: Kronika) -> None:
    kronika.ok(SOS)
    assert json.loads(kronika.ok("service change SOS --session-limit 10 --hours nonstop --json")) == {
        "result": "SOS"
    }
    [service] = kronika.json("service list")
    assert service["session_limit"] == 10
    assert service["hours"] == "nonstop"
    assert service["name"] == "SOS centrum"
    assert service["forms"] == ["ambulatory", "field"]


def test_a_service_code_is_registered_once(kronika: Kronika) -> None:
    kronika.ok(SOS)
    err = kronika.refused("service add sos --name Other --type counselling --forms ambulatory")
    assert "SOS" in err
    assert "exists already" in err


def test_unreadable_opening_hours_are_refused(kronika: Kronika) -> None:
    err = kronika.refused("service add SOS --name SOS --type crisis-help --forms field --hours 'daily 9-5'")
    assert "hours" in err


def test_changing_an_unknown_service_is_refused(kronika: Kronika) -> None:
    assert "there is no service NOPE" in kronika.refused("service change NOPE --capacity 2")


def test_staff_are_added_given_roles_and_leave(kronika: Kronika) -> None:
    kronika.ok(SOS)
    assert kronika.ok("staff add eva --name 'Eva Malá' --role worker --service SOS") == "eva"
    assert kronika.ok("staff add olga --name 'Olga Veselá' --role auditor") == "olga"
    assert kronika.ok("staff role eva --role supervisor --service SOS") == "eva"
    assert kronika.ok("staff leave olga") == "olga"
    members = {m["login"]: m for m in kronika.json("staff list")}
    assert members["eva"] == {
        "login": "eva",
        "name": "Eva Malá",
        "role": "supervisor",
        "services": ["SOS"],
        "active": True,
    }
    assert members["olga"]["active"] is False
    table = kronika.ok("staff list")
    assert "Eva Malá" in table
    assert "supervisor" in table


def test_the_last_active_admin_cannot_leave_or_stop_being_admin(kronika: Kronika) -> None:
    """Once, the only admin could leave: then nobody could add staff, themselves included, ever again."""
    kronika.ok(SOS)
    kronika.ok("staff add olga --name 'Olga Veselá' --role admin")
    kronika.ok("staff leave olga")
    for command in (f"staff leave {ADMIN}", f"staff role {ADMIN} --role supervisor --service SOS"):
        assert kronika.refused(command) == (
            f"Error: {ADMIN} is the journal's last active admin; make someone else admin first: "
            "kronika staff role LOGIN --role admin"
        )
    kronika.ok("staff add petr --name 'Petr Svoboda' --role worker --service SOS")
    kronika.ok("staff role petr --role admin")
    assert kronika.ok(f"staff leave {ADMIN}") == ADMIN
    assert kronika.ok("staff add jan --name Jan --role worker --service SOS", user="petr") == "jan"


def test_a_worker_needs_a_service_and_a_proper_login(kronika: Kronika) -> None:
    kronika.ok(SOS)
    assert "at least one service" in kronika.refused("staff add jan --name Jan --role worker")
    assert "is not a login" in kronika.refused("staff add Jan --name Jan --role worker --service SOS")
    assert "there is no service XYZ" in kronika.refused(
        "staff add jan --name Jan --role worker --service XYZ"
    )


def test_a_login_is_added_once(kronika: Kronika) -> None:
    kronika.ok(SOS)
    kronika.ok("staff add eva --name Eva --role worker --service SOS")
    assert "exists already" in kronika.refused("staff add eva --name Eva --role worker --service SOS")


def test_only_an_admin_manages_services_and_staff(kronika: Kronika) -> None:
    kronika.ok(SOS)
    kronika.ok("staff add vera --name Věra --role supervisor --service SOS")
    err = kronika.refused("staff add jan --name Jan --role worker --service SOS", user="vera")
    assert err.startswith(
        "Error: vera may not administer the journal (services, staff, backups, projections)"
    )
    assert "admin" in err
    kronika.refused("service change SOS --capacity 10", user="vera")


def test_someone_who_is_not_staff_cannot_record_anything(kronika: Kronika) -> None:
    kronika.ok(SOS)
    err = kronika.refused("client add", user="nobody")
    assert "nobody is not active staff" in err
    assert "kronika staff add nobody" in err


def test_staff_who_left_can_no_longer_record(kronika: Kronika) -> None:
    kronika.ok(SOS)
    kronika.ok("staff add eva --name Eva --role worker --service SOS")
    kronika.ok("client add", user="eva")
    kronika.ok("staff leave eva")
    assert kronika.refused("client add", user="eva") == (
        "Error: eva has left this journal's staff; someone who comes back is added anew, "
        "under a new login: kronika staff add LOGIN ..."
    )
    err = kronika.refused("client add", user="Eva")
    assert err == "Error: login: 'Eva' is not a login (lower-case letters, digits, '.', '_', '-')"
    assert kronika.ok("client add", user=" admin ") == "K-0002"  # as typed in a hurry


@pytest.mark.postgres
def test_init_never_prints_the_database_password(postgres_url: str, tmp_path: Path) -> None:
    with_password = postgres_url.replace("postgres@", "postgres:s3cret-pw@", 1)  # trust auth ignores it
    assert with_password != postgres_url
    runner = Kronika(tmp_path, with_password)
    try:
        out = runner.ok("init --name Admin")
    finally:
        runner.close()
    assert "s3cret-pw" not in out
    assert "postgres:***@127.0.0.1" in out
