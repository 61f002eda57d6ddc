"""Who may do what through the journal (rule 7 as implemented in domain/staff.py)."""

from __future__ import annotations

import pytest

from domain import commands as c
from domain.client import ClientAttributes
from domain.errors import (
    AccessDenied,
    AlreadyExists,
    InvalidValue,
    PurposeRequired,
    StaffNotInService,
    UnknownActor,
)
from domain.records import CaseRead
from domain.vocabulary import (
    Activity,
    Channel,
    ClientKind,
    CloseReason,
    ComplaintOutcome,
    Form,
    ReferralKind,
    RefusalReason,
    Role,
)


@pytest.fixture
def records(office):
    """A case with a session in each service; a caseless contact in SOS; an enquiry and a complaint in IC."""
    sos = office.case("eva", "SOS")
    ic = office.case("petr", "IC")
    office.session(sos, actor="eva")
    office.session(ic, actor="petr")
    return {
        "sos": sos,
        "ic": ic,
        "contact": office.run(c.LogContact(Channel.PHONE, 10, service="SOS"), "eva"),
        "enquiry": office.run(c.ReceiveEnquiry("IC"), "petr"),
        "complaint": office.run(c.ReceiveComplaint("IC", "Čekala jsem hodinu."), "petr"),
    }


def writes(records: dict[str, str]) -> dict[str, c.Command]:
    """One of each kind of write, aimed at the IC service or its records."""
    ic = records["ic"]
    return {
        "open": c.OpenCase("K-0002", "IC"),  # IC's own client (K-0001 is SOS's: not shared)
        "session": c.LogSession(ic, 50, Form.AMBULATORY, [Activity.COUNSELLING]),
        "case contact": c.LogContact(Channel.PHONE, 10, case=ic),
        "contact": c.LogContact(Channel.PHONE, 10, service="IC"),
        "referral": c.MakeReferral(ic, "Probační a mediační služba", ReferralKind.LEGAL),
        "goal": c.SetGoal(ic, "bezpečí"),
        "enquiry": c.ReceiveEnquiry("IC"),
        "refusal": c.RefuseEnquiry(records["enquiry"], RefusalReason.NO_CAPACITY),
        "complaint": c.ReceiveComplaint("IC", "Nikdo to nezvedal."),
    }


def supervisions(records: dict[str, str]) -> dict[str, c.Command]:
    """One of each kind of supervisor's act, on IC records."""
    ic = records["ic"]
    return {
        "correct": c.CorrectEntry(f"{ic}#2", {"minutes": 40}, "typo"),
        "retract": c.RetractEntry(f"{ic}#2", "wrong case"),
        "override": c.LogSession(ic, 50, Form.AMBULATORY, [Activity.COUNSELLING], override="needed"),
        "close": c.CloseCase(ic, CloseReason.GOAL_MET),
        "resolve": c.ResolveComplaint(records["complaint"], ComplaintOutcome.UNJUSTIFIED),
    }


WRITES = ["open", "session", "case contact", "contact", "referral", "goal", "enquiry", "refusal", "complaint"]
SUPERVISIONS = ["correct", "retract", "override", "close", "resolve"]


@pytest.mark.parametrize("write", WRITES)
def test_a_worker_writes_in_their_own_service(office, records, write: str) -> None:
    before = office.count()
    office.run(writes(records)[write], "petr")
    assert office.count() > before


@pytest.mark.parametrize("write", WRITES)
def test_a_worker_cannot_write_in_another_service(office, records, write: str) -> None:
    refused = office.refused(writes(records)[write], "eva", AccessDenied)
    assert refused.actor == "eva"
    assert refused.needed.endswith("in service IC")


@pytest.mark.parametrize("act", SUPERVISIONS)
def test_a_supervisor_corrects_retracts_overrides_closes_and_resolves_in_their_service(
    office, records, act: str
) -> None:
    before = office.count()
    office.run(supervisions(records)[act], "ivan")
    assert office.count() > before


@pytest.mark.parametrize("act", SUPERVISIONS)
def test_a_worker_cannot_do_a_supervisors_acts(office, records, act: str) -> None:
    refused = office.refused(supervisions(records)[act], "petr", AccessDenied)
    assert refused.needed == "role supervisor or admin"


