"""A long batch (an import) keeps a bounded number of records in memory, but never drops staff or services.

Nearly every line of an import names a staff member and a service. Where an
organisation has more of them than the records kept, dropping the least
recently used would load them from the journal again for nearly every line.
"""

from __future__ import annotations

from collections import Counter
from uuid import UUID

from domain.case import Case
from domain.codes import CodeKind, coded_id, service_id, staff_id
from domain.journal import UnitOfWork
from domain.records import Record
from domain.service import Service
from domain.staff import Staff
from tests.integration.conftest import STAFF, Office


def test_forgetting_keeps_every_staff_member_and_service_and_drops_the_least_recently_used_others(
    office: Office,
) -> None:
    cases = [office.case() for _ in range(6)]
    loads: Counter[UUID] = Counter()

    def loader(record_id: UUID) -> Record | None:
        loads[record_id] += 1
        found = office.journal.repository.get(record_id)
        assert isinstance(found, Record)
        return found

    uow = UnitOfWork(office.journal, loader=loader)
    staff = [uow.staff(login) for login, *_ in STAFF]
    services = [uow.service(code) for code in ("SOS", "IC")]
    for code in cases:
        uow.coded(Case, CodeKind.CASE, code)
    uow.forget(2, besides=(Staff, Service))

    assert uow.size() == len(staff) + len(services) + 2  # more staff and services than the 2 kept
    assert [uow.staff(login) for login, *_ in STAFF] == staff
    assert [uow.service(code) for code in ("SOS", "IC")] == services
    for code in cases:
        uow.coded(Case, CodeKind.CASE, code)
    kept_apart = [staff_id(login) for login, *_ in STAFF] + [service_id("SOS"), service_id("IC")]
    assert [loads[record_id] for record_id in kept_apart] == [1] * len(kept_apart)
    assert [loads[coded_id(code)] for code in cases] == [2, 2, 2, 2, 1, 1]  # the 2 used last were kept
