"""The Journal application: commands in, facts recorded, histories out.

Every command runs in a unit of work that loads the records it touches,
lets them check the rules and produce facts, and saves all those facts with
the command's receipt in one transaction. A command whose records changed
under it (another writer got there first) is re-run from fresh state; a
command whose receipt exists already was recorded before and is answered
from the receipt.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Recording

from domain.case import Case
from domain.codes import (
    DIRECTORY_ID,
    CodeKind,
    coded_id,
    format_code,
    parse_code,
    parse_login,
    parse_service_code,
    receipt_id,
    service_id,
    staff_id,
)
from domain.commands import Command
from domain.errors import CommandIdReused, NotFound, PurposeRequired, UnknownActor, WriteConflict
from domain.facts import Record, Stamp
from domain.handlers import HANDLERS
from domain.records import CaseRead, ClientRead, CommandReceipt, Directory
from domain.service import Service
from domain.staff import Duty, Staff
from domain.vocabulary import Role

if TYPE_CHECKING:  # loaded by the methods that need them: most commands do not
    from domain.client import Client
    from domain.history import CaseHistory
    from domain.report import Report

R = TypeVar("R", bound=Record)

ATTEMPTS = 10


class UnitOfWork:
    """The records one command (or one batch of commands) reads and changes.

    By default it keeps every record it touched. With a ``loader`` (records
    from somewhere besides the journal, e.g. an import's staged facts) it also
    notes which records the commands since the last ``touched`` call used, and
    ``forget`` lets it drop the least recently used records that have no
    pending facts, so a long batch runs in bounded memory.
    """

    def __init__(self, journal: Journal, *, loader: Callable[[UUID], Record | None] | None = None) -> None:
        self._journal = journal
        self._records: dict[UUID, Record] = {}
        self._highest: dict[CodeKind, int] = {}
        self._loader = loader
        self._touched: dict[UUID, Record] = {}

    def find(self, record_id: UUID) -> Record | None:
        if record_id in self._records:
            record = self._records[record_id]
            if self._loader is not None:
                self._records[record_id] = self._records.pop(record_id)  # most recently used last
                self._touched[record_id] = record
            return record
        if self._loader is not None:
            found = self._loader(record_id)
        else:
            try:
                found = self._journal.repository.get(record_id)
            except AggregateNotFoundError:
                return None
        if found is None:
            return None
        assert isinstance(found, Record)
        return self.add(found)

    def load(self, cls: type[R], record_id: UUID, kind: str, key: str) -> R:
        record = self.find(record_id)
        if not isinstance(record, cls):
            raise NotFound(kind, key)
        return record

    def add(self, record: R) -> R:
        self._records[record.id] = record
        if self._loader is not None:
            self._touched[record.id] = record
        return record

    def next_code(self, kind: CodeKind) -> str:
        if kind not in self._highest:
            self._highest[kind] = self._journal.highest_code(kind)
        self._highest[kind] += 1
        return format_code(kind, self._highest[kind])

    def pending(self) -> list[Record]:
        return [r for r in self._records.values() if r.pending_events]

    def touched(self) -> list[Record]:
        """With a loader: the records used since the last call that have pending facts, first used first."""
        records = [r for r in self._touched.values() if r.pending_events]
        self._touched = {}
        return records

    def forget(self, keep: int, *, besides: tuple[type[Record], ...] = ()) -> None:
        """Drop the least recently used records beyond ``keep``; never one with pending facts.

        Records of the kinds ``besides`` are kept apart from ``keep`` and never
        dropped: staff members and services, which nearly every command uses
        and an organisation has few of, would otherwise be loaded again and
        again once there are more of them than ``keep``.
        """
        others = [record_id for record_id, record in self._records.items() if not isinstance(record, besides)]
        excess = len(others) - keep
        if excess <= 0:
            return
        forgettable = [record_id for record_id in others if not self._records[record_id].pending_events]
        for record_id in forgettable[:excess]:
            del self._records[record_id]

    def size(self) -> int:
        """How many records are held."""
        return len(self._records)

    # Typed lookups by the codes people use.

    def staff(self, login: str) -> Staff:
        login = parse_login(login)
        return self.load(Staff, staff_id(login), "staff member", login)

    def actor(self, login: str, duty: Duty, service: str | None = None) -> Staff:
        """The acting staff member, checked for the duty (rule 7)."""
        staff = self.find(staff_id(parse_login(login)))
        if not isinstance(staff, Staff) or not staff.active:
            raise UnknownActor(login, left=isinstance(staff, Staff))
        staff.authorise(duty, service)
        return staff

    def service(self, code: str) -> Service:
        code = parse_service_code(code)
        return self.load(Service, service_id(code), "service", code)

    def coded(self, cls: type[R], kind: CodeKind, text: str) -> R:
        code = parse_code(text, kind)
        return self.load(cls, coded_id(code), kind.noun, code)

    def client(self, text: str) -> Client:
        from domain.client import Client

        return self.coded(Client, CodeKind.CLIENT, text)

    def client_for(self, login: str, duty: Duty, text: str) -> Client:
        """A client, for an actor allowed the duty in one of the services that took the client up."""
        actor = self.actor(login, duty)
        client = self.client(text)
        actor.authorise_any(duty, client.services)
        return client

    def case(self, text: str) -> Case:
        return self.coded(Case, CodeKind.CASE, text)

    def directory(self) -> Directory:
        return self.load(Directory, DIRECTORY_ID, "installation", "(run kronika init)")


Handler = Callable[[Any, UnitOfWork, Stamp], str]


class Batch:
    """Runs commands one after another in one unit of work; ``flush`` saves.

    Used by a single command (with retries, see ``Journal.execute``), by the
    importer and by the demo. With ``dry_run`` nothing is ever saved.
    """

    def __init__(
        self,
        journal: Journal,
        *,
        dry_run: bool = False,
        loader: Callable[[UUID], Record | None] | None = None,
    ) -> None:
        self.journal = journal
        self.dry_run = dry_run
        self.uow = UnitOfWork(journal, loader=loader)
        self.spoiled = False

    def run(
        self, command: Command, *, actor: str, command_id: UUID | None = None, now: datetime | None = None
    ) -> str:
        stamp = Stamp(actor, command_id or uuid4(), now or self.journal.clock())
        receipt = self.uow.find(receipt_id(stamp.command_id))
        if isinstance(receipt, CommandReceipt):
            if not receipt.answers(type(command).__name__, actor):
                raise CommandIdReused(str(stamp.command_id))  # else a write would "succeed" unrecorded
            return receipt.result
        handler = self.journal.handlers[type(command)]
        try:
            result = handler(command, self.uow, stamp)
        except Exception:
            # A refused command may have changed some records before it was
            # refused; those changes must never be saved with the others.
            self.spoiled = True
            raise
        self.uow.add(CommandReceipt.issue(type(command).__name__, result, stamp))
        return result

    def flush(self) -> int:
        """Save what the commands so far recorded; return the number of facts."""
        if self.spoiled:
            raise RuntimeError("a command in this batch was refused; the batch cannot be saved")
        records = self.uow.pending()
        if self.dry_run:
            return sum(len(r.collect_events()) for r in records)
        recordings = self.journal.save(*records)
        return len(recordings)


class Journal(Application[UUID]):
    """Kronika's event-sourced journal of social-service work."""

    name = "Kronika"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(env)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.handlers: dict[type[Command], Handler] = HANDLERS
        # Where in the notification log this journal's last save landed (read-your-writes).
        self.last_position: int | None = None

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        if recordings:
            self.last_position = max(r.notification.id for r in recordings)
        return recordings

    # -- writing --------------------------------------------------------------

    def execute(self, command: Command, *, actor: str, command_id: UUID | None = None) -> str:
        """Record one command, at most once per command id; retry on conflicts (rule 6)."""
        command_id = command_id or uuid4()
        for attempt in range(ATTEMPTS):
            batch = Batch(self)
            result = batch.run(command, actor=actor, command_id=command_id)
            try:
                batch.flush()
            except IntegrityError:
                # Someone else wrote to the same records: back off, re-read, re-check.
                time.sleep(random.uniform(0, 0.01 * 2**attempt))  # noqa: S311 - jitter, not crypto
                continue
            return result
        raise WriteConflict(ATTEMPTS)

    @contextmanager
    def batch(
        self, *, dry_run: bool = False, loader: Callable[[UUID], Record | None] | None = None
    ) -> Iterator[Batch]:
        """Run many commands; the caller flushes. Unflushed work is dropped (``loader``: see UnitOfWork)."""
        yield Batch(self, dry_run=dry_run, loader=loader)

    def initialise(self, login: str, name: str) -> bool:
        """Create the installation with its first admin; False if it exists."""
        login = parse_login(login)
        stamp = Stamp(login, uuid4(), self.clock())
        uow = UnitOfWork(self)
        if uow.find(DIRECTORY_ID) is not None:
            return False
        directory = Directory.open(stamp)
        directory.list_staff(login, stamp)
        admin = Staff.add(login, name, Role.ADMIN, [], stamp)
        try:
            self.save(directory, admin)
        except IntegrityError:
            return False
        return True

    def highest_code(self, kind: CodeKind) -> int:
        """The highest code of a kind in use; codes are dense, so search for the end."""

        def exists(number: int) -> bool:
            record_id = coded_id(format_code(kind, number))
            return bool(self.recorder.select_events(record_id, limit=1))

        if not exists(1):
            return 0
        low, high = 1, 2
        while exists(high):
            low, high = high, high * 2
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if exists(middle) else (low, middle)
        return low

    # -- reading --------------------------------------------------------------

    def reader(self, actor: str, duty: Duty = Duty.READ, service: str | None = None) -> UnitOfWork:
        uow = UnitOfWork(self)
        uow.actor(actor, duty, service)
        return uow

    def history(
        self, case: str, *, actor: str, as_of: datetime | None = None, purpose: str = ""
    ) -> CaseHistory:
        """The case replayed from its facts, as recorded up to ``as_of``; the read is recorded."""
        uow = self.reader(actor)
        code = parse_code(case, CodeKind.CASE)
        # The case's facts are read once: they say whose it is, and they are the history.
        events = [e for e in self.events.get(coded_id(code)) if isinstance(e, Record.Event)]
        if not events or not isinstance(events[0], Case.Opened):
            raise NotFound(CodeKind.CASE.noun, code)
        service = events[0].service
        reader = uow.actor(actor, Duty.READ, service)
        if reader.role is Role.AUDITOR and not purpose.strip():
            raise PurposeRequired(reader.login)
        from domain.history import replay

        replayed = replay(events, as_of=as_of)
        stamp = Stamp(reader.login, uuid4(), self.clock())
        self.save(CaseRead.view(case=code, service=service, purpose=purpose, as_of=as_of, stamp=stamp))
        return replayed

    def readable_services(self, *, actor: str, duty: Duty = Duty.READ) -> frozenset[str] | None:
        """The services whose records the actor may see for a duty; None means all of them."""
        staff = self.reader(actor, duty).staff(actor)
        return None if staff.role in (Role.ADMIN, Role.AUDITOR) else frozenset(staff.services)

    def report_scope(self, services: list[str] | None, *, actor: str) -> list[str] | None:
        """The services a report by this actor covers (None: all); each named one must exist."""
        uow = self.reader(actor, Duty.REPORT)
        named = None if services is None else [uow.service(code).code for code in services]
        return uow.staff(actor).scope(Duty.REPORT, named)

    def report(self, code: str, *, actor: str) -> Report:
        """An issued report, for anyone who may issue that report."""
        uow = self.reader(actor, Duty.REPORT)
        from domain.report import Report

        report = uow.coded(Report, CodeKind.REPORT, code)
        uow.staff(actor).authorise_services(Duty.REPORT, report.parameters.get("services"))
        return report

    def services(self, *, actor: str) -> list[Service]:
        uow = self.reader(actor)
        return [uow.service(code) for code in uow.directory().services]

    def staff_members(self, *, actor: str) -> list[Staff]:
        uow = self.reader(actor)
        return [uow.staff(login) for login in uow.directory().staff]

    def client(self, code: str, *, actor: str, purpose: str = "") -> Client:
        """A client's record with their personal data; the read is recorded, with its purpose."""
        uow = self.reader(actor)
        reader = uow.staff(actor)
        if reader.role is Role.AUDITOR and not purpose.strip():
            raise PurposeRequired(reader.login)
        client = uow.client_for(actor, Duty.READ, code)
        self.save(
            ClientRead.view(
                client=client.code, purpose=purpose, stamp=Stamp(reader.login, uuid4(), self.clock())
            )
        )
        return client

    def is_initialised(self) -> bool:
        return UnitOfWork(self).find(DIRECTORY_ID) is not None
