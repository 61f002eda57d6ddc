"""Clients: anonymous, pseudonymous or identified; what may be known of them; their age."""

from __future__ import annotations

from datetime import date

import pytest

from domain.client import Client as ClientRecord
from domain.client import ClientAttributes, band_bounds, check_personal
from domain.errors import InvalidValue
from domain.vocabulary import ClientKind, Sex

TODAY = date(2025, 3, 12)


def register(moments, kind: ClientKind, attributes: ClientAttributes | None = None, **personal: str):
    return ClientRecord.register("K-0001", kind, attributes or ClientAttributes(), personal, moments.stamp())


@pytest.mark.parametrize(
    ("band", "bounds"),
    [("18-26", (18, 26)), ("11-17", (11, 17)), ("65+", (65, None)), (" 27-64 ", (27, 64)), ("0-0", (0, 0))],
)
def test_an_age_band_gives_its_youngest_and_oldest_age(band: str, bounds: tuple[int, int | None]) -> None:
    assert band_bounds(band) == bounds


@pytest.mark.parametrize("band", ["", "adult", "18", "26-18", "18–26", "-5", "18-", "1000-1001"])
def test_an_unreadable_or_backwards_age_band_is_refused(band: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        band_bounds(band)
    assert refused.value.field == "age-band"


def test_attributes_are_checked_and_their_text_tidied() -> None:
    attributes = ClientAttributes(1990, "27-64", Sex.FEMALE, "  Praha   4 ", " oběti násilí ")
    checked = attributes.checked(TODAY)
    assert checked == ClientAttributes(1990, "27-64", Sex.FEMALE, "Praha 4", "oběti násilí")


@pytest.mark.parametrize("year", [1904, 2026, 3000])
def test_an_implausible_birth_year_is_refused(year: int) -> None:
    with pytest.raises(InvalidValue) as refused:
        ClientAttributes(birth_year=year).checked(TODAY)
    assert refused.value.field == "birth-year"


@pytest.mark.parametrize("year", [1905, 2025])
def test_birth_years_from_120_years_ago_to_this_year_are_plausible(year: int) -> None:
    assert ClientAttributes(birth_year=year).checked(TODAY).birth_year == year


def test_a_district_left_blank_means_not_stated() -> None:
    assert ClientAttributes(district="").checked(TODAY).district is None
    assert ClientAttributes().is_empty
    assert not ClientAttributes(sex=Sex.NOT_STATED).is_empty


def test_personal_data_is_limited_to_name_birth_date_and_contact() -> None:
    personal = check_personal(
        {"name": " Jana  Nováková ", "birth_date": "1990-05-01", "contact": "777 123 456"}, TODAY
    )
    assert personal == {"name": "Jana Nováková", "birth_date": "1990-05-01", "contact": "777 123 456"}
    with pytest.raises(InvalidValue) as refused:
        check_personal({"address": "Vinohradská 1"}, TODAY)
    assert refused.value.field == "address"


@pytest.mark.parametrize("born", ["1.5.1990", "1990-13-01", "2025-03-13", "1900-01-01"])
def test_an_impossible_date_of_birth_is_refused(born: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_personal({"birth_date": born}, TODAY)
    assert refused.value.field == "birth-date"


def test_an_anonymous_client_carries_nothing(moments) -> None:
    client = register(moments, ClientKind.ANONYMOUS)
    assert client.kind is ClientKind.ANONYMOUS
    assert client.attributes.is_empty
    assert client.personal == {}


def test_an_anonymous_client_with_attributes_or_a_name_is_refused(moments) -> None:
    with pytest.raises(InvalidValue):
        register(moments, ClientKind.ANONYMOUS, ClientAttributes(birth_year=1990))
    with pytest.raises(InvalidValue):
        register(moments, ClientKind.ANONYMOUS, name="Jana")


def test_a_pseudonymous_client_has_attributes_but_no_personal_data(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(age_band="18-26", district="Kladno"))
    assert client.attributes.district == "Kladno"
    for personal in ({"name": "Jana"}, {"contact": "777 123 456"}, {"birth_date": "1990-05-01"}):
        with pytest.raises(InvalidValue) as refused:
            register(moments, ClientKind.PSEUDONYMOUS, **personal)
        (field,) = personal
        assert refused.value.field == field  # once always "name", whatever was given
        assert "give the name too" in refused.value.problem


def test_an_identified_client_needs_a_name_and_their_birth_date_gives_the_birth_year(moments) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(moments, ClientKind.IDENTIFIED, contact="777 123 456")
    assert refused.value.field == "name"
    client = register(moments, ClientKind.IDENTIFIED, name="Jana", birth_date="1990-05-01")
    assert client.attributes.birth_year == 1990
    assert client.personal == {"name": "Jana", "birth_date": "1990-05-01"}
    typed_too = register(
        moments, ClientKind.IDENTIFIED, ClientAttributes(1990), name="J", birth_date="1990-05-01"
    )
    assert typed_too.attributes.birth_year == 1990


def test_a_birth_year_other_than_the_date_of_births_is_refused_not_overwritten(moments) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(moments, ClientKind.IDENTIFIED, ClientAttributes(1980), name="Jana", birth_date="1990-05-01")
    assert refused.value.field == "birth_year"
    assert "1990" not in refused.value.problem  # a date of birth is not repeated
    client = register(moments, ClientKind.IDENTIFIED, ClientAttributes(1980), name="Jana")
    with pytest.raises(InvalidValue):
        client.amend({"birth_year": 1985}, {"birth_date": "1990-05-01"}, moments.later(days=1))
    client.amend({}, {"birth_date": "1990-05-01"}, moments.later(days=1))  # the year follows the new date
    assert client.attributes.birth_year == 1990


def test_the_age_from_a_date_of_birth_turns_on_the_birthday(moments) -> None:
    client = register(moments, ClientKind.IDENTIFIED, name="Jana", birth_date="2010-06-15")
    assert client.oldest_possible_age(date(2025, 6, 14)) == 14
    assert client.oldest_possible_age(date(2025, 6, 15)) == 15
    assert client.oldest_possible_age(date(2025, 12, 31)) == 15


def test_the_age_from_a_birth_year_assumes_the_birthday_has_passed(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=2010))
    assert client.oldest_possible_age(date(2025, 1, 1)) == 15
    assert client.oldest_possible_age(date(2025, 12, 31)) == 15


def test_the_age_from_an_estimated_band_is_its_top(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(age_band="11-17"))
    assert client.oldest_possible_age(TODAY) == 17


def test_the_age_is_unknown_without_birth_data_and_open_ended_for_an_open_band(moments) -> None:
    assert register(moments, ClientKind.ANONYMOUS).possible_ages(TODAY) == (None, None)
    open_band = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(age_band="65+"))
    assert open_band.possible_ages(TODAY) == (65, None)


