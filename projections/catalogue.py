"""Every read model Kronika keeps, by name."""

from __future__ import annotations

from projections.audit_trail import AuditTrail
from projections.findings import Findings
from projections.open_cases import OpenCases
from projections.projector import Projector
from projections.reports.facts import ReportFacts
from projections.session_counts import SessionCounts


def all_projectors() -> list[Projector]:
    return [OpenCases(), SessionCounts(), AuditTrail(), Findings(), ReportFacts()]


def projector_named(name: str) -> Projector:
    for projector in all_projectors():
        if projector.name == name:
            return projector
    raise KeyError(name)
