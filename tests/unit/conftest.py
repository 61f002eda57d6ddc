"""Helpers for the pure domain tests: stamps at chosen moments, services, open cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.case import Case
from domain.facts import Stamp
from domain.service import OpeningHours, Service, ServiceParameters
from domain.vocabulary import Activity, Agreement, Form, ServiceType

# A Wednesday morning; the tests never read the real clock.
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


class Moments:
    """Stamps for facts recorded at chosen moments, by chosen staff."""

    def __init__(self) -> None:
        self.now = NOW

    def stamp(self, actor: str = "eva", *, at: datetime | None = None) -> Stamp:
        return Stamp(actor, uuid4(), at or self.now)

    def later(self, **delta: float) -> Stamp:
        """A stamp some time after the previous "now", which moves on."""
        self.now += timedelta(**delta)
        return self.stamp()


@pytest.fixture
def moments() -> Moments:
    return Moments()


def _crisis_parameters(**overrides: object) -> ServiceParameters:
    values: dict[str, object] = {
        "name": "Krizové centrum",
        "type": ServiceType.CRISIS_HELP,
        "forms": (Form.AMBULATORY, Form.FIELD),
        "min_age": 11,
        "capacity": 4,
        "hours": OpeningHours.parse("Mon-Fri 09:00-17:00"),
        "session_limit": 12,
    }
    values.update(overrides)
    return ServiceParameters(**values)  # type: ignore[arg-type]


@pytest.fixture
def parameters() -> Callable[..., ServiceParameters]:
    """Parameters of a crisis centre (ambulatory and field, from 11, 12 sessions), as overridden."""
    return _crisis_parameters


@pytest.fixture
def make_service(moments: Moments) -> Callable[..., Service]:
    def make(code: str = "SOS", **overrides: object) -> Service:
        return Service.register(code, _crisis_parameters(**overrides), moments.stamp("admin"))

    return make


@pytest.fixture
def make_case(moments: Moments) -> Callable[..., Case]:
    """A case opened a week before ``NOW`` on service SOS."""

    def make(code: str = "P-0001", opened_at: datetime | None = None) -> Case:
        return Case.open(
            code,
            client_id=uuid4(),
            client_code="K-0001",
            service="SOS",
            key_worker="eva",
            agreement=Agreement.ORAL,
            opened_at=opened_at or NOW - timedelta(days=7),
            enquiry=None,
            override=None,
            stamp=moments.stamp(),
        )

    return make


@pytest.fixture
def hold(moments: Moments) -> Callable[..., int]:
    """Hold a 50-minute counselling session on a case; returns its entry number."""

    def session(case: Case, service: Service, **overrides: object) -> int:
        values: dict[str, object] = {
            "service": service,
            "occurred_at": moments.now - timedelta(hours=1),
            "minutes": 50,
            "form": Form.AMBULATORY,
            "activities": [Activity.COUNSELLING],
            "staff": ["eva"],
            "district": None,
            "note": "",
            "override": None,
            "stamp": moments.stamp(),
        }
        values.update(overrides)
        return case.hold_session(**values)  # type: ignore[arg-type]

    return session