def test_a_birth_year_leaves_a_year_of_doubt(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=2010))
    assert client.possible_ages(date(2025, 6, 1)) == (14, 15)


def test_an_amendment_records_only_what_changed(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=1990, district="Kladno"))
    client.amend({"district": "Beroun", "birth_year": 1990}, {}, moments.later(days=1))
    assert client.attributes.district == "Beroun"
    assert client.attributes.birth_year == 1990
    amended = client.collect_events()[-1]
    assert amended.changes == {"district": "Beroun"}  # type: ignore[attr-defined]


def test_an_amendment_that_changes_nothing_is_refused(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(district="Kladno"))
    with pytest.raises(InvalidValue, match="changes nothing"):
        client.amend({"district": "Kladno"}, {}, moments.later(days=1))
    assert client.version == 1
    identified = register(moments, ClientKind.IDENTIFIED, name="Eva Tajná", contact="777 123 456")
    with pytest.raises(InvalidValue, match="changes nothing"):  # once recorded, again and again
        identified.amend({}, {"name": "Eva Tajná"}, moments.later(days=1))
    identified.amend({}, {"name": "Eva Tajná", "contact": "777 000 000"}, moments.later(days=1))
    assert identified.collect_events()[-1].personal == {"contact": "777 000 000"}  # only what changed


def test_anonymous_and_pseudonymous_clients_cannot_be_given_personal_data_later(moments) -> None:
    anonymous = register(moments, ClientKind.ANONYMOUS)
    with pytest.raises(InvalidValue):
        anonymous.amend({"district": "Kladno"}, {}, moments.later(days=1))
    pseudonymous = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(district="Kladno"))
    with pytest.raises(InvalidValue):
        pseudonymous.amend({}, {"name": "Jana"}, moments.later(days=1))


def test_an_identified_client_may_have_a_date_of_birth_added_which_sets_the_birth_year(moments) -> None:
    client = register(moments, ClientKind.IDENTIFIED, name="Jana")
    client.amend({}, {"birth_date": "2008-02-29"}, moments.later(days=1))
    assert client.attributes.birth_year == 2008
    assert client.personal == {"name": "Jana", "birth_date": "2008-02-29"}
    assert client.oldest_possible_age(date(2025, 2, 28)) == 16
    assert client.oldest_possible_age(date(2025, 3, 1)) == 17


def test_consent_is_given_and_withdrawn_per_purpose(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(age_band="18-26"))
    client.change_consent("ESF reporting", True, moments.later(days=1))
    client.change_consent("sharing with OSPOD", True, moments.later(days=1))
    client.change_consent("ESF reporting", False, moments.later(days=1))
    assert client.consents == {"ESF reporting": False, "sharing with OSPOD": True}


def test_consent_as_it_stands_already_is_refused_not_recorded_again(moments) -> None:
    client = register(moments, ClientKind.PSEUDONYMOUS, ClientAttributes(age_band="18-26"))
    client.change_consent("sharing with OSPOD", True, moments.later(days=1))
    for given in (True, False):
        if given is False:
            client.change_consent("sharing with OSPOD", False, moments.later(days=2))
        with pytest.raises(InvalidValue) as refused:
            client.change_consent("sharing with OSPOD", given, moments.later(days=3))
        assert "OSPOD" not in refused.value.problem  # a purpose may name more than it should
    assert len(client.collect_events()) == 3  # registered, given, withdrawn


def test_the_sealing_knows_the_erasure_fact_by_its_topic() -> None:
    from eventsourcing.utils import get_topic

    from workers.sealing import ERASED_TOPIC

    assert get_topic(ClientRecord.Erased) == ERASED_TOPIC
