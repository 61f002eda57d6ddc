"""How the journal records: once per command id, nothing on refusal, dense codes, and reads."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import commands as c
from domain.client import ClientAttributes
from domain.codes import CodeKind
from domain.errors import AccessDenied, InvalidValue, NotFound, OutsideAgeRange, SessionLimitReached
from domain.vocabulary import Activity, Channel, ClientKind, Form, ReferralKind, Sex

# -- once per command id -----------------------------------------------------------------


def test_the_same_registration_sent_twice_is_recorded_once_and_answered_alike(office) -> None:
    command_id = uuid4()
    command = c.RegisterClient(ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=1990))
    first = office.run(command, "eva", command_id)
    recorded = office.count()
    again = office.run(command, "eva", command_id)
    assert again == first == "K-0001"
    assert office.count() == recorded
    assert office.journal.highest_code(CodeKind.CLIENT) == 1


def test_the_same_session_sent_twice_is_one_session(office) -> None:
    case = office.case()
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])
    command_id = uuid4()
    first = office.run(command, "eva", command_id)
    recorded = office.count()
    assert office.run(command, "eva", command_id) == first == "P-0001#2"
    assert office.count() == recorded
    history = office.journal.history(case, actor="eva")
    assert history.sessions == 1
    assert [e.number for e in history.entries] == [1, 2]


def test_a_retried_command_is_answered_from_its_receipt_even_after_later_changes(office) -> None:
    case = office.case()
    command_id = uuid4()
    first = office.run(c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC), "eva", command_id)
    office.session(case)
    office.run(c.MakeReferral(case, "Acorus", ReferralKind.SHELTER), "eva")
    recorded = office.count()
    assert (
        office.run(c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC), "eva", command_id)
        == first
        == "R-0001"
    )
    assert office.count() == recorded
    assert office.journal.highest_code(CodeKind.REFERRAL) == 2


def test_the_same_command_id_through_another_journal_on_the_same_store_is_recorded_once(
    office, journal_at
) -> None:
    case = office.case()
    command = c.LogSession(case, 30, Form.FIELD, [Activity.ACCOMPANIMENT])
    command_id = uuid4()
    first = office.run(command, "eva", command_id)
    recorded = office.count()
    other = journal_at()
    assert other.execute(command, actor="eva", command_id=command_id) == first
    assert office.count() == recorded
    assert other.history(case, actor="eva").sessions == 1


def test_different_command_ids_record_the_same_thing_twice(office) -> None:
    case = office.case()
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING])
    assert office.run(command, "eva", uuid4()) == "P-0001#2"
    assert office.run(command, "eva", uuid4()) == "P-0001#3"
    assert office.journal.history(case, actor="eva").sessions == 2


def test_a_refused_command_leaves_no_receipt_so_its_id_may_be_used_once_it_is_fixed(office) -> None:
    client = office.client(birth_year=office.now.year - 17)
    command_id = uuid4()
    before = office.count()
    with pytest.raises(AccessDenied):
        office.run(c.OpenCase(client, "IC", override="pregnant 17-year-old"), "petr", command_id)
    assert office.count() == before
    case = office.run(
        c.OpenCase(client, "IC", key_worker="petr", override="pregnant 17-year-old"), "ivan", command_id
    )
    assert case == "P-0001"
    assert office.count() > before


# -- nothing written when a command is refused ---------------------------------------------


def test_no_refusal_writes_anything_not_even_a_code(office) -> None:
    case = office.case()
    for _ in range(12):
        office.session(case)
    young = office.client(birth_year=office.now.year - 12)
    recorded = office.count()
    refusals = [
        (c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING]), "eva", SessionLimitReached),
        (c.OpenCase(young, "IC"), "petr", OutsideAgeRange),
        (c.RegisterClient(ClientKind.ANONYMOUS, ClientAttributes(sex=Sex.FEMALE)), "eva", InvalidValue),
        (c.LogContact(Channel.PHONE, 0, service="SOS"), "eva", InvalidValue),
        (c.MakeReferral("P-0009", "Bohnice", ReferralKind.PSYCHIATRIC), "eva", NotFound),
        (c.ReceiveComplaint("IC", "x"), "eva", AccessDenied),
    ]
    for command, actor, error in refusals:
        with pytest.raises(error):
            office.run(command, actor)
    assert office.count() == recorded
    # The codes those commands would have taken are still free.
    assert office.client() == "K-0003"
    assert office.run(c.LogContact(Channel.PHONE, 5, service="SOS"), "eva") == "C-0001"
    assert office.run(c.ReceiveComplaint("IC", "x"), "petr") == "S-0001"


# -- dense, sequential codes -------------------------------------------------------------


def test_clients_are_numbered_densely_from_one(office) -> None:
    codes = [office.client() for _ in range(5)]
    assert codes == ["K-0001", "K-0002", "K-0003", "K-0004", "K-0005"]


def test_each_kind_of_code_counts_on_its_own(office) -> None:
    office.client()
    office.client()
    assert office.run(c.ReceiveEnquiry("SOS"), "eva") == "E-0001"
    assert office.case() == "P-0001"  # and K-0003
    assert office.run(c.LogContact(Channel.EMAIL, 5, service="SOS"), "eva") == "C-0001"
    assert office.client() == "K-0004"
    assert office.case() == "P-0002"
    assert office.run(c.ReceiveEnquiry("IC"), "petr") == "E-0002"


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 17])
def test_the_highest_code_is_found_at_the_end_of_the_dense_run(office, count: int) -> None:
    for _ in range(count):
        office.run(c.RegisterClient(ClientKind.ANONYMOUS), "eva")
    assert office.journal.highest_code(CodeKind.CLIENT) == count
    assert office.journal.highest_code(CodeKind.CASE) == 0
    assert office.client() == f"K-{count + 1:04d}"


def test_entries_of_a_case_are_numbered_densely_whatever_their_kind(office) -> None:
    case = office.case()
    refs = [
        office.session(case),
        office.run(c.LogContact(Channel.PHONE, 5, case=case), "eva"),
        office.run(c.SetGoal(case, "stabilizace"), "eva"),
        office.session(case),
    ]
    office.run(c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC), "eva")
    assert refs == ["P-0001#2", "P-0001#3", "P-0001#4", "P-0001#5"]
    assert [e.number for e in office.journal.history(case, actor="eva").entries] == [1, 2, 3, 4, 5, 6]


# -- reads ----------------------------------------------------------------------------------


def test_a_client_is_read_back_with_their_attributes(office) -> None:
    attributes = ClientAttributes(
        birth_year=1988, sex=Sex.FEMALE, district="Praha 4", target_group="oběti násilí"
    )
    code = office.run(c.RegisterClient(ClientKind.PSEUDONYMOUS, attributes), "eva")
    client = office.journal.client("k-1", actor="olga", purpose="audit")
    assert (client.code, client.kind, client.attributes) == (code, ClientKind.PSEUDONYMOUS, attributes)
    with pytest.raises(NotFound):
        office.journal.client("K-0002", actor="olga", purpose="audit")


def test_an_identified_clients_personal_data_and_amendments_are_kept(office) -> None:
    personal = {"name": "Jana Nováková", "birth_date": "1990-05-01", "contact": "777 123 456"}
    code = office.run(c.RegisterClient(ClientKind.IDENTIFIED, personal=personal), "eva")
    office.run(c.AmendClient(code, {"district": "Kladno"}, {"contact": "jana@example.cz"}), "jan")
    office.run(c.ChangeConsent(code, "ESF reporting", True), "eva")
    client = office.journal.client(code, actor="eva")
    assert client.personal == {**personal, "contact": "jana@example.cz"}
    assert client.attributes.birth_year == 1990
    assert client.attributes.district == "Kladno"
    assert client.consents == {"ESF reporting": True}


def test_an_amendment_that_changes_nothing_is_refused(office) -> None:
    code = office.client(district="Kladno")
    office.refused(c.AmendClient(code, {"district": "Kladno"}), "eva", InvalidValue)


def test_an_installation_is_initialised_once(office) -> None:
    assert office.journal.is_initialised()
    assert office.journal.initialise("someone", "Someone Else") is False
    logins = [s.login for s in office.journal.staff_members(actor="admin")]
    assert logins.count("admin") == 1
    assert "someone" not in logins


def test_what_one_journal_recorded_another_on_the_same_store_reads(office, journal_at) -> None:
    case = office.case()
    office.session(case)
    other = journal_at()
    assert other.history(case, actor="olga", purpose="quality audit").sessions == 1
    assert (
        other.execute(c.LogSession(case, 20, Form.AMBULATORY, [Activity.INFORMATION]), actor="jan")
        == "P-0001#3"
    )
    assert office.journal.history(case, actor="olga", purpose="quality audit").sessions == 2
