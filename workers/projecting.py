"""The read side's composition root: the read store from the settings, and read-your-writes.

Used by the Celery tasks and by the CLI's read commands (never by writes:
this imports SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from domain.journal import Journal
from projections import chain
from projections.catalogue import all_projectors
from projections.projector import Projector
from projections.store import ReadStore
from projections.tracking import refresh_many, wait_for
from workers.nudge import PROJECTORS, NotCaughtUp, NudgeFailed, last_write, nudge
from workers.sealing import SealingMapper
from workers.settings import Settings


def open_read_store(settings: Settings) -> ReadStore:
    url, schema = settings.read_store()
    return ReadStore(url, schema)


@contextmanager
def for_projections(journal: Journal) -> Iterator[Journal]:
    """While inside, the journal reads facts as the workers' does: without their personal fields.

    Projections hold no personal data, so reading the log for them needs no
    client's key: none is looked up and nothing personal is decrypted. (The
    workers open their journal so for good; a command that also shows
    personal data reads it so only while it brings projections up to date.)
    """
    mapper = journal.mapper
    if not isinstance(mapper, SealingMapper) or not mapper.personal:
        yield journal
        return
    mapper.personal = False
    try:
        yield journal
    finally:
        mapper.personal = True


def set_up(settings: Settings, journal: Journal) -> None:
    """At ``kronika init`` (and the demo): create the read store and build every projection."""
    store = open_read_store(settings)
    try:
        store.create()
        with for_projections(journal):
            refresh_all(journal, store)
    finally:
        store.dispose()


def refresh_all(journal: Journal, store: ReadStore, projectors: Sequence[Projector] | None = None) -> int:
    """Catch projectors up in this process (building any that are missing); the facts applied.

    The log is read and decoded once for all of them; what stopped one of them
    (``Busy``, ``BuiltByNewerVersion``) is raised once the others are done.
    """
    applied = 0
    for outcome in refresh_many(journal, store, list(projectors or all_projectors())):
        if isinstance(outcome, Exception):
            raise outcome
        applied += outcome
    return applied


def settle(
    settings: Settings, journal: Journal, store: ReadStore, projectors: Sequence[Projector] | None = None
) -> None:
    """Make the projections include the caller's last write before a read answers.

    With no broker, catch up here and now, and extend the hash chain over
    the facts recorded since (the workers' other job): a fact is tamper-evident
    once it is chained, and without workers nothing else chains it. With a
    broker, the workers do both: wait (bounded) until they have, nudging them
    once in case a nudge was lost.
    """
    chosen = list(projectors or all_projectors())
    if not settings.broker_url:
        with for_projections(journal):
            refresh_all(journal, store, chosen)
            chain.extend(journal, store)
        return
    position = last_write(settings)
    if position == 0:
        return
    timeout = settings.wait_seconds
    if wait_for(store, chosen, position, timeout=min(timeout, 0.2)):
        return
    failed = None
    try:
        # The caller's write (whose own nudge went missing) concerns every projection.
        nudge(settings.broker_url, PROJECTORS)
    except NudgeFailed as error:
        failed = str(error)
    if not wait_for(store, chosen, position, timeout=timeout):
        raise NotCaughtUp(position, timeout, failed)
