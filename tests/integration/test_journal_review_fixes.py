"""Rules added after review: one outcome per referral, staff present work in the service,
refusals and cases are not dated before their enquiry, a refused command spoils its batch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import commands as c
from domain.errors import CaseClosed, InvalidValue, OutcomeRecorded, StaffNotInService
from domain.vocabulary import (
    Activity,
    Channel,
    CloseReason,
    Form,
    ReferralKind,
    ReferralOutcome,
    RefusalReason,
    Role,
)
from tests.integration.conftest import STAFF

SESSION = (Form.AMBULATORY, [Activity.CRISIS_INTERVENTION])


def test_a_referral_has_one_outcome_and_a_second_is_refused_naming_the_first(office) -> None:
    case = office.case()
    referral = office.run(c.MakeReferral(case, "PL Bohnice", ReferralKind.PSYCHIATRIC), "eva")
    outcome = office.run(c.RecordReferralOutcome(referral, ReferralOutcome.NO_SHOW), "eva")
    refused = office.refused(
        c.RecordReferralOutcome(referral, ReferralOutcome.ACCEPTED), "eva", OutcomeRecorded
    )
    assert refused.entry == outcome


def test_a_retracted_outcome_makes_room_for_the_right_one(office) -> None:
    case = office.case()
    referral = office.run(c.MakeReferral(case, "Advokátní poradna", ReferralKind.LEGAL), "eva")
    outcome = office.run(c.RecordReferralOutcome(referral, ReferralOutcome.DECLINED), "eva")
    office.run(c.RetractEntry(outcome, "recorded for the wrong referral"), "vera")
    assert office.run(c.RecordReferralOutcome(referral, ReferralOutcome.ACCEPTED), "eva").startswith(case)


def test_staff_present_at_a_session_must_work_in_its_service(office) -> None:
    case = office.case()
    auditor = next(login for login, _name, role, _s in STAFF if role is Role.AUDITOR)
    office.refused(c.LogSession(case, 50, *SESSION, staff=["eva", auditor]), "eva", StaffNotInService)


def test_a_refusal_dated_a_day_before_its_enquiry_is_refused(office) -> None:
    enquiry = office.run(
        c.ReceiveEnquiry("SOS", Channel.PHONE, occurred_at=office.now - timedelta(days=2)), "eva"
    )
    too_early = office.now - timedelta(days=4)
    office.refused(
        c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY, occurred_at=too_early), "eva", InvalidValue
    )
    same_day = office.now - timedelta(days=2, hours=1)
    assert (
        office.run(c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY, occurred_at=same_day), "eva")
        == enquiry
    )


def test_a_case_is_not_opened_days_before_the_enquiry_that_led_to_it(office) -> None:
    enquiry = office.run(c.ReceiveEnquiry("SOS", occurred_at=office.now - timedelta(days=1)), "eva")
    client = office.client(birth_year=1990)
    early = c.OpenCase(client, "SOS", opened_at=office.now - timedelta(days=5), enquiry=enquiry)
    office.refused(early, "eva", InvalidValue)


def test_a_refused_command_spoils_its_batch_so_nothing_half_done_is_saved(office) -> None:
    case = office.case()
    before = office.count()
    with office.journal.batch() as batch:
        batch.run(c.CloseCase(case, reason=CloseReason.GOAL_MET), actor="vera")
        with pytest.raises(CaseClosed):
            batch.run(c.LogSession(case, 50, *SESSION), actor="eva")
        with pytest.raises(RuntimeError):
            batch.flush()
    assert office.count() == before
