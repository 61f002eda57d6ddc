"""A year (2025) of an SOS crisis centre, as the commands its staff would have given.

``DemoYear(seed=..., clients=..., admin=...).commands()`` yields
``(now, actor, command)`` in the order the commands were given: ``now`` is
the simulated moment of recording (UTC), a little after what the command
records happened (sessions minutes or hours later, field work sometimes the
next morning, corrections days or weeks later). Nothing here touches a
journal, a file or the clock; the same seed gives the same year.

The figures follow the 2025 report of SOS centrum (Diakonie ČCE Praha): 1,680
clients (1,585 ambulatory + 95 field), 3,120 hours of direct work (2,995
ambulatory + 125 field), Praha 3: 23 clients with 98 interventions;
``clients`` scales them. A second, small service does field and residential
crisis help for adult victims of trafficking.

In a fresh journal codes are given in order (K-0001, K-0002, ...; P-0001#2 is
the second entry of case P-0001), so the generator knows the code each
command will be answered with: ``expected`` holds it for the command just
yielded, and later commands use it. ``Tally`` adds up what the commands
record, for the demo's tour and for tests. Every name, e-mail and note is
made up.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain import commands as c
from domain.client import ClientAttributes
from domain.service import OpeningHours, ServiceParameters
from domain.vocabulary import (
    Activity,
    Agreement,
    Channel,
    ClientKind,
    CloseReason,
    ComplaintOutcome,
    Form,
    GoalStatus,
    ReferralKind,
    ReferralOutcome,
    RefusalReason,
    Role,
    ServiceType,
    Sex,
)

YEAR = 2025
ZONE = ZoneInfo("Europe/Prague")
REPORT_CLIENTS = 1680  # SOS centrum's clients in 2025, the default scale
SOS = "SOS"
OOL = "OOL"  # oběti obchodování s lidmi: victims of trafficking
SESSION_LIMIT = 12
CAPACITY = 3
HOURS = {SOS: (9, 20), OOL: (9, 17)}  # opening hours, Mon-Fri
SLOT = 15  # minutes: the diary's resolution
START = date(YEAR, 1, 2)  # the centre starts its journal on the first working day
SETUP_AT = datetime(YEAR, 1, 2, 7, 30, tzinfo=ZONE)  # when the journal is created
LAST = datetime(YEAR, 12, 31, 22, 0, tzinfo=ZONE)  # nothing is recorded later
LATE = timedelta(days=30)  # a correction later than this is a quality finding
HOLIDAYS = frozenset(
    date(YEAR, month, day)
    for month, day in (
        (1, 1), (4, 18), (4, 21), (5, 1), (5, 8), (7, 5), (7, 6), (9, 28), (10, 28), (11, 17),
        (12, 24), (12, 25), (12, 26),
    )
)  # fmt: skip
# Fewer new clients in summer, more in autumn and winter.
SEASON = (1.1, 1.0, 1.05, 1.0, 1.0, 0.95, 0.8, 0.8, 1.0, 1.1, 1.1, 0.9)

Build = Callable[[], tuple[str, c.Command, str]]


def services() -> list[c.RegisterService]:
    """The two registered services of the demo."""
    return [
        c.RegisterService(
            SOS,
            ServiceParameters(
                name="SOS centrum – krizová pomoc",
                type=ServiceType.CRISIS_HELP,
                forms=(Form.AMBULATORY, Form.FIELD),
                min_age=11,
                capacity=CAPACITY,
                hours=OpeningHours.parse("Mon-Fri 09:00-20:00"),
                session_limit=SESSION_LIMIT,
                target_groups=("osoby v krizi", "oběti trestné činnosti", "oběti domácího násilí"),
                registry_id="4711001",
            ),
        ),
        c.RegisterService(
            OOL,
            ServiceParameters(
                name="Krizová pomoc obětem obchodování s lidmi",
                type=ServiceType.CRISIS_HELP,
                forms=(Form.FIELD, Form.RESIDENTIAL),
                min_age=18,
                capacity=CAPACITY,
                hours=OpeningHours.parse("Mon-Fri 09:00-17:00"),
                target_groups=("oběti obchodování s lidmi", "oběti pracovního vykořisťování"),
                registry_id="4711002",
            ),
        ),
    ]


# -- staff -------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    key: str  # the login they would like; the demo's admin keeps theirs
    name: str
    role: Role
    services: tuple[str, ...]
    weight: int = 3  # share of the ambulatory work
    field: bool = False  # in the SOS field team
    joins: date = START
    leaves: date | None = None  # last day at work
    promoted: date | None = None  # becomes a supervisor of their services


STAFF = (
    Member("marta", "Marta Veselá", Role.SUPERVISOR, (SOS, OOL), weight=1),
    Member("ondrej", "Ondřej Kříž", Role.WORKER, (SOS,), weight=2, promoted=date(YEAR, 4, 1)),
    Member("eva", "Eva Horáková", Role.WORKER, (SOS,)),
    Member("tomas", "Tomáš Dvořák", Role.WORKER, (SOS,), field=True),
    Member("petra", "Petra Malá", Role.WORKER, (SOS,), field=True),
    Member("jakub", "Jakub Šimek", Role.WORKER, (SOS,), leaves=date(YEAR, 6, 27)),
    Member("klara", "Klára Němcová", Role.WORKER, (SOS,), joins=date(YEAR, 9, 1)),
    Member("david", "David Růžička", Role.WORKER, (SOS, OOL), weight=1, field=True),
    Member("hana", "Hana Králová", Role.WORKER, (OOL,), weight=0),
    Member("irena", "Irena Pokorná", Role.AUDITOR, (), weight=0),
)
LEAVING_RECORDED = datetime(YEAR, 6, 30, 16, 0, tzinfo=ZONE)


# -- made-up people and words --------------------------------------------------

# fmt: off
FEMALE = (
    "Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Lucie", "Věra", "Alena", "Petra",
    "Veronika", "Tereza", "Martina", "Michaela", "Zuzana", "Ivana", "Monika", "Eliška", "Adéla",
    "Karolína", "Kristýna", "Barbora", "Natálie",
)
MALE = (
    "Jiří", "Jan", "Petr", "Josef", "Pavel", "Martin", "Tomáš", "Jaroslav", "Miroslav", "Zdeněk",
    "Václav", "Michal", "František", "Jakub", "Lukáš", "David", "Ondřej", "Vojtěch", "Filip", "Adam",
    "Matěj", "Karel", "Milan", "Roman", "Daniel",
)
SURNAMES = (  # (his, her)
    ("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Dvořák", "Dvořáková"),
    ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
    ("Horák", "Horáková"), ("Němec", "Němcová"), ("Pokorný", "Pokorná"), ("Marek", "Marková"),
    ("Pospíšil", "Pospíšilová"), ("Hájek", "Hájková"), ("Jelínek", "Jelínková"), ("Král", "Králová"),
    ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"),
    ("Doležal", "Doležalová"), ("Zeman", "Zemanová"), ("Kolář", "Kolářová"), ("Navrátil", "Navrátilová"),
)
FOREIGN_FEMALE = (
    "Oksana", "Olena", "Ioana", "Maria", "Svetlana", "Daria", "Elena", "Natalia", "Iryna", "Lan", "Mai",
)
FOREIGN_MALE = ("Andrei", "Mihai", "Serhii", "Oleh", "Minh", "Dumitru", "Vasyl", "Ion")
FOREIGN_SURNAMES = (
    "Melnyk", "Kovalenko", "Bondar", "Shevchuk", "Popescu", "Ionescu", "Rusu", "Popa", "Nguyen", "Tran",
    "Pham",
)
# fmt: on

DISTRICTS = {  # weights of the stated districts; Praha 3 as in the report
    "Praha 1": 3.0, "Praha 2": 6.0, "Praha 3": 2.6, "Praha 4": 13.0, "Praha 5": 9.0,
    "Praha 6": 7.0, "Praha 7": 3.5, "Praha 8": 8.0, "Praha 9": 4.5, "Praha 10": 10.0,
    "Praha 11": 6.5, "Praha 12": 4.5, "Praha 13": 5.0, "Praha 14": 4.0, "Praha 15": 3.0,
}  # fmt: skip
AGE_BANDS = ((11, 17, 0.13), (18, 26, 0.20), (27, 64, 0.59), (65, 80, 0.08))
SOS_GROUPS = (("osoby v krizi", 80), ("oběti trestné činnosti", 8), ("oběti domácího násilí", 7), (None, 5))

SOS_THEMES = (  # what brought the client, and the ages it fits
    ("Akutní krize po rozchodu s partnerem; stabilizace, plán na víkend.", 16, 80),
    ("Úmrtí blízké osoby; podpora v truchlení, mapování sociální sítě.", 11, 80),
    ("Konflikt v rodině s dospívajícím dítětem; nácvik zvládání vypjatých situací.", 30, 64),
    ("Panická ataka; psychoedukace, doporučena psychiatrická péče.", 15, 80),
    ("Ztráta zaměstnání a dluhy; orientace v možnostech pomoci.", 20, 64),
    ("Šikana ve škole; podpora, domluven kontakt s rodiči.", 11, 17),
    ("Suicidální myšlenky; zhodnocení rizika, bezpečnostní plán, kontakt na linku.", 13, 80),
    ("Domácí násilí; bezpečnostní plán, informace o intervenčním centru.", 18, 80),
    ("Oběť přepadení; podpora, informace o právech oběti.", 11, 80),
    ("Úzkosti před zkouškami, nespavost; relaxační techniky.", 14, 26),
    ("Krize po propuštění z hospitalizace; navázání ambulantní péče.", 18, 80),
    ("Osamělost ve stáří, myšlenky na smrt; zhodnocení rizika, kontakt s rodinou.", 65, 80),
)
FOLLOW_UP_NOTES = (
    "Navazující rozhovor; stabilizace, práce s emocemi.",
    "Mapování zdrojů podpory, plán na další dny.",
    "Zhodnocení posunu od minulého setkání.",
    "Nácvik zvládání stresu, domluva dalšího postupu.",
    "Příprava ukončení spolupráce, doporučení návazné péče.",
)
OOL_NOTES = (
    "Doprovod na policii k podání vysvětlení; tlumočení zajištěno.",
    "Rozhovor v ubytování; stabilizace, plán dalších kroků.",
    "Doprovod na úřad práce a k lékaři.",
    "Příprava na výslech u soudu; informace o právech oběti.",
    "Jednání se zaměstnavatelem o doplacení mzdy.",
)
GOALS = (
    "Zvládnout akutní krizi a obnovit denní režim.",
    "Zajistit bezpečné bydlení.",
    "Navázat dlouhodobou psychoterapii.",
    "Vyřešit konflikt v rodině bez násilí.",
    "Zorientovat se v dluzích a domluvit splátky.",
    "Obnovit docházku do školy.",
)
ORGANISATIONS: dict[ReferralKind, tuple[str, ...]] = {
    ReferralKind.PSYCHIATRIC: (
        "Psychiatrická nemocnice Bohnice – Centrum krizové intervence",
        "Národní ústav duševního zdraví",
        "Psychiatrická klinika 1. LF UK a VFN",
    ),
    ReferralKind.LEGAL: ("Bílý kruh bezpečí", "Česká advokátní komora – bezplatné právní porady", "proFem"),
    ReferralKind.SHELTER: ("Azylový dům Naděje", "Azylový dům Armády spásy", "Azylový dům pro matky s dětmi"),
    ReferralKind.POLICE: (
        "Policie ČR – místní oddělení Praha 2",
        "Policie ČR – obvodní ředitelství Praha III",
    ),
    ReferralKind.CHILD_PROTECTION: (
        "OSPOD Praha 2",
        "OSPOD Praha 3",
        "OSPOD Praha 10",
        "Dětské krizové centrum",
    ),
    ReferralKind.MEDICAL: ("Praktický lékař klienta", "Všeobecná fakultní nemocnice – urgentní příjem"),
    ReferralKind.OTHER: ("Poradna při finanční tísni", "Úřad práce ČR – Praha 2", "Rodinná poradna Praha 2"),
}
OOL_ORGANISATIONS: dict[ReferralKind, tuple[str, ...]] = {
    ReferralKind.LEGAL: ("La Strada ČR – právní poradenství", "Bílý kruh bezpečí"),
    ReferralKind.POLICE: ("Policie ČR – Národní centrála proti organizovanému zločinu",),
    ReferralKind.MEDICAL: ("Nemocnice Na Bulovce",),
    ReferralKind.OTHER: ("IOM Praha – dobrovolné návraty", "Úřad práce ČR – Praha 5"),
}
REASONS = {
    ReferralKind.PSYCHIATRIC: "Potřeba psychiatrického vyšetření a medikace.",
    ReferralKind.LEGAL: "Právní pomoc (rozvod, trestní oznámení, nároky oběti).",
    ReferralKind.SHELTER: "Ztráta bydlení, potřeba bezpečného ubytování.",
    ReferralKind.POLICE: "Oznámení trestného činu.",
    ReferralKind.CHILD_PROTECTION: "Ohrožené dítě v rodině.",
    ReferralKind.MEDICAL: "Zdravotní potíže, potřeba vyšetření.",
    ReferralKind.OTHER: "Dluhy, zaměstnání nebo rodinná situace.",
}
SHORT_NAMES = {  # how an organisation was first typed, before a correction spelt it out
    "Psychiatrická nemocnice Bohnice – Centrum krizové intervence": "PN Bohnce",
    "Národní ústav duševního zdraví": "NUDZ",
    "Bílý kruh bezpečí": "BKB",
    "Azylový dům Naděje": "AD Nadeje",
    "Poradna při finanční tísni": "Poradna fin. tisen",
}
OVERRIDE_REASON = "Pokračování krizové intervence schválila vedoucí: klient čeká na nástup do psychoterapie."


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def local(moment: datetime) -> datetime:
    return moment.astimezone(ZONE)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _at(day: date, minute: int) -> datetime:
    """A local wall-clock moment: ``minute`` minutes after midnight of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(minutes=minute)


