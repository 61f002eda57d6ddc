"""For operators: ``kronika projections status|catch-up|rebuild``, ``kronika worker``, ``kronika beat``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from cli.app import App, emit_json, json_option, pass_app, table
from cli.i18n import _
from domain.staff import Duty

if TYPE_CHECKING:
    from celery import Celery

    from projections.projector import Projector
    from projections.store import ReadStore


@click.group()
def projections() -> None:
    """The read models the workers build from the journal: how far they are, catch up, rebuild.

    Example: kronika projections rebuild --verify
    """


@contextmanager
def read_store(app: App) -> Iterator[ReadStore]:
    from projections.tracking import BuiltByNewerVersion
    from workers.projecting import open_read_store

    store = open_read_store(app.settings)
    try:
        yield store
    except BuiltByNewerVersion as error:
        raise click.ClickException(
            _("the {name} projection was built by a newer Kronika; upgrade this one").format(name=error.name)
        ) from None
    finally:
        store.dispose()


def _chosen(names: tuple[str, ...]) -> list[Projector]:
    from projections.catalogue import all_projectors

    known = all_projectors()
    unknown = [n for n in names if n not in {p.name for p in known}]
    if unknown:
        raise click.BadParameter(
            _("{name} is not a projection; choose from {names}").format(
                name=unknown[0], names=", ".join(p.name for p in known)
            ),
            param_hint="NAME",
        )
    return [p for p in known if not names or p.name in names]


@projections.command("status")
@json_option
@pass_app
def status(app: App, as_json: bool) -> None:
    """Each projection's position in the journal, the journal's head and how far behind it is.

    Example: kronika projections status
    """
    from projections.catalogue import all_projectors
    from projections.tracking import status as statuses

    app.journal.readable_services(actor=app.actor)
    with read_store(app) as store:
        if not store.exists():
            store.create()
        found = statuses(app.journal, store, all_projectors())
    if as_json:
        emit_json([{**asdict(s), "behind": s.behind} for s in found])
        return
    table(
        _("Projections"),
        [_("Projection"), _("Version"), _("Position"), _("Head"), _("Behind"), _("Last rebuild"), _("Drift")],
        [
            (
                s.projector,
                s.version
                if s.built_by_version in (None, s.version)
                else f"{s.built_by_version} → {s.version}",
                "—" if s.position is None else s.position,
                s.head,
                _("not built") if s.behind is None else s.behind,
                app.local(s.last_rebuild) if s.last_rebuild else "—",
                "" if s.last_drift is None else s.last_drift,
            )
            for s in found
        ],
    )


@projections.command("catch-up")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@pass_app
def catch_up(app: App, names: tuple[str, ...]) -> None:
    """Apply what the journal recorded since each projection's position, here and now.

    Without NAME, also link the facts recorded since to the hash chain (what
    the workers do beside catching up; without them, the next read would).

    Example: kronika projections catch-up open_cases
    """
    from projections import chain
    from projections.store import Busy
    from projections.tracking import refresh_many
    from workers.projecting import for_projections

    app.journal.readable_services(actor=app.actor)
    chosen = _chosen(names)
    with read_store(app) as store, for_projections(app.journal) as journal:
        outcomes = refresh_many(journal, store, chosen)  # one reading of the log for all
        for projector, outcome in zip(chosen, outcomes, strict=True):
            if not isinstance(outcome, Exception):
                click.echo(_("{name}: {n} facts applied").format(name=projector.name, n=outcome))
        if not names:
            click.echo(_("hash chain: {n} facts linked").format(n=chain.extend(journal, store)))
        for projector, outcome in zip(chosen, outcomes, strict=True):
            if isinstance(outcome, Busy):
                busy = _("a rebuild of {name} is already running; wait for it to finish")
                raise click.ClickException(busy.format(name=projector.name))
            if isinstance(outcome, Exception):
                raise outcome  # BuiltByNewerVersion: read_store says what to do


@projections.command("rebuild")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option(
    "--verify", is_flag=True, help="Only compare a fresh replay with the live tables; change nothing."
)
@json_option
@pass_app
def rebuild(app: App, names: tuple[str, ...], verify: bool, as_json: bool) -> None:
    """Replay the whole journal into fresh tables, compare them with the live ones, swap (admin).

    Any difference (drift) is reported and recorded; there should be none.
    Exits with 1 when --verify finds drift.

    Example: kronika projections rebuild --verify
    """
    from projections.store import Busy
    from projections.tracking import rebuild_many
    from workers.projecting import for_projections

    app.journal.readable_services(actor=app.actor, duty=Duty.ADMINISTER)
    chosen = _chosen(names)
    with read_store(app) as store, for_projections(app.journal) as journal:
        outcomes = rebuild_many(journal, store, chosen, swap=not verify)
        reports = []
        for projector, outcome in zip(chosen, outcomes, strict=True):
            if isinstance(outcome, Busy):
                busy = _("a rebuild of {name} is already running; wait for it to finish")
                raise click.ClickException(busy.format(name=projector.name))
            if isinstance(outcome, Exception):
                raise outcome  # BuiltByNewerVersion: read_store says what to do
            reports.append(outcome)
    if as_json:
        emit_json([asdict(r) for r in reports])
    else:
        for report in reports:
            line = _(
                "{name}: {events} facts replayed to position {position}, {rows} rows, differences: {drift}"
            )
            click.echo(
                line.format(
                    name=report.projector,
                    events=report.events,
                    position=report.position,
                    rows=report.rows,
                    drift=report.differences,
                )
            )
            for sample in report.samples:
                click.echo(f"  {sample.table} {sample.key}: {sample.side} {','.join(sample.columns)}")
    if verify and any(r.differences for r in reports):
        raise click.exceptions.Exit(1)


def _celery(app: App) -> Celery:
    if not app.settings.broker_url:
        raise click.UsageError(
            _("set KRONIKA_BROKER_URL to the Redis the workers share, e.g. redis://127.0.0.1:6379/0")
        )
    from workers.app import configure

    return configure(app.settings)


@click.command("worker")
@click.option(
    "--concurrency", type=click.IntRange(1, 64), default=2, show_default=True, help="Worker processes."
)
@click.option(
    "--loglevel", default="info", show_default=True, type=click.Choice(["debug", "info", "warning"])
)
@pass_app
def worker(app: App, concurrency: int, loglevel: str) -> None:
    """Run a worker that keeps the projections caught up.

    Needs KRONIKA_BROKER_URL, e.g. redis://127.0.0.1:6379/0, set the same for
    everyone who writes. Start as many as you like, on any machine.

    Example: kronika worker --concurrency 2
    """
    celery = _celery(app)
    celery.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@click.command("beat")
@click.option(
    "--loglevel", default="info", show_default=True, type=click.Choice(["debug", "info", "warning"])
)
@pass_app
def beat(app: App, loglevel: str) -> None:
    """Run the schedule: a catch-up every 5 s, the rebuild nightly at 02:30 Europe/Prague.

    Needs KRONIKA_BROKER_URL like the workers. Run one beat per installation.

    Example: kronika beat
    """
    celery = _celery(app)
    app.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    celery.start(["beat", f"--loglevel={loglevel}"])


def register(cli: click.Group) -> None:
    cli.add_command(projections)
    cli.add_command(worker)
    cli.add_command(beat)
