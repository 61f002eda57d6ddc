"""Records outside cases: caseless contacts, applicants' enquiries and complaints."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.contact import Contact
from domain.enquiry import Enquiry
from domain.errors import (
    EnquiryDecided,
    EntryNotCorrectable,
    EntryRetracted,
    FormNotOffered,
    InvalidValue,
    OccurredInFuture,
)
from domain.records import Complaint
from domain.vocabulary import Channel, ComplaintOutcome, Form, RefusalReason, ServiceType


def contact(service, moments, **overrides) -> Contact:
    values = {
        "service": service,
        "client": None,
        "channel": Channel.PHONE,
        "minutes": 15,
        "form": Form.AMBULATORY,
        "occurred_at": moments.now - timedelta(hours=1),
        "stamp": moments.stamp(),
    }
    values.update(overrides)
    return Contact.log("C-0001", **values)


def enquiry(service, moments, police_notice_at=None) -> Enquiry:
    return Enquiry.receive(
        "E-0001",
        service=service,
        channel=Channel.PHONE,
        client=None,
        police_notice_at=police_notice_at,
        occurred_at=moments.now,
        stamp=moments.stamp(),
    )


def test_an_anonymous_contact_is_logged_without_client_or_case(make_service, moments) -> None:
    logged = contact(make_service(), moments)
    assert (logged.code, logged.service, logged.client) == ("C-0001", "SOS", None)
    assert logged.fields == {"channel": "phone", "minutes": 15, "form": "ambulatory"}
    assert not logged.retracted


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"minutes": 0}, InvalidValue),
        ({"minutes": 1441}, InvalidValue),
        ({"form": Form.RESIDENTIAL}, FormNotOffered),
    ],
)
def test_a_contact_is_checked_like_any_other_entry(make_service, moments, overrides, error) -> None:
    with pytest.raises(error):
        contact(make_service(), moments, **overrides)


def test_a_contact_in_the_future_is_refused(make_service, moments) -> None:
    with pytest.raises(OccurredInFuture):
        contact(make_service(), moments, occurred_at=moments.now + timedelta(hours=1))


def test_a_contact_is_corrected_then_retracted_and_then_left_alone(make_service, moments) -> None:
    sos = make_service()
    logged = contact(sos, moments)
    logged.correct(
        changes={"minutes": 25, "channel": "chat"},
        service=sos,
        reason="was a chat",
        stamp=moments.later(days=1),
    )
    assert logged.fields == {"channel": "chat", "minutes": 25, "form": "ambulatory"}
    with pytest.raises(EntryNotCorrectable) as refused:
        logged.correct(changes={"note": "x"}, service=sos, reason="x", stamp=moments.stamp())
    assert refused.value.field == "note"
    with pytest.raises(InvalidValue):
        logged.correct(changes={"minutes": 0}, service=sos, reason="x", stamp=moments.stamp())
    logged.retract(reason="test call", stamp=moments.later(days=1))
    assert logged.retracted
    with pytest.raises(EntryRetracted):
        logged.correct(changes={"minutes": 5}, service=sos, reason="x", stamp=moments.stamp())
    with pytest.raises(EntryRetracted):
        logged.retract(reason="again", stamp=moments.stamp())
    assert logged.version == 3


def test_only_an_intervention_centre_takes_a_police_notice(make_service, moments) -> None:
    notice = moments.now - timedelta(hours=5)
    with pytest.raises(InvalidValue) as refused:
        enquiry(make_service(), moments, police_notice_at=notice)
    assert refused.value.field == "police-notice"
    centre = make_service("IC", type=ServiceType.INTERVENTION_CENTRE, min_age=None, session_limit=None)
    received = enquiry(centre, moments, police_notice_at=notice)
    assert received.police_notice_at == notice


def test_a_police_notice_from_the_future_is_refused(make_service, moments) -> None:
    centre = make_service("IC", type=ServiceType.INTERVENTION_CENTRE)
    with pytest.raises(OccurredInFuture):
        enquiry(centre, moments, police_notice_at=moments.now + timedelta(hours=5))


@pytest.mark.parametrize("reason", list(RefusalReason))
def test_an_enquiry_is_refused_for_a_statutory_reason_once(
    make_service, moments, reason: RefusalReason
) -> None:
    received = enquiry(make_service(), moments)
    received.refuse(
        reason=reason,
        detail="",
        pointed_to="Linka bezpečí",
        occurred_at=moments.now,
        stamp=moments.later(minutes=1),
    )
    assert received.outcome == f"refused ({reason.value})"
    with pytest.raises(EnquiryDecided):
        received.refuse(
            reason=reason, detail="", pointed_to=None, occurred_at=moments.now, stamp=moments.stamp()
        )
    with pytest.raises(EnquiryDecided):
        received.lead_to_case("P-0001", moments.stamp())


def test_an_enquiry_that_led_to_a_case_cannot_be_refused(make_service, moments) -> None:
    received = enquiry(make_service(), moments)
    received.lead_to_case("P-0003", moments.later(minutes=1))
    assert received.outcome == "case P-0003"
    with pytest.raises(EnquiryDecided):
        received.refuse(
            reason=RefusalReason.NO_CAPACITY,
            detail="",
            pointed_to=None,
            occurred_at=moments.now,
            stamp=moments.stamp(),
        )


def test_a_complaint_is_resolved_once(moments) -> None:
    complaint = Complaint.receive(
        "S-0001",
        service="SOS",
        client=None,
        summary="Nikdo to nezvedal.",
        occurred_at=moments.now,
        stamp=moments.stamp(),
    )
    assert complaint.outcome is None
    complaint.resolve(
        outcome=ComplaintOutcome.PARTLY_JUSTIFIED,
        response="",
        occurred_at=moments.now,
        stamp=moments.later(days=3),
    )
    assert complaint.outcome is ComplaintOutcome.PARTLY_JUSTIFIED
    with pytest.raises(InvalidValue, match="already resolved"):
        complaint.resolve(
            outcome=ComplaintOutcome.JUSTIFIED, response="", occurred_at=moments.now, stamp=moments.stamp()
        )


def test_a_complaint_needs_a_summary(moments) -> None:
    with pytest.raises(InvalidValue) as refused:
        Complaint.receive(
            "S-0001", service="SOS", client=None, summary=" ", occurred_at=moments.now, stamp=moments.stamp()
        )
    assert refused.value.field == "summary"