# -- what is planned ---------------------------------------------------------


@dataclass(eq=False)
class Person:
    """A client as planned; ``code`` is known once the registration is yielded."""

    kind: ClientKind
    attributes: ClientAttributes
    personal: dict[str, str]
    age: int | None
    code: str = ""
    consented: bool = False  # to sharing with the service referred to (asked once)


@dataclass(eq=False)
class Case:
    person: Person
    service: str
    lead: str
    opened_at: datetime
    code: str = ""
    entries: int = 0  # entries recorded so far, while yielding
    sessions: int = 0  # live sessions recorded so far, while yielding
    last_at: datetime | None = None  # latest recording planned on the open case
    sessions_planned: int = 0
    referrals: int = 0
    closed: datetime | None = None  # when the (last) closing is recorded


@dataclass(eq=False)
class Session:
    case: Case
    start: datetime
    minutes: int
    form: Form
    activities: list[Activity]
    staff: list[str]
    district: str | None
    note: str
    recorded_at: datetime
    recorder: str
    typed: dict[str, Any] = field(default_factory=dict)  # what was typed, where it was a mistake
    ref: str = ""  # its entry, e.g. P-0001#2
    duplicate: bool = False  # saved twice by mistake
    copy: str = ""  # the entry of the copy
    fixed: bool = False


@dataclass(eq=False)
class Coded:
    """Something whose code (E-, R-, C-, S-) or entry is known once yielded."""

    code: str = ""
    recorded_at: datetime | None = None
    typed: dict[str, Any] = field(default_factory=dict)  # what was typed, where it was a mistake


@dataclass(order=True)
class Action:
    at: datetime  # UTC
    seq: int
    build: Build = field(compare=False)


