"""Opening the journal's event store from the settings (the write side's composition root).

Deliberately light: the CLI's write path imports this, so no Celery or
SQLAlchemy here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.journal import Journal
from workers.settings import ConfigurationError, Settings


class NotInitialised(Exception):
    """There is no journal where the settings point."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def open_journal(
    settings: Settings, *, create: bool = False, clock: Callable[[], datetime] | None = None
) -> Journal:
    env = settings.journal_env()
    if settings.database_url:
        if create:
            _create_schema(env)
        env["CREATE_TABLE"] = "y" if create else "n"
    else:
        path = settings.data_dir / "journal.sqlite"
        if create:
            settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        elif not path.exists():
            raise NotInitialised(str(settings.data_dir))
    return Journal(env=env, clock=clock)


def _create_schema(env: dict[str, str]) -> None:
    schema = env.get("POSTGRES_SCHEMA")
    if not schema:
        return
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=5,
            autocommit=True,
        ) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    except psycopg.OperationalError as error:
        raise ConfigurationError(f"cannot reach PostgreSQL at {env['POSTGRES_HOST']}: {error}") from None
