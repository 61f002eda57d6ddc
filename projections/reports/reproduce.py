"""Reproducing an issued report: replay the log up to its position, compute again, compare.

The replay goes into a scratch read store of its own, so neither the live
projections nor later corrections play any part: the figures are what the
log said at that position, under the rules the report recorded.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.journal import Journal
from domain.report import Report as IssuedReport
from projections.reports.facts import ReportFacts
from projections.reports.figures import Explanation, Report, compute
from projections.reports.profiles import Profile
from projections.store import ReadStore
from projections.tracking import build_at


@dataclass(frozen=True)
class Reproduction:
    issued: IssuedReport
    report: Report
    explanation: Explanation | None = None

    @property
    def same(self) -> bool:
        return self.report.digest == self.issued.digest and self.report.position == self.issued.position

    @property
    def differences(self) -> list[tuple[str, Any, Any]]:
        """Each figure that differs: (figure, as issued, as reproduced)."""
        now = self.report.figures
        issued = self.issued.figures
        return [
            (figure, issued.get(figure), now.get(figure))
            for figure in sorted(set(issued) | set(now))
            if issued.get(figure) != now.get(figure)
        ]


def reproduce(journal: Journal, issued: IssuedReport, explain: str | None = None) -> Reproduction:
    profile = Profile.recorded(issued.profile)
    with tempfile.TemporaryDirectory(prefix="kronika-reproduce-") as scratch:
        store = ReadStore(f"sqlite:///{Path(scratch) / 'read.sqlite'}")
        try:
            build_at(journal, store, ReportFacts(), issued.position)
            with store.snapshot() as conn:
                report, explanation = compute(conn, issued.report, profile, issued.parameters, explain)
        finally:
            store.dispose()
    return Reproduction(issued, report, explanation)
