"""Kronika's configuration: ``KRONIKA_*`` environment variables, read here only.

Nothing is read at import time; callers ask for ``Settings.from_environ()``
when they start, so tests and workers each see their own environment.
"""

from __future__ import annotations

import getpass
import locale
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Prague"
DEFAULT_WAIT_SECONDS = 10.0


class ConfigurationError(Exception):
    """A ``KRONIKA_*`` variable has a value Kronika cannot use."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None
    broker_url: str | None
    language: str
    timezone: str
    user: str
    wait_seconds: float = DEFAULT_WAIT_SECONDS  # with workers, how long a read waits for the caller's write
    report_profiles: Path | None = None  # the installation's own report profiles, beside the shipped ones
    master_key: str | None = field(default=None, repr=False)  # base64, from KRONIKA_MASTER_KEY
    master_key_file: Path | None = None  # None: master.key in the data directory
    rebuild_parts: int = 1  # the nightly rebuild shared out into this many parts (worker processes)

    @property
    def key_file(self) -> Path:
        """Where the master key is kept when it is not given in the environment."""
        return self.master_key_file or self.data_dir / "master.key"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        for name in sorted(k for k in env if k.startswith("KRONIKA_")):
            if not is_text(env[name]):
                raise ConfigurationError(f"{name} holds bytes that are not UTF-8 text; set it again")
        data_dir = Path(env.get("KRONIKA_DATA_DIR") or Path.home() / ".local/share/kronika").expanduser()
        language = (env.get("KRONIKA_LANG") or _locale_language(env)).lower()[:2]
        if language not in ("cs", "en"):
            raise ConfigurationError(f"KRONIKA_LANG={language!r}: use cs or en")
        timezone = env.get("KRONIKA_TIMEZONE") or DEFAULT_TIMEZONE
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(
                f"KRONIKA_TIMEZONE={timezone!r} is not a time zone; use e.g. Europe/Prague"
            ) from None
        return cls(
            data_dir=data_dir,
            database_url=env.get("KRONIKA_DATABASE_URL") or None,
            broker_url=env.get("KRONIKA_BROKER_URL") or None,
            language=language,
            timezone=timezone,
            user=(env.get("KRONIKA_USER") or "").strip() or getpass.getuser(),
            wait_seconds=_wait_seconds(env.get("KRONIKA_WAIT_SECONDS")),
            report_profiles=Path(env["KRONIKA_REPORT_PROFILES"]).expanduser()
            if env.get("KRONIKA_REPORT_PROFILES")
            else None,
            master_key=env.get("KRONIKA_MASTER_KEY") or None,
            master_key_file=Path(env["KRONIKA_MASTER_KEY_FILE"]).expanduser()
            if env.get("KRONIKA_MASTER_KEY_FILE")
            else None,
            rebuild_parts=_rebuild_parts(env.get("KRONIKA_REBUILD_PARTS")),
        )

    def journal_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for the journal's event store."""
        if not self.database_url:
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "journal.sqlite"),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        return postgres_env(self.database_url)

    def read_store(self) -> tuple[str, str | None]:
        """The read store's SQLAlchemy URL and schema: a file beside the journal's, or a schema beside it."""
        if not self.database_url:
            return f"sqlite:///{self.data_dir / 'read.sqlite'}", None
        env = postgres_env(self.database_url)
        credentials = quote(env["POSTGRES_USER"], safe="")
        if env["POSTGRES_PASSWORD"]:
            credentials += ":" + quote(env["POSTGRES_PASSWORD"], safe="")
        url = (
            f"postgresql+psycopg://{credentials}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}"
            f"/{quote(env['POSTGRES_DBNAME'], safe='')}"
        )
        schema = f"{env['POSTGRES_SCHEMA']}_read" if env["POSTGRES_SCHEMA"] else "kronika_read"
        return url, schema


def is_text(value: str) -> bool:
    """Whether ``value`` is text: bytes that are not UTF-8 reach Python as lone surrogates, which are not."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def postgres_env(url: str) -> dict[str, str]:
    """``postgresql://user:pw@host:port/dbname?schema=kronika`` as library settings."""
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
        raise ConfigurationError(
            f"KRONIKA_DATABASE_URL must start with postgresql://, not {parts.scheme or 'nothing'}://"
        )
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise ConfigurationError(
            "KRONIKA_DATABASE_URL names no database, e.g. postgresql://127.0.0.1/kronika"
        )
    schema = parse_qs(parts.query).get("schema", [""])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or getpass.getuser()),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_CONNECT_TIMEOUT": "5",
    }


def _wait_seconds(text: str | None) -> float:
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= 3600:
        raise ConfigurationError(f"KRONIKA_WAIT_SECONDS={text!r}: give seconds between 0 and 3600, e.g. 10")
    return seconds


def _rebuild_parts(text: str | None) -> int:
    if not text:
        return 1
    parts = int(text) if text.strip().isdigit() else 0
    if not 1 <= parts <= 100:
        raise ConfigurationError(
            f"KRONIKA_REBUILD_PARTS={text!r}: a whole number from 1 to 100, e.g. 2 for two worker processes"
        )
    return parts


def _locale_language(env: Mapping[str, str]) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "cs" if env[name].lower().startswith("cs") else "en"
    found = locale.getlocale()[0] or ""
    return "cs" if found.lower().startswith("cs") else "en"
