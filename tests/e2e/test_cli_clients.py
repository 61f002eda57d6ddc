"""``kronika client ...`` and ``kronika enquiry ...`` through the real CLI."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika


@pytest.fixture
def office(kronika: Kronika) -> Kronika:
    kronika.ok(
        "service add SOS --name 'SOS centrum' --type crisis-help --forms ambulatory,field --min-age 11"
    )
    kronika.ok("staff add eva --name 'Eva Malá' --role worker --service SOS")
    kronika.ok("staff add vera --name 'Věra Velká' --role supervisor --service SOS")
    return kronika


def test_an_anonymous_client_has_nothing_but_a_code(office: Kronika) -> None:
    assert office.ok("client add --anonymous", user="eva") == "K-0001"
    shown = office.json("client show K-1", user="eva")
    assert shown["kind"] == "anonymous"
    assert {k: v for k, v in shown.items() if k not in ("code", "kind", "registered", "consents")} == {
        "birth_year": None,
        "age_band": None,
        "sex": None,
        "district": None,
        "target_group": None,
        "legal_hold": None,
        "erased": False,
    }


def test_an_anonymous_client_with_attributes_is_refused(office: Kronika) -> None:
    err = office.refused("client add --anonymous --birth-year 1990", user="eva")
    assert "anonymous" in err


def test_a_pseudonymous_client_has_a_code_and_attributes(office: Kronika) -> None:
    code = office.ok(
        "client add --birth-year 1990 --sex female --district 'Praha 3' --target-group 'oběti násilí'",
        user="eva",
    )
    assert code == "K-0001"
    shown = office.json(f"client show {code}", user="eva")
    assert shown["kind"] == "pseudonymous"
    assert (shown["birth_year"], shown["sex"], shown["district"], shown["target_group"]) == (
        1990,
        "female",
        "Praha 3",
        "oběti násilí",
    )
    assert "name" not in shown


def test_an_identified_client_has_personal_data_shown_to_staff(office: Kronika) -> None:
    office.ok("client add --age-band 18-26", user="eva")
    code = office.ok("client add --name 'Jana Nová' --birth-date 1.5.1992 --contact 777123456", user="eva")
    assert code == "K-0002"
    shown = office.json("client show k-2", user="eva")
    assert shown["kind"] == "identified"
    assert (shown["name"], shown["birth_date"], shown["contact"]) == ("Jana Nová", "1992-05-01", "777123456")
    assert shown["birth_year"] == 1992  # taken from the date of birth
    table = office.ok("client show K-0002", user="eva")
    assert "Jana Nová" in table
    assert "identified" in table


def test_personal_data_without_a_name_is_refused(office: Kronika) -> None:
    err = office.refused("client add --birth-date 1.5.1992", user="eva")
    assert err == "Error: birth_date: is personal data, kept only of an identified client: give the name too"


def test_a_client_is_amended_and_only_what_is_named_changes(office: Kronika) -> None:
    office.ok("client add --birth-year 1990 --sex female --district 'Praha 3'", user="eva")
    assert office.ok("client amend K-0001 --district 'Praha 10'", user="eva") == "K-0001"
    shown = office.json("client show K-0001", user="eva")
    assert (shown["district"], shown["birth_year"], shown["sex"]) == ("Praha 10", 1990, "female")


def test_an_amendment_that_changes_nothing_is_refused(office: Kronika) -> None:
    office.ok("client add --district 'Praha 3'", user="eva")
    assert "changes nothing" in office.refused("client amend K-1 --district 'Praha 3'", user="eva")


def test_personal_data_cannot_be_added_to_a_pseudonymous_client(office: Kronika) -> None:
    office.ok("client add --district 'Praha 3'", user="eva")
    assert "pseudonymous" in office.refused("client amend K-1 --name 'Jana Nová'", user="eva")


def test_consent_is_given_and_withdrawn(office: Kronika) -> None:
    office.ok("client add --name 'Jana Nová'", user="eva")
    office.ok("client consent K-1 --purpose 'sharing with OSPOD'", user="eva")
    assert office.json("client show K-1", user="eva")["consents"] == {"sharing with OSPOD": True}
    office.ok("client consent K-1 --purpose 'sharing with OSPOD' --withdrawn", user="eva")
    assert office.json("client show K-1", user="eva")["consents"] == {"sharing with OSPOD": False}
    assert "withdrawn" in office.ok("client show K-1", user="eva")


def test_an_unknown_client_is_named_in_the_refusal(office: Kronika) -> None:
    assert "there is no client K-0009" in office.refused("client show K-9", user="eva")
    assert "there is no client K-0009" in office.refused("client amend K-9 --district X", user="eva")


def test_an_enquiry_is_recorded_and_refused_for_a_statutory_reason(office: Kronika) -> None:
    result = json.loads(
        office.ok("enquiry add --service SOS --channel phone --at '2.3.2025 9:15' --json", user="eva")
    )
    assert result == {"result": "E-0001"}
    assert office.ok(
        "enquiry refuse E-1 --reason b --pointed-to 'Krizové centrum RIAPS' --on 2.3.2025", user="eva"
    ) == ("E-0001")
    assert "already refused" in office.refused("enquiry refuse E-0001 --reason a", user="eva")


def test_a_client_below_the_minimum_age_gets_no_case_and_is_shown_the_way_out(office: Kronika) -> None:
    office.ok("client add --birth-year 2018", user="eva")
    err = office.refused("case open K-1 --service SOS", user="eva")
    assert "outside the age range 11-" in err
    assert "enquiry refuse" in err
    assert "--override" in err
    # The way out: an enquiry refused with reason a.
    office.ok("enquiry add --service SOS --client K-1", user="eva")
    assert office.ok("enquiry refuse E-1 --reason a --pointed-to 'Linka bezpečí'", user="eva") == "E-0001"


def test_a_supervisor_may_open_a_case_outside_the_age_range_with_a_reason(office: Kronika) -> None:
    office.ok("client add --birth-year 2012", user="eva")
    office.refused("case open K-1 --service SOS --override 'court order'", user="eva")
    assert office.ok("case open K-1 --service SOS --override 'court order'", user="vera") == "P-0001"
    history = office.json("history P-1", user="vera")
    assert history["entries"][0]["recorded"]["override"] == "court order"


def test_a_case_opened_from_an_enquiry_closes_the_enquiry(office: Kronika) -> None:
    office.ok("client add --birth-year 1990", user="eva")
    office.ok("enquiry add --service SOS --client K-1", user="eva")
    assert office.ok("case open K-1 --service SOS --enquiry E-1 --agreement written", user="eva") == "P-0001"
    assert "already refused or led to a case" in office.refused("enquiry refuse E-1 --reason b", user="eva")
    opened = office.json("history P-1", user="eva")["entries"][0]["recorded"]
    assert (opened["enquiry"], opened["agreement"]) == ("E-0001", "written")