@pytest.mark.parametrize("act", SUPERVISIONS)
def test_a_supervisor_of_another_service_cannot_supervise_here(office, records, act: str) -> None:
    office.refused(supervisions(records)[act], "vera", AccessDenied)


@pytest.mark.parametrize("act", SUPERVISIONS)
def test_an_admin_may_supervise_any_service(office, records, act: str) -> None:
    before = office.count()
    office.run(supervisions(records)[act], "admin")
    assert office.count() > before


def test_reopening_is_for_supervisors(office, records) -> None:
    office.run(c.CloseCase(records["sos"], CloseReason.LOST_CONTACT), "vera")
    office.refused(c.ReopenCase(records["sos"], "she called again"), "eva", AccessDenied)
    office.refused(c.ReopenCase(records["sos"], "she called again"), "ivan", AccessDenied)
    assert office.run(c.ReopenCase(records["sos"], "she called again"), "vera") == "P-0001#4"


def test_a_caseless_contact_is_corrected_and_retracted_only_by_a_supervisor_of_its_service(
    office, records
) -> None:
    contact = records["contact"]
    office.refused(c.CorrectEntry(contact, {"minutes": 20}, "x"), "eva", AccessDenied)
    office.refused(c.CorrectEntry(contact, {"minutes": 20}, "x"), "ivan", AccessDenied)
    office.refused(c.RetractEntry(contact, "x"), "eva", AccessDenied)
    assert office.run(c.CorrectEntry(contact, {"minutes": 20}, "x"), "vera") == contact


@pytest.mark.parametrize(
    "command",
    [
        c.RegisterClient(ClientKind.ANONYMOUS),
        c.RegisterClient(ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=1990)),
        c.AmendClient("K-0001", {"district": "Beroun"}),
        c.ChangeConsent("K-0001", "ESF", True),
    ],
    ids=["anonymous", "pseudonymous", "amend", "consent"],
)
def test_an_auditor_cannot_record_clients(office, records, command: c.Command) -> None:
    office.refused(command, "olga", AccessDenied)


@pytest.mark.parametrize("write", WRITES)
def test_an_auditor_cannot_write_anything(office, records, write: str) -> None:
    office.refused(writes(records)[write], "olga", AccessDenied)


@pytest.mark.parametrize("act", SUPERVISIONS)
def test_an_auditor_cannot_supervise(office, records, act: str) -> None:
    office.refused(supervisions(records)[act], "olga", AccessDenied)


def test_an_auditor_reads_every_services_case_history(office, records) -> None:
    assert office.journal.history(records["sos"], actor="olga", purpose="quality audit").service == "SOS"
    assert office.journal.history(records["ic"], actor="olga", purpose="quality audit").service == "IC"
    assert {s.code for s in office.journal.services(actor="olga")} == {"SOS", "IC"}


def test_a_worker_reads_the_histories_of_their_own_service_only(office, records) -> None:
    assert office.journal.history(records["sos"], actor="eva").sessions == 1
    with pytest.raises(AccessDenied):
        office.journal.history(records["ic"], actor="eva")


@pytest.mark.parametrize("login", ["nobody", "mallory"])
def test_an_unknown_login_is_refused_for_writes_and_reads(office, records, login: str) -> None:
    office.refused(c.RegisterClient(ClientKind.ANONYMOUS), login, UnknownActor)
    office.refused(writes(records)["session"], login, UnknownActor)
    with pytest.raises(UnknownActor):
        office.journal.history(records["sos"], actor=login)
    with pytest.raises(UnknownActor):
        office.journal.services(actor=login)


def test_staff_who_left_are_refused_but_their_entries_remain(office, records) -> None:
    office.run(c.RecordStaffLeaving("eva"))
    assert office.refused(writes(records)["session"], "eva", UnknownActor).actor == "eva"
    office.refused(
        c.LogSession(records["sos"], 50, Form.AMBULATORY, [Activity.COUNSELLING]), "eva", UnknownActor
    )
    with pytest.raises(UnknownActor):
        office.journal.history(records["sos"], actor="eva")
    history = office.journal.history(records["sos"], actor="vera")
    assert history.entry(2).recorded_by == "eva"
    # Nor can they be named as present at a session, or be a key worker.
    session = c.LogSession(records["sos"], 50, Form.AMBULATORY, [Activity.COUNSELLING], staff=["eva"])
    office.refused(session, "jan", InvalidValue)
    client = office.client("jan")
    office.refused(c.OpenCase(client, "SOS", key_worker="eva"), "jan", StaffNotInService)
    leaver = next(s for s in office.journal.staff_members(actor="admin") if s.login == "eva")
    assert not leaver.active


