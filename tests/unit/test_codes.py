"""Codes people type (K-0001, P-0001#3, service codes, logins) and the ids behind them."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.codes import (
    CodeKind,
    EntryRef,
    code_kind,
    coded_id,
    format_code,
    parse_code,
    parse_login,
    parse_service_code,
    receipt_id,
    service_id,
    staff_id,
)
from domain.errors import InvalidValue


@pytest.mark.parametrize(
    ("typed", "kind", "normal"),
    [
        ("k-1", CodeKind.CLIENT, "K-0001"),
        ("K-0001", CodeKind.CLIENT, "K-0001"),
        ("K1", CodeKind.CLIENT, "K-0001"),
        ("  k-42 ", CodeKind.CLIENT, "K-0042"),
        ("p-00107", CodeKind.CASE, "P-0107"),
        ("P-12345", CodeKind.CASE, "P-12345"),
        ("e-7", CodeKind.ENQUIRY, "E-0007"),
        ("r-3", CodeKind.REFERRAL, "R-0003"),
        ("c-0010", CodeKind.CONTACT, "C-0010"),
        ("s-2", CodeKind.COMPLAINT, "S-0002"),
    ],
)
def test_a_typed_code_is_normalised_to_its_letter_and_four_digits(
    typed: str, kind: CodeKind, normal: str
) -> None:
    assert parse_code(typed, kind) == normal


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("K-0000", CodeKind.CLIENT),  # codes start at 1
        ("P-0001", CodeKind.CLIENT),  # a case code is not a client code
        ("K-", CodeKind.CLIENT),
        ("", CodeKind.CLIENT),
        ("K-1a", CodeKind.CLIENT),
        ("KK-1", CodeKind.CLIENT),
        ("K--1", CodeKind.CLIENT),
        ("K-1234567890", CodeKind.CLIENT),  # more than nine digits
        ("K-0001#2", CodeKind.CLIENT),
        ("Ž-1", CodeKind.CLIENT),
    ],
)
def test_a_malformed_or_foreign_code_is_refused_naming_an_example(typed: str, kind: CodeKind) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_code(typed, kind)
    assert refused.value.field == kind.noun
    assert format_code(kind, 1) in refused.value.problem


def test_the_code_kind_is_read_from_the_letter_whatever_its_case() -> None:
    assert code_kind("c-5") is CodeKind.CONTACT
    assert code_kind("R-0001") is CodeKind.REFERRAL
    assert code_kind("P-0001") is CodeKind.CASE
    assert code_kind("X-0001") is None
    assert code_kind("P-0001#3") is None
    assert code_kind("not a code") is None


def test_each_kind_has_the_noun_used_in_messages() -> None:
    assert [k.noun for k in CodeKind] == [
        "client",
        "case",
        "enquiry",
        "referral",
        "contact",
        "complaint",
        "report",
    ]


@pytest.mark.parametrize(
    ("typed", "case", "number"),
    [
        ("P-0001#3", "P-0001", 3),
        ("p-1#3", "P-0001", 3),
        (" P-0042 # 12 ", "P-0042", 12),
        ("P7#1", "P-0007", 1),
    ],
)
def test_an_entry_reference_names_a_case_and_an_entry_number(typed: str, case: str, number: int) -> None:
    ref = EntryRef.parse(typed)
    assert ref == EntryRef(case, number)
    assert str(ref) == f"{case}#{number}"


@pytest.mark.parametrize(
    "typed", ["P-0001", "P-0001#0", "K-0001#3", "P-0000#1", "#3", "P-0001#x", "P-0001#1234567"]
)
def test_a_malformed_entry_reference_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        EntryRef.parse(typed)
    assert refused.value.field == "entry"


def test_an_entry_reference_round_trips_through_its_text() -> None:
    ref = EntryRef("P-0107", 14)
    assert EntryRef.parse(str(ref)) == ref


@pytest.mark.parametrize(("typed", "code"), [("sos", "SOS"), (" ic-praha ", "IC-PRAHA"), ("KC_2", "KC_2")])
def test_service_codes_are_upper_cased(typed: str, code: str) -> None:
    assert parse_service_code(typed) == code


@pytest.mark.parametrize("typed", ["", "-SOS", "S O S", "SOS!", "A" * 25, "ÚSTÍ"])
def test_a_bad_service_code_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_service_code(typed)
    assert refused.value.field == "service"


@pytest.mark.parametrize("typed", ["eva", "eva.novakova", "_svc", "j-novak2", " eva "])
def test_logins_are_lower_case_words(typed: str) -> None:
    assert parse_login(typed) == typed.strip()


@pytest.mark.parametrize("typed", ["Eva", "2eva", "", "eva novak", "a" * 49, "eva@kc"])
def test_a_bad_login_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_login(typed)
    assert refused.value.field == "login"


def test_ids_derive_from_codes_so_equal_codes_collide_and_kinds_do_not() -> None:
    assert coded_id("K-0001") == coded_id(parse_code("k-1", CodeKind.CLIENT))
    assert coded_id("K-0001") != coded_id("K-0002")
    assert len({coded_id("K-0001"), service_id("K-0001"), staff_id("K-0001")}) == 3
    command = uuid4()
    assert receipt_id(command) == receipt_id(command) != receipt_id(uuid4())