class Diary:
    """Who is busy when, and how many clients a service has at once, in 15-minute slots."""

    def __init__(self) -> None:
        self._staff: dict[tuple[str, date], bytearray] = {}
        self._load: dict[tuple[str, date], bytearray] = {}

    def _day(self, table: dict[tuple[str, date], bytearray], key: tuple[str, date]) -> bytearray:
        if key not in table:
            table[key] = bytearray(24 * 60 // SLOT)
        return table[key]

    def free(self, login: str, day: date, span: range) -> bool:
        slots = self._day(self._staff, (login, day))
        return not any(slots[i] for i in span)

    def room(self, service: str, day: date, span: range) -> bool:
        load = self._day(self._load, (service, day))
        return all(load[i] < CAPACITY for i in span)

    def book(self, service: str | None, day: date, span: range, staff: list[str]) -> None:
        for login in staff:
            slots = self._day(self._staff, (login, day))
            for i in span:
                slots[i] = 1
        if service is not None:
            load = self._day(self._load, (service, day))
            for i in span:
                load[i] += 1


# -- the year ------------------------------------------------------------------


class DemoYear:
    """A year of SOS centrum and a small trafficking-victims service, as commands."""

    def __init__(self, *, seed: int = 2025, clients: int = REPORT_CLIENTS, admin: str = "admin") -> None:
        if clients < 20:
            raise ValueError("a demo year needs at least 20 clients")
        self.seed = seed
        self.clients = clients
        self.scale = clients / REPORT_CLIENTS
        self.admin = admin
        self.logins = _logins(admin)
        self.expected: str | None = None  # what the command just yielded answers
        self.examples: dict[str, str] = {}  # codes worth showing, known once all is yielded
        self.days = [
            START + timedelta(days=n)
            for n in range((date(YEAR, 12, 31) - START).days + 1)
            if (START + timedelta(days=n)).weekday() < 5 and START + timedelta(days=n) not in HOLIDAYS
        ]
        self._index = {day: i for i, day in enumerate(self.days)}
        self._weights = [SEASON[day.month - 1] for day in self.days]

    # -- running ----------------------------------------------------------------

    def commands(self) -> Iterator[tuple[datetime, str, c.Command]]:
        """The year's commands in the order they were given: ``(now, actor, command)``."""
        self._reset()
        self._plan()
        actions = sorted(self._actions)
        for action in actions:
            actor, command, expected = action.build()
            self.expected = expected
            yield action.at, actor, command
        self.expected = None
        self.examples = {name: value() for name, value in self._examples.items()}

    def _reset(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - a reproducible simulation, not secrets
        self.diary = Diary()
        self._actions: list[Action] = []
        self._seq = 0
        self._codes: Counter[str] = Counter()
        self._sessions: list[Session] = []
        self._contacts: list[Contact] = []  # anonymous contacts, to correct or retract some
        self._referrals: list[tuple[Coded, Case]] = []
        self._examples: dict[str, Callable[[], str]] = {}
        self._terminated: list[Case] = []
        self._long = 0

    def _do(self, at: datetime, build: Build) -> None:
        self._actions.append(Action(_utc(at), self._seq, build))
        self._seq += 1

    def _code(self, letter: str) -> str:
        self._codes[letter] += 1
        return f"{letter}-{self._codes[letter]:04d}"

    @staticmethod
    def _entry(case: Case) -> str:
        case.entries += 1
        return f"{case.code}#{case.entries}"

    # -- staff and the calendar ---------------------------------------------------

    def _member(self, login: str) -> Member:
        return self._members[login]

    def _works(self, login: str, service: str, day: date) -> bool:
        member = self._member(login)
        return (
            service in member.services
            and member.joins <= day
            and (member.leaves is None or day <= member.leaves)
            and member.role is not Role.AUDITOR
        )

    def _supervisors(self, service: str, day: date) -> list[str]:
        return [
            login
            for login, m in self._members.items()
            if self._works(login, service, day)
            and (m.role is Role.SUPERVISOR or (m.promoted is not None and day >= m.promoted))
        ]

    def _supervisor(self, service: str, day: date) -> str:
        chosen = self._supervisors(service, day)
        return chosen[day.toordinal() % len(chosen)]

    def _workers(self, service: str, day: date) -> list[str]:
        return [login for login in self._members if self._works(login, service, day)]

    def _worker(self, service: str, day: date, prefer: str | None = None) -> str:
        if prefer is not None and self._works(prefer, service, day):
            return prefer
        return self.rng.choice(self._workers(service, day))

    def _lead(self, service: str, day: date, *, field_team: bool = False) -> str:
        pool = [
            login
            for login in self._workers(service, day)
            if (self._member(login).field if field_team else True)
        ]
        if service == SOS and not field_team:
            weights = [self._member(login).weight for login in pool]
            return self.rng.choices(pool, weights)[0]
        hana, david = self.logins["hana"], self.logins["david"]
        if service == OOL:
            return hana if self.rng.random() < 0.7 or david not in pool else david
        return self.rng.choices(pool, [3 if login == david else 1 for login in pool])[0]

    def _day_after(self, day: date, working_days: int = 1) -> date | None:
        i = self._index.get(day)
        if i is None:  # a weekend or a holiday: the next working day counts as the first
            later = [d for d in self.days if d > day]
            return later[working_days - 1] if len(later) >= working_days else None
        i += working_days
        return self.days[i] if i < len(self.days) else None

    def _random_day(self, first: date | None = None, last: date | None = None) -> date:
        pairs = [
            (d, w)
            for d, w in zip(self.days, self._weights, strict=True)
            if (first is None or d >= first) and (last is None or d <= last)
        ]
        return self.rng.choices([d for d, _ in pairs], [w for _, w in pairs])[0]

    def _office_time(self, day: date, first: int = 9 * 60, last: int = 16 * 60) -> datetime:
        return _at(day, self.rng.randint(first, last))

    def _later_workday(self, after: datetime, days: int) -> datetime | None:
        """Office hours on a working day about ``days`` days after a moment."""
        day = local(after).date() + timedelta(days=days)
        if day not in self._index:
            found = self._day_after(day)
            if found is None:
                return None
            day = found
        moment = self._office_time(day)
        return moment if moment > after else None

    def _review(self, after: datetime) -> datetime | None:
        """The weekly case review (last working day of a week, 14:00-16:30) after a moment."""
        day: date | None = local(after).date()
        while day is not None:
            if day in self._index:
                following = self._day_after(day)
                if following is None or following.isocalendar()[1] != day.isocalendar()[1]:
                    moment = self._office_time(day, 14 * 60, 16 * 60 + 30)
                    if moment > after:
                        return moment
            day = self._day_after(day)
        return None

    # -- booking direct work ------------------------------------------------------

    def _book(
        self,
        service: str,
        day: date,
        minutes: int,
        lead: str,
        pool: list[str],
        *,
        team: int = 1,
        clients: bool = True,
        hours: tuple[int, int] | None = None,
    ) -> tuple[datetime, list[str]] | None:
        """A start on ``day`` when the staff are free and the service has room, or None."""
        opens, closes = hours or HOURS[service]
        offset = self.rng.choice((0, 0, 5, 10))
        need = -(-(minutes + offset) // SLOT)
        first, last = opens * 60 // SLOT, closes * 60 // SLOT - need
        if last < first:
            return None
        for _ in range(8):
            slot = self.rng.randint(first, last)
            span = range(slot, slot + need)
            if clients and not self.diary.room(service, day, span):
                continue
            chosen: list[str] = []
            for login in [lead, *self.rng.sample(pool, len(pool))]:
                if (
                    login not in chosen
                    and self._works(login, service, day)
                    and self.diary.free(login, day, span)
                ):
                    chosen.append(login)
                    if len(chosen) == team:
                        break
            if len(chosen) < team:
                continue
            self.diary.book(service if clients else None, day, span, chosen)
            return _at(day, slot * SLOT + offset), chosen
        return None

    def _book_from(
        self, service: str, day: date | None, minutes: int, lead: str, pool: list[str], **options: Any
    ) -> tuple[datetime, list[str]] | None:
        for _ in range(6):
            if day is None:
                return None
            booked = self._book(service, day, minutes, lead, pool, **options)
            if booked is not None:
                return booked
            day = self._day_after(day)
        return None

    def _recorded(self, end: datetime, form: Form) -> datetime:
        """When a session is written up: soon after, at the end of the day, or the next morning."""
        r = self.rng.random()
        morning = self._day_after(end.date())
        if form is Form.FIELD and r < 0.6:
            moment = end + timedelta(minutes=self.rng.randint(30, 180))
        elif form is Form.FIELD or r > 0.97:
            moment = _at(morning, self.rng.randint(8 * 60 + 20, 9 * 60 + 50)) if morning else end
        elif r < 0.85:
            moment = end + timedelta(minutes=self.rng.randint(3, 40))
        else:
            moment = end + timedelta(minutes=self.rng.randint(60, 200))
        if moment <= end or moment > LAST:
            moment = end + timedelta(minutes=self.rng.randint(3, 30))
        return moment

    # -- planning -------------------------------------------------------------------

    def _plan(self) -> None:
        self._members = {self.logins[m.key]: m for m in STAFF}
        self._setup()
        self._plan_sos()
        self._plan_ool()
        self._plan_anonymous_contacts()
        self._plan_refusals()
        self._plan_complaints()
        self._plan_corrections()

    def _n(self, figure: float, least: int = 0) -> int:
        """A figure of the report, scaled to the demo's size."""
        return max(least, round(figure * self.scale))

    def _setup(self) -> None:
        admin = self.admin
        moment = SETUP_AT
        for command in services():
            moment += timedelta(minutes=2)
            self._do(moment, _fixed(admin, command, command.code))
        for m in STAFF:
            login = self.logins[m.key]
            add = c.AddStaff(login, m.name, m.role, list(m.services))
            if m.joins == START:
                moment += timedelta(minutes=1)
                self._do(moment, _fixed(admin, add, login))
            else:
                self._do(_at(m.joins, 8 * 60), _fixed(admin, add, login))
            if m.promoted is not None:
                change = c.ChangeStaffRole(login, Role.SUPERVISOR, list(m.services))
                self._do(_at(m.promoted, 7 * 60 + 50), _fixed(admin, change, login))
            if m.leaves is not None:
                self._do(LEAVING_RECORDED, _fixed(admin, c.RecordStaffLeaving(login), login))

    # -- people -----------------------------------------------------------------

    def _age(self) -> int:
        low, high, _ = self.rng.choices(AGE_BANDS, [w for *_, w in AGE_BANDS])[0]
        return self.rng.randint(low, high)

    def _district(self, stated: float = 0.6) -> str | None:
        if self.rng.random() >= stated:
            return None
        return self.rng.choices(list(DISTRICTS), list(DISTRICTS.values()))[0]

    def _sex(self) -> Sex | None:
        return self.rng.choices([Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.NOT_STATED, None], [60, 36, 1, 1, 2])[0]

    def _name(self, sex: Sex | None, *, foreign: bool = False) -> str:
        female = sex is not Sex.MALE
        if foreign:
            first = self.rng.choice(FOREIGN_FEMALE if female else FOREIGN_MALE)
            return f"{first} {self.rng.choice(FOREIGN_SURNAMES)}"
        first = self.rng.choice(FEMALE if female else MALE)
        male_form, female_form = self.rng.choice(SURNAMES)
        return f"{first} {female_form if female else male_form}"

    def _birth_date(self, age: int, on: date = START) -> str:
        """A date of birth that makes someone ``age`` years old on ``on``."""
        # Between a year-and-some-days and a few days short of ``age + 1`` years before ``on``.
        born = date(on.year - age - 1, on.month, min(on.day, 28)) + timedelta(days=self.rng.randint(4, 360))
        return born.isoformat()

    def _person(
        self, kind: ClientKind, age: int, *, foreign: bool = False, group: str | None = None
    ) -> Person:
        if kind is ClientKind.ANONYMOUS:
            return Person(kind, ClientAttributes(), {}, None)
        sex = self._sex()
        if group is None:
            group = self.rng.choices([g for g, _ in SOS_GROUPS], [w for _, w in SOS_GROUPS])[0]
        district = self._district(0.15 if foreign else 0.6)
        if kind is ClientKind.IDENTIFIED:
            name = self._name(sex, foreign=foreign)
            personal = {"name": name, "birth_date": self._birth_date(max(age, 12))}
            if self.rng.random() < 0.6:
                personal["contact"] = f"{_ascii(name).replace(' ', '.')}@example.org"
            attributes = ClientAttributes(None, None, sex, district, group)
            return Person(kind, attributes, personal, age)
        bands = [f"{lo}-{hi}" if hi < 80 else f"{lo}+" for lo, hi, _ in AGE_BANDS if lo <= age <= hi]
        if bands and self.rng.random() < 0.15:  # the age only estimated
            return Person(kind, ClientAttributes(None, bands[0], sex, district, group), {}, age)
        return Person(kind, ClientAttributes(YEAR - age, None, sex, district, group), {}, age)

    def _register(self, at: datetime, actor: str, person: Person) -> None:
        def build() -> tuple[str, c.Command, str]:
            person.code = self._code("K")
            if person.kind is ClientKind.IDENTIFIED:
                self._examples.setdefault("identified", lambda: person.code)
            return actor, c.RegisterClient(person.kind, person.attributes, dict(person.personal)), person.code

        self._do(at, build)

    # -- cases --------------------------------------------------------------------

    def _open(
        self,
        at: datetime,
        actor: str,
        case: Case,
        *,
        enquiry: Coded | None = None,
        override: str | None = None,
    ) -> None:
        agreement = Agreement.WRITTEN if case.service == OOL else Agreement.ORAL

        def build() -> tuple[str, c.Command, str]:
            case.code = self._code("P")
            case.entries = 1
            command = c.OpenCase(
                case.person.code,
                case.service,
                opened_at=_utc(case.opened_at),
                key_worker=case.lead,
                agreement=agreement,
                enquiry=enquiry.code if enquiry else None,
                override=override,
            )
            return actor, command, case.code

        self._do(at, build)
        case.last_at = at

    def _touch(self, case: Case, at: datetime) -> None:
        if case.last_at is None or at > case.last_at:
            case.last_at = at

    def _session(
        self,
        case: Case,
        start: datetime,
        minutes: int,
        form: Form,
        activities: list[Activity],
        staff: list[str],
        *,
        district: str | None = None,
        note: str = "",
    ) -> Session:
        end = start + timedelta(minutes=minutes)
        recorded_at = self._recorded(end, form)
        session = Session(
            case, start, minutes, form, activities, staff, district, note, recorded_at, staff[0]
        )
        self._sessions.append(session)
        case.sessions_planned += 1
        self._log(session, recorded_at)
        return session

    def _log(self, session: Session, at: datetime, *, duplicate: bool = False) -> None:
        case = session.case

        def build() -> tuple[str, c.Command, str]:
            actor, override = session.recorder, None
            if case.service == SOS and case.sessions >= SESSION_LIMIT:
                actor, override = self._supervisor(case.service, local(at).date()), OVERRIDE_REASON
                self._examples.setdefault("override", lambda: case.code)
            case.sessions += 1
            ref = self._entry(case)
            if duplicate:
                session.copy = ref
            else:
                session.ref = ref
            typed = session.typed
            command = c.LogSession(
                case.code,
                typed.get("minutes", session.minutes),
                typed.get("form", session.form),
                list(typed.get("activities", session.activities)),
                staff=list(typed.get("staff", session.staff)),
                occurred_at=_utc(typed.get("occurred_at", session.start)),
                district=session.district,
                note=session.note,
                override=override,
            )
            return actor, command, ref

        self._do(at, build)
        self._touch(case, at)

    def _contact(self, case: Case, day: date, *, after: datetime) -> None:
        """A phone call with the client between sessions."""
        minutes = self.rng.choice((5, 8, 10, 10, 12, 15, 20))
        booked = self._book(
            case.service, day, minutes, case.lead, self._workers(case.service, day), clients=False
        )
        if booked is None or booked[0] <= after:
            return
        start, (worker,) = booked
        at = start + timedelta(minutes=minutes + self.rng.randint(1, 8))
        form = Form.AMBULATORY if case.service == SOS else Form.FIELD

        def build() -> tuple[str, c.Command, str]:
            command = c.LogContact(Channel.PHONE, minutes, case=case.code, form=form, occurred_at=_utc(start))
            return worker, command, self._entry(case)

        self._do(at, build)
        self._touch(case, at)

    def _referral(
        self, case: Case, session: Session, kind: ReferralKind, organisations: tuple[str, ...]
    ) -> None:
        organisation = self.rng.choice(organisations)
        referral = Coded()
        at = session.recorded_at + timedelta(minutes=self.rng.randint(1, 4))
        made = session.start + timedelta(minutes=max(1, session.minutes - 5))
        if organisation in SHORT_NAMES and self.rng.random() < 0.12:
            referral.typed["organisation"] = SHORT_NAMES[organisation]
        person = case.person
        if person.kind is ClientKind.IDENTIFIED and self.rng.random() < 0.4 and not person.consented:
            self._consent(at - timedelta(seconds=30), session.recorder, person)

        def build() -> tuple[str, c.Command, str]:
            referral.code = self._code("R")
            case.entries += 1
            command = c.MakeReferral(
                case.code,
                referral.typed.get("organisation", organisation),
                kind,
                reason=REASONS[kind],
                occurred_at=_utc(made),
            )
            return session.recorder, command, referral.code

        self._do(at, build)
        referral.recorded_at = at
        referral.typed["fixed_organisation"] = organisation
        self._touch(case, at)
        case.referrals += 1
        self._referrals.append((referral, case))
        if self.rng.random() < 0.85:
            self._outcome(case, referral, made)

    def _outcome(self, case: Case, referral: Coded, made: datetime) -> None:
        assert referral.recorded_at is not None
        outcome = self.rng.choices(list(ReferralOutcome), [60, 10, 15, 15])[0]
        # Learnt days or weeks later, and never before the referral itself was written down.
        happened = self._later_workday(max(made, referral.recorded_at), self.rng.randint(2, 28))
        if happened is None:
            return
        at = happened + timedelta(minutes=self.rng.randint(5, 120))
        if at > LAST:
            return
        worker = self._worker(case.service, happened.date(), case.lead)

        def build() -> tuple[str, c.Command, str]:
            command = c.RecordReferralOutcome(referral.code, outcome, occurred_at=_utc(happened))
            return worker, command, self._entry(case)

        self._do(at, build)

    def _goal(self, case: Case, set_at: Session, review_at: Session) -> None:
        goal = Coded()
        at = set_at.recorded_at + timedelta(minutes=self.rng.randint(1, 3))
        text = self.rng.choice(GOALS)

        def build() -> tuple[str, c.Command, str]:
            goal.code = self._entry(case)
            command = c.SetGoal(case.code, text, occurred_at=_utc(set_at.start))
            return set_at.recorder, command, goal.code

        self._do(at, build)
        status = self.rng.choices(list(GoalStatus), [10, 45, 30, 10, 5])[0]
        later = max(review_at.recorded_at, at) + timedelta(minutes=self.rng.randint(1, 3))
        note = "Cíl přehodnocen na posledním setkání."

        def review() -> tuple[str, c.Command, str]:
            command = c.ReviewGoal(goal.code, status, note, occurred_at=_utc(review_at.start))
            return review_at.recorder, command, self._entry(case)

        self._do(later, review)
        self._touch(case, later)

    def _close(self, case: Case, reason: CloseReason, after_days: int) -> datetime | None:
        assert case.last_at is not None
        at = self._review(case.last_at + timedelta(days=after_days))
        if at is None or at > LAST:
            return None
        closer = self._supervisor(case.service, at.date())
        happened = at - timedelta(minutes=self.rng.randint(1, 5))

        def build() -> tuple[str, c.Command, str]:
            return closer, c.CloseCase(case.code, reason, occurred_at=_utc(happened)), self._entry(case)

        self._do(at, build)
        case.closed = at
        return at

    def _reopen(self, case: Case, at: datetime) -> None:
        supervisor = self._supervisor(case.service, at.date())

        def build() -> tuple[str, c.Command, str]:
            command = c.ReopenCase(case.code, "Klient se vrátil s novou krizovou situací.")
            return supervisor, command, self._entry(case)

        self._do(at, build)
        case.closed = None
        self._touch(case, at)

    def _enquiry(
        self, at: datetime, actor: str, service: str, channel: Channel, person: Person | None = None
    ) -> Coded:
        enquiry = Coded(recorded_at=at)
        happened = at - timedelta(minutes=self.rng.randint(2, 10))

        def build() -> tuple[str, c.Command, str]:
            enquiry.code = self._code("E")
            command = c.ReceiveEnquiry(
                service, channel, person.code if person else None, occurred_at=_utc(happened)
            )
            return actor, command, enquiry.code

        self._do(at, build)
        return enquiry

    def _enquiry_before(self, service: str, day: date) -> Coded | None:
        """A phone call or e-mail a day or three before the first meeting."""
        i = self._index[day] - self.rng.randint(1, 3)
        if i < 0:
            return None
        before = self.days[i]
        at = self._office_time(before, HOURS[service][0] * 60 + 10, HOURS[service][1] * 60 - 10)
        channel = self.rng.choice((Channel.PHONE, Channel.PHONE, Channel.EMAIL))
        return self._enquiry(at, self._worker(service, before), service, channel)

    # -- SOS centrum ----------------------------------------------------------------

    def _plan_sos(self) -> None:
        n_field = self._n(95, 2)
        n_both = max(1, round(n_field * 0.2))
        kinds = ["long"] * self._n(2, 1) + ["term"] * self._n(2, 1)
        kinds += ["field"] * (n_field - n_both) + ["both"] * n_both + ["contact"] * round(0.05 * self.clients)
        kinds += ["amb"] * (self.clients - len(kinds))
        self.rng.shuffle(kinds)
        reopen = self._n(8, 1)
        second = self._n(20, 1)
        for kind in kinds:
            if kind == "contact":
                self._contact_client()
                continue
            case = self._sos_client(kind)
            if case is None or kind != "amb" or case.closed is None:
                continue
            if reopen and case.sessions_planned < 8:
                reopen -= self._return(case, reopen=True)
            elif second and case.closed < datetime(YEAR, 9, 1, tzinfo=ZONE):
                second -= self._return(case, reopen=False)

    def _sos_person(self, kind: str) -> Person:
        r = self.rng.random()
        if kind == "long":
            return self._person(ClientKind.IDENTIFIED, self.rng.randint(27, 64))
        if kind in ("field", "both"):
            identified, anonymous = 0.25, 0.08
        elif kind == "term":
            identified, anonymous = 0.5, 0.0
        else:
            identified, anonymous = 0.09, 0.12
        if r < anonymous:
            return self._person(ClientKind.ANONYMOUS, self._age())
        if r < anonymous + identified:
            return self._person(ClientKind.IDENTIFIED, self._age())
        return self._person(ClientKind.PSEUDONYMOUS, self._age())

    def _sos_client(self, kind: str) -> Case | None:
        person = self._sos_person(kind)
        day = self._random_day(last=date(YEAR, 4, 30) if kind in ("long", "term") else None)
        field_first = kind in ("field", "both")
        minutes = self._minutes(Form.FIELD if field_first else Form.AMBULATORY, first=True)
        lead = self._lead(SOS, day, field_team=field_first)
        team = 2 if self.rng.random() < (0.35 if field_first else 0.05) else 1
        pool = self._pool(SOS, day, field_first)
        hours = self._late_hours(field_first)
        booked = self._book_from(SOS, day, minutes, lead, pool, team=team, hours=hours)
        if booked is None:
            return None
        start, staff = booked
        enquiry = None
        if not field_first and self.rng.random() < 0.2:
            enquiry = self._enquiry_before(SOS, start.date())
        opened_at = start - timedelta(minutes=self.rng.randint(5, 12))
        case = Case(person, SOS, staff[0], opened_at)
        form = Form.FIELD if field_first else Form.AMBULATORY
        district = (person.attributes.district or self.rng.choice(list(DISTRICTS))) if field_first else None
        activities = [Activity.CRISIS_INTERVENTION]
        if self.rng.random() < (0.4 if field_first else 0.3):
            activities.append(Activity.ACCOMPANIMENT if field_first else Activity.INFORMATION)
        note = self._theme(person) if self.rng.random() < 0.8 else ""
        first = self._session(case, start, minutes, form, activities, staff, district=district, note=note)
        # Walk-ins are registered as they arrive; field work is written up back at the office.
        registered = (
            first.recorded_at - timedelta(minutes=3) if field_first else opened_at + timedelta(minutes=1)
        )
        self._register(registered, staff[0], person)
        self._open(registered + timedelta(minutes=1), staff[0], case, enquiry=enquiry)
        self._touch(case, first.recorded_at)
        sessions = [first]
        count = self._count(kind, person)
        sessions += self._follow_up(case, first, count - 1, field=kind == "field")
        self._extras(case, sessions, kind)
        return case

    def _late_hours(self, field: bool) -> tuple[int, int] | None:
        """Now and then a crisis in the field runs into the evening, after the centre closes."""
        return (20, 22) if field and self.rng.random() < 0.06 else None

    def _pool(self, service: str, day: date, field_team: bool) -> list[str]:
        pool = self._workers(service, day)
        if field_team:
            pool = [login for login in pool if self._member(login).field or login == self.logins["eva"]]
        return pool

    def _count(self, kind: str, person: Person) -> int:
        if kind == "long":
            self._long += 1
            return 13 if self._long % 2 else 14
        if kind == "term":
            return self.rng.randint(2, 3)
        if kind == "field":
            return self.rng.choices((1, 2, 3), (80, 15, 5))[0]
        if kind == "both":
            return self.rng.randint(2, 4)
        if person.attributes.district == "Praha 3":  # Prague 3 funds the centre; its clients come more often
            return self.rng.choices(range(1, 12), (15, 13, 14, 15, 12, 9, 7, 6, 4, 3, 2))[0]
        return self.rng.choices(range(1, 12), (55, 20, 10, 5.5, 3.5, 1.5, 1.2, 0.8, 0.8, 0.6, 0.4))[0]

    def _minutes(self, form: Form, *, first: bool = False) -> int:
        if form is Form.FIELD:
            minutes = self.rng.choices((20, 30, 45, 60, 90), (8, 27, 30, 23, 12))[0]
        else:
            minutes = self.rng.choices(
                (20, 30, 40, 45, 50, 60, 75, 90, 120), (5, 15, 16, 18, 19, 17, 5, 4, 1 if not first else 3)
            )[0]
        return max(15, minutes + self.rng.choice((-5, 0, 0, 0, 5)))

    def _theme(self, person: Person) -> str:
        """What brought the client: the note of the first session."""
        age = person.age if person.age is not None else 30
        return self.rng.choice([text for text, low, high in SOS_THEMES if low <= age <= high])

    def _note(self) -> str:
        return self.rng.choice(FOLLOW_UP_NOTES) if self.rng.random() < 0.5 else ""

    def _follow_up(self, case: Case, previous: Session, count: int, *, field: bool) -> list[Session]:
        """Further sessions of a case, days apart, with a phone call now and then."""
        sessions = []
        weekly = count >= 12
        for _ in range(count):
            gap = 5 if weekly else self.rng.choices((1, 2, 3, 4, 5, 7, 10), (10, 20, 20, 15, 15, 12, 8))[0]
            day = self._day_after(previous.start.date(), gap)
            if day is None:
                break
            if not weekly and self.rng.random() < 0.15:
                call = self._day_after(previous.start.date(), self.rng.randint(1, max(1, gap - 1)))
                if call is not None and call < day:
                    self._contact(case, call, after=previous.recorded_at)
            form = Form.FIELD if field else Form.AMBULATORY
            minutes = self._minutes(form)
            team = 2 if self.rng.random() < (0.35 if field else 0.05) else 1
            pool = self._pool(SOS, day, field)
            lead = case.lead if self._works(case.lead, SOS, day) else self.rng.choice(pool)
            booked = self._book_from(SOS, day, minutes, lead, pool, team=team, hours=self._late_hours(field))
            if booked is None:
                break
            start, staff = booked
            if start <= previous.recorded_at:
                break
            activities = self.rng.choices(
                [
                    [Activity.COUNSELLING],
                    [Activity.CRISIS_INTERVENTION],
                    [Activity.COUNSELLING, Activity.SOCIAL_COUNSELLING],
                    [Activity.THERAPY],
                    [Activity.SOCIAL_COUNSELLING, Activity.INFORMATION],
                ],
                [40, 30, 12, 8, 10],
            )[0]
            if field:
                activities = [Activity.CRISIS_INTERVENTION, Activity.ACCOMPANIMENT]
            district = (case.person.attributes.district or "Praha 2") if field else None
            previous = self._session(
                case, start, minutes, form, activities, staff, district=district, note=self._note()
            )
            sessions.append(previous)
        return sessions

    def _extras(self, case: Case, sessions: list[Session], kind: str) -> None:
        """Referrals, goals, amendments, and the closing of a SOS case."""
        person = case.person
        if kind == "long" or self.rng.random() < 0.16:
            if kind == "long":
                referral_kind = ReferralKind.PSYCHIATRIC
            elif person.age is not None and person.age < 18:
                referral_kind = self.rng.choices(
                    [
                        ReferralKind.CHILD_PROTECTION,
                        ReferralKind.PSYCHIATRIC,
                        ReferralKind.MEDICAL,
                        ReferralKind.OTHER,
                    ],
                    [40, 30, 10, 20],
                )[0]
            else:
                referral_kind = self.rng.choices(list(ReferralKind), [30, 17, 12, 9, 5, 12, 15])[0]
            at = sessions[-1] if self.rng.random() < 0.6 else self.rng.choice(sessions)
            self._referral(case, at, referral_kind, ORGANISATIONS[referral_kind])
        if len(sessions) >= 4 and (kind == "long" or self.rng.random() < 0.45):
            self._goal(case, sessions[1], sessions[-1])
        if (
            person.kind is ClientKind.PSEUDONYMOUS
            and person.attributes.district is None
            and len(sessions) >= 2
            and self.rng.random() < 0.15
        ):
            self._amend_district(person, sessions[1])
        self._close_sos(case, sessions, kind)

    def _amend_district(self, person: Person, session: Session) -> None:
        """The client named their district at a later session."""
        district = self._district(1.0)
        recorder = session.recorder

        def build() -> tuple[str, c.Command, str]:
            return recorder, c.AmendClient(person.code, {"district": district}), person.code

        self._do(session.recorded_at + timedelta(seconds=40), build)

    def _close_sos(self, case: Case, sessions: list[Session], kind: str) -> None:
        if kind == "term":
            if self._close(case, CloseReason.CONTRACT_TERMINATED, 1):
                self._terminated.append(case)
            return
        if self.rng.random() < 0.04:  # left open: nobody closed it (a finding after 60 days)
            return
        if case.referrals and self.rng.random() < 0.5:
            self._close(case, CloseReason.REFERRED, self.rng.randint(1, 10))
            return
        reasons = [
            CloseReason.GOAL_MET,
            CloseReason.CLIENT_ENDED,
            CloseReason.LOST_CONTACT,
            CloseReason.OTHER,
        ]
        weights = [38, 27, 30, 5] if len(sessions) == 1 else [55, 20, 20, 5]
        reason = self.rng.choices(reasons, weights)[0]
        days = self.rng.randint(30, 50) if reason is CloseReason.LOST_CONTACT else self.rng.randint(1, 14)
        self._close(case, reason, days)

    def _return(self, case: Case, *, reopen: bool) -> int:
        """The client comes back: the case is reopened, or a new one opened months later."""
        assert case.closed is not None
        weeks = self.rng.randint(1, 6) if reopen else self.rng.randint(9, 20)
        day = self._day_after(local(case.closed).date(), weeks * 5)
        if day is None:
            return 0
        minutes = self._minutes(Form.AMBULATORY)
        booked = self._book_from(SOS, day, minutes, case.lead, self._workers(SOS, day))
        if booked is None:
            return 0
        start, staff = booked
        if reopen:
            again = case
            self._reopen(case, start - timedelta(minutes=4))
        else:
            again = Case(case.person, SOS, staff[0], start - timedelta(minutes=5))
            self._open(start - timedelta(minutes=4), staff[0], again)
        note = self._theme(case.person)
        first = self._session(
            again, start, minutes, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION], staff, note=note
        )
        self._follow_up(again, first, self.rng.randint(0, 2), field=False)
        reason = self.rng.choice((CloseReason.GOAL_MET, CloseReason.CLIENT_ENDED))
        self._close(again, reason, self.rng.randint(1, 14))
        if reopen:
            self._examples.setdefault("reopened", lambda: case.code)
        return 1

    def _contact_client(self) -> None:
        """A client known by code who only ever called."""
        person = self._person(self.rng.choice((ClientKind.PSEUDONYMOUS, ClientKind.ANONYMOUS)), self._age())
        day = self._random_day()
        calls = self.rng.choices((1, 2), (70, 30))[0]
        for n in range(calls):
            minutes = self.rng.randint(15, 45)
            lead = self._lead(SOS, day)
            booked = self._book(SOS, day, minutes, lead, self._workers(SOS, day), clients=False)
            if booked is None:
                return
            start, (worker,) = booked
            at = start + timedelta(minutes=minutes + self.rng.randint(1, 6))
            if n == 0:
                self._register(at - timedelta(seconds=30), worker, person)
            self._log_contact(
                Contact(SOS, Channel.PHONE, minutes, Form.AMBULATORY, start, worker, client=person), at
            )
            next_day = self._day_after(day, self.rng.randint(2, 20))
            if next_day is None:
                return
            day = next_day

    def _consent(self, at: datetime, actor: str, person: Person) -> None:
        person.consented = True

        def build() -> tuple[str, c.Command, str]:
            return actor, c.ChangeConsent(person.code, "předání údajů návazné službě", True), person.code

        self._do(at, build)

    # -- victims of trafficking -------------------------------------------------------

    def _plan_ool(self) -> None:
        for n in range(self._n(18, 3)):
            self._ool_client(minor=n == 0)

    def _ool_client(self, *, minor: bool) -> None:
        """A victim of trafficking: referred by the police or an NGO, met in the field, housed."""
        if minor:
            day = self._random_day(date(YEAR, 3, 1), date(YEAR, 6, 30))
        else:
            day = self._random_day(last=date(YEAR, 11, 28))
        kind = ClientKind.IDENTIFIED if minor or self.rng.random() < 0.8 else ClientKind.PSEUDONYMOUS
        group = self.rng.choice(("oběti obchodování s lidmi", "oběti pracovního vykořisťování"))
        person = self._person(kind, 17 if minor else self.rng.randint(19, 55), foreign=True, group=group)
        lead = self._lead(OOL, day)
        minutes = self.rng.choice((90, 120, 150, 180))
        team = 2 if self.rng.random() < 0.6 else 1
        booked = self._book_from(OOL, day, minutes, lead, self._workers(OOL, day), team=team)
        if booked is None:
            return
        start, staff = booked
        if minor:  # 17 on the day the case opens, 18 within a few months
            person.personal["birth_date"] = self._birth_date(17, start.date())
        enquiry = self._enquiry_before(OOL, start.date())
        case = Case(person, OOL, staff[0], start - timedelta(minutes=self.rng.randint(5, 15)))
        district = self.rng.choice(("Praha 5", "Praha 9", "Praha 10", None))
        first = self._session(
            case,
            start,
            minutes,
            Form.FIELD,
            [Activity.CRISIS_INTERVENTION, Activity.ACCOMPANIMENT],
            staff,
            district=district,
            note=self.rng.choice(OOL_NOTES),
        )
        self._register(first.recorded_at - timedelta(minutes=3), staff[0], person)
        if minor:
            supervisor = self._supervisor(OOL, first.recorded_at.date())
            override = (
                "Klientce je 17 let a za několik týdnů bude zletilá; OSPOD souhlasí, jiná služba není volná."
            )
            self._open(
                first.recorded_at - timedelta(minutes=2), supervisor, case, enquiry=enquiry, override=override
            )
            self._examples["minor"] = lambda: case.code
        else:
            self._open(first.recorded_at - timedelta(minutes=2), staff[0], case, enquiry=enquiry)
        self._touch(case, first.recorded_at)
        sessions = [first, *self._ool_follow_up(case, first)]
        for referral_kind in self.rng.sample(list(OOL_ORGANISATIONS), self.rng.randint(1, 2)):
            self._referral(case, self.rng.choice(sessions), referral_kind, OOL_ORGANISATIONS[referral_kind])
        if self.rng.random() < 0.7:
            reason = self.rng.choice((CloseReason.REFERRED, CloseReason.GOAL_MET, CloseReason.CLIENT_ENDED))
            self._close(case, reason, self.rng.randint(3, 20))

    def _ool_follow_up(self, case: Case, previous: Session) -> list[Session]:
        """Counselling in the shelter and accompaniment to the police, courts and offices."""
        sessions = []
        for _ in range(self.rng.randint(2, 8)):
            following = self._day_after(previous.start.date(), self.rng.randint(1, 8))
            if following is None:
                break
            residential = self.rng.random() < 0.55
            form = Form.RESIDENTIAL if residential else Form.FIELD
            minutes = (
                self.rng.choice((45, 60, 75, 90)) if residential else self.rng.choice((90, 120, 180, 240))
            )
            team = 1 if residential or self.rng.random() < 0.5 else 2
            lead = case.lead if self._works(case.lead, OOL, following) else self._lead(OOL, following)
            # Now and then the police or a court wants them early, before the service opens.
            early = None if residential or self.rng.random() > 0.15 else (7, 13)
            workers = self._workers(OOL, following)
            booked = self._book_from(OOL, following, minutes, lead, workers, team=team, hours=early)
            if booked is None or booked[0] <= previous.recorded_at:
                break
            start, staff = booked
            activities = (
                [Activity.COUNSELLING, Activity.SOCIAL_COUNSELLING]
                if residential
                else [Activity.ACCOMPANIMENT, Activity.ADVOCACY]
            )
            place = None if residential else self.rng.choice(("Praha 1", "Praha 2", "Praha 5", "Praha 9"))
            note = self.rng.choice(OOL_NOTES)
            previous = self._session(case, start, minutes, form, activities, staff, district=place, note=note)
            sessions.append(previous)
        return sessions

    # -- contacts without a case ------------------------------------------------------

    def _plan_anonymous_contacts(self) -> None:
        """Calls, chats, e-mails and short visits of people who give no name and get no case."""
        channels = (Channel.PHONE, Channel.CHAT, Channel.EMAIL, Channel.IN_PERSON)
        ranges = {
            Channel.PHONE: (3, 30),
            Channel.CHAT: (10, 45),
            Channel.EMAIL: (5, 20),
            Channel.IN_PERSON: (5, 20),
        }
        for service, count in ((SOS, self._n(1000)), (OOL, self._n(40, 1))):
            form = Form.AMBULATORY if service == SOS else Form.FIELD
            for _ in range(count):
                day = self._random_day()
                channel = self.rng.choices(channels, (62, 25, 8, 5) if service == SOS else (80, 0, 20, 0))[0]
                low, high = ranges[channel]
                minutes = round(self.rng.triangular(low, high, low + (high - low) / 4))
                workers = self._workers(service, day)
                booked = self._book(service, day, minutes, self.rng.choice(workers), workers, clients=False)
                if booked is None:
                    continue
                start, (worker,) = booked
                contact = Contact(service, channel, minutes, form, start, worker)
                contact.recorded_at = start + timedelta(minutes=minutes + self.rng.randint(1, 8))
                self._log_contact(contact, contact.recorded_at)
                self._contacts.append(contact)

    def _log_contact(self, contact: Contact, at: datetime, *, duplicate: bool = False) -> None:
        def build() -> tuple[str, c.Command, str]:
            code = self._code("C")
            if duplicate:
                contact.duplicate = code
            else:
                contact.code = code
            command = c.LogContact(
                contact.channel,
                contact.typed.get("minutes", contact.minutes),
                service=contact.service,
                client=contact.client.code if contact.client else None,
                form=contact.form,
                occurred_at=_utc(contact.start),
            )
            return contact.worker, command, code

        self._do(at, build)

    # -- enquiries and refusals ---------------------------------------------------------

    def _refuse(
        self,
        service: str,
        day: date,
        reason: RefusalReason,
        detail: str,
        pointed_to: str,
        *,
        person: Person | None = None,
        new: bool = False,
        channel: Channel = Channel.IN_PERSON,
    ) -> Coded:
        """An applicant refused (§91 odst. 3); ``new``: registered as a client first, to record their age."""
        moment = self._office_time(day, HOURS[service][0] * 60 + 15, HOURS[service][1] * 60 - 60)
        worker = self._worker(service, day)
        if person is not None and new:
            self._register(moment - timedelta(minutes=1), worker, person)
        enquiry = self._enquiry(moment, worker, service, channel, person)
        refused = moment + timedelta(minutes=self.rng.randint(5, 40))

        def build() -> tuple[str, c.Command, str]:
            command = c.RefuseEnquiry(
                enquiry.code, reason, detail, pointed_to, occurred_at=_utc(refused - timedelta(minutes=1))
            )
            return worker, command, enquiry.code

        self._do(refused, build)
        return enquiry

    def _plan_refusals(self) -> None:
        a, b = RefusalReason.NOT_PROVIDED, RefusalReason.NO_CAPACITY
        child = Person(
            ClientKind.PSEUDONYMOUS, ClientAttributes(YEAR - 9, None, Sex.MALE, "Praha 2", None), {}, 9
        )
        self._refuse(
            SOS,
            self._random_day(date(YEAR, 3, 1), date(YEAR, 5, 31)),
            a,
            "Chlapec (9 let) přišel sám po konfliktu se spolužáky; služba je od 11 let. Kontaktována matka.",
            "Linka bezpečí; OSPOD Praha 2",
            person=child,
            new=True,
        )
        self._examples["child"] = lambda: child.code
        for _ in range(self._n(4, 1)):
            detail = "Zájem o dlouhodobou psychoterapii, kterou služba neposkytuje."
            self._refuse(
                SOS, self._random_day(), a, detail, "Seznam psychoterapeutů ČAP", channel=Channel.PHONE
            )
        for _ in range(self._n(3)):
            detail = "Žádost o dluhové poradenství; mimo okruh služby."
            self._refuse(
                SOS, self._random_day(), a, detail, "Poradna při finanční tísni", channel=Channel.PHONE
            )
        for _ in range(self._n(5, 1)):
            detail = "Všichni pracovníci v intervenci, zájemce nemohl čekat."
            pointed = self.rng.choice(("Centrum krizové intervence PN Bohnice", "RIAPS – krizové centrum"))
            self._refuse(SOS, self._random_day(), b, detail, pointed)
        for case in self._terminated:
            assert case.closed is not None
            day = self._day_after(local(case.closed).date(), self.rng.randint(25, 100))
            if day is not None:
                self._refuse_terminated(day, case.person)
        if not self._terminated:
            self._refuse_terminated(self._random_day(date(YEAR, 6, 1)), None)
        detail = "Šestnáctiletá dívka; služba je pro dospělé."
        self._refuse(
            OOL, self._random_day(), a, detail, "OSPOD Praha 5; Dětské krizové centrum", channel=Channel.PHONE
        )
        detail = "Akutní psychotický stav vyžaduje hospitalizaci; pobyt ve službě není možný."
        self._refuse(
            OOL, self._random_day(), RefusalReason.HEALTH_EXCLUDES, detail, "Psychiatrická nemocnice Bohnice"
        )
        for _ in range(self._n(1)):
            detail = "Všechna tři místa obsazena."
            self._refuse(OOL, self._random_day(), b, detail, "La Strada ČR", channel=Channel.PHONE)
        for _ in range(self._n(50)):  # asked, and never came
            day = self._random_day()
            at = self._office_time(day, 9 * 60 + 10, 19 * 60)
            self._enquiry(at, self._worker(SOS, day), SOS, self.rng.choice((Channel.PHONE, Channel.EMAIL)))

    def _refuse_terminated(self, day: date, person: Person | None) -> None:
        detail = (
            "Spolupráce ukončena před méně než 6 měsíci pro hrubé porušení pravidel (napadení pracovnice)."
        )
        reason = RefusalReason.CONTRACT_TERMINATED
        self._refuse(SOS, day, reason, detail, "RIAPS – krizové centrum", person=person)

    # -- complaints ------------------------------------------------------------------

    def _plan_complaints(self) -> None:
        summaries = (
            "Stížnost na dlouhé čekání na volného pracovníka (40 minut).",
            "Stížnost na nevhodné chování pracovníka při telefonickém kontaktu.",
            "Klientka nesouhlasí s ukončením spolupráce.",
        )
        for n in range(self._n(2, 1)):
            day = self._random_day(last=date(YEAR, 11, 14))
            at = self._office_time(day)
            known = [s for s in self._sessions if s.case.service == SOS and s.recorded_at < at]
            person = self.rng.choice(known).case.person if known and n % 2 == 0 else None
            self._complaint(at, self._worker(SOS, day), person, summaries[n % len(summaries)])

    def _complaint(self, at: datetime, worker: str, person: Person | None, summary: str) -> None:
        """A complaint (quality standard 7), handled by a supervisor within weeks."""
        complaint = Coded()

        def receive() -> tuple[str, c.Command, str]:
            complaint.code = self._code("S")
            client = person.code if person else None
            command = c.ReceiveComplaint(SOS, summary, client, occurred_at=_utc(at - timedelta(minutes=30)))
            return worker, command, complaint.code

        self._do(at, receive)
        resolved = self._later_workday(at, self.rng.randint(7, 25))
        if resolved is None:
            return
        outcome = self.rng.choice((ComplaintOutcome.PARTLY_JUSTIFIED, ComplaintOutcome.UNJUSTIFIED))
        response = "Stížnost projednána s pracovníkem i stěžovatelem; odpověď zaslána písemně."
        supervisor = self._supervisor(SOS, resolved.date())

        def resolve() -> tuple[str, c.Command, str]:
            command = c.ResolveComplaint(complaint.code, outcome, response, occurred_at=_utc(resolved))
            return supervisor, command, complaint.code

        self._do(resolved, resolve)

    # -- corrections and retractions ------------------------------------------------------

    def _plan_corrections(self) -> None:
        self._plan_duplicates()
        self._plan_session_fixes()
        self._plan_contact_fixes()
        self._plan_referral_fixes()

    def _fix(
        self,
        case: Case | None,
        target: Callable[[], str],
        changes: dict[str, Any],
        reason: str,
        at: datetime,
        service: str,
    ) -> None:
        supervisor = self._supervisor(service, at.date())

        def build() -> tuple[str, c.Command, str]:
            entry = target()
            return supervisor, c.CorrectEntry(entry, changes, reason), self._entry(case) if case else entry

        self._do(at, build)

    def _retract(
        self, case: Case | None, target: Callable[[], str], reason: str, at: datetime, service: str
    ) -> None:
        supervisor = self._supervisor(service, at.date())

        def build() -> tuple[str, c.Command, str]:
            entry = target()
            if case is not None:
                case.sessions -= 1
            return supervisor, c.RetractEntry(entry, reason), self._entry(case) if case else entry

        self._do(at, build)

    def _plan_duplicates(self) -> None:
        """A session or a contact saved twice; a supervisor retracts the copy."""
        candidates = [s for s in self._sessions if s.case.service == SOS and s.case.sessions_planned <= 6]
        for session in self.rng.sample(candidates, min(len(candidates), self._n(6, 1))):
            copy_at = session.recorded_at + timedelta(minutes=self.rng.randint(1, 20))
            retract_at = self._later_workday(copy_at, self.rng.randint(1, 10))
            if retract_at is None or retract_at > LAST:
                continue
            session.duplicate = True
            self._log(session, copy_at, duplicate=True)
            self._retract(session.case, _later(session, "copy"), "Setkání zapsáno dvakrát.", retract_at, SOS)
            self._examples.setdefault("retracted", _later(session.case, "code"))
        contacts = [contact for contact in self._contacts if contact.service == SOS]
        for contact in self.rng.sample(contacts, min(len(contacts), self._n(4, 1))):
            copy_at = contact.recorded_at + timedelta(minutes=self.rng.randint(1, 3))
            retract_at = self._later_workday(copy_at, self.rng.randint(1, 5))
            if retract_at is None or retract_at > LAST:
                continue
            self._log_contact(contact, copy_at, duplicate=True)
            self._retract(None, _later(contact, "duplicate"), "Kontakt zapsán dvakrát.", retract_at, SOS)
            contact.fixed = True

    def _plan_session_fixes(self) -> None:
        """Mistakes in sessions, corrected by a supervisor days (a few: weeks) later."""
        pool = [s for s in self._sessions if not s.duplicate]
        self.rng.shuffle(pool)
        wanted = max(4, round(0.012 * len(pool)))
        late = self._n(5, 1)
        more = self.rng.choices(
            ["minutes", "occurred_at", "form", "activities", "staff"], [50, 15, 15, 10, 10], k=wanted
        )
        kinds = ["minutes", "form", *more]
        done: list[tuple[Session, str, datetime]] = []
        for kind in kinds:
            if len(done) >= wanted:
                break
            delay = self.rng.randint(31, 75) if len(done) < late else self.rng.randint(1, 21)
            for session in pool:
                if session.fixed or not self._fixable(session, kind):
                    continue
                at = self._later_workday(session.recorded_at, delay)
                if at is None or at > LAST:
                    continue
                if (
                    kind == "staff"
                    and at >= LEAVING_RECORDED
                    and any(self._member(x).leaves for x in session.staff)
                ):
                    continue
                session.fixed = True
                self._fix_session(session, kind, at)
                done.append((session, kind, at))
                break
        self._choose_showcase(done)

    def _fixable(self, session: Session, kind: str) -> bool:
        if kind == "form":
            return session.case.service == SOS and session.form is Form.FIELD
        if kind == "occurred_at":
            return session.start - timedelta(days=7) >= session.case.opened_at
        if kind == "staff":
            return len(session.staff) == 2
        return True

    def _fix_session(self, session: Session, kind: str, at: datetime) -> None:
        changes: dict[str, Any]
        if kind == "minutes":
            true = session.minutes
            typed = self.rng.choice(
                [m for m in (true // 10, true * 10, true + 15, true - 10) if 0 < m <= 1440 and m != true]
            )
            session.typed["minutes"] = typed
            changes, reason = (
                {"minutes": true},
                f"Překlep v délce setkání: zapsáno {typed} min, správně {true} min.",
            )
        elif kind == "form":
            session.typed["form"] = Form.AMBULATORY
            changes, reason = (
                {"form": Form.FIELD.value},
                "Setkání proběhlo v terénu (u klienta doma), ne v centru.",
            )
        elif kind == "occurred_at":
            session.typed["occurred_at"] = session.start - timedelta(days=7)
            changes, reason = {"occurred_at": _utc(session.start)}, "Chybné datum setkání (o týden dříve)."
        elif kind == "activities":
            session.typed["activities"] = list(session.activities)
            session.activities = [*session.activities, Activity.BROKERING]
            changes = {"activities": [a.value for a in session.activities]}
            reason = "Doplněno zprostředkování kontaktu na návaznou službu."
        else:
            session.typed["staff"] = session.staff[:1]
            changes, reason = {"staff": list(session.staff)}, "Doplněna druhá pracovnice přítomná na setkání."
        if at - session.recorded_at > LATE:
            reason += " Zjištěno při kontrole dokumentace."
        self._fix(session.case, _later(session, "ref"), changes, reason, at, session.case.service)

    def _choose_showcase(self, done: list[tuple[Session, str, datetime]]) -> None:
        """A short SOS case whose correction, days after the entry, is worth showing."""

        def fitness(item: tuple[Session, str, datetime]) -> tuple[int, ...]:
            session, kind, at = item
            case = session.case
            days = (at.date() - local(session.recorded_at).date()).days
            return (
                int(case.service == SOS),
                int(kind == "minutes"),
                int(2 <= days <= 21),
                int(2 <= case.sessions_planned <= 4),
                int(case.referrals > 0),
                int(case.closed is not None),
            )

        if not done:
            return
        session, _, at = max(done, key=fitness)
        self._examples["corrected"] = lambda: session.case.code
        self._examples["corrected_entry"] = lambda: session.ref
        day_before = (local(at).date() - timedelta(days=1)).isoformat()
        self._examples["before_correction"] = lambda: day_before
        late = [item for item in done if item[2] - item[0].recorded_at > LATE]
        if late:
            self._examples["late"] = lambda: late[0][0].case.code

    def _plan_contact_fixes(self) -> None:
        contacts = [k for k in self._contacts if k.service == SOS and not k.fixed and k.minutes >= 5]
        for contact in self.rng.sample(contacts, min(len(contacts), self._n(5, 1))):
            at = self._later_workday(contact.recorded_at, self.rng.randint(1, 14))
            if at is None or at > LAST:
                continue
            typed = contact.minutes * 10 if contact.minutes * 10 <= 1440 else contact.minutes // 2
            contact.typed["minutes"] = typed
            reason = f"Překlep v délce hovoru: zapsáno {typed} min, správně {contact.minutes} min."
            self._fix(None, _later(contact, "code"), {"minutes": contact.minutes}, reason, at, SOS)

    def _plan_referral_fixes(self) -> None:
        for referral, case in self._referrals:
            if "organisation" not in referral.typed:
                continue
            assert referral.recorded_at is not None
            at = self._later_workday(referral.recorded_at, self.rng.randint(1, 10))
            if at is None or at > LAST:
                referral.typed.pop("organisation")  # typed in full after all
                continue
            changes = {"organisation": referral.typed["fixed_organisation"]}
            self._fix(
                case, _later(referral, "code"), changes, "Název organizace uveden celý.", at, case.service
            )


@dataclass(eq=False)
class Contact:
    """A contact without a case, as planned: anonymous, or with a client known by code."""

    service: str
    channel: Channel
    minutes: int
    form: Form
    start: datetime
    worker: str
    client: Person | None = None
    recorded_at: datetime = SETUP_AT
    code: str = ""
    duplicate: str = ""
    typed: dict[str, Any] = field(default_factory=dict)
    fixed: bool = False


def _later(item: object, attribute: str) -> Callable[[], str]:
    """The code or entry a planned item gets once its command is yielded."""
    return lambda: str(getattr(item, attribute))


def _fixed(actor: str, command: c.Command, expected: str) -> Build:
    return lambda: (actor, command, expected)


def _logins(admin: str) -> dict[str, str]:
    """Staff logins; one the demo's admin has already is not given twice."""
    logins: dict[str, str] = {}
    for member in STAFF:
        login = member.key
        while login == admin or login in logins.values():
            login += "2"
        logins[member.key] = login
    return logins


# -- adding up -------------------------------------------------------------------------


@dataclass
class Work:
    """Direct work: a session or a contact, as corrected so far."""

    service: str
    client: str | None
    form: str
    minutes: int
    staff: int
    session: bool
    retracted: bool = False


class Tally:
    """What a stream of commands and their answers recorded, added up as the report would.

    Corrected values count, retracted entries do not; anonymous contacts
    (no client) are counted apart from clients.
    """

    def __init__(self) -> None:
        self.commands: Counter[str] = Counter()
        self.clients: dict[str, tuple[str, str | None]] = {}  # code -> (kind, district)
        self.cases: dict[str, tuple[str, str]] = {}  # case -> (client, service)
        self.work: dict[str, Work] = {}
        self.recorded: dict[str, datetime] = {}
        self.refusals: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()
        self.session_overrides = 0
        self.age_overrides = 0
        self.late_corrections = 0
        self.first: datetime | None = None
        self.last: datetime | None = None

    def add(self, now: datetime, command: c.Command, result: str) -> None:
        self.commands[type(command).__name__] += 1
        self.first = self.first or now
        self.last = now
        if isinstance(command, c.RegisterClient):
            self.clients[result] = (command.kind.value, command.attributes.district)
        elif isinstance(command, c.AmendClient) and "district" in command.changes:
            self.clients[command.client] = (self.clients[command.client][0], command.changes["district"])
        elif isinstance(command, c.OpenCase):
            self.cases[result] = (command.client, command.service)
            self.age_overrides += bool(command.override)
        elif isinstance(command, c.LogSession):
            client, service = self.cases[command.case]
            staff = len(command.staff) or 1
            self.work[result] = Work(service, client, command.form.value, command.minutes, staff, True)
            self.session_overrides += bool(command.override)
            self.recorded[result] = now
        elif isinstance(command, c.LogContact):
            self._contact(now, command, result)
        elif isinstance(command, c.MakeReferral):
            self.recorded[result] = now
        elif isinstance(command, c.RecordReferralOutcome):
            self.outcomes[command.outcome.value] += 1
        elif isinstance(command, c.RefuseEnquiry):
            self.refusals[command.reason.value] += 1
        elif isinstance(command, c.CloseCase):
            self.closed[command.reason.value] += 1
        elif isinstance(command, c.CorrectEntry):
            self._correct(now, command)
        elif isinstance(command, c.RetractEntry) and command.entry in self.work:
            self.work[command.entry].retracted = True

    def _contact(self, now: datetime, command: c.LogContact, result: str) -> None:
        client: str | None = command.client
        service = str(command.service)
        if command.case:
            client, service = self.cases[command.case]
        form = command.form.value if command.form else "?"
        self.work[result] = Work(service, client, form, command.minutes, 1, False)
        self.recorded[result] = now

    def _correct(self, now: datetime, command: c.CorrectEntry) -> None:
        entry = command.entry
        if entry in self.recorded and now - self.recorded[entry] > LATE:
            self.late_corrections += 1
        work = self.work.get(entry)
        if work is None:
            return
        changes = command.changes
        if "minutes" in changes:
            work.minutes = int(changes["minutes"])
        if "form" in changes:
            work.form = str(changes["form"])
        if "staff" in changes:
            work.staff = len(changes["staff"])

    # -- figures ------------------------------------------------------------------

    def live(self, service: str | None = None) -> list[Work]:
        return [w for w in self.work.values() if not w.retracted and service in (None, w.service)]

    def served(self, service: str | None = None, form: str | None = None) -> set[str]:
        """Distinct clients with direct work (in a form)."""
        return {w.client for w in self.live(service) if w.client and form in (None, w.form)}

    def hours(self, service: str | None = None, form: str | None = None) -> float:
        """Direct-work hours: minutes times staff present."""
        return sum(w.minutes * w.staff for w in self.live(service) if form in (None, w.form)) / 60

    def sessions(self, service: str | None = None) -> int:
        return sum(1 for w in self.live(service) if w.session)

    def anonymous_contacts(self, service: str | None = None) -> int:
        return sum(1 for w in self.live(service) if not w.session and w.client is None)

    def contacts(self, service: str | None = None) -> int:
        return sum(1 for w in self.live(service) if not w.session)

    def district(self, district: str, service: str | None = None) -> tuple[int, int]:
        """Clients whose stated district is ``district``, and their sessions."""
        clients = {code for code, (_, where) in self.clients.items() if where == district}
        work = [w for w in self.live(service) if w.client in clients]
        return len({w.client for w in work}), sum(1 for w in work if w.session)