def test_a_promoted_worker_may_then_correct(office, records) -> None:
    correction = c.CorrectEntry(f"{records['sos']}#2", {"minutes": 45}, "x")
    office.refused(correction, "eva", AccessDenied)
    office.run(c.ChangeStaffRole("eva", Role.SUPERVISOR, ["SOS"]))
    assert office.run(correction, "eva") == "P-0001#3"


def test_a_worker_moved_to_another_service_writes_there_instead(office, records) -> None:
    office.run(c.ChangeStaffRole("jan", Role.WORKER, ["ic"]))
    assert office.session(records["ic"], actor="jan") == "P-0002#3"
    office.refused(
        c.LogSession(records["sos"], 50, Form.AMBULATORY, [Activity.COUNSELLING]), "jan", AccessDenied
    )


@pytest.mark.parametrize("actor", ["vera", "eva", "olga"])
def test_only_an_admin_registers_services_and_staff(office, actor: str) -> None:
    sos = next(s for s in office.journal.services(actor="admin") if s.code == "SOS")
    office.refused(c.RegisterService("TP", sos.parameters), actor, AccessDenied)
    office.refused(c.ReconfigureService("SOS", {"capacity": 9}), actor, AccessDenied)
    office.refused(c.AddStaff("karel", "Karel Malý", Role.WORKER, ["SOS"]), actor, AccessDenied)
    office.refused(c.ChangeStaffRole("jan", Role.SUPERVISOR, ["SOS"]), actor, AccessDenied)
    office.refused(c.RecordStaffLeaving("jan"), actor, AccessDenied)


def test_a_service_code_or_login_is_registered_once(office) -> None:
    sos = next(s for s in office.journal.services(actor="admin") if s.code == "SOS")
    assert office.refused(c.RegisterService("sos", sos.parameters), "admin", AlreadyExists).key == "SOS"
    assert (
        office.refused(c.AddStaff("eva", "Eva Jiná", Role.WORKER, ["SOS"]), "admin", AlreadyExists).key
        == "eva"
    )


def test_the_directory_lists_services_and_staff_in_the_order_added(office) -> None:
    assert [s.code for s in office.journal.services(actor="eva")] == ["SOS", "IC"]
    staff = office.journal.staff_members(actor="olga")
    assert [s.login for s in staff] == ["admin", "eva", "jan", "vera", "petr", "ivan", "olga"]
    assert [s.role for s in staff][:4] == [Role.ADMIN, Role.WORKER, Role.WORKER, Role.SUPERVISOR]
    assert next(s for s in staff if s.login == "petr").services == ("IC",)


def test_an_auditor_must_say_why_they_read_a_history_and_nothing_is_recorded_without_it(
    office, records
) -> None:
    with pytest.raises(PurposeRequired):
        office.journal.history(records["sos"], actor="olga")
    with pytest.raises(PurposeRequired):
        office.journal.history(records["sos"], actor="olga", purpose="   ")
    assert _reads(office) == []


def test_every_read_of_a_history_is_recorded_with_reader_purpose_and_as_of(office, records) -> None:
    as_of = office.now
    office.journal.history(records["sos"], actor="olga", purpose="quality audit", as_of=as_of)
    office.journal.history(records["sos"], actor="eva")
    reads = _reads(office)
    assert [(r.recorded_by, r.case, r.service, r.purpose, r.as_of) for r in reads] == [
        ("olga", records["sos"], "SOS", "quality audit", as_of),
        ("eva", records["sos"], "SOS", "", None),
    ]


def _reads(office) -> list[CaseRead.Viewed]:
    notifications = office.journal.recorder.select_notifications(start=1, limit=10_000)
    facts = [office.journal.mapper.to_domain_event(n) for n in notifications]
    return [f for f in facts if isinstance(f, CaseRead.Viewed)]
