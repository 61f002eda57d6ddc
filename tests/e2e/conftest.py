"""The real command line against a fresh journal, on SQLite and on PostgreSQL.

Most tests call ``cli.main.cli`` in-process through click's ``CliRunner``
(fast); a few run the installed ``kronika`` console script to prove it works
as users start it. Either way a call returns ``(exit_code, stdout, stderr)``.
"""

from __future__ import annotations

import gc
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.journal import Journal
from workers.journal import open_journal
from workers.settings import Settings

ADMIN = "admin"
SCRIPT = Path(sys.executable).parent / "kronika"

Outcome = tuple[int, str, str]


class Kronika:
    """``kronika(...)`` runs one command line and answers (exit code, stdout, stderr)."""

    def __init__(self, tmp_path: Path, database_url: str | None) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.data_dir = tmp_path / "kronika-data"
        self.runner = CliRunner()
        self._counter: Journal | None = None
        if database_url:
            # What exists now (modules, fixtures) lives on: keep the collections below cheap.
            gc.collect()
            gc.freeze()

    def env(self, user: str = ADMIN, lang: str = "en", **extra: str | None) -> dict[str, str | None]:
        """The environment a user would set; any other KRONIKA_* variable is unset."""
        env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("KRONIKA_")}
        env.update(
            KRONIKA_DATA_DIR=str(self.data_dir),
            KRONIKA_DATABASE_URL=self.database_url,
            KRONIKA_USER=user,
            KRONIKA_LANG=lang,
            KRONIKA_TIMEZONE="Europe/Prague",
        )
        env.update(extra)
        return env

    def __call__(self, *args: str, user: str = ADMIN, lang: str = "en", **env: str | None) -> Outcome:
        """Run in-process. A single argument is split like a shell would split it."""
        argv = _argv(args)
        # Anything but SystemExit escaping the CLI is a bug: let it fail the test with its traceback.
        result = self.runner.invoke(
            cli, argv, prog_name="kronika", env=self.env(user, lang, **env), catch_exceptions=False
        )
        if self.database_url:
            # The CLI leaves closing its journal to the process's exit. In-process, collect it here,
            # in this thread: collected in a pool worker thread it cannot close its pool.
            gc.collect()
        return result.exit_code, result.stdout, result.stderr

    def ok(self, *args: str, user: str = ADMIN, lang: str = "en") -> str:
        """Run a command that must succeed; its stdout, stripped."""
        code, out, err = self(*args, user=user, lang=lang)
        assert (code, err) == (0, ""), f"kronika {' '.join(_argv(args))} exited {code}: {err}"
        return out.strip()

    def json(self, *args: str, user: str = ADMIN) -> Any:
        return json.loads(self.ok(*_argv(args), "--json", user=user))

    def refused(self, *args: str, user: str = ADMIN, exit_code: int = 1) -> str:
        """Run a command that must be refused without writing; the error line."""
        before = self.facts()
        code, out, err = self(*args, user=user)
        assert code == exit_code, f"expected exit {exit_code}, got {code}: {out}{err}"
        assert out == ""
        assert_one_error_line(err)
        assert self.facts() == before, "a refused command wrote facts"
        return err.strip()

    @staticmethod
    def assert_one_error_line(err: str) -> None:
        assert_one_error_line(err)

    def script(self, *args: str, user: str = ADMIN, lang: str = "en") -> Outcome:
        """Run the installed console script in a real subprocess."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
        env.update({k: v for k, v in self.env(user, lang).items() if v is not None})
        done = subprocess.run(  # noqa: PLW1510 - the exit code is what is tested
            [str(SCRIPT), *_argv(args)], env=env, capture_output=True, text=True, timeout=60
        )
        return done.returncode, done.stdout, done.stderr

    @property
    def settings(self) -> Settings:
        return Settings(
            data_dir=self.data_dir,
            database_url=self.database_url,
            broker_url=None,
            language="en",
            timezone="Europe/Prague",
            user=ADMIN,
        )

    @contextmanager
    def journal(self, clock: Callable[[], datetime] | None = None) -> Iterator[Journal]:
        """The journal through the domain API, e.g. to record facts at chosen moments."""
        journal = open_journal(self.settings, clock=clock)
        try:
            yield journal
        finally:
            journal.close()

    def facts(self) -> int:
        """How many facts (events) the journal holds."""
        if self._counter is None:
            self._counter = open_journal(self.settings)
        return self._counter.recorder.max_notification_id() or 0

    def close(self) -> None:
        if self._counter is not None:
            self._counter.close()
            self._counter = None


def _argv(args: tuple[str, ...]) -> list[str]:
    return shlex.split(args[0]) if len(args) == 1 else list(args)


def assert_one_error_line(err: str) -> None:
    assert err.startswith("Error: "), err
    assert err.endswith("\n"), f"not one line: {err!r}"
    assert err.count("\n") == 1, f"not one line: {err!r}"
    assert "Traceback" not in err


@contextmanager
def fresh(tmp_path: Path, database_url: str | None) -> Iterator[Kronika]:
    runner = Kronika(tmp_path, database_url)
    runner.ok("init", "--name", "Admin Istrator")
    try:
        yield runner
    finally:
        runner.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kronika(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kronika]:
    """The CLI against a fresh journal whose admin is ``admin``, on SQLite and on PostgreSQL."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    with fresh(tmp_path, url) as runner:
        yield runner


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_kronika(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Kronika]:
    """The CLI where there is no journal yet: an empty data directory, or an empty PostgreSQL schema."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    runner = Kronika(tmp_path, url)
    yield runner
    runner.close()


@pytest.fixture
def sqlite_kronika(tmp_path: Path) -> Iterator[Kronika]:
    """The same on SQLite only, for what is the same on both (parsing, messages, help)."""
    with fresh(tmp_path, None) as runner:
        yield runner


def with_sos(kronika: Kronika) -> Kronika:
    """Add a crisis centre SOS (11+, 12 sessions a case), worker eva, supervisor vera, case P-0001."""
    kronika.ok(
        "service", "add", "SOS", "--name", "SOS centrum", "--type", "crisis-help",
        "--forms", "ambulatory,field", "--min-age", "11", "--capacity", "3",
        "--hours", "Mon-Fri 09:00-17:00", "--session-limit", "12",
    )  # fmt: skip
    kronika.ok("staff add eva --name 'Eva Malá' --role worker --service SOS")
    kronika.ok("staff add vera --name 'Věra Velká' --role supervisor --service SOS")
    assert (
        kronika.ok("client add --birth-year 1990 --sex female --district 'Praha 3'", user="eva") == "K-0001"
    )
    assert kronika.ok("case open K-0001 --service SOS --on 1.3.2025 --key-worker eva", user="eva") == "P-0001"
    return kronika


@pytest.fixture
def sos(kronika: Kronika) -> Kronika:
    """A journal with SOS, eva, vera, client K-0001 and case P-0001 opened on 1.3.2025."""
    return with_sos(kronika)


@pytest.fixture
def sqlite_sos(sqlite_kronika: Kronika) -> Kronika:
    return with_sos(sqlite_kronika)
