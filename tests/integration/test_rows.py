"""Rows: loading and deleting by keys of one column and of several, in chunks, through the key's index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, event, select

from projections.projector import CHUNK, KEYS, Rows
from projections.store import ReadStore

ENTRIES = 3 * KEYS  # more than one chunk of keys of several columns


@pytest.fixture
def tables(store: ReadStore) -> Iterator[tuple[Table, Table]]:
    metadata = MetaData()
    entries = Table(
        "rows_entries",
        metadata,
        Column("case", String(20), primary_key=True),
        Column("number", Integer, primary_key=True),
        Column("minutes", Integer, nullable=False),
    )
    cases = Table("rows_cases", metadata, Column("code", String(20), primary_key=True), Column("n", Integer))
    with store.begin() as conn:
        metadata.create_all(conn)
        conn.execute(
            entries.insert(),
            [{"case": f"P-{n % 7:04d}", "number": n, "minutes": n % 90} for n in range(ENTRIES)],
        )
        conn.execute(cases.insert(), [{"code": f"P-{n:04d}", "n": n} for n in range(CHUNK + 20)])
    yield entries, cases
    with store.begin() as conn:
        metadata.drop_all(conn)


def _stored(conn: Connection, table: Table) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in conn.execute(select(table))}


def test_keys_of_several_columns_load_and_delete_exactly_those_rows(
    store: ReadStore, tables: tuple[Table, Table]
) -> None:
    entries, _ = tables
    wanted = [(f"P-{n % 7:04d}", n) for n in range(0, ENTRIES, 2)]  # chunks of KEYS, the last padded
    absent = [("P-9999", 1), ("P-0000", ENTRIES + 1)]
    with store.begin() as conn:
        rows = Rows(conn, entries)
        rows.load([*wanted, *absent])
        for key in wanted:
            assert rows.get(*key) == {"case": key[0], "number": key[1], "minutes": key[1] % 90}
        for key in absent:
            assert rows.get(*key) is None
        gone = wanted[: KEYS + 7]
        for key in gone:
            rows.delete(*key)
        rows.flush()
        left = _stored(conn, entries)
    expected = {(f"P-{n % 7:04d}", n, n % 90) for n in range(ENTRIES)} - {(c, n, n % 90) for c, n in gone}
    assert left == expected


def test_keys_of_one_column_load_and_delete_exactly_those_rows(
    store: ReadStore, tables: tuple[Table, Table]
) -> None:
    _, cases = tables
    wanted = [(f"P-{n:04d}",) for n in range(3, CHUNK + 20, 1)]  # more than one chunk
    with store.begin() as conn:
        rows = Rows(conn, cases)
        rows.load([*wanted, ("P-9999",)])
        assert rows.get("P-0003") == {"code": "P-0003", "n": 3}
        assert rows.get("P-9999") is None
        for key in wanted[:-1]:
            rows.delete(*key)
        rows.flush()
        left = _stored(conn, cases)
    assert left == {("P-0000", 0), ("P-0001", 1), ("P-0002", 2), (f"P-{CHUNK + 19:04d}", CHUNK + 19)}


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)
def test_keys_of_several_columns_are_looked_up_through_the_index_on_sqlite(
    store: ReadStore, tables: tuple[Table, Table]
) -> None:
    """SQLite (3.40) scans the whole table for ``(a, b) IN (VALUES ...)``: the lookups must not use it."""
    entries, _ = tables
    assert store.engine.dialect.name == "sqlite"
    statements: list[tuple[str, Any]] = []
    with store.begin() as conn:

        def seen(
            _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
        ) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "DELETE")) and not many:
                statements.append((statement, parameters))

        event.listen(conn, "before_cursor_execute", seen)
        rows = Rows(conn, entries)
        keys = [(f"P-{n % 7:04d}", n) for n in range(KEYS + 1)]
        rows.load(keys)
        for key in keys:
            rows.delete(*key)
        rows.flush()
        event.remove(conn, "before_cursor_execute", seen)
        assert {s.split()[0].upper() for s, _ in statements} == {"SELECT", "DELETE"}
        for statement, parameters in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            steps = [str(step[-1]) for step in plan]
            assert not any(step.startswith(f"SCAN {entries.name}") for step in steps), steps


@pytest.mark.parametrize("store_settings", ["postgres"], indirect=True)
def test_keys_are_bound_as_arrays_on_postgresql_one_statement_through_the_index(
    store: ReadStore, tables: tuple[Table, Table]
) -> None:
    """However many keys, one short statement (psycopg converts it once, the server prepares it).

    A statement of many parameters or over 4 KB is converted by psycopg anew
    at every execution; each key must still be one search of the index.
    """
    entries, cases = tables
    with store.begin() as conn:  # enough rows that a few keys are best looked up through the index
        conn.execute(
            entries.insert(),
            [{"case": f"Q-{n % 50:04d}", "number": n, "minutes": 1} for n in range(20_000)],
        )
        conn.exec_driver_sql(f'ANALYZE "{store.schema}".{entries.name}')
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "DELETE")) and not many:
            statements.append((statement, parameters))

    with store.begin() as conn:
        event.listen(conn, "before_cursor_execute", seen)
        for first, count in ((0, 1), (1, 3), (4, KEYS + 1)):
            rows = Rows(conn, entries)
            keys = [(f"Q-{n % 50:04d}", n) for n in range(first, first + count)]
            rows.load(keys)
            assert all(rows.get(*key) == {"case": key[0], "number": key[1], "minutes": 1} for key in keys)
            for key in keys:
                rows.delete(*key)
            rows.flush()
        for count in (2, CHUNK + 3):
            Rows(conn, cases).load([(f"P-{n:04d}",) for n in range(count)])
            Rows(conn, entries).load_where("case", [f"Q-{n:04d}" for n in range(count)])
        event.remove(conn, "before_cursor_execute", seen)
        texts = {statement for statement, _ in statements}
        # One SELECT and one DELETE by the key, one SELECT by a column, one SELECT of cases.
        assert len(texts) == 4, texts
        assert all(len(parameters) <= 2 for _, parameters in statements)
        # Through the index for a few keys (for hundreds, the planner may rightly read 20,000 rows whole).
        few = [(s, p) for s, p in statements if entries.name in s and len(next(iter(p.values()))) <= 3]
        assert {s.split()[0] for s, _ in few} == {"SELECT", "DELETE"}
        for statement, parameters in few:
            plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", parameters))
            assert f"Seq Scan on {entries.name}" not in plan, plan
            assert "Index" in plan, plan
    with store.begin() as conn:
        assert not conn.execute(
            select(entries).where(entries.c.case.like("Q-%"), entries.c.number < KEYS + 5)
        ).all()
