"""The real command line against a fresh journal, on SQLite and on PostgreSQL.

Most tests call ``cli.main.cli`` in-process through click's ``CliRunner``
(fast); a few run the installed ``kronika`` console script to prove it works
as users start it. Either way a call returns ``(exit_code, stdout, stderr)``.
"""

from __future__ import annotations

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

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

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
        result = self.runner.invoke(cli, argv, env=self.env(user, lang, **env), catch_exceptions=False)
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
        with self.journal() as journal:
            return journal.recorder.max_notification_id() or 0


def _argv(args: tuple[str, ...]) -> list[str]:
    return shlex.split(args[0]) if len(args) == 1 else list(args)


def assert_one_error_line(err: str) -> None:
    assert err.startswith("Error: "), err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert "Traceback" not in err


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kronika(request: pytest.FixtureRequest, tmp_path: Path) -> Kronika:
    """The CLI against a fresh journal whose admin is ``admin``."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    runner = Kronika(tmp_path, url)
    runner.ok("init", "--name", "Admin Istrator")
    return runner


@pytest.fixture
def sos(kronika: Kronika) -> Kronika:
    """A crisis centre SOS (11+, 12 sessions a case), worker eva, supervisor vera, case P-0001."""
    kronika.ok(
        "service", "add", "SOS", "--name", "SOS centrum", "--type", "crisis-help", "--forms", "ambulatory,field",
        "--min-age", "11", "--capacity", "3", "--hours", "Mon-Fri 09:00-17:00", "--session-limit", "12",
    )  # fmt: skip
    kronika.ok("staff add eva --name 'Eva Malá' --role worker --service SOS")
    kronika.ok("staff add vera --name 'Věra Velká' --role supervisor --service SOS")
    assert kronika.ok("client add --birth-year 1990 --sex female --district 'Praha 3'", user="eva") == "K-0001"
    assert kronika.ok("case open K-0001 --service SOS --on 1.3.2025", user="eva") == "P-0001"
    return kronika
