"""Issued reports (``V-0001``): the figures a service sent to a funder, and how to get them again.

Issuing a report records which report it was, the profile whose rules it
followed (in full, so a later edit of the profiles file changes nothing),
its parameters, the log position its figures were computed at, their digest
and the figures themselves. Replaying the log up to that position and
computing again must give the same digest, however the journal grew since.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from domain.codes import coded_id
from domain.errors import InvalidValue
from domain.facts import Record, Stamp

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class Report(Record):
    """A report as issued: enough to reproduce it from the log."""

    class Event(Record.Event):
        pass

    class Issued(Record.Created, Event):
        code: str
        report: str
        profile: dict[str, Any]
        parameters: dict[str, Any]
        position: int
        digest: str
        figures: dict[str, Any]

        def apply(self, report: Report) -> None:
            report.code = self.code
            report.report = self.report
            report.profile = dict(self.profile)
            report.parameters = dict(self.parameters)
            report.position = self.position
            report.digest = self.digest
            report.figures = dict(self.figures)
            report.issued_by = self.recorded_by
            report.issued_at = self.occurred_at

    if TYPE_CHECKING:
        from datetime import datetime

        code: str
        report: str
        profile: dict[str, Any]
        parameters: dict[str, Any]
        position: int
        digest: str
        figures: dict[str, Any]
        issued_by: str
        issued_at: datetime

    @classmethod
    def issue(
        cls,
        code: str,
        *,
        report: str,
        profile: dict[str, Any],
        parameters: dict[str, Any],
        position: int,
        digest: str,
        figures: dict[str, Any],
        stamp: Stamp,
    ) -> Report:
        if position < 0:
            raise InvalidValue("position", f"{position} is not a position in the log")
        if not _DIGEST.match(digest):
            raise InvalidValue("digest", "is not a SHA-256 digest in hex")
        return cls._create(
            cls.Issued,
            id=coded_id(code),
            code=code,
            report=report,
            profile=profile,
            parameters=parameters,
            position=position,
            digest=digest,
            figures=figures,
            **stamp.fields(),
        )
