"""The scale benchmark runs end to end at its smallest size: every figure is produced beside its baseline.

Only that the figures exist is checked, never their values: timings belong
in ``docs/benchmarks.md``, measured on a quiet machine, not in a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"import", "rebuild", "catch-up", "write", "history", "report"}
CEILINGS = ("import-library-eps", "rebuild-floor-eps")  # what the stack allows, beside import and rebuild


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_scale_benchmark_measures_every_figure_beside_its_baseline(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    figures = tmp_path / "figures.json"
    argv = [sys.executable, "benchmarks/scale.py", "--sizes", "10k", "--runs", "1", "--store", store]
    argv += ["--work", str(tmp_path / "work"), "--json", str(figures)]
    database = {"sqlite": 12, "postgres": 11}[store]  # a queue each: the two may run at once
    argv += ["--redis", f"{request.getfixturevalue('redis_server').rsplit('/', 1)[0]}/{database}"]
    if store == "postgres":
        argv += ["--postgres", request.getfixturevalue("postgres_server"), "--parallel", "10k"]

    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)

    assert done.returncode == 0, done.stderr[-2000:]
    [result] = json.loads(figures.read_text())
    assert (result["store"], result["size"]) == (store, "10k")
    assert 9_000 <= result["events"] <= 11_000, "the journal file reaches about the size asked for"
    assert {f["name"] for f in result["figures"]} == FIGURES
    for figure in result["figures"]:
        assert figure["value"] > 0, figure
        assert figure["baseline"] > 0, figure
        assert figure["ratio"] == pytest.approx(figure["value"] / figure["baseline"]), figure
        assert f"| {store} | 10k | {result['events']:,} | {figure['name']} |" in done.stdout
    assert result["seconds"]["import-peak-mib"] > 0
    assert result["seconds"]["rebuild-peak-mib"] > 0
    for key in CEILINGS:
        assert result["seconds"][key] > 0, key
    assert f"{store} 10k: what the stack allows: the library saving as many events " in done.stdout
    if store == "postgres":  # rebuilds spread over processes, and over a worker's processes in parts
        for key in ("rebuild-a-process-each-s", "rebuild-workers-1-s", "rebuild-workers-2-s"):
            assert result["seconds"][key] > 0, key
        assert "the workers' rebuild, 1 part" in done.stdout
    assert not list((tmp_path / "work").glob("*")), "the benchmark cleans up its journals"
