"""An office on a real journal (SQLite file and PostgreSQL): its services, its staff, and helpers.

Services:
  SOS    crisis help, ambulatory + field, from age 11, 12 sessions per case
  IC     intervention centre, ambulatory + field, adults (18+), no session limit
Staff:
  admin  the installation's admin (from tests/conftest.py)
  eva    worker in SOS          jan   worker in SOS
  vera   supervisor in SOS      petr  worker in IC
  ivan   supervisor in IC       olga  auditor
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain import commands as c
from domain.client import ClientAttributes
from domain.commands import Command
from domain.errors import KronikaError
from domain.journal import Journal
from domain.service import OpeningHours, ServiceParameters
from domain.vocabulary import Activity, ClientKind, Form, Role, ServiceType
from projections.store import ReadStore
from workers.journal import open_journal
from workers.settings import Settings

ADMIN = "admin"

SOS = ServiceParameters(
    name="Krizové centrum SOS",
    type=ServiceType.CRISIS_HELP,
    forms=(Form.AMBULATORY, Form.FIELD),
    min_age=11,
    capacity=4,
    hours=OpeningHours.parse("nonstop"),
    session_limit=12,
    target_groups=("osoby v krizi",),
    registry_id="1234567",
)
IC = ServiceParameters(
    name="Intervenční centrum",
    type=ServiceType.INTERVENTION_CENTRE,
    forms=(Form.AMBULATORY, Form.FIELD),
    min_age=18,
    capacity=3,
    hours=OpeningHours.parse("Mon-Fri 08:00-16:00"),
    target_groups=("oběti domácího násilí",),
)
STAFF = (
    ("eva", "Eva Dvořáková", Role.WORKER, ["SOS"]),
    ("jan", "Jan Novák", Role.WORKER, ["SOS"]),
    ("vera", "Věra Svobodová", Role.SUPERVISOR, ["SOS"]),
    ("petr", "Petr Černý", Role.WORKER, ["IC"]),
    ("ivan", "Ivan Procházka", Role.SUPERVISOR, ["IC"]),
    ("olga", "Olga Veselá", Role.AUDITOR, []),
)


class Office:
    """The journal of a small provider, with short ways to record the usual things."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def setup(self) -> Office:
        self.run(c.RegisterService("SOS", SOS))
        self.run(c.RegisterService("IC", IC))
        for login, name, role, services in STAFF:
            self.run(c.AddStaff(login, name, role, services))
        return self

    @property
    def now(self) -> datetime:
        return self.journal.clock()

    def run(self, command: Command, actor: str = ADMIN, command_id: UUID | None = None) -> str:
        return self.journal.execute(command, actor=actor, command_id=command_id)

    def count(self) -> int:
        """How many facts the journal holds, leaving out the records of who read a history."""
        notifications = self.journal.recorder.select_notifications(start=1, limit=10_000)
        return sum(1 for n in notifications if "CaseRead" not in n.topic)

    def refused(self, command: Command, actor: str, error: type[KronikaError]) -> KronikaError:
        """Run a command that must be refused with ``error``; check nothing was written."""
        before = self.count()
        with pytest.raises(error) as refused:
            self.run(command, actor)
        assert self.count() == before, f"{type(command).__name__} was refused but wrote facts"
        return refused.value

    def client(self, actor: str = "eva", **attributes: object) -> str:
        kind = ClientKind.PSEUDONYMOUS if attributes else ClientKind.ANONYMOUS
        return self.run(c.RegisterClient(kind, ClientAttributes(**attributes)), actor)  # type: ignore[arg-type]

    def case(
        self, actor: str = "eva", service: str = "SOS", days_ago: float = 10, **attributes: object
    ) -> str:
        """Open a case for a new client, ``days_ago`` days ago."""
        client = self.client(actor, **(attributes or {"birth_year": 1990}))
        opened_at = self.now - timedelta(days=days_ago)
        return self.run(c.OpenCase(client, service, opened_at=opened_at), actor)

    def session(self, case: str, actor: str = "eva", **fields: object) -> str:
        values: dict[str, object] = {
            "minutes": 50,
            "form": Form.AMBULATORY,
            "activities": [Activity.CRISIS_INTERVENTION],
        }
        values.update(fields)
        return self.run(c.LogSession(case, **values), actor)  # type: ignore[arg-type]


@pytest.fixture
def store(store_settings: Settings) -> Iterator[ReadStore]:
    """The read store of the journal's settings (on PostgreSQL, ``postgres_url`` drops its schema)."""
    store = ReadStore(*store_settings.read_store())
    store.create()
    yield store
    store.dispose()


@pytest.fixture
def office(journal: Journal) -> Office:
    return Office(journal).setup()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 3, 8, 0, tzinfo=UTC))


@pytest.fixture
def clocked_office(store_settings: Settings, clock: Clock) -> Iterator[Office]:
    """An office whose journal reads the time from ``clock``."""
    journal = open_journal(store_settings, create=True, clock=clock)
    journal.initialise(ADMIN, "Admin Istrator")
    yield Office(journal).setup()
    journal.close()


@pytest.fixture
def journal_at(store_settings: Settings) -> Iterator[Callable[..., Journal]]:
    """Open another journal on the same store (as another process would)."""
    opened: list[Journal] = []

    def open_again(clock: Callable[[], datetime] | None = None) -> Journal:
        journal = open_journal(store_settings, clock=clock)
        opened.append(journal)
        return journal

    yield open_again
    for journal in opened:
        journal.close()
