"""What nudging the workers adds to a write: ``kronika session log`` with and without a broker.

Runs the installed ``kronika`` script, interleaving the variants so that
machine noise hits them alike, and prints the median wall time of each and
its ratio to the write without a broker (the journal issue's command).

    .venv/bin/python benchmarks/write_nudge.py [--runs 30] [--redis redis://127.0.0.1:6379/15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KRONIKA = str(Path(sys.executable).parent / "kronika")


def run(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([KRONIKA, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as where:
        base = {k: v for k, v in os.environ.items() if not k.startswith("KRONIKA_")}
        base.update(KRONIKA_DATA_DIR=where, KRONIKA_USER="admin", KRONIKA_LANG="en")
        for args in (
            ["init"],
            ["service", "add", "SOS", "--name", "SOS", "--type", "crisis-help", "--forms", "ambulatory"],
            ["client", "add", "--anonymous"],
            ["case", "open", "K-0001", "--service", "SOS"],
        ):
            run(base, *args)
        variants = {
            "no broker (journal issue's write)": base,
            "broker up: remember + nudge": {**base, "KRONIKA_BROKER_URL": options.redis},
            "broker down: remember + failed nudge": {**base, "KRONIKA_BROKER_URL": "redis://127.0.0.1:9/0"},
        }
        session = [
            "session",
            "log",
            "P-0001",
            "--minutes",
            "5",
            "--form",
            "ambulatory",
            "--activity",
            "information",
        ]
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(options.runs):
            for name, env in variants.items():
                times[name].append(run(env, *session, "--override", "benchmark"))
    import redis  # only to clear the messages nobody consumed

    redis.Redis.from_url(options.redis).delete("kronika")
    baseline = statistics.median(times["no broker (journal issue's write)"])
    print(f"kronika session log, median of {options.runs} interleaved runs each")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<40} {median * 1000:7.1f} ms   ratio {median / baseline:4.2f}")


if __name__ == "__main__":
    main()
