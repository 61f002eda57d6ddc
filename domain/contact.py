"""A short contact logged outside any case, possibly anonymous (``C-0001``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.case import CORRECTABLE, EntryKind, check_change, check_form
from domain.codes import coded_id
from domain.errors import EntryNotCorrectable, EntryRetracted, InvalidValue
from domain.facts import Record, Stamp, check_minutes, check_text
from domain.service import Service
from domain.vocabulary import Channel, Form


class Contact(Record):
    """Phone, e-mail, chat or in-person contact without a case."""

    class Event(Record.Event):
        pass

    class Logged(Record.Created, Event):
        code: str
        service: str
        client: str | None
        channel: str
        minutes: int
        form: str

        def apply(self, contact: Contact) -> None:
            contact.code = self.code
            contact.service = self.service
            contact.client = self.client
            contact.occurred_at = self.occurred_at
            contact.fields = {"channel": self.channel, "minutes": self.minutes, "form": self.form}
            contact.retracted = False

    class Corrected(Event):
        changes: dict[str, Any]
        reason: str

        def apply(self, contact: Contact) -> None:
            for name, value in self.changes.items():
                if name == "occurred_at":
                    contact.occurred_at = value
                else:
                    contact.fields[name] = value

    class Retracted(Event):
        reason: str

        def apply(self, contact: Contact) -> None:
            contact.retracted = True

    if TYPE_CHECKING:
        code: str
        service: str
        client: str | None
        occurred_at: datetime
        fields: dict[str, Any]
        retracted: bool

    @classmethod
    def log(
        cls,
        code: str,
        *,
        service: Service,
        client: str | None,
        channel: Channel,
        minutes: int,
        form: Form,
        occurred_at: datetime,
        stamp: Stamp,
    ) -> Contact:
        check_form(service, form)
        return cls._create(
            cls.Logged,
            id=coded_id(code),
            code=code,
            service=service.code,
            client=client,
            channel=channel.value,
            minutes=check_minutes(minutes),
            form=form.value,
            **stamp.fields(stamp.check_past(occurred_at)),
        )

    def correct(self, *, changes: dict[str, Any], service: Service, reason: str, stamp: Stamp) -> None:
        self._require_live()
        checked = {}
        for name, value in changes.items():
            if name not in CORRECTABLE[EntryKind.CONTACT]:
                raise EntryNotCorrectable(self.code, EntryKind.CONTACT.value, name)
            checked[name] = check_change(name, value, service=service, stamp=stamp, case=None)
        if not checked:
            raise InvalidValue("correction", "name at least one field to correct")
        self.trigger_event(
            self.Corrected, changes=checked, reason=check_text("reason", reason, limit=500), **stamp.fields()
        )

    def retract(self, *, reason: str, stamp: Stamp) -> None:
        self._require_live()
        self.trigger_event(self.Retracted, reason=check_text("reason", reason, limit=500), **stamp.fields())

    def _require_live(self) -> None:
        if self.retracted:
            raise EntryRetracted(self.code)
