"""Tamper evidence: a hash chain over the stored facts, exactly as stored (encrypted).

Each fact in the log has a content hash (its record, version, type and
encrypted bytes) and a link: the hash of the previous link, the fact's
position and its content hash. The workers append links as facts arrive
(table ``chain``; never rebuilt from the log, or a rebuild would bless a
changed log). ``verify`` recomputes every link from the log and walks it
beside the stored chain: the first position where they part is where the
log was changed, and the stored content hashes tell a changed fact from one
moved from elsewhere, a removed fact from an inserted one. The chain is over
the stored bytes, so erasing a client (destroying a key) never breaks it.

A digest (position and link) kept outside the database proves later that
the log still extends what it was: ``verify(digest=...)``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Column, Integer, String, Table, func, select

from domain.journal import Journal
from projections.store import ReadStore, bookkeeping, positions
from projections.stored import StoredFact, facts

PAGE = 5000
GENESIS = "0" * 64
_DIGEST = re.compile(r"^(\d+):([0-9a-f]{64})$")

chain = Table(
    "chain",
    bookkeeping,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("content", String(64), nullable=False, index=True),
    Column("link", String(64), nullable=False),
)


class BadDigest(ValueError):
    """A digest that is not ``POSITION:HEX`` as ``kronika audit digest`` prints it."""


@dataclass(frozen=True)
class Digest:
    position: int
    link: str

    def __str__(self) -> str:
        return f"{self.position}:{self.link}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        match = _DIGEST.match(text.strip().lower())
        if not match:
            raise BadDigest(text)
        return cls(int(match.group(1)), match.group(2))


@dataclass(frozen=True)
class Problem:
    position: int
    kind: str  # changed, removed, inserted, moved, chain-altered
    moved_from: int | None = None
    record: str | None = None  # the stored fact's record id and version, when the log has it
    version: int | None = None
    until: int | None = None  # removed from the end: the last position known to have been recorded


@dataclass(frozen=True)
class Verification:
    facts: int  # facts in the log that were checked
    chained: int  # the chain's last position
    problems: int  # positions where the log and the chain disagree
    first: Problem | None
    head: Digest
    digest: Digest | None = None  # the digest asked about
    extends: bool | None = None  # whether the log still extends it
    log_head: Digest | None = None  # the head the chain would have over the whole log as it is

    @property
    def intact(self) -> bool:
        return self.first is None and self.extends is not False


def content_hash(notification: Any) -> str:
    """What a stored fact is, apart from where it stands: record, version, type and bytes."""
    head = f"{notification.originator_id}|{notification.originator_version}|{notification.topic}|"
    return hashlib.sha256(head.encode() + bytes(notification.state)).hexdigest()


def link_hash(previous: str, position: int, content: str) -> str:
    return hashlib.sha256(f"{previous}|{position}|{content}".encode()).hexdigest()


def _log(journal: Journal, after: int = 0) -> Iterator[tuple[int, str, StoredFact]]:
    for fact in facts(journal, after):
        yield fact.id, content_hash(fact), fact


def head(store: ReadStore) -> Digest:
    with store.connect() as conn:
        row = conn.execute(
            select(chain.c.position, chain.c.link).order_by(chain.c.position.desc()).limit(1)
        ).first()
    return Digest(row.position, row.link) if row else Digest(0, GENESIS)


def extend(journal: Journal, store: ReadStore, *, at_most: int | None = None) -> int:
    """Append the links of the facts recorded since the chain's end; the number appended.

    One extension at a time (a lock); the links are committed page by page,
    and no more than ``at_most`` of them when given (the rest is left for
    the next extension, so that a worker links a long backlog in slices).
    Nothing is appended over a log that visibly no longer matches the chain
    (its last chained fact changed or gone), and the chain stops before a row
    that is not a sound fact and, on SQLite, before a gap (SQLite numbers
    facts without gaps, so a gap is a removed fact): ``verify`` reports those,
    and appending would make them look recorded.
    """
    chain.create(store.engine, checkfirst=True)
    appended = 0
    with store.lock("chain", wait=True):
        last = head(store)
        if not _still_there(journal, store, last):
            return 0
        previous, expected = last.link, last.position + 1
        rows: list[dict[str, Any]] = []
        for position, content, fact in _log(journal, last.position):
            if at_most is not None and appended + len(rows) >= at_most:
                break
            if not fact.sound or (last.position and _numbered_without_gaps(journal) and position != expected):
                break
            previous, expected = link_hash(previous, position, content), position + 1
            rows.append({"position": position, "content": content, "link": previous})
            if len(rows) >= PAGE:
                appended += _append(store, rows)
                rows = []
        appended += _append(store, rows)
    return appended


def _still_there(journal: Journal, store: ReadStore, last: Digest) -> bool:
    """Whether the log still holds the chain's last fact, as chained, at its position."""
    if last.position == 0:
        return True
    with store.connect() as conn:
        chained = conn.execute(select(chain.c.content).where(chain.c.position == last.position)).scalar()
    found = next(facts(journal, last.position - 1, stop=last.position), None)
    return found is not None and found.id == last.position and content_hash(found) == chained


def _numbered_without_gaps(journal: Journal) -> bool:
    """SQLite gives each new fact the next number; PostgreSQL's sequence may skip some (rolled back)."""
    return not hasattr(journal.recorder.datastore, "schema")  # type: ignore[attr-defined]


