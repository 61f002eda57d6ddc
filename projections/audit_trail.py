"""The audit trail: every recorded fact and every read of a case history or a client record, in order.

Per fact: who recorded it, when it was recorded, when it happened, what it is
about (a code, and for case entries the entry), which entry it corrects or
retracts, and for reads the stated purpose. No personal data: free texts
(notes, reasons about the client) stay in the journal.

Command receipts and the directory's bookkeeping are not facts anyone
recorded by hand and are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String

from domain.case import Case
from domain.codes import EntryRef
from domain.contact import Contact
from domain.facts import Record
from domain.records import CaseRead, ClientRead, CommandReceipt, Directory
from domain.service import Service
from domain.staff import Staff
from projections.projector import Projector, Row, Rows, Tables, Tracked
from projections.store import Moment

LEFT_OUT = (CommandReceipt.Event, Directory.Event)


class AuditTrail(Projector):
    name = "audit_trail"
    version = 1

    def define(self) -> dict[str, list[Any]]:
        return {
            "records": [
                Column("record_id", String(36), primary_key=True),
                Column("code", String(64), nullable=False),
                Column("service", String(40)),
            ],
            "trail": [
                Column("position", Integer, primary_key=True, autoincrement=False),
                Column("recorded_at", Moment, nullable=False),
                Column("occurred_at", Moment, nullable=False),
                Column("recorded_by", String(64), nullable=False, index=True),
                Column("fact", String(60), nullable=False),
                Column("subject", String(64), nullable=False),
                Column("entry", String(30)),
                Column("corrects", String(30)),
                Column("retracts", String(30)),
                Column("about", String(30)),
                Column("case", String(20), index=True),
                Column("service", String(40), index=True),
                Column("purpose", String(500)),
                Index(None, "recorded_at"),
            ],
        }

    def project(self, conn: Connection, tables: Tables, page: Sequence[Tracked]) -> None:
        records = Rows(conn, tables.records)
        records.load((str(t.fact.originator_id),) for t in page)
        rows: list[Row] = []
        for tracked in page:
            fact = tracked.fact
            if isinstance(fact, LEFT_OUT):
                continue
            record = _record(records, fact)
            rows.append(_row(tracked.position, fact, record))
        records.flush()
        if rows:
            conn.execute(tables.trail.insert(), rows)


def _record(records: Rows, fact: Record.Event) -> Row:
    """The record a fact belongs to: its code and service, learnt from the fact that created it."""
    record_id = str(fact.originator_id)
    found = records.get(record_id)
    if found is not None:
        return found
    code = (
        getattr(fact, "code", None)
        or getattr(fact, "login", None)
        or getattr(fact, "case", None)
        or getattr(fact, "client", None)
    )
    service = getattr(fact, "service", None)
    if isinstance(fact, Service.Registered):
        service = fact.code
    elif isinstance(fact, Staff.Added) or not isinstance(service, str):
        service = None
    return records.put({"record_id": record_id, "code": str(code or record_id), "service": service})


def _row(position: int, fact: Record.Event, record: Row) -> Row:
    code = record["code"]
    row: Row = {
        "position": position,
        "recorded_at": fact.timestamp,
        "occurred_at": fact.occurred_at,
        "recorded_by": fact.recorded_by,
        "fact": type(fact).__qualname__,
        "subject": code,
        "entry": None,
        "corrects": None,
        "retracts": None,
        "about": None,
        "case": None,
        "service": record["service"],
        "purpose": None,
    }
    if isinstance(fact, Case.Event):
        row["case"] = code
        row["entry"] = str(EntryRef(code, int(fact.originator_version or 0)))
        target = getattr(fact, "entry", None)
        if target is not None:
            ref = str(EntryRef(code, target))
            column = (
                "corrects"
                if isinstance(fact, Case.EntryCorrected)
                else "retracts"
                if isinstance(fact, Case.EntryRetracted)
                else "about"
            )
            row[column] = ref
    elif isinstance(fact, Contact.Corrected):
        row["corrects"] = code
    elif isinstance(fact, Contact.Retracted):
        row["retracts"] = code
    elif isinstance(fact, CaseRead.Viewed):
        row["case"] = fact.case
        row["purpose"] = fact.purpose
    elif isinstance(fact, ClientRead.Viewed):
        row["purpose"] = fact.purpose
    return row
