"""``kronika``: the staff, auditor and operator command line."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click
from eventsourcing.persistence import MapperDeserialisationError, PersistenceError, ProgrammingError

from cli.app import App
from cli.errors import explain
from cli.i18n import _, set_language
from domain.errors import KronikaError
from workers.journal import NotInitialised
from workers.settings import ConfigurationError, Settings, is_text

# Which modules' ``register`` adds each command: a command's module loads only when the command
# runs or a listing shows it, so `kronika session log` does not load the reports, the importer,
# the demo's year generator, ... (each costs every other command start-up time).
# (cli.reads adds show to cli.cases' case group, cli.integrity verify and digest to cli.reads' audit.)
MODULES: dict[str, tuple[str, ...]] = {
    "init": ("cli.setup",),
    "service": ("cli.setup",),
    "staff": ("cli.setup",),
    "client": ("cli.clients",),
    "enquiry": ("cli.clients",),
    "case": ("cli.cases", "cli.reads"),
    "cases": ("cli.reads",),
    "audit": ("cli.reads", "cli.integrity"),
    "report": ("cli.reports",),
    "contact": ("cli.entries",),
    "session": ("cli.entries",),
    "referral": ("cli.entries",),
    "goal": ("cli.entries",),
    "complaint": ("cli.entries",),
    "entry": ("cli.entries",),
    "history": ("cli.history",),
    "import": ("cli.importer",),
    "projections": ("cli.operations",),
    "worker": ("cli.operations",),
    "beat": ("cli.operations",),
    "backup": ("cli.backups",),
    "restore": ("cli.backups",),
    "demo": ("cli.demo",),
}


class LazyCommands(dict[str, click.Command]):
    """The root's commands by name; a command's modules load when it is first looked up.

    Its names are known without loading anything (a listing, click's "Did you
    mean ...?"); whoever takes the commands themselves gets them all loaded.
    """

    def __init__(self, group: click.Group, commands: Mapping[str, click.Command]) -> None:
        super().__init__(commands)
        self._group = group
        self._registered: set[str] = set()

    def _load(self, name: object) -> None:
        # Every module a command names, even when another command's module added it already.
        for module in MODULES.get(name, ()) if isinstance(name, str) else ():
            if module not in self._registered:
                self._registered.add(module)
                importlib.import_module(module).register(self._group)

    def _load_all(self) -> None:
        for name in MODULES:
            self._load(name)

    def _names(self) -> list[str]:
        return list(dict.fromkeys([*super().keys(), *MODULES]))

    def __getitem__(self, name: str) -> click.Command:
        self._load(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        self._load(name)
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        self._load(name)
        return super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def keys(self) -> Any:
        self._load_all()
        return super().keys()

    def values(self) -> Any:
        self._load_all()
        return super().values()

    def items(self) -> Any:
        self._load_all()
        return super().items()


class KronikaCLI(click.Group):
    """The root command: refusals and mistakes are one line on stderr, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self, self.commands)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        try:
            settings = Settings.from_environ()
            set_language(settings.language)
            _refuse_bytes_that_are_not_text(sys.argv[1:] if args is None else list(args))
            app = App(settings)
            extra.update(standalone_mode=False, obj=app)
            result = super().main(args=args, prog_name=prog_name or "kronika", **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.NoArgsIsHelpError as error:  # ``kronika``, ``kronika case``: their help
            click.echo(error.ctx.get_help() if error.ctx else error.format_message())
            sys.exit(0)
        except click.UsageError as error:
            where = f" {_('See')}: {error.ctx.command_path} --help" if error.ctx else ""
            message = error.format_message().rstrip(".")
            _fail(f"{message}{'' if message.endswith('?') else '.'}{where}", 2)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:
            _fail(_("aborted"), 1)
        except KronikaError as error:
            _fail(explain(error, app.local), 1)
        except NotInitialised as error:
            _fail(
                _("there is no journal in {where}. Create one with: kronika init").format(where=error.where),
                1,
            )
        except ConfigurationError as error:
            _fail(str(error), 2)
        except (PersistenceError, sqlite3.Error) as error:  # the journal's store
            _fail(_journal_problem(settings, error), 1)
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
        except Exception as error:
            # The read store's, through SQLAlchemy (imported only by commands that use it).
            exc = sys.modules.get("sqlalchemy.exc")
            if exc is None or not isinstance(error, exc.DBAPIError):
                raise
            _fail(_read_store_problem(settings, error.orig or error), 1)
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


def main() -> None:
    cli.main()


def _refuse_bytes_that_are_not_text(args: list[str]) -> None:
    """Refuse a command line holding bytes that are not UTF-8, naming the option, never the value.

    Python passes such bytes on as lone surrogates, which no text store can
    take; the value may be personal data, so it is not repeated.
    """
    for index, arg in enumerate(args):
        if arg.isascii() or is_text(arg):
            continue
        name, _eq, _value = arg.partition("=")
        if arg.startswith("--") and _eq and name.isascii():
            where = name
        elif index > 0 and args[index - 1].startswith("-") and args[index - 1].isascii():
            where = args[index - 1]
        else:
            where = _("argument {n}").format(n=index + 1)
        raise click.UsageError(
            _(
                "{where} holds bytes that are not UTF-8 text; set the terminal to UTF-8 and type it again"
            ).format(where=where)
        )


def _journal_problem(settings: Settings, error: Exception) -> str:
    if isinstance(error, ProgrammingError) and "does not exist" in str(error):
        return _("there is no journal in that database. Create one with: kronika init")
    if settings.database_url:
        return _(
            "the journal's database failed ({why}); check KRONIKA_DATABASE_URL and that the server runs"
        ).format(why=_first_line(error))
    return _(
        "the journal {file} cannot be used ({why}): check that you may write in {where}; if the file is "
        "damaged, restore a backup into a new data directory with: kronika restore FILE"
    ).format(file=settings.data_dir / "journal.sqlite", why=_first_line(error), where=settings.data_dir)


def _read_store_problem(settings: Settings, error: BaseException) -> str:
    if settings.database_url:
        return _(
            "the read store failed ({why}); check KRONIKA_DATABASE_URL and that the server runs, "
            "or rebuild the projections with: kronika projections rebuild"
        ).format(why=_first_line(error))
    return _(
        "the read store {file} cannot be used ({why}): check that you may write in {where}; it holds nothing "
        "the journal does not, so if it is damaged, remove it and it is built again"
    ).format(file=settings.data_dir / "read.sqlite", why=_first_line(error), where=settings.data_dir)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _fail(message: str, code: int) -> None:
    message = " ".join(message.split())  # one line, whatever click or a library wrapped
    click.echo(f"{_('Error')}: {message}", err=True)
    sys.exit(code)
