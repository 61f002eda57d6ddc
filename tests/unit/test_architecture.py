"""The layering of DESIGN.md holds: cli -> workers -> projections -> domain, domain pure."""

from __future__ import annotations

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
