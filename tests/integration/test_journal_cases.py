"""Cases through the journal: opening, sessions, closing (rules 1-4), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain import commands as c
from domain.errors import (
    AccessDenied,
    CaseAlreadyOpen,
    CaseClosed,
    FormNotOffered,
    InvalidValue,
    NotFound,
    OccurredInFuture,
    OccurredTooEarly,
    OutsideAgeRange,
    SessionLimitReached,
    StaffNotInService,
)
from domain.vocabulary import (
    Activity,
    Agreement,
    Channel,
    ClientKind,
    CloseReason,
    Form,
    ReferralKind,
    RefusalReason,
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def test_opening_a_case_records_its_client_service_key_worker_and_date(office) -> None:
    client = office.client(birth_year=1990, district="Praha 4")
    opened_at = office.now - timedelta(days=3)
    case = office.run(c.OpenCase(client, "sos", opened_at=opened_at, agreement=Agreement.WRITTEN), "eva")
    assert case == "P-0001"
    history = office.journal.history("p-1", actor="eva")
    assert (history.case, history.client, history.service, history.key_worker) == (
        "P-0001",
        client,
        "SOS",
        "eva",
    )
    assert history.opened_at == opened_at
    assert history.is_open
    assert history.entries[0].recorded["agreement"] == "written"


def test_a_case_may_name_another_key_worker_of_the_service(office) -> None:
    client = office.client()
    case = office.run(c.OpenCase(client, "SOS", key_worker="jan"), "vera")
    assert office.journal.history(case, actor="vera").key_worker == "jan"


@pytest.mark.parametrize("key_worker", ["petr", "olga"])
def test_a_key_worker_from_another_service_or_an_auditor_is_refused(office, key_worker: str) -> None:
    client = office.client()
    refused = office.refused(c.OpenCase(client, "SOS", key_worker=key_worker), "eva", StaffNotInService)
    assert (refused.login, refused.service) == (key_worker, "SOS")


def test_a_case_for_an_unknown_client_or_service_is_refused(office) -> None:
    client = office.client()
    assert office.refused(c.OpenCase("K-0099", "SOS"), "eva", NotFound).key == "K-0099"
    assert office.refused(c.OpenCase(client, "NOPE"), "admin", NotFound).key == "NOPE"


def test_sessions_are_entries_of_their_case_numbered_from_two(office) -> None:
    case = office.case()
    assert [office.session(case) for _ in range(3)] == ["P-0001#2", "P-0001#3", "P-0001#4"]
    history = office.journal.history(case, actor="eva")
    assert history.sessions == 3
    assert [e.kind for e in history.entries] == ["opened", "session", "session", "session"]


def test_a_session_without_staff_named_is_credited_to_the_one_recording_it(office) -> None:
    case = office.case()
    office.session(case, actor="jan")
    office.session(case, actor="eva", staff=["eva", "vera"])
    history = office.journal.history(case, actor="eva")
    assert history.entry(2).recorded["staff"] == ["jan"]
    assert history.entry(3).recorded["staff"] == ["eva", "vera"]


def test_a_session_naming_unknown_staff_is_refused(office) -> None:
    case = office.case()
    office.refused(
        c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING], staff=["nobody"]), "eva", NotFound
    )


# -- rule 1: closed cases ----------------------------------------------------------


def test_nothing_is_logged_on_a_closed_case_until_it_is_reopened(office) -> None:
    case = office.case()
    office.session(case)
    assert office.run(c.CloseCase(case, CloseReason.GOAL_MET), "vera") == "P-0001#3"
    assert not office.journal.history(case, actor="eva").is_open
    session = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING])
    assert office.refused(session, "eva", CaseClosed).case == case
    office.refused(c.LogContact(Channel.PHONE, 10, case=case), "eva", CaseClosed)
    office.refused(c.MakeReferral(case, "Bohnice", ReferralKind.PSYCHIATRIC), "eva", CaseClosed)
    office.refused(c.SetGoal(case, "bydlení"), "eva", CaseClosed)
    office.refused(c.CloseCase(case, CloseReason.OTHER), "vera", CaseClosed)
    assert office.run(c.ReopenCase(case, "client came back"), "vera") == "P-0001#4"
    assert office.run(session, "eva") == "P-0001#5"
    history = office.journal.history(case, actor="eva")
    assert history.is_open
    assert [e.kind for e in history.entries][-3:] == ["closed", "reopened", "session"]


def test_an_open_case_cannot_be_reopened(office) -> None:
    case = office.case()
    office.refused(c.ReopenCase(case, "just in case"), "vera", CaseAlreadyOpen)


@pytest.mark.parametrize("reason", list(CloseReason))
def test_a_case_closes_for_each_recorded_reason(office, reason: CloseReason) -> None:
    case = office.case()
    entry = office.run(c.CloseCase(case, reason), "vera")
    assert office.journal.history(case, actor="vera").entries[-1].recorded["reason"] == reason.value
    assert entry == "P-0001#2"


# -- rule 2: the session limit ------------------------------------------------------


def twelve_sessions(office) -> str:
    case = office.case()
    for _ in range(12):
        office.session(case)
    return case


def test_a_thirteenth_session_on_a_twelve_session_case_is_refused(office) -> None:
    case = twelve_sessions(office)
    refused = office.refused(
        c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING]), "eva", SessionLimitReached
    )
    assert (refused.case, refused.limit) == (case, 12)
    # A supervisor without a reason is refused just the same.
    office.refused(
        c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING]), "vera", SessionLimitReached
    )
    assert office.journal.history(case, actor="eva").sessions == 12


def test_a_supervisor_overrides_the_session_limit_with_a_recorded_reason(office) -> None:
    case = twelve_sessions(office)
    reason = "acute risk, the psychiatric appointment is only in two weeks"
    entry = office.session(case, actor="vera", override=reason)
    assert entry == "P-0001#14"
    history = office.journal.history(case, actor="olga", purpose="quality audit")
    assert history.sessions == 13
    assert history.entry(14).recorded["override"] == reason
    assert history.entry(14).recorded_by == "vera"
    # The override was for one session: the fourteenth needs its own.
    office.refused(
        c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING]), "eva", SessionLimitReached
    )


def test_a_worker_cannot_override_the_session_limit(office) -> None:
    case = twelve_sessions(office)
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING], override="the client insists")
    refused = office.refused(command, "eva", AccessDenied)
    assert refused.actor == "eva"


def test_a_retracted_session_frees_its_slot_under_the_limit(office) -> None:
    case = twelve_sessions(office)
    office.run(c.RetractEntry(f"{case}#7", "logged twice"), "vera")
    assert office.session(case) == "P-0001#15"
    office.refused(
        c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING]), "eva", SessionLimitReached
    )


def test_a_service_without_a_session_limit_takes_more_than_twelve(office) -> None:
    case = office.case("petr", "IC")
    for _ in range(14):
        office.session(case, actor="petr")
    assert office.journal.history(case, actor="petr").sessions == 14


def test_a_reconfigured_limit_applies_to_cases_already_open(office) -> None:
    case = twelve_sessions(office)
    office.run(c.ReconfigureService("SOS", {"session_limit": 15}))
    assert office.session(case) == "P-0001#14"
    office.run(c.ReconfigureService("sos", {"session_limit": None}))
    assert office.session(case) == "P-0001#15"
    sos = next(s for s in office.journal.services(actor="olga") if s.code == "SOS")
    assert sos.parameters.session_limit is None
    assert sos.parameters.min_age == 11


# -- rule 3: the age range -------------------------------------------------------------


def test_a_client_younger_than_the_service_minimum_gets_no_case(office) -> None:
    ten = office.now.year - 10
    client = office.client(birth_year=ten)
    refused = office.refused(c.OpenCase(client, "SOS"), "eva", OutsideAgeRange)
    assert (refused.client, refused.age, refused.service, refused.low, refused.high) == (
        client,
        10,
        "SOS",
        11,
        None,
    )


def test_a_client_of_the_minimum_age_gets_a_case(office) -> None:
    client = office.client(birth_year=office.now.year - 11)
    assert office.run(c.OpenCase(client, "SOS"), "eva") == "P-0001"


def test_a_minor_at_an_adults_only_service_is_refused_and_the_way_out_is_a_refusal_with_reason_a(
    office,
) -> None:
    client = office.client("petr", age_band="11-17", district="Kladno")
    office.refused(c.OpenCase(client, "IC"), "petr", OutsideAgeRange)
    enquiry = office.run(c.ReceiveEnquiry("IC", Channel.PHONE, client=client), "petr")
    refusal = c.RefuseEnquiry(enquiry, RefusalReason.NOT_PROVIDED, "under 18", pointed_to="Linka bezpečí")
    assert office.run(refusal, "petr") == enquiry


def test_a_supervisor_opens_a_case_outside_the_age_range_with_a_recorded_override(office) -> None:
    client = office.client("petr", birth_year=office.now.year - 17)
    reason = "17-year-old mother evicted with her child; OSPOD informed"
    case = office.run(c.OpenCase(client, "IC", key_worker="petr", override=reason), "ivan")
    history = office.journal.history(case, actor="ivan")
    assert history.entries[0].recorded["override"] == reason
    assert history.entries[0].recorded_by == "ivan"
    assert history.key_worker == "petr"


def test_a_worker_cannot_override_the_age_range(office) -> None:
    client = office.client("petr", birth_year=office.now.year - 17)
    office.refused(c.OpenCase(client, "IC", override="she is nearly 18"), "petr", AccessDenied)


def test_the_age_is_taken_on_the_day_the_case_is_dated_to(office) -> None:
    born = (office.now - timedelta(days=400)).date().replace(day=1)
    birth_date = born.replace(year=born.year - 18).isoformat()
    identified = c.RegisterClient(
        ClientKind.IDENTIFIED, personal={"name": "Tereza", "birth_date": birth_date}
    )
    client = office.run(identified, "petr")
    # She turned eighteen on ``born``, about a year ago: a case back-dated to the day before is refused.
    before = born - timedelta(days=1)
    assert office.refused(c.OpenCase(client, "IC", opened_at=_at(before)), "petr", OutsideAgeRange).age == 17
    assert office.run(c.OpenCase(client, "IC", opened_at=_at(born)), "petr") == "P-0001"


def test_a_client_of_unknown_age_gets_a_case(office) -> None:
    client = office.client("petr")
    assert office.run(c.OpenCase(client, "IC"), "petr") == "P-0001"


# -- rule 4: durations and dates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "accepted"), [(0, False), (1, True), (1440, True), (1441, False), (-30, False)]
)
def test_a_session_lasts_between_one_minute_and_a_whole_day(office, minutes: int, accepted: bool) -> None:
    case = office.case()
    command = c.LogSession(case, minutes, Form.AMBULATORY, [Activity.COUNSELLING])
    if accepted:
        entry = office.run(command, "eva")
        assert office.journal.history(case, actor="eva").entries[-1].recorded["minutes"] == minutes
        assert entry == "P-0001#2"
    else:
        assert office.refused(command, "eva", InvalidValue).field == "minutes"


@pytest.mark.parametrize("minutes", [0, 1441])
def test_a_contact_lasts_between_one_minute_and_a_whole_day(office, minutes: int) -> None:
    case = office.case()
    office.refused(c.LogContact(Channel.PHONE, minutes, case=case), "eva", InvalidValue)
    office.refused(c.LogContact(Channel.PHONE, minutes, service="SOS"), "eva", InvalidValue)


def test_a_session_dated_in_the_future_is_refused(office) -> None:
    case = office.case()
    tomorrow = office.now + timedelta(days=1)
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING], occurred_at=tomorrow)
    assert office.refused(command, "eva", OccurredInFuture).when == tomorrow


def test_a_case_opened_in_the_future_is_refused(office) -> None:
    client = office.client()
    office.refused(
        c.OpenCase(client, "SOS", opened_at=office.now + timedelta(hours=1)), "eva", OccurredInFuture
    )


def test_a_session_dated_before_the_case_opened_is_refused(office) -> None:
    case = office.case(days_ago=5)
    opened_at = office.journal.history(case, actor="eva").opened_at
    command = c.LogSession(
        case, 50, Form.AMBULATORY, [Activity.COUNSELLING], occurred_at=opened_at - timedelta(minutes=1)
    )
    assert office.refused(command, "eva", OccurredTooEarly).opened_at == opened_at
    office.refused(
        c.LogContact(Channel.PHONE, 5, case=case, occurred_at=opened_at - timedelta(days=1)),
        "eva",
        OccurredTooEarly,
    )
    assert office.session(case, occurred_at=opened_at) == "P-0001#2"


def test_a_session_logged_days_later_keeps_when_it_happened(office) -> None:
    case = office.case(days_ago=5)
    happened = office.now - timedelta(days=2, hours=3)
    office.session(case, occurred_at=happened, form=Form.FIELD, district="Praha 9")
    entry = office.journal.history(case, actor="eva").entry(2)
    assert entry.occurred_at == happened
    assert entry.recorded_at > happened
    assert (entry.recorded["form"], entry.recorded["district"]) == ("field", "Praha 9")


def test_a_time_without_a_zone_is_refused(office) -> None:
    case = office.case()
    naive = (office.now - timedelta(hours=1)).replace(tzinfo=None)
    command = c.LogSession(case, 50, Form.AMBULATORY, [Activity.COUNSELLING], occurred_at=naive)
    office.refused(command, "eva", InvalidValue)


def test_a_session_in_a_form_the_service_does_not_offer_is_refused(office) -> None:
    case = office.case()
    command = c.LogSession(case, 50, Form.RESIDENTIAL, [Activity.COUNSELLING])
    assert office.refused(command, "eva", FormNotOffered).form == "residential"


def test_a_contact_on_a_case_is_an_entry_of_the_case_in_the_services_usual_form(office) -> None:
    case = office.case()
    assert office.run(c.LogContact(Channel.PHONE, 12, case=case), "eva") == "P-0001#2"
    entry = office.journal.history(case, actor="eva").entry(2)
    assert entry.kind == "contact"
    assert entry.recorded == {"channel": "phone", "minutes": 12, "form": "ambulatory"}
