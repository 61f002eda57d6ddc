"""Moments in the read store: UTC, read back with their time zone, on SQLite the text DateTime stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, select, text
from sqlalchemy.exc import StatementError

from projections.store import Moment, ReadStore

MOMENTS = st.datetimes(
    min_value=datetime(1900, 1, 2),  # hypothesis adds the zone
    max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-9, minutes=-30))]
    ),
)


@pytest.fixture
def moments(store: ReadStore) -> Iterator[Table]:
    metadata = MetaData()
    table = Table(
        "moments",
        metadata,
        Column("n", Integer, primary_key=True),
        Column("moment", Moment),
        Column("plain", DateTime(timezone=True)),  # SQLAlchemy's own, given the moment in naive UTC
    )
    with store.begin() as conn:
        metadata.create_all(conn)
    yield table
    with store.begin() as conn:
        metadata.drop_all(conn)


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=st.lists(MOMENTS, min_size=1, max_size=20))
def test_on_sqlite_a_moment_is_stored_as_the_text_sqlalchemy_stores_and_read_back_in_utc(
    store: ReadStore, moments: Table, when: list[datetime]
) -> None:
    utc = [moment.astimezone(UTC) for moment in when]
    with store.begin() as conn:
        conn.execute(moments.delete())
        conn.execute(
            moments.insert(),
            [
                {"n": n, "moment": moment, "plain": u.replace(tzinfo=None)}
                for n, (moment, u) in enumerate(zip(when, utc, strict=True))
            ],
        )
        stored = conn.execute(text("SELECT n, moment, plain FROM moments ORDER BY n")).all()
        assert [row.moment for row in stored] == [row.plain for row in stored]
        assert conn.execute(select(moments.c.moment).order_by(moments.c.n)).scalars().all() == utc
        # Compared as text by the database, in the order of time.
        earliest = min(utc)
        found = conn.execute(select(moments.c.n).where(moments.c.moment <= earliest)).scalars().all()
        assert {utc[n] for n in found} == {earliest}


@pytest.mark.parametrize("store_settings", ["sqlite", "postgres"], indirect=True)
def test_a_moment_without_a_time_zone_is_refused(store: ReadStore, moments: Table) -> None:
    with pytest.raises(StatementError, match="a moment without a time zone"), store.begin() as conn:
        conn.execute(moments.insert(), {"n": 1, "moment": datetime(2025, 3, 1, 8, 30)})
    with store.begin() as conn:
        assert conn.execute(select(moments)).all() == []


@pytest.mark.parametrize("store_settings", ["sqlite", "postgres"], indirect=True)
def test_a_moment_reads_back_as_the_same_instant_in_utc(store: ReadStore, moments: Table) -> None:
    prague = timezone(timedelta(hours=2))
    moment = datetime(2025, 7, 1, 0, 15, 0, 123456, tzinfo=prague)
    with store.begin() as conn:
        conn.execute(moments.insert(), {"n": 1, "moment": moment})
        back = conn.execute(select(moments.c.moment)).scalar_one()
    assert back == moment
    assert back.tzinfo == UTC
    assert back.isoformat() == "2025-06-30T22:15:00.123456+00:00"
