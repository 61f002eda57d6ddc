"""Staff members and what each role may do (rule 7)."""

from __future__ import annotations

import itertools

import pytest

from domain.errors import AccessDenied, InvalidValue
from domain.staff import Duty, Staff
from domain.vocabulary import Role

OWN, OTHER = "SOS", "IC"

# What each role may do in its own service, in another service, and where no
# service is concerned. Written out in full so the table is the specification.
ALLOWED = {
    (Role.WORKER, Duty.ADMINISTER): (False, False, False),
    (Role.WORKER, Duty.RECORD): (True, False, True),
    (Role.WORKER, Duty.SUPERVISE): (False, False, False),
    (Role.WORKER, Duty.READ): (True, False, True),
    (Role.WORKER, Duty.REPORT): (False, False, False),
    (Role.WORKER, Duty.AUDIT): (False, False, False),
    (Role.WORKER, Duty.ERASE): (False, False, False),
    (Role.SUPERVISOR, Duty.ADMINISTER): (False, False, False),
    (Role.SUPERVISOR, Duty.RECORD): (True, False, True),
    (Role.SUPERVISOR, Duty.SUPERVISE): (True, False, True),
    (Role.SUPERVISOR, Duty.READ): (True, False, True),
    (Role.SUPERVISOR, Duty.REPORT): (True, False, True),
    (Role.SUPERVISOR, Duty.AUDIT): (True, False, True),
    (Role.SUPERVISOR, Duty.ERASE): (True, False, True),
    (Role.AUDITOR, Duty.ADMINISTER): (False, False, False),
    (Role.AUDITOR, Duty.RECORD): (False, False, False),
    (Role.AUDITOR, Duty.SUPERVISE): (False, False, False),
    (Role.AUDITOR, Duty.READ): (True, True, True),
    (Role.AUDITOR, Duty.REPORT): (True, True, True),
    (Role.AUDITOR, Duty.AUDIT): (True, True, True),
    (Role.AUDITOR, Duty.ERASE): (False, False, False),
    (Role.ADMIN, Duty.ADMINISTER): (True, True, True),
    (Role.ADMIN, Duty.RECORD): (True, True, True),
    (Role.ADMIN, Duty.SUPERVISE): (True, True, True),
    (Role.ADMIN, Duty.READ): (True, True, True),
    (Role.ADMIN, Duty.REPORT): (True, True, True),
    (Role.ADMIN, Duty.AUDIT): (True, True, True),
    (Role.ADMIN, Duty.ERASE): (True, True, True),
}


def member(moments, role: Role, services: list[str] | None = None) -> Staff:
    if services is None:
        services = [OWN] if role in (Role.WORKER, Role.SUPERVISOR) else []
    return Staff.add(role.value, "Jana Nováková", role, services, moments.stamp("admin"))


def test_the_table_covers_every_role_and_duty() -> None:
    assert set(ALLOWED) == set(itertools.product(Role, Duty))


@pytest.mark.parametrize(("role", "duty"), list(ALLOWED))
def test_each_role_may_do_exactly_its_duties_in_its_services(moments, role: Role, duty: Duty) -> None:
    staff = member(moments, role)
    own, other, anywhere = ALLOWED[role, duty]
    assert staff.may(duty, OWN) is own
    assert staff.may(duty, OTHER) is other
    assert staff.may(duty) is anywhere


@pytest.mark.parametrize(("role", "duty"), list(ALLOWED))
def test_authorise_refuses_exactly_what_may_forbids(moments, role: Role, duty: Duty) -> None:
    staff = member(moments, role)
    for service, allowed in zip((OWN, OTHER, None), ALLOWED[role, duty], strict=True):
        if allowed:
            staff.authorise(duty, service)
            continue
        with pytest.raises(AccessDenied) as refused:
            staff.authorise(duty, service)
        assert refused.value.actor == role.value
        assert refused.value.action == str(duty)


def test_a_worker_in_another_service_is_told_which_service_is_needed(moments) -> None:
    worker = member(moments, Role.WORKER)
    with pytest.raises(AccessDenied) as refused:
        worker.authorise(Duty.RECORD, OTHER)
    assert refused.value.needed == f"worker or supervisor or admin in service {OTHER}"


def test_a_worker_asking_to_supervise_is_told_which_roles_may(moments) -> None:
    worker = member(moments, Role.WORKER)
    with pytest.raises(AccessDenied) as refused:
        worker.authorise(Duty.SUPERVISE, OWN)
    assert refused.value.needed == "role supervisor or admin"


@pytest.mark.parametrize("duty", list(Duty))
def test_staff_who_left_may_do_nothing(moments, duty: Duty) -> None:
    admin = member(moments, Role.ADMIN)
    admin.leave(moments.later(days=1))
    assert not admin.active
    assert not admin.may(duty, OWN)
    assert not admin.may(duty)
    with pytest.raises(AccessDenied):
        admin.authorise(duty, OWN)


def test_a_worker_of_two_services_records_in_both(moments) -> None:
    worker = member(moments, Role.WORKER, [OWN, OTHER])
    assert worker.may(Duty.RECORD, OWN)
    assert worker.may(Duty.RECORD, OTHER)
    assert not worker.may(Duty.RECORD, "TP")


def test_a_promoted_worker_may_supervise_in_the_services_of_the_new_role(moments) -> None:
    staff = member(moments, Role.WORKER)
    staff.change_role(Role.SUPERVISOR, [OTHER], moments.later(days=1))
    assert staff.role is Role.SUPERVISOR
    assert staff.may(Duty.SUPERVISE, OTHER)
    assert not staff.may(Duty.RECORD, OWN)


@pytest.mark.parametrize("role", [Role.WORKER, Role.SUPERVISOR])
def test_workers_and_supervisors_need_a_service(moments, role: Role) -> None:
    with pytest.raises(InvalidValue) as refused:
        member(moments, role, [])
    assert refused.value.field == "service"
    staff = member(moments, role)
    with pytest.raises(InvalidValue):
        staff.change_role(role, [], moments.later(minutes=1))


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_auditors_and_admins_need_no_service(moments, role: Role) -> None:
    assert member(moments, role, []).services == ()


def test_a_staff_member_needs_a_name(moments) -> None:
    with pytest.raises(InvalidValue) as refused:
        Staff.add("eva", "  ", Role.WORKER, [OWN], moments.stamp("admin"))
    assert refused.value.field == "name"