def _append(store: ReadStore, rows: list[dict[str, Any]]) -> int:
    if rows:
        with store.begin() as conn:
            conn.execute(chain.insert(), rows)
    return len(rows)


def _stored(store: ReadStore) -> Iterator[tuple[int, str, str]]:
    after = 0
    while True:
        with store.connect() as conn:
            rows = conn.execute(
                select(chain.c.position, chain.c.content, chain.c.link)
                .where(chain.c.position > after)
                .order_by(chain.c.position)
                .limit(PAGE)
            ).all()
        yield from ((r.position, r.content, r.link) for r in rows)
        if len(rows) < PAGE:
            return
        after = rows[-1].position


def verify(
    journal: Journal, store: ReadStore, digest: Digest | None = None, *, recorded: int = 0
) -> Verification:
    """Walk the log beside the stored chain; the first place they part, and how many do.

    Past the chain's end the log is checked against what is known to have
    been recorded: the positions the projections have read, and ``recorded``
    (e.g. the last writes remembered by this machine). Facts removed from the
    end before they were chained show there; so does, on SQLite, a gap.
    """
    chain.create(store.engine, checkfirst=True)
    with store.connect() as conn:
        chained = int(conn.execute(select(func.max(chain.c.position))).scalar() or 0)
        read = int(conn.execute(select(func.max(positions.c.position))).scalar() or 0)
    log, stored = _log(journal), _stored(store)
    fact, link = next(log, None), next(stored, None)
    recomputed = stored_previous = GENESIS
    first: Problem | None = None
    problems = checked = last = 0
    gapless = chained > 0 and _numbered_without_gaps(journal)
    at_digest: str | None = None
    while fact is not None or link is not None:
        position = min(p[0] for p in (fact, link) if p is not None)
        in_log = fact if fact is not None and fact[0] == position else None
        in_chain = link if link is not None and link[0] == position else None
        problem: Problem | None = None
        if in_log is not None:
            checked += 1
            if gapless and position > chained and position > max(last, chained) + 1:
                problem = Problem(max(last, chained) + 1, "removed")
            recomputed = link_hash(recomputed, position, in_log[1])
            last = position
            fact = next(log, None)
        if in_chain is not None:
            if link_hash(stored_previous, position, in_chain[1]) != in_chain[2]:
                problem = Problem(position, "chain-altered")
            stored_previous = in_chain[2]
            link = next(stored, None)
        if digest is not None and position == digest.position:
            at_digest = recomputed if in_log is not None else None
        if in_log is not None and not in_log[2].sound:
            problem = _found(in_log, position, "changed")
        elif in_log is not None and in_chain is not None and in_log[1] != in_chain[1]:
            problem = (
                _classify(journal, store, position, in_log, in_chain[1])
                if first is None
                else Problem(position, "changed")
            )
        elif in_log is None and in_chain is not None:
            problem = Problem(position, "removed")
        elif in_log is not None and in_chain is None and position <= chained:
            problem = _found(in_log, position, "inserted")
        if problem is not None:
            problems += 1
            first = first or problem
    known = max(read, recorded)
    if known > max(last, chained):
        # Facts that were recorded (and read) are gone from the end, before the chain reached them.
        problems += 1
        first = first or Problem(max(last, chained) + 1, "removed", until=known)
    extends = None if digest is None else at_digest == digest.link
    return Verification(
        checked,
        chained,
        problems,
        first,
        Digest(chained, stored_previous),
        digest,
        extends,
        Digest(last, recomputed),
    )


def verify_and_extend(
    journal: Journal, store: ReadStore, digest: Digest | None = None, *, recorded: int = 0
) -> Verification:
    """Verify, then chain the facts recorded since, but only onto an intact log.

    Extending a tampered log would record the tampering in the chain, so it
    is never extended before it is verified.
    """
    found = verify(journal, store, digest, recorded=recorded)
    if not found.intact or found.log_head == found.head:
        return found
    extend(journal, store)
    now = head(store)
    return replace(found, chained=now.position, head=now)


def _found(
    in_log: tuple[int, str, StoredFact], position: int, kind: str, moved_from: int | None = None
) -> Problem:
    fact = in_log[2]
    if not fact.sound:  # what an unsound row names is whatever was written into it: not shown
        return Problem(position, kind, moved_from)
    return Problem(position, kind, moved_from, str(fact.originator_id), int(fact.originator_version))


def _classify(
    journal: Journal,
    store: ReadStore,
    position: int,
    in_log: tuple[int, str, StoredFact],
    chained_content: str,
) -> Problem:
    """What happened at the first position where the log and the chain part.

    The fact now there was chained elsewhere (``q``)? The fact chained here is
    still in the log elsewhere (``r``)? Both: facts were reordered. Only the
    first, from later: the fact here was removed and the rest moved up. Only
    the second: something was inserted before it. Neither: it was changed.
    """
    with store.connect() as conn:
        q = conn.execute(
            select(chain.c.position)
            .where(chain.c.content == in_log[1], chain.c.position != position)
            .limit(1)
        ).scalar()
    r = next((p for p, content, _ in _log(journal) if content == chained_content and p != position), None)
    if q is not None and r is None and q > position:
        return _found(in_log, position, "removed")
    if q is not None:
        return _found(in_log, position, "moved", moved_from=int(q))
    if r is not None and r > position:
        return _found(in_log, position, "inserted")
    return _found(in_log, position, "changed")
