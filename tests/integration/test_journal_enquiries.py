"""Applicants' enquiries, refusals, police notices, complaints and contacts outside cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import commands as c
from domain.codes import CodeKind, coded_id
from domain.contact import Contact
from domain.enquiry import Enquiry
from domain.errors import (
    EnquiryDecided,
    EntryNotCorrectable,
    EntryRetracted,
    FormNotOffered,
    InvalidValue,
    NotFound,
    OccurredInFuture,
)
from domain.records import Complaint
from domain.vocabulary import Channel, ComplaintOutcome, Form, RefusalReason, Role


def load(office, cls, code):
    """The record behind a code, as the journal stored it."""
    record = office.journal.repository.get(coded_id(code))
    assert isinstance(record, cls)
    return record


# -- enquiries ------------------------------------------------------------------------


def test_an_enquiry_gets_an_e_code_and_records_its_channel_and_applicant(office) -> None:
    client = office.client(age_band="18-26")
    first = office.run(c.ReceiveEnquiry("SOS", Channel.CHAT), "eva")
    second = office.run(c.ReceiveEnquiry("sos", Channel.PHONE, client=client), "jan")
    assert (first, second) == ("E-0001", "E-0002")
    enquiry = load(office, Enquiry, second)
    assert (enquiry.service, enquiry.client, enquiry.outcome) == ("SOS", client, None)


@pytest.mark.parametrize("reason", list(RefusalReason))
def test_an_applicant_is_refused_for_each_statutory_reason_and_pointed_elsewhere(
    office, reason: RefusalReason
) -> None:
    enquiry = office.run(c.ReceiveEnquiry("IC", Channel.PHONE), "petr")
    refusal = c.RefuseEnquiry(enquiry, reason, detail="podrobnosti", pointed_to="Acorus, z.ú.")
    assert office.run(refusal, "petr") == enquiry
    refused = load(office, Enquiry, enquiry)
    assert refused.outcome == f"refused ({reason.value})"
    event = list(office.journal.events.get(refused.id))[-1]
    assert isinstance(event, Enquiry.Refused)
    assert event.reason == reason.value
    assert event.pointed_to == "Acorus, z.ú."
    assert event.personal == {"detail": "podrobnosti"}


def test_an_enquiry_is_refused_only_once(office) -> None:
    enquiry = office.run(c.ReceiveEnquiry("SOS"), "eva")
    office.run(c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY), "eva")
    assert (
        office.refused(c.RefuseEnquiry(enquiry, RefusalReason.NOT_PROVIDED), "eva", EnquiryDecided).enquiry
        == enquiry
    )


def test_a_refusal_of_a_missing_enquiry_is_refused(office) -> None:
    assert (
        office.refused(c.RefuseEnquiry("E-0009", RefusalReason.NO_CAPACITY), "eva", NotFound).key == "E-0009"
    )


def test_an_enquiry_leads_to_a_case_and_then_cannot_be_refused(office) -> None:
    client = office.client(birth_year=1985)
    enquiry = office.run(c.ReceiveEnquiry("SOS", client=client), "eva")
    case = office.run(c.OpenCase(client, "SOS", enquiry=enquiry), "eva")
    assert load(office, Enquiry, enquiry).outcome == f"case {case}"
    assert office.journal.history(case, actor="eva").entries[0].recorded["enquiry"] == enquiry
    office.refused(c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY), "eva", EnquiryDecided)
    # Nor does it lead to a second case: nothing of that case is written.
    office.refused(c.OpenCase(client, "SOS", enquiry=enquiry), "eva", EnquiryDecided)
    assert office.journal.highest_code(CodeKind.CASE) == 1


def test_a_refused_enquiry_does_not_lead_to_a_case(office) -> None:
    client = office.client(birth_year=1985)
    enquiry = office.run(c.ReceiveEnquiry("SOS", client=client), "eva")
    office.run(c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY, pointed_to="RIAPS"), "eva")
    office.refused(c.OpenCase(client, "SOS", enquiry=enquiry), "eva", EnquiryDecided)


def test_an_enquiry_to_one_service_does_not_open_a_case_in_another(office) -> None:
    client = office.client(birth_year=1985)
    enquiry = office.run(c.ReceiveEnquiry("IC", client=client), "petr")
    office.run(c.AddStaff("zuzana", "Zuzana Malá", Role.WORKER, ["SOS", "IC"]))
    refused = office.refused(c.OpenCase(client, "SOS", enquiry=enquiry), "zuzana", InvalidValue)
    assert refused.field == "enquiry"


def test_an_intervention_centre_records_when_the_police_notice_came(office) -> None:
    notice = office.now - timedelta(hours=20)
    enquiry = office.run(c.ReceiveEnquiry("IC", Channel.PHONE, police_notice_at=notice), "petr")
    assert load(office, Enquiry, enquiry).police_notice_at == notice


def test_a_police_notice_is_refused_for_a_service_that_is_no_intervention_centre(office) -> None:
    command = c.ReceiveEnquiry("SOS", police_notice_at=office.now - timedelta(hours=2))
    assert office.refused(command, "eva", InvalidValue).field == "police-notice"


def test_a_police_notice_from_the_future_is_refused(office) -> None:
    command = c.ReceiveEnquiry("IC", police_notice_at=office.now + timedelta(hours=2))
    office.refused(command, "petr", OccurredInFuture)


def test_an_enquiry_for_an_unknown_service_or_client_is_refused(office) -> None:
    office.refused(c.ReceiveEnquiry("XYZ"), "admin", NotFound)
    office.refused(c.ReceiveEnquiry("SOS", client="K-0042"), "eva", NotFound)


# -- complaints -----------------------------------------------------------------------


def test_a_complaint_is_received_by_a_worker_and_resolved_by_a_supervisor(office) -> None:
    client = office.client(birth_year=1970)
    complaint = office.run(c.ReceiveComplaint("SOS", "Pracovnice nebyla k zastižení.", client=client), "eva")
    assert complaint == "S-0001"
    assert (
        office.run(c.ResolveComplaint(complaint, ComplaintOutcome.JUSTIFIED, "omluva, úprava služeb"), "vera")
        == complaint
    )
    assert load(office, Complaint, complaint).outcome is ComplaintOutcome.JUSTIFIED


def test_a_complaint_is_resolved_only_once(office) -> None:
    complaint = office.run(c.ReceiveComplaint("SOS", "Dlouhé čekání."), "eva")
    office.run(c.ResolveComplaint(complaint, ComplaintOutcome.WITHDRAWN), "vera")
    refused = office.refused(c.ResolveComplaint(complaint, ComplaintOutcome.JUSTIFIED), "vera", InvalidValue)
    assert "already resolved" in refused.problem


def test_complaints_are_numbered_apart_from_other_codes(office) -> None:
    office.run(c.ReceiveEnquiry("SOS"), "eva")
    assert office.run(c.ReceiveComplaint("SOS", "a"), "eva") == "S-0001"
    assert office.run(c.ReceiveComplaint("IC", "b"), "petr") == "S-0002"
    office.refused(c.ResolveComplaint("S-0003", ComplaintOutcome.JUSTIFIED), "vera", NotFound)
    office.refused(c.ReceiveComplaint("SOS", "   "), "eva", InvalidValue)


# -- contacts outside cases --------------------------------------------------------------


def test_an_anonymous_phone_contact_gets_a_c_code(office) -> None:
    first = office.run(c.LogContact(Channel.PHONE, 15, service="SOS"), "eva")
    second = office.run(c.LogContact(Channel.CHAT, 40, service="SOS", form=Form.FIELD), "jan")
    assert (first, second) == ("C-0001", "C-0002")
    contact = load(office, Contact, first)
    assert (contact.service, contact.client) == ("SOS", None)
    assert contact.fields == {"channel": "phone", "minutes": 15, "form": "ambulatory"}
    assert load(office, Contact, second).fields["form"] == "field"


def test_a_caseless_contact_may_name_a_known_client(office) -> None:
    client = office.client(age_band="27-64")
    contact = office.run(c.LogContact(Channel.IN_PERSON, 10, service="SOS", client=client), "eva")
    assert load(office, Contact, contact).client == client
    office.refused(c.LogContact(Channel.IN_PERSON, 10, service="SOS", client="K-0099"), "eva", NotFound)


def test_a_contact_names_a_case_or_a_service_but_not_both(office) -> None:
    case = office.case()
    office.refused(c.LogContact(Channel.PHONE, 5, case=case, service="SOS"), "eva", InvalidValue)
    office.refused(c.LogContact(Channel.PHONE, 5), "eva", InvalidValue)


def test_a_contact_in_a_form_the_service_does_not_offer_is_refused(office) -> None:
    office.refused(
        c.LogContact(Channel.PHONE, 5, service="SOS", form=Form.RESIDENTIAL), "eva", FormNotOffered
    )


def test_a_caseless_contact_is_corrected_then_retracted(office) -> None:
    contact = office.run(c.LogContact(Channel.PHONE, 15, service="SOS"), "eva")
    assert (
        office.run(c.CorrectEntry("c-1", {"minutes": 25, "channel": "chat"}, "it was a chat"), "vera")
        == contact
    )
    assert load(office, Contact, contact).fields == {"channel": "chat", "minutes": 25, "form": "ambulatory"}
    office.refused(c.CorrectEntry(contact, {"note": "x"}, "x"), "vera", EntryNotCorrectable)
    office.refused(c.CorrectEntry(contact, {"minutes": 0}, "x"), "vera", InvalidValue)
    office.refused(
        c.CorrectEntry(contact, {"occurred_at": office.now + timedelta(days=1)}, "x"),
        "vera",
        OccurredInFuture,
    )
    assert office.run(c.RetractEntry(contact, "test call"), "vera") == contact
    assert load(office, Contact, contact).retracted
    office.refused(c.CorrectEntry(contact, {"minutes": 5}, "x"), "vera", EntryRetracted)
    office.refused(c.RetractEntry(contact, "again"), "vera", EntryRetracted)


def test_a_correction_of_a_missing_contact_is_refused(office) -> None:
    assert office.refused(c.CorrectEntry("C-0004", {"minutes": 5}, "x"), "vera", NotFound).key == "C-0004"
