"""Tamper evidence: rows of the event table edited, deleted, inserted and swapped behind Kronika's back.

Each test records a small office's work, lets the chain catch up (as the
workers do), keeps a digest, tampers with one thing directly in SQLite or
PostgreSQL, and checks that ``verify`` finds it, says what it was, and
points at the right position.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from domain import commands as c
from domain.client import ClientAttributes
from domain.vocabulary import Activity, ClientKind, Form
from projections.chain import BadDigest, Digest, chain, extend, head, verify
from projections.store import ReadStore
from tests.integration.conftest import Office
from tests.integration.raw_store import RawStore
from workers.settings import Settings


@pytest.fixture
def recorded(office: Office, store: ReadStore) -> Office:
    """Three cases with two sessions each, the chain caught up."""
    for _ in range(3):
        case = office.case()
        for days in (3, 2):
            office.session(case, occurred_at=office.now - timedelta(days=days))
    assert extend(office.journal, store) > 20
    return office


def _middle(raw: RawStore) -> int:
    rows = raw.rows()
    return rows[len(rows) // 2].position


def test_an_untouched_log_is_intact_and_extends_its_earlier_digest(
    recorded: Office, store: ReadStore
) -> None:
    digest = head(store)
    found = verify(recorded.journal, store)
    assert (found.intact, found.problems, found.first) == (True, 0, None)
    assert found.facts == digest.position == found.chained
    assert extend(recorded.journal, store) == 0  # nothing new: nothing appended twice

    recorded.session(recorded.case())
    assert extend(recorded.journal, store) > 0
    later = verify(recorded.journal, store, digest)
    assert (later.intact, later.extends) == (True, True)
    assert later.head.position > digest.position
    assert Digest.parse(str(later.head)) == later.head


def _links(store: ReadStore) -> list[tuple[int, str, str]]:
    with store.connect() as conn:
        return [tuple(row) for row in conn.execute(select(chain).order_by(chain.c.position))]


def test_a_chain_linked_in_slices_is_the_chain_linked_at_once(office: Office, store: ReadStore) -> None:
    for _ in range(3):
        office.session(office.case())
    slices = []
    while appended := extend(office.journal, store, at_most=7):
        slices.append(appended)
    in_slices = _links(store)

    assert len(slices) > 2
    assert set(slices[:-1]) == {7}
    assert 0 < slices[-1] <= 7
    found = verify(office.journal, store)
    assert (found.intact, found.facts, found.chained) == (True, sum(slices), sum(slices))
    with store.begin() as conn:
        conn.execute(chain.delete())
    assert extend(office.journal, store) == sum(slices)
    assert _links(store) == in_slices


def test_a_changed_fact_is_found_at_its_position(
    recorded: Office, store: ReadStore, store_settings: Settings
) -> None:
    digest = head(store)
    raw = RawStore(store_settings)
    position = _middle(raw)
    row = raw.row(position)
    raw.set_state(position, row.state[:-1] + bytes([row.state[-1] ^ 1]))  # one bit
    found = verify(recorded.journal, store, digest)
    assert found.first is not None
    assert (found.first.kind, found.first.position, found.problems) == ("changed", position, 1)
    assert (found.first.record, found.first.version) == (
        str(UUID(str(row.originator_id))),
        row.originator_version,
    )
    assert (found.intact, found.extends) == (False, False)


def test_a_removed_fact_is_found(recorded: Office, store: ReadStore, store_settings: Settings) -> None:
    raw = RawStore(store_settings)
    position = _middle(raw)
    raw.delete(position)
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position, found.problems) == ("removed", position, 1)


def test_a_fact_removed_and_the_rest_moved_up_is_found_as_removed(
    recorded: Office, store: ReadStore, store_settings: Settings
) -> None:
    raw = RawStore(store_settings)
    position = _middle(raw)
    raw.delete(position)
    for row in [r for r in raw.rows() if r.position > position]:
        raw.move(row.position, row.position - 1)
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position) == ("removed", position)


def test_an_inserted_fact_is_found(recorded: Office, store: ReadStore, store_settings: Settings) -> None:
    raw = RawStore(store_settings)
    rows = raw.rows()
    position = _middle(raw)
    for row in reversed([r for r in rows if r.position >= position]):  # make room, as a forger would
        raw.move(row.position, row.position + 1)
    forged = next(r for r in rows if r.position == position - 1)
    raw.put(type(forged)(0, forged.originator_id, 99, forged.topic, forged.state), position)
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position) == ("inserted", position)
    assert found.first.version == 99


def test_two_swapped_facts_are_found_as_moved(
    recorded: Office, store: ReadStore, store_settings: Settings
) -> None:
    raw = RawStore(store_settings)
    rows = raw.rows()
    a, b = rows[5], rows[9]
    raw.move(a.position, 1_000_000)
    raw.move(b.position, a.position)
    raw.move(1_000_000, b.position)
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position, found.first.moved_from) == (
        "moved",
        a.position,
        b.position,
    )
    assert found.problems == 2


def test_a_chain_rewritten_to_match_a_changed_log_is_caught_by_the_digest_kept_outside(
    recorded: Office, store: ReadStore, store_settings: Settings
) -> None:
    """A forger who also rebuilds the stored chain fools ``verify`` alone, not the digest kept elsewhere."""
    digest = head(store)
    raw = RawStore(store_settings)
    position = _middle(raw)
    row = raw.row(position)
    raw.set_state(position, row.state + b"forged")
    with store.begin() as conn:
        conn.execute(chain.delete())
    extend(recorded.journal, store)  # the chain now agrees with the forged log
    alone = verify(recorded.journal, store)
    assert alone.intact
    found = verify(recorded.journal, store, digest)
    assert (found.extends, found.intact) == (False, False)


def test_an_edited_chain_row_is_found(recorded: Office, store: ReadStore) -> None:
    with store.begin() as conn:
        conn.execute(chain.update().where(chain.c.position == 7).values(link="0" * 64))
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position) == ("chain-altered", 7)


def test_erasure_leaves_the_chain_intact(recorded: Office, store: ReadStore) -> None:
    personal = {"name": "Jana Nováková"}
    client = recorded.run(c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(), personal), "eva")
    case = recorded.run(c.OpenCase(client, "SOS", opened_at=recorded.now - timedelta(days=1)), "eva")
    recorded.run(c.LogSession(case, 40, Form.FIELD, [Activity.CRISIS_INTERVENTION], note="poznámka"), "eva")
    extend(recorded.journal, store)
    digest = head(store)
    recorded.run(c.EraseClient(client, "request"), "vera")
    extend(recorded.journal, store)
    found = verify(recorded.journal, store, digest)
    assert (found.intact, found.extends, found.problems) == (True, True, 0)


@pytest.mark.parametrize("text", ["", "12", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64])
def test_a_malformed_digest_is_refused(text: str) -> None:
    with pytest.raises(BadDigest):
        Digest.parse(text)


# Single-row edits that leave a row Kronika never writes: verify must still walk the log and point at it.
# (SQLite's columns take any value; PostgreSQL's are typed, so only NULLs and wrong bytes get in.)
UNSOUND = {
    "state made text with a zero byte": ("state = substr(state, 1, 50) || x'00' || substr(state, 52)", None),
    "state made short text": ("state = 'hello'", "state = 'hello'::bytea"),
    "state emptied": ("state = NULL", "state = NULL"),
    "state made a number": ("state = 42", None),
    "topic emptied": ("topic = NULL", "topic = NULL"),
    "topic made invalid UTF-8": ("topic = CAST(x'ff00' AS TEXT)", None),
    "record id not a UUID": ("originator_id = 'not-a-uuid'", None),
    "record id in another spelling": ("originator_id = upper(originator_id)", None),
    "version made text": ("originator_version = 'one'", None),
}


@pytest.mark.parametrize("edit", list(UNSOUND))
def test_a_row_edited_into_something_kronika_never_writes_is_found_as_changed(
    recorded: Office, store: ReadStore, store_settings: Settings, edit: str
) -> None:
    raw = RawStore(store_settings)
    sqlite, postgres = UNSOUND[edit]
    assignment = postgres if raw.postgres else sqlite
    if assignment is None:
        pytest.skip("PostgreSQL's typed column does not take this")
    digest = head(store)
    position = _middle(raw)
    raw.update(position, assignment)
    found = verify(recorded.journal, store, digest)
    assert found.first is not None
    assert (found.first.kind, found.first.position, found.problems) == ("changed", position, 1)
    assert (found.intact, found.extends) == (False, False)
    assert found.first.record is None or UUID(found.first.record)  # never what was written into the row


def test_an_unsound_row_after_the_chain_is_found_and_not_chained(
    recorded: Office, store: ReadStore, store_settings: Settings
) -> None:
    recorded.session(recorded.case())
    raw = RawStore(store_settings)
    last = raw.rows()[-1].position
    raw.update(last, "state = NULL")
    found = verify(recorded.journal, store)
    assert found.first is not None
    assert (found.first.kind, found.first.position) == ("changed", last)
    extend(recorded.journal, store)
    assert head(store).position < last  # the chain stops before it
