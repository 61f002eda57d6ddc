"""The Celery app: thin tasks that name a projector and call into ``projections``.

Messages only ever say "catch up" or "rebuild"; what to apply is read from
the journal, so a duplicated, lost or reordered message changes nothing.
Tasks carry projector names, never personal data, and keep no results.

Start with ``kronika worker`` and ``kronika beat`` (``KRONIKA_BROKER_URL``,
e.g. ``redis://127.0.0.1:6379/0``).
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack, suppress
from dataclasses import asdict
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from domain.journal import Journal
from projections import chain
from projections.catalogue import all_projectors, projector_named
from projections.projector import Projector
from projections.store import Busy, ReadStore
from projections.tracking import (
    BULK_PAGE,
    LONG_BACKLOG,
    PAGE,
    BuiltByNewerVersion,
    behind,
    rebuild_many,
    refresh_many,
)
from workers.journal import open_journal
from workers.nudge import CATCH_UP, QUEUE
from workers.projecting import open_read_store
from workers.settings import DEFAULT_TIMEZONE, Settings

log = logging.getLogger("kronika.workers")

CATCH_UP_ALL = "kronika.catch_up_all"
REBUILD_ALL = "kronika.rebuild_all"
REBUILD_PART = "kronika.rebuild_part"
EXTEND_CHAIN = "kronika.extend_chain"
VERIFY_CHAIN = "kronika.verify_chain"
CATCH_UP_TOGETHER = "catch-up:all"  # the lock of the worker catching every projector up at once
CATCH_UP_EVERY = 5.0  # seconds: the beat's safety net under lost nudges
CHAIN_SLICE = 10_000  # links a task appends before queueing the rest (about a quarter of a second)

app = Celery("kronika")
app.conf.update(
    task_default_queue=QUEUE,
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    # Keep trying for as long as Redis is away: the journal keeps what to catch up.
    broker_connection_max_retries=None,
    # Catch-ups are idempotent: one cut short by a lost connection is simply done again.
    worker_cancel_long_running_tasks_on_connection_loss=True,
    timezone=DEFAULT_TIMEZONE,
    enable_utc=True,
    beat_schedule={
        "catch-up": {"task": CATCH_UP_ALL, "schedule": CATCH_UP_EVERY},
        "nightly-rebuild": {"task": REBUILD_ALL, "schedule": crontab(hour=2, minute=30)},
        "nightly-verify": {"task": VERIFY_CHAIN, "schedule": crontab(hour=3, minute=30)},
    },
)


def configure(settings: Settings) -> Celery:
    """Point the app at the configured broker (done by ``kronika worker``/``beat`` and on import)."""
    app.conf.broker_url = settings.broker_url
    app.conf.beat_schedule_filename = str(settings.data_dir / "beat-schedule")
    app.conf.beat_schedule["nightly-rebuild"]["kwargs"] = {"parts": settings.rebuild_parts}
    return app


class _Resources:
    """One journal and one read store per worker process, opened on first use."""

    journal: Journal | None = None
    store: ReadStore | None = None
    pid: int | None = None

    @classmethod
    def get(cls) -> tuple[Journal, ReadStore]:
        if cls.pid != os.getpid() or cls.journal is None or cls.store is None:
            settings = Settings.from_environ()
            cls.journal, cls.store, cls.pid = (
                open_journal(settings, personal=False),
                open_read_store(settings),
                os.getpid(),
            )
        return cls.journal, cls.store


@app.task(name=CATCH_UP)
def catch_up(name: str) -> None:
    """Catch this projector up; on a long backlog, every projector from one reading of the log.

    After an import or an outage each projector's nudge finds the same long
    backlog; the first worker to take ``catch-up:all`` reads and decodes it
    once for all of them, and their own nudges then find nothing left. A
    worker that finds it taken catches its projector up alone: the claims
    keep the two exact, and no nudge is left unanswered.
    """
    try:
        projector = projector_named(name)
    except KeyError:
        log.warning("no projection named %r; message dropped", name)
        return
    journal, store = _Resources.get()
    chosen, page = [projector], PAGE
    with ExitStack() as held:
        lag = behind(journal, store, projector)
        if lag is None or lag > LONG_BACKLOG:
            with suppress(Busy):
                held.enter_context(store.lock(CATCH_UP_TOGETHER))
                chosen, page = all_projectors(), BULK_PAGE
        outcomes = refresh_many(journal, store, chosen, page_size=page)
    for each, outcome in zip(chosen, outcomes, strict=True):
        if isinstance(outcome, Busy):
            log.info("%s: being rebuilt by another worker; the rebuild brings it up to date", each.name)
        elif isinstance(outcome, BuiltByNewerVersion):
            log.error("%s: built by a newer version of Kronika; upgrade this worker", each.name)
        elif isinstance(outcome, int) and outcome:
            log.info("%s: applied %d facts", each.name, outcome)


@app.task(name=CATCH_UP_ALL)
def catch_up_all() -> None:
    """One message per projector, so different projectors are caught up in parallel; and the chain."""
    for projector in all_projectors():
        catch_up.delay(projector.name)
    extend_chain.delay()


@app.task(name=EXTEND_CHAIN)
def extend_chain() -> None:
    """Append the hash chain's links for the facts recorded since (tamper evidence).

    A long backlog (a restored journal, imports while no worker ran) is
    linked a slice at a time: a task that fills its slice queues another
    for the rest behind whatever was queued meanwhile, so catch-ups nudged
    by writes are not kept waiting while a million facts are linked.
    """
    journal, store = _Resources.get()
    appended = chain.extend(journal, store, at_most=CHAIN_SLICE)
    if appended:
        log.info("hash chain: %d facts linked", appended)
    if appended >= CHAIN_SLICE:
        extend_chain.delay()


@app.task(name=VERIFY_CHAIN)
def verify_chain() -> dict[str, Any]:
    """The nightly check that the log is still what the chain says it was."""
    journal, store = _Resources.get()
    found = chain.verify_and_extend(journal, store)
    if found.first is not None:
        log.error(
            "hash chain: %s at position %d (%d positions differ); run kronika audit verify",
            found.first.kind,
            found.first.position,
            found.problems,
        )
    else:
        log.info("hash chain: %d facts intact up to %s", found.facts, found.head)
    return {"intact": found.intact, "problems": found.problems, "head": str(found.head)}


@app.task(name=REBUILD_ALL)
def rebuild_all(swap: bool = True, parts: int = 1) -> list[dict[str, Any]]:
    """The nightly rebuild: every projector replayed, compared, swapped; drift logged.

    With ``parts`` above one the projectors are shared out into that many
    parts, one ``rebuild_part`` message each, so that as many worker
    processes rebuild them at once (each part reads and decodes the log once).
    """
    projectors = all_projectors()
    if parts <= 1:
        return _rebuild(projectors, swap)
    for names in share_out([p.name for p in projectors], parts):
        rebuild_part.delay(names, swap)
    return []


@app.task(name=REBUILD_PART)
def rebuild_part(names: list[str], swap: bool = True) -> list[dict[str, Any]]:
    """One part of a partitioned rebuild: these projectors, from one reading of the log."""
    chosen = []
    for name in names:
        try:
            chosen.append(projector_named(name))
        except KeyError:
            log.warning("no projection named %r; left out of the rebuild", name)
    return _rebuild(chosen, swap)


def share_out(names: list[str], parts: int) -> list[list[str]]:
    """Deal the projectors out into at most ``parts`` non-empty parts, in turn."""
    return [names[i::parts] for i in range(min(parts, len(names)))]


def _rebuild(projectors: list[Projector], swap: bool) -> list[dict[str, Any]]:
    journal, store = _Resources.get()
    reports = []
    outcomes = rebuild_many(journal, store, projectors, swap=swap)
    for projector, report in zip(projectors, outcomes, strict=True):
        if isinstance(report, Busy):
            log.warning("%s: a rebuild is already running; skipped", projector.name)
            continue
        if isinstance(report, BuiltByNewerVersion):
            log.error("%s: built by a newer version of Kronika; upgrade this worker", projector.name)
            continue
        level = logging.WARNING if report.differences else logging.INFO
        log.log(
            level, "%s: rebuilt at %d, %d differences", projector.name, report.position, report.differences
        )
        reports.append(asdict(report))
    return reports


@signals.worker_ready.connect
def _catch_up_at_start(**_: Any) -> None:
    """A worker that starts (or restarts after a crash) first catches everything up."""
    catch_up_all.delay()


configure(Settings.from_environ())
