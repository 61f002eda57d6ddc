"""The journal's facts are zlib streams, whichever compressor wrote them (SQLite and PostgreSQL).

Kronika compresses with ISA-L (``workers.compression``); a journal written
with the library's own ``ZlibCompressor`` (by an earlier Kronika, or another
program) must read the same, and what Kronika writes must read with zlib.
"""

from __future__ import annotations

import json
import zlib
from datetime import timedelta

from eventsourcing.compressor import ZlibCompressor

from domain import commands as c
from domain.client import ClientAttributes
from domain.vocabulary import ClientKind
from tests.integration.conftest import Office
from tests.integration.raw_store import RawStore
from workers.compression import IsalCompressor
from workers.journal import open_journal
from workers.settings import Settings


def test_facts_kronika_writes_are_zlib_streams_and_zlib_streams_read_the_same(
    office: Office, store_settings: Settings
) -> None:
    personal = {"name": "Jana Malá", "contact": "jana@example.org"}
    client = office.run(c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(), personal), "eva")
    case = office.run(c.OpenCase(client, "SOS", opened_at=office.now - timedelta(days=3)), "eva")
    office.session(case)
    mapper = office.journal.mapper
    assert isinstance(mapper.compressor, IsalCompressor)
    assert mapper.cipher is not None
    history = office.journal.history(case, actor="eva")
    office.journal.close()

    raw = RawStore(store_settings)
    rows = raw.rows()
    for row in rows:  # each is the library's zlib, read by the standard library alone
        assert isinstance(json.loads(zlib.decompress(mapper.cipher.decrypt(row.state))), dict)
    library = ZlibCompressor()
    for row in rows:  # as the library's own compressor would have written them
        plain = IsalCompressor().decompress(mapper.cipher.decrypt(row.state))
        raw.set_state(row.position, mapper.cipher.encrypt(library.compress(plain)))
    assert [r.state for r in raw.rows()] != [r.state for r in rows]

    journal = open_journal(store_settings)
    try:
        assert journal.history(case, actor="eva") == history
        assert journal.client(client, actor="eva").personal == personal
    finally:
        journal.close()
