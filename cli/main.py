"""``kronika``: the staff, auditor and operator command line."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
from eventsourcing.persistence import MapperDeserialisationError, PersistenceError, ProgrammingError

from cli import (
    backups,
    cases,
    clients,
    entries,
    history,
    importer,
    integrity,
    operations,
    reads,
    reports,
    setup,
)
from cli.app import App
from cli.errors import explain
from cli.i18n import _, set_language
from domain.errors import KronikaError
from workers.journal import NotInitialised
from workers.settings import ConfigurationError, Settings

# Commands whose modules load only when they run: the demo's year generator costs every other
# command ~50 ms of start-up.
LAZY = {"demo": "cli.demo:demo"}


class KronikaCLI(click.Group):
    """The root command: refusals and mistakes are one line on stderr, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY:
            module, attribute = LAZY[name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, name)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        try:
            settings = Settings.from_environ()
            set_language(settings.language)
            extra.update(standalone_mode=False, obj=App(settings))
            result = super().main(args=args, prog_name=prog_name or "kronika", **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as error:
            where = f" {_('See')}: {error.ctx.command_path} --help" if error.ctx else ""
            _fail(f"{error.format_message().rstrip('.')}.{where}", 2)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:
            _fail(_("aborted"), 1)
        except KronikaError as error:
            _fail(explain(error), 1)
        except NotInitialised as error:
            _fail(
                _("there is no journal in {where}. Create one with: kronika init").format(where=error.where),
                1,
            )
        except ConfigurationError as error:
            _fail(str(error), 2)
        except PersistenceError as error:
            _fail(_database_problem(error), 1)
        except MapperDeserialisationError:
            _fail(
                _(
                    "a stored fact cannot be read: it was altered, or the master key is not this journal's. "
                    "Find what changed with: kronika audit verify"
                ),
                1,
            )
        except OSError as error:
            what = error.filename or _("a file")
            _fail(
                _("cannot use {what}: {why}; check KRONIKA_DATA_DIR").format(what=what, why=error.strerror), 1
            )
        sys.exit(result if isinstance(result, int) else 0)


@click.group(
    cls=KronikaCLI, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="kronika")
def cli() -> None:
    """Kronika: an event-sourced intervention journal for social services.

    Every contact, session and referral is recorded as an immutable fact.
    Configure with KRONIKA_* environment variables (see the README); the
    acting user is your login, or KRONIKA_USER.

    Example: kronika session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention
    """


for module in (
    setup,
    clients,
    cases,
    reads,
    integrity,
    reports,
    entries,
    history,
    importer,
    operations,
    backups,
):
    module.register(cli)


def main() -> None:
    cli.main()


def _database_problem(error: PersistenceError) -> str:
    if isinstance(error, ProgrammingError) and "does not exist" in str(error):
        return _("there is no journal in that database. Create one with: kronika init")
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _(
        "the journal's database failed ({why}); check KRONIKA_DATABASE_URL and that the server runs"
    ).format(why=first_line)


def _fail(message: str, code: int) -> None:
    message = " ".join(message.split())  # one line, whatever click or a library wrapped
    click.echo(f"{_('Error')}: {message}", err=True)
    sys.exit(code)
