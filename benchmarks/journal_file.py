"""A realistic journal of any size, as a ``kronika import`` file (JSON Lines).

The year 2025 of a region's crisis services: each service has a supervisor
and four workers, clients (pseudonymous, some identified, some anonymous)
with cases of one to twelve sessions, contacts, referrals and their outcomes,
closings, late corrections and retractions, anonymous phone contacts and
refused applicants. One counselling service without a session limit holds
the long case (``--long-case`` entries) whose history the benchmark replays.
The number of services grows with the size, so a service's year stays a
service's year. Each line records about two facts (the command and its
receipt); ``lines_for(events)`` says how many lines reach a size.

    .venv/bin/python benchmarks/journal_file.py 100000 -o /tmp/journal-100k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

YEAR = 2025
FACTS_PER_LINE = 2.2  # measured: a command's facts plus its receipt
CLIENTS_PER_SERVICE = 1500  # about an SOS centre's year
DISTRICTS = [f"Praha {n}" for n in range(1, 23)] + ["Beroun", "Kladno", "Mělník"]
ACTIVITIES = ["crisis-intervention", "counselling", "social-counselling", "accompaniment", "information"]
REFERRALS = ["psychiatric", "legal", "shelter", "police", "child-protection", "medical", "other"]
OUTCOMES = ["accepted", "accepted", "declined", "no-show", "unknown"]
CLOSINGS = ["goal-met", "client-ended", "lost-contact", "referred", "other"]
LONG = "PORADNA"  # the counselling service holding the long case


def lines_for(events: int) -> int:
    return max(200, round(events / FACTS_PER_LINE))


def moment(day: date, minute: int) -> str:
    return (datetime(day.year, day.month, day.day) + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M")


class Region:
    """Writes the lines; ``refs`` name what a line creates so later lines can point at it."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.refs = 0

    def ref(self, prefix: str) -> str:
        self.refs += 1
        return f"{prefix}{self.refs}"

    def day(self, first: date = date(YEAR, 1, 2), last: date = date(YEAR, 12, 20)) -> date:
        while True:
            day = first + timedelta(days=self.random.randrange((last - first).days + 1))
            if day.weekday() < 5:
                return day

    def setup(self, services: int) -> Iterator[dict[str, Any]]:
        for number in range(1, services + 1):
            code = f"KC{number:03d}"
            yield {
                "cmd": "service add",
                "code": code,
                "name": f"Krizové centrum {number}",
                "type": "crisis-help",
                "forms": "ambulatory,field",
                "min_age": 11,
                "capacity": 4,
                "hours": "Mon-Fri 08:00-20:00",
                "session_limit": 12,
            }
            yield {"cmd": "staff add", "login": f"sup{number}", "name": "Vedoucí", "role": "supervisor",
                   "service": code}  # fmt: skip
            for worker in range(1, 5):
                yield {"cmd": "staff add", "login": f"w{number}x{worker}", "name": "Pracovník",
                       "role": "worker", "service": code}  # fmt: skip
        yield {"cmd": "service add", "code": LONG, "name": "Poradna", "type": "counselling",
               "forms": "ambulatory"}  # fmt: skip
        yield {"cmd": "staff add", "login": "poradce", "name": "Poradce", "role": "worker", "service": LONG}

    def long_case(self, entries: int) -> Iterator[dict[str, Any]]:
        """One client's counselling over the year (P-0001, ``entries`` entries), and a new case (P-0002)."""
        client, case, other = self.ref("k"), self.ref("p"), self.ref("p")
        yield {"cmd": "client add", "ref": client, "birth_year": 1970, "district": "Praha 3"}
        yield {"cmd": "case open", "ref": case, "client": f"@{client}", "service": LONG, "on": "2025-01-02"}
        yield {"cmd": "case open", "ref": other, "client": f"@{client}", "service": LONG, "on": "2025-12-01"}
        first = date(YEAR, 1, 2)
        for number in range(entries - 1):
            at = moment(first + timedelta(days=number * 340 // entries), 9 * 60 + number % 40 * 10)
            if number % 5 == 4:
                yield {"cmd": "contact log", "case": f"@{case}", "channel": "phone", "minutes": 10, "at": at}
            else:
                yield {"cmd": "session log", "case": f"@{case}", "minutes": 50, "form": "ambulatory",
                       "activity": "counselling", "staff": "poradce", "at": at}  # fmt: skip

    def client(self, service: int) -> Iterator[dict[str, Any]]:
        """A client of a service, their case and all that happened in it."""
        r = self.random
        code = f"KC{service:03d}"
        workers = [f"w{service}x{n}" for n in range(1, 5)]
        client = self.ref("k")
        kind = r.random()
        line: dict[str, Any] = {"cmd": "client add", "ref": client}
        if kind < 0.1:
            line["anonymous"] = True
        else:
            line |= {"birth_year": r.randint(1940, 2012), "sex": r.choice(["female", "male"])}
            if r.random() < 0.6:
                line["district"] = r.choice(DISTRICTS)
            if kind > 0.95:
                line |= {
                    "name": f"Klient {self.refs}",
                    "birth_date": f"{r.randint(1, 28)}.3.{line['birth_year']}",
                }
        yield line
        opened = self.day(last=date(YEAR, 11, 30))
        case = self.ref("p")
        yield {"cmd": "case open", "ref": case, "client": f"@{client}", "service": code,
               "on": opened.isoformat(), "key_worker": r.choice(workers)}  # fmt: skip
        entry, day, sessions = 1, opened, []
        for _ in range(min(12, 1 + int(r.expovariate(0.35)))):
            day = min(day + timedelta(days=r.randint(0, 14)), date(YEAR, 12, 30))
            form = "field" if r.random() < 0.08 else "ambulatory"
            staff = r.sample(workers, 2 if r.random() < 0.2 else 1)
            entry += 1
            sessions.append(entry)
            yield {"cmd": "session log", "case": f"@{case}", "minutes": r.choice([30, 45, 50, 60, 90]),
                   "form": form, "activity": r.choice(ACTIVITIES), "staff": ",".join(staff),
                   "at": moment(day, r.randint(9 * 60, 18 * 60)),
                   "note": "Zápis ze setkání: klientka popisuje situaci doma."}  # fmt: skip
            if r.random() < 0.3:
                entry += 1
                channel = r.choice(["phone", "email", "chat"])
                yield {"cmd": "contact log", "case": f"@{case}", "channel": channel,
                       "minutes": r.randint(5, 30), "at": moment(day, 19 * 60)}  # fmt: skip
        if r.random() < 0.3:
            referral = self.ref("r")
            entry += 1
            yield {"cmd": "referral add", "ref": referral, "case": f"@{case}", "to": "Partnerská organizace",
                   "kind": r.choice(REFERRALS), "at": moment(day, 17 * 60)}  # fmt: skip
            if r.random() < 0.8:
                yield {"cmd": "referral outcome", "code": f"@{referral}", "outcome": r.choice(OUTCOMES),
                       "on": (day + timedelta(days=1)).isoformat()}  # fmt: skip
        if r.random() < 0.04:
            yield {"cmd": "entry correct", "entry": f"@{case}#{r.choice(sessions)}", "minutes": 40,
                   "reason": "překlep v délce"}  # fmt: skip
        elif r.random() < 0.01:
            yield {"cmd": "entry retract", "entry": f"@{case}#{sessions[-1]}", "reason": "zapsáno dvakrát"}
        if r.random() < 0.75:
            closed = day + timedelta(days=r.randint(2, 30))
            yield {
                "cmd": "case close",
                "code": f"@{case}",
                "reason": r.choice(CLOSINGS),
                "on": closed.isoformat(),
            }

    def walk_in(self, service: int) -> Iterator[dict[str, Any]]:
        """An anonymous contact, and now and then an applicant refused."""
        r = self.random
        code = f"KC{service:03d}"
        day = self.day()
        yield {"cmd": "contact log", "service": code, "channel": r.choice(["phone", "chat", "in-person"]),
               "minutes": r.randint(5, 40), "at": moment(day, r.randint(8 * 60, 19 * 60))}  # fmt: skip
        if r.random() < 0.1:
            enquiry = self.ref("e")
            yield {"cmd": "enquiry add", "ref": enquiry, "service": code, "channel": "phone",
                   "at": moment(day, 12 * 60)}  # fmt: skip
            yield {"cmd": "enquiry refuse", "code": f"@{enquiry}", "reason": r.choice("abd"),
                   "pointed_to": "Jiná služba", "on": day.isoformat()}  # fmt: skip


def services_for(events: int) -> int:
    return max(1, round(lines_for(events) / (CLIENTS_PER_SERVICE * 8)))


def journal_lines(events: int, *, seed: int = 2025, long_case: int = 1000) -> Iterator[dict[str, Any]]:
    """Lines that record about ``events`` facts: the services, the long case, then the year's work."""
    region = Region(seed)
    services = services_for(events)
    written = 0
    for line in region.setup(services):
        written += 1
        yield line
    for line in region.long_case(min(long_case, max(10, lines_for(events) // 4))):
        written += 1
        yield line
    yield from more_lines(region, lines_for(events) - written, services)


def more_lines(region: Region, budget: int, services: int) -> Iterator[dict[str, Any]]:
    """Clients and walk-ins of services already registered, about ``budget`` lines."""
    written = 0
    while written < budget:
        service = region.random.randint(1, services)
        people = region.client(service) if region.random.random() < 0.8 else region.walk_in(service)
        for line in people:
            written += 1
            yield line


def write(path: Path, lines: Iterator[dict[str, Any]]) -> int:
    """Write the lines to a file; how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    count = write(options.output, journal_lines(options.events, seed=options.seed))
    print(f"{count} lines written to {options.output}")


if __name__ == "__main__":
    main()
