"""What a projector is, and the in-memory row cache projectors work through.

A projector turns a page of facts into row changes. It loads the rows the
page touches in one query per table, changes them in memory and writes back
only what changed: a few statements per page, not per event.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, ClassVar

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    MetaData,
    Table,
    and_,
    any_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
)

from domain.facts import Record
from domain.service import SERVICE_TIME
from projections.store import NAMING

Row = dict[str, Any]
Key = tuple[Hashable, ...]

# Keys per statement (on SQLite, bound parameters: kept well under its limit; see ``_matching``).
CHUNK = 500
# Keys of several columns looked up by one statement at most, on SQLite (see ``_matching``).
KEYS = 128


@dataclass(frozen=True)
class Tracked:
    """A fact with its place in the journal's notification log."""

    position: int
    fact: Record.Event


class Tables:
    """One generation of a projector's tables, by their base names."""

    def __init__(self, metadata: MetaData, by_name: dict[str, Table]) -> None:
        self.metadata = metadata
        self._by_name = by_name

    def __getattr__(self, name: str) -> Table:
        try:
            return self._by_name[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Any:
        return iter(self._by_name.values())

    def items(self) -> Iterable[tuple[str, Table]]:
        return self._by_name.items()


class Projector(ABC):
    """One read model: its tables, and how a page of facts changes them.

    Bump ``version`` whenever what the tables hold changes: a new version
    is built by a rebuild, never migrated.
    """

    name: ClassVar[str]
    version: ClassVar[int]

    def __init__(self) -> None:
        self._generations: dict[int, Tables] = {}

    def tables(self, generation: int) -> Tables:
        if generation not in self._generations:
            metadata = MetaData(naming_convention=NAMING)
            defined = self.define()
            by_name = {}
            for base, columns in defined.items():
                by_name[base] = Table(f"{self.name}_{base}__g{generation}", metadata, *columns)
            self._generations[generation] = Tables(metadata, by_name)
        return self._generations[generation]

    @abstractmethod
    def define(self) -> dict[str, list[Any]]:
        """The tables' columns (and indexes) by base name."""

    @abstractmethod
    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        """Apply a page of facts to the tables, inside the caller's transaction."""


class Rows:
    """Rows of one table, loaded by key, changed in memory, written back by ``flush``.

    ``flush`` writes only what changed: a row loaded and changed is upserted,
    one known to be new is inserted, one left as it was loaded is not written.
    """

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn = conn
        self.table = table
        self.key_columns = [c.name for c in table.primary_key.columns]
        self._key = _key_getter(self.key_columns)
        self._rows: dict[Key, Row | None] = {}
        self._dirty: set[Key] = set()
        # What the table holds for the keys loaded: the row as read (read-only), or None if absent.
        self._stored: dict[Key, Mapping[str, Any] | None] = {}

    def key_of(self, row: Row) -> Key:
        return self._key(row)

    def _found(self, mapping: Any) -> tuple[Key, Row]:
        """Keep a row read from the table (unless loaded already); the key and the row in memory."""
        row = dict(mapping)
        key = self.key_of(row)
        if key not in self._rows:
            self._rows[key] = row
            self._stored[key] = mapping
        elif key not in self._stored:
            self._stored[key] = mapping  # put before it was read: still the table's row
        return key, row

    def load(self, keys: Iterable[Key]) -> None:
        """Fetch the rows with these keys (those not loaded yet)."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._rows]
        for condition, params in self._where_keys(wanted):
            for found in self.conn.execute(select(self.table).where(condition), params).mappings():
                self._found(found)
        for key in wanted:
            if key not in self._rows:
                self._rows[key] = None
                self._stored[key] = None

    def _where_keys(self, keys: Sequence[Key]) -> Iterator[tuple[ColumnElement[bool], dict[str, Any]]]:
        """Conditions selecting these keys, a chunk each, and their parameters."""
        return _matching(self.conn, [self.table.c[name] for name in self.key_columns], keys)

    def load_where(self, column: str, values: Iterable[Hashable]) -> list[Row]:
        """Fetch every row whose ``column`` is one of ``values`` (e.g. all entries of some cases)."""
        found_rows: list[Row] = []
        wanted = [(value,) for value in dict.fromkeys(values)]
        for condition, params in _matching(self.conn, [self.table.c[column]], wanted):
            for found in self.conn.execute(select(self.table).where(condition), params).mappings():
                key, row = self._found(found)
                found_rows.append(self._rows[key] or row)
        return found_rows

    def adopt(self, found: Iterable[Any]) -> None:
        """Keep rows a query found (whole rows), except those loaded already (they may be changed)."""
        for mapping in found:
            self._found(mapping)

    def get(self, *key: Hashable) -> Row | None:
        if key not in self._rows:
            self.load([key])
        return self._rows[key]

    def require(self, *key: Hashable) -> Row:
        row = self.get(*key)
        if row is None:
            raise LookupError(f"{self.table.name}: no row {key}")
        return row

    def put(self, row: Row) -> Row:
        key = self.key_of(row)
        self._rows[key] = row
        self._dirty.add(key)
        return row

    def changed(self, row: Row) -> None:
        """Mark a row got from ``get`` as changed in place."""
        self._dirty.add(self.key_of(row))

    def delete(self, *key: Hashable) -> None:
        self._rows[key] = None
        self._dirty.add(key)

    def where(self, test: Callable[[Row], bool]) -> list[Row]:
        """Loaded rows passing ``test`` (only among those loaded)."""
        return [row for row in self._rows.values() if row is not None and test(row)]

    def flush(self) -> None:
        if not self._dirty:
            return
        gone: list[Key] = []
        new: list[Row] = []
        changed: list[Row] = []
        stored = self._stored
        for key in self._dirty:
            row = self._rows[key]
            if key in stored:
                before = stored[key]
                if row is None:
                    if before is not None:
                        gone.append(key)
                elif before is None:
                    new.append(row)
                elif row != dict(before):
                    changed.append(row)
            elif row is None:
                gone.append(key)  # never read: it may be there
            else:
                changed.append(row)  # never read: written whether it is there or not
        for condition, params in self._where_keys(gone):
            self.conn.execute(delete(self.table).where(condition), params)
        statements = _statements(self.table, self.conn.dialect.name)
        if new:
            self.conn.execute(statements.insert, new)
        if changed:
            self.conn.execute(statements.upsert, changed)
        for key in self._dirty:
            row = self._rows[key]
            stored[key] = None if row is None else dict(row)
        self._dirty.clear()


def _key_getter(names: Sequence[str]) -> Callable[[Row], Key]:
    """A row's key, a tuple also of one column (an ``itemgetter`` of one name gives the bare value)."""
    if len(names) == 1:
        name = names[0]
        return lambda row: (row[name],)
    return itemgetter(*names)


def _matching(
    conn: Connection, columns: Sequence[Any], keys: Sequence[Key]
) -> Iterator[tuple[ColumnElement[bool], dict[str, Any]]]:
    """Conditions selecting rows whose ``columns`` hold one of ``keys``, a chunk each, and their parameters.

    On PostgreSQL the keys are arrays, one per column (``= ANY`` for one
    column, a join with ``unnest`` for several): one short statement whatever
    the number of keys, which psycopg converts once and the server prepares,
    each key one search of the index. On SQLite a one-column key is ``IN`` a
    list; a key of several columns is an ``OR`` of the columns' equalities,
    up to ``KEYS`` at a time: SQLite (3.40) answers ``(a, b) IN (VALUES ...)``
    by scanning the whole table, which made every page of a catch-up or
    rebuild cost more as the tables grew. A chunk of ``OR`` is padded with its
    last key to a power of two, so a table needs at most eight statements,
    each compiled once.
    """
    if conn.dialect.name == "postgresql":
        condition = _in_arrays(columns)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            yield condition, {f"a{i}": [key[i] for key in chunk] for i in range(len(columns))}
        return
    if len(columns) == 1:
        for start in range(0, len(keys), CHUNK):
            yield columns[0].in_([key[0] for key in keys[start : start + CHUNK]]), {}
        return
    for start in range(0, len(keys), KEYS):
        chunk = list(keys[start : start + KEYS])
        size = 1 << (len(chunk) - 1).bit_length()
        chunk += [chunk[-1]] * (size - len(chunk))
        yield (
            _by_keys(columns, size),
            {f"k{n}_{i}": value for n, key in enumerate(chunk) for i, value in enumerate(key)},
        )


def _in_arrays(columns: Sequence[Any]) -> ColumnElement[bool]:
    """``columns`` among arrays bound as ``a0``, ``a1`` ... (PostgreSQL), built once per table and columns."""
    built: dict[tuple[str, ...], ColumnElement[bool]] = columns[0].table.info.setdefault(
        "kronika_in_arrays", {}
    )
    names = tuple(column.name for column in columns)
    if names not in built:
        arrays = [bindparam(f"a{i}", type_=ARRAY(column.type)) for i, column in enumerate(columns)]
        if len(columns) == 1:
            built[names] = columns[0] == any_(arrays[0])
        else:
            unnest = func.unnest(*arrays).table_valued(*(f"a{i}" for i in range(len(columns))))
            built[names] = tuple_(*columns).in_(select(*unnest.render_derived(name="keys").c))
    return built[names]


def _by_keys(columns: Sequence[Any], size: int) -> ColumnElement[bool]:
    """``size`` keys of ``columns`` as bound parameters ``k{n}_{i}``, built once per table and size."""
    built: dict[tuple[Any, ...], ColumnElement[bool]] = columns[0].table.info.setdefault(
        "kronika_by_keys", {}
    )
    names = (*(column.name for column in columns), size)
    if names not in built:
        built[names] = or_(
            *(
                and_(*(column == bindparam(f"k{n}_{i}") for i, column in enumerate(columns)))
                for n in range(size)
            )
        )
    return built[names]


@dataclass(frozen=True)
class _Statements:
    insert: Any
    upsert: Any


def _statements(table: Table, dialect: str) -> _Statements:
    """A table's insert and upsert, built once (SQLAlchemy then finds them compiled in its cache)."""
    cached: dict[str, _Statements] = table.info.setdefault("kronika_statements", {})
    if dialect not in cached:
        keys = [c.name for c in table.primary_key.columns]
        # Each database's own upsert; its dialect module is loaded here, for the database in use only.
        module = "postgresql" if dialect == "postgresql" else "sqlite"
        upsert: Any = importlib.import_module(f"sqlalchemy.dialects.{module}").insert(table)
        others = {c.name: upsert.excluded[c.name] for c in table.columns if c.name not in keys}
        upsert = (
            upsert.on_conflict_do_update(index_elements=keys, set_=others)
            if others
            else upsert.on_conflict_do_nothing(index_elements=keys)
        )
        cached[dialect] = _Statements(insert(table), upsert)
    return cached[dialect]


def month_of(moment: datetime) -> str:
    """The calendar month a moment falls in, on the services' wall clock (``2025-03``)."""
    return moment.astimezone(SERVICE_TIME).strftime("%Y-%m")
