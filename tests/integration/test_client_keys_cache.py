"""Client keys kept in memory are bounded: a process touching many clients stays flat, and is still right.

Keys that fall out of memory are read again from the key table; a destroyed
key stays destroyed whether it is remembered or read again.
"""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from domain.journal import Journal
from workers.sealing import ClientKeys

SUBJECTS = 12


@pytest.fixture
def keys(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> ClientKeys:
    found = journal.mapper.keys  # type: ignore[attr-defined]
    assert isinstance(found, ClientKeys)
    monkeypatch.setattr(ClientKeys, "CACHED", 3)
    return found


def test_at_most_so_many_keys_are_remembered_and_the_others_are_read_again(keys: ClientKeys) -> None:
    subjects = [uuid4() for _ in range(SUBJECTS)]
    keys.ensure(subjects)
    assert len(keys._cache) <= 3
    first = {s: keys.get(s) for s in subjects}
    assert all(first.values())
    assert len(set(first.values())) == SUBJECTS, "each client has a key of their own"
    # Read again after falling out of memory: the same keys.
    assert {s: keys.get(s) for s in subjects} == first
    assert len(keys._cache) <= 3


def test_a_destroyed_key_stays_destroyed_once_forgotten(keys: ClientKeys) -> None:
    erased, *others = [uuid4() for _ in range(SUBJECTS)]
    keys.ensure([erased, *others])
    keys.shred(erased)
    assert keys.get(erased) is None
    keys.ensure(others)  # pushes the tombstone out of memory
    assert erased not in keys._cache
    assert keys.get(erased) is None
    keys.ensure([erased])  # no new key is ever made for an erased client
    assert keys.get(erased) is None
    keys.shred(erased)  # idempotent
    assert keys.get(erased) is None


def test_a_subject_without_a_key_has_none(keys: ClientKeys) -> None:
    assert keys.get(UUID(int=7)) is None
