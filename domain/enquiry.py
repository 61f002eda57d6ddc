"""Applicants' enquiries (zájemce), refusals under §91 odst. 3, police notices."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.codes import coded_id
from domain.errors import EnquiryDecided, InvalidValue
from domain.facts import Record, Stamp, check_text
from domain.service import Service
from domain.vocabulary import Channel, RefusalReason, ServiceType


class Enquiry(Record):
    """Someone asked for the service, before any agreement."""

    class Event(Record.Event):
        pass

    class Received(Record.Created, Event):
        code: str
        service: str
        channel: str
        client: str | None
        police_notice_at: datetime | None

        def apply(self, enquiry: Enquiry) -> None:
            enquiry.code = self.code
            enquiry.service = self.service
            enquiry.client = self.client
            enquiry.police_notice_at = self.police_notice_at
            enquiry.received_at = self.occurred_at
            enquiry.outcome = None

    class Refused(Event):
        reason: str
        pointed_to: str | None
        personal: dict[str, str]

        def apply(self, enquiry: Enquiry) -> None:
            enquiry.outcome = f"refused ({self.reason})"

    class LedToCase(Event):
        case: str

        def apply(self, enquiry: Enquiry) -> None:
            enquiry.outcome = f"case {self.case}"

    if TYPE_CHECKING:
        code: str
        service: str
        client: str | None
        police_notice_at: datetime | None
        received_at: datetime
        outcome: str | None

    @classmethod
    def receive(
        cls,
        code: str,
        *,
        service: Service,
        channel: Channel,
        client: str | None,
        police_notice_at: datetime | None,
        occurred_at: datetime,
        stamp: Stamp,
    ) -> Enquiry:
        if police_notice_at is not None:
            if service.parameters.type is not ServiceType.INTERVENTION_CENTRE:
                raise InvalidValue("police-notice", f"service {service.code} is not an intervention centre")
            stamp.check_past(police_notice_at)
        return cls._create(
            cls.Received,
            id=coded_id(code),
            code=code,
            service=service.code,
            channel=channel.value,
            client=client,
            police_notice_at=police_notice_at,
            **stamp.fields(stamp.check_past(occurred_at)),
        )

    def refuse(
        self,
        *,
        reason: RefusalReason,
        detail: str,
        pointed_to: str | None,
        occurred_at: datetime,
        stamp: Stamp,
    ) -> None:
        self._require_undecided()
        self.check_not_before_receipt(stamp.check_past(occurred_at))
        detail = check_text("detail", detail, multiline=True, required=False, limit=2000)
        self.trigger_event(
            self.Refused,
            reason=reason.value,
            pointed_to=check_text("pointed-to", pointed_to, limit=200) if pointed_to else None,
            personal={"detail": detail} if detail else {},
            **stamp.fields(stamp.check_past(occurred_at)),
        )

    def lead_to_case(self, case: str, stamp: Stamp) -> None:
        self._require_undecided()
        self.trigger_event(self.LedToCase, case=case, **stamp.fields())

    def check_not_before_receipt(self, when: datetime) -> None:
        """A refusal or a case is not dated before the day its enquiry came (given as days)."""
        if when + timedelta(days=1) <= self.received_at:
            raise InvalidValue(
                "on", f"is before enquiry {self.code} was received ({self.received_at:%Y-%m-%d})"
            )

    def _require_undecided(self) -> None:
        if self.outcome is not None:
            raise EnquiryDecided(self.code)
