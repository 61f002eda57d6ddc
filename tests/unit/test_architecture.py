"""The layering of DESIGN.md holds: cli -> workers -> projections -> domain, domain pure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_write_path_imports_neither_celery_nor_sqlalchemy() -> None:
    probe = (
        "import sys, cli.main; "
        "heavy = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('celery', 'sqlalchemy', 'kombu', 'rich')); "
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_a_write_that_nudges_the_workers_imports_neither_celery_nor_sqlalchemy_nor_redis_py(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")},
        "KRONIKA_DATA_DIR": str(tmp_path),
        "KRONIKA_USER": "admin",
        "KRONIKA_LANG": "en",
        # Nobody listens there: the nudge fails, the write still succeeds.
        "KRONIKA_BROKER_URL": "redis://127.0.0.1:9/0",
    }
    kronika = Path(sys.executable).parent / "kronika"
    subprocess.run([str(kronika), "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    probe = (
        "import sys, atexit\n"
        "def report():\n"
        "    heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('celery', 'sqlalchemy', 'kombu', 'rich', 'redis'))\n"
        "    print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
        "atexit.register(report)\n"
        "import cli.main\n"
        "sys.argv = ['kronika', 'client', 'add', '--anonymous']\n"
        "cli.main.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], check=False, cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout.strip()) == (0, "K-0001")
    assert "could not be told" in result.stderr
    assert result.stderr.strip().endswith("HEAVY=")


def test_the_root_names_each_command_by_the_module_that_adds_it() -> None:
    import importlib

    import click

    from cli.main import MODULES

    for module in sorted({m for modules in MODULES.values() for m in modules}):
        group = click.Group()
        importlib.import_module(module).register(group)
        for name in group.commands:
            assert module in MODULES.get(name, ()), f"{module} adds {name!r}, which cli.main.MODULES lacks"


def test_a_command_loads_every_module_that_adds_to_it() -> None:
    # Each command alone in a process (as kronika runs it) has the same subcommands as in the full tree.
    tree = (
        "import sys, click, cli.main\n"
        "def walk(command, path):\n"
        "    print(' '.join(path))\n"
        "    for name, sub in sorted(getattr(command, 'commands', {}).items()):\n"
        "        walk(sub, (*path, name))\n"
        "root = cli.main.cli\n"
        "for name in sys.argv[1:]:\n"
        "    walk(root.get_command(click.Context(root), name), (name,))\n"
    )

    def paths(*names: str) -> list[str]:
        run = subprocess.run(
            [sys.executable, "-c", tree, *names], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return run.stdout.splitlines()

    from cli.main import MODULES

    everything = paths(*sorted(MODULES))
    for name in MODULES:
        alone = paths(name)
        assert alone == [p for p in everything if p == name or p.startswith(f"{name} ")], name


def test_a_command_loads_only_its_own_command_modules() -> None:
    probe = (
        "import sys, cli.main, click\n"
        "cli.main.cli.get_command(click.Context(cli.main.cli), 'session')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('cli.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().split(","))
    assert "cli.entries" in loaded
    assert not loaded & {
        "cli.reports",
        "cli.importer",
        "cli.demo",
        "cli.operations",
        "cli.reads",
        "cli.i18n.cs",
    }


def test_every_listed_command_is_found_and_typos_are_still_suggested() -> None:
    import click
    from click.testing import CliRunner

    from cli.main import MODULES, cli

    context = click.Context(cli)
    assert cli.list_commands(context) == sorted(MODULES)
    for name in MODULES:
        assert cli.get_command(context, name) is not None, name
    result = CliRunner().invoke(cli, ["sesion", "log"], prog_name="kronika")
    assert "Did you mean 'session'" in result.output


def test_every_command_is_named_in_its_area_and_has_a_handler() -> None:
    import importlib
    import inspect

    from domain import commands
    from domain.handlers import HANDLERS

    for area, names in commands.AREAS.items():
        module = importlib.import_module(f"domain.commands.{area}")
        defined = {
            name
            for name, value in vars(module).items()
            if inspect.isclass(value)
            and issubclass(value, commands.Command)
            and value.__module__ == module.__name__
        }
        assert defined == set(names), area
        for name in names:
            command = getattr(commands, name)
            assert command is getattr(module, name)
            assert callable(HANDLERS[command]), name


def test_a_command_loads_only_its_own_area_of_commands_and_handlers() -> None:
    probe = (
        "import sys\n"
        "from domain import commands\n"
        "from domain.handlers import HANDLERS\n"
        "HANDLERS[commands.LogSession]\n"
        "areas = ('domain.commands.', 'domain.handlers.')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(areas))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["domain.commands.base,domain.commands.entries,domain.handlers.entries"]
