"""Personal data at rest: encrypted with the master key and sealed per client; erasure; legal holds; reads.

Each test plants unmistakable personal strings (a name, a date of birth, an
e-mail, notes) through the real journal on SQLite and PostgreSQL, then looks
at the stored bytes as someone holding the database would.
"""

from __future__ import annotations

import json
import sys
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import MapperDeserialisationError
from test_tracking import refresh  # the tests' directory is on the path

from domain import commands as c
from domain.client import ClientAttributes
from domain.errors import (
    AccessDenied,
    ClientErased,
    ClientNotShared,
    LegalHold,
    NoLegalHold,
    PersonalDataErased,
    PurposeRequired,
)
from domain.facts import ERASED
from domain.journal import Journal
from domain.vocabulary import Activity, ClientKind, Form, RefusalReason, Role
from projections.catalogue import all_projectors
from projections.chain import extend, verify
from projections.reports.figures import compute
from projections.reports.profiles import load_profiles
from projections.store import ReadStore
from tests.integration.conftest import Office
from tests.integration.raw_store import RawStore
from workers.journal import open_journal
from workers.settings import ConfigurationError, Settings

NAME = "Zdeňka Plantová-Jedinečná"
BORN = "1987-06-05"
MAIL = "zdenka.plantova@example.org"
NOTE = "Tajná poznámka o Květoslavovi"
CORRECTED = "Opravená poznámka Hvězdoslav"
PLANTED = (NAME, "Plantová", BORN, MAIL, "Květoslav", "Hvězdoslav", "Stížnost Mirabelka", "Dotaz Rozálie")


def _identified(office: Office) -> tuple[str, str, str]:
    """K-… with a name, date of birth and e-mail, a case with a noted session, and the note corrected."""
    personal = {"name": NAME, "birth_date": BORN, "contact": MAIL}
    client = office.run(
        c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(district="Praha 3"), personal), "eva"
    )
    case = office.run(c.OpenCase(client, "SOS", opened_at=office.now - timedelta(days=5)), "eva")
    entry = office.run(
        c.LogSession(
            case,
            50,
            Form.AMBULATORY,
            [Activity.CRISIS_INTERVENTION],
            occurred_at=office.now - timedelta(days=1),
            note=NOTE,
        ),
        "eva",
    )
    return client, case, entry


def _decoded(journal: Journal) -> list[dict[str, Any]]:
    """Every fact as the journal decodes it (with the master key and the client keys it still has)."""
    return [
        vars(journal.mapper.to_domain_event(n))
        for n in journal.recorder.select_notifications(1, limit=10_000)
    ]


def test_the_raw_database_holds_no_personal_data_in_clear(
    office: Office, store_settings: Settings, store: ReadStore
) -> None:
    client, _case, entry = _identified(office)
    office.run(c.CorrectEntry(entry, {"note": CORRECTED}, "typo"), "vera")
    office.run(c.ReceiveComplaint("SOS", "Stížnost Mirabelka: nikdo nepřišel"), "eva")
    enquiry = office.run(c.ReceiveEnquiry("SOS", client=None), "eva")
    office.run(
        c.RefuseEnquiry(enquiry, RefusalReason.NO_CAPACITY, detail="Dotaz Rozálie z Horní Lhoty"), "eva"
    )
    for projector in all_projectors():
        refresh(office.journal, store, projector)
    extend(office.journal, store)
    assert office.journal.client(client, actor="eva").personal["name"] == NAME  # it is there, readable
    office.journal.close()

    rows = RawStore(store_settings).rows()
    assert len(rows) > 20
    for row in rows:  # not JSON, not merely compressed: encrypted
        with pytest.raises(zlib.error):
            zlib.decompress(row.state)
        with pytest.raises(ValueError):
            json.loads(row.state)
    raw = RawStore(store_settings).dump()
    assert len(raw) > 10_000  # the dump really holds the journal and the read store
    for text in PLANTED:
        for encoding in ("utf-8", "utf-16-le", "latin-1"):
            try:
                planted = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            assert planted not in raw, f"{text!r} ({encoding}) is in the database in clear"
            assert planted.hex().encode() not in raw
    # Staff names are not in clear either: every stored state is encrypted with the master key.
    assert "Dvořáková".encode() not in raw
    assert b"Krizov" not in raw


def test_the_journal_does_not_open_without_its_master_key(office: Office, store_settings: Settings) -> None:
    client, _case, _entry = _identified(office)
    office.journal.close()
    key_file = store_settings.key_file
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()

    key_file.rename(key_file.with_suffix(".away"))
    with pytest.raises(ConfigurationError, match=r"no master key at .*KRONIKA_MASTER_KEY_FILE"):
        open_journal(store_settings)
    with pytest.raises(ConfigurationError, match="the journal exists but its master key does not"):
        open_journal(store_settings, create=True)  # init again must never make a new key for old facts
    assert not key_file.exists()

    other = Settings(**{**vars(store_settings), "master_key": "A" * 43 + "="})
    with pytest.raises(ConfigurationError, match="does not open this journal"):
        open_journal(other)
    with pytest.raises(ConfigurationError, match=r"not a base64 key|not a 32-byte key"):
        open_journal(Settings(**{**vars(store_settings), "master_key": "short"}))

    given = Settings(**{**vars(store_settings), "master_key": key})  # KRONIKA_MASTER_KEY, as in production
    journal = open_journal(given)
    assert journal.client(client, actor="eva").personal["contact"] == MAIL
    journal.close()


def test_a_sealed_value_moved_into_another_fact_does_not_open(
    office: Office, store_settings: Settings
) -> None:
    """Even with the master key, a client's sealed personal data copied into another fact is refused."""
    first, _case, _entry = _identified(office)
    second = office.run(
        c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(), {"name": "Druhý Klient"}), "eva"
    )
    mapper = office.journal.mapper
    raw = RawStore(store_settings)
    registered = [r for r in raw.rows() if r.topic.endswith("Client.Registered")]
    assert len(registered) == 2

    def state(row: Any) -> dict[str, Any]:
        assert mapper.cipher is not None
        assert mapper.compressor is not None
        return dict(mapper.transcoder.decode(mapper.compressor.decompress(mapper.cipher.decrypt(row.state))))

    def sealed(values: dict[str, Any]) -> bytes:
        assert mapper.cipher is not None
        assert mapper.compressor is not None
        return mapper.cipher.encrypt(mapper.compressor.compress(mapper.transcoder.encode(values)))

    one, two = (state(r) for r in registered)
    assert set(one["personal"]) == {"fields", "subject", "sealed"}  # sealed under the master layer too
    raw.set_state(registered[1].position, sealed({**two, "personal": one["personal"]}))
    office.journal.close()

    journal = open_journal(store_settings)
    assert journal.client(first, actor="eva").personal["name"] == NAME
    with pytest.raises(MapperDeserialisationError, match="does not belong to it"):
        journal.client(second, actor="eva")
    journal.close()


def test_erasure_destroys_the_personal_data_and_keeps_statistics_cases_trail_and_chain(
    office: Office, store_settings: Settings, store: ReadStore
) -> None:
    client, case, entry = _identified(office)
    for projector in all_projectors():
        refresh(office.journal, store, projector)
    extend(office.journal, store)
    profiles = load_profiles(None)
    parameters = {"from": "2020-01-01", "to": "2030-12-31", "services": None}

    def figures() -> dict[str, Any]:
        with store.connect() as conn:
            report, _ = compute(conn, "summary", profiles.get(None), parameters, None)
        return report.figures

    before = figures()
    assert before["clients.total.count"] == 1
    shape_before = [
        (e.number, e.kind) for e in office.journal.history(case, actor="vera", purpose="check").entries
    ]
    keys_before = office.journal.mapper.keys.count()

    office.refused(c.EraseClient(client, "GDPR art. 17"), "eva", AccessDenied)  # workers may not erase
    office.run(c.EraseClient(client, "request of the data subject, art. 17 GDPR"), "vera")
    assert office.journal.mapper.keys.count() == keys_before - 1

    for journal in (office.journal, open_journal(store_settings)):  # this process, and a fresh one
        record = journal.client(client, actor="vera", purpose="check")
        assert (record.personal, record.erased) == ({}, True)
        history = journal.history(case, actor="vera", purpose="check")
        noted = history.entry(int(entry.split("#")[1]))
        assert (noted.recorded["note"], noted.current["note"]) == (ERASED, ERASED)
        assert [(e.number, e.kind) for e in history.entries][: len(shape_before)] == shape_before
        decoded = json.dumps(_decoded(journal), default=str, ensure_ascii=False)
        for text in PLANTED[:5]:
            assert text not in decoded  # no command, with every key this installation has, gets it back

    for projector in all_projectors():
        refresh(office.journal, store, projector)
    assert figures() == before  # last year's report is unchanged
    extend(office.journal, store)
    checked = verify(office.journal, store)
    assert checked.intact
    assert checked.problems == 0


def test_an_erased_client_takes_no_new_personal_data(office: Office) -> None:
    client, case, _entry = _identified(office)
    office.run(c.EraseClient(client, "request"), "vera")
    office.refused(c.EraseClient(client, "again"), "vera", ClientErased)
    office.refused(c.AmendClient(client, {}, {"name": "Nové Jméno"}), "eva", ClientErased)
    office.refused(c.OpenCase(client, "SOS"), "eva", ClientErased)
    session = c.LogSession(case, 30, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION], note="nová poznámka")
    office.refused(session, "eva", PersonalDataErased)
    # Work without personal data is still recorded: the statistics stay whole.
    office.run(c.LogSession(case, 30, Form.AMBULATORY, [Activity.CRISIS_INTERVENTION]), "eva")


def test_a_legal_hold_blocks_erasure_until_lifted(office: Office) -> None:
    client, _case, _entry = _identified(office)
    office.refused(c.HoldClient(client, "criminal proceedings"), "eva", AccessDenied)
    office.run(c.HoldClient(client, "criminal proceedings 3 T 12/2025"), "vera")
    office.refused(c.HoldClient(client, "twice"), "vera", LegalHold)
    office.refused(c.EraseClient(client, "request"), "vera", LegalHold)
    assert office.journal.client(client, actor="vera").personal["name"] == NAME
    office.run(c.LiftHold(client, "proceedings ended"), "vera")
    office.refused(c.LiftHold(client, "again"), "vera", NoLegalHold)
    office.run(c.EraseClient(client, "request"), "vera")
    assert office.journal.client(client, actor="vera").erased


def test_an_erasure_cut_short_before_its_key_went_is_finished_by_the_next_reader(
    office: Office, store_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _case, _entry = _identified(office)
    keys = office.journal.mapper.keys

    def crash(subject: Any) -> None:
        raise SystemExit("killed between recording the erasure and destroying the key")

    monkeypatch.setattr(keys, "shred", crash)
    with pytest.raises(SystemExit):
        office.run(c.EraseClient(client, "request"), "vera")
    monkeypatch.undo()
    office.journal.close()

    journal = open_journal(store_settings, personal=False)  # even a projection worker finishes it
    before = journal.mapper.keys.count()
    assert before >= 1
    for notification in journal.recorder.select_notifications(1, limit=10_000):
        journal.mapper.to_domain_event(notification)
    assert journal.mapper.keys.count() == before - 1
    journal.close()
    reader = open_journal(store_settings)
    assert reader.client(client, actor="vera").personal == {}
    reader.close()


def test_workers_read_the_log_without_any_personal_data(office: Office, store_settings: Settings) -> None:
    _identified(office)
    worker = open_journal(store_settings, personal=False)
    facts = _decoded(worker)
    assert [f["personal"] for f in facts if f.get("personal")] == []
    assert NAME in json.dumps(
        _decoded(office.journal), default=str, ensure_ascii=False
    )  # the CLI's journal does read it
    worker.close()


def test_reading_a_client_record_is_recorded_with_its_purpose(office: Office) -> None:
    client, _case, _entry = _identified(office)
    office.journal.client(client, actor="eva", purpose="phone call")
    with pytest.raises(PurposeRequired):
        office.journal.client(client, actor="olga")
    office.journal.client(client, actor="olga", purpose="quality audit 2025")
    viewed = [
        vars(office.journal.mapper.to_domain_event(n))
        for n in office.journal.recorder.select_notifications(1, limit=10_000)
        if n.topic.endswith("ClientRead.Viewed")
    ]
    assert [(v["recorded_by"], v["client"], v["purpose"]) for v in viewed] == [
        ("eva", client, "phone call"),
        ("olga", client, "quality audit 2025"),
    ]


def test_a_stored_fact_naming_a_type_outside_kronika_is_refused_not_imported(
    office: Office, store_settings: Settings, tmp_path: Path
) -> None:
    planted = tmp_path / "evil_module.py"
    planted.write_text("raise SystemExit('imported!')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        raw = RawStore(store_settings)
        [row] = [r for r in raw.rows() if r.topic.endswith("Directory.Opened")] or raw.rows()[:1]
        raw.set_topic(row.position, "evil_module:Payload")
        [stored] = office.journal.recorder.select_notifications(row.position, limit=1)
        with pytest.raises(MapperDeserialisationError, match="outside Kronika's domain"):
            office.journal.mapper.to_domain_event(stored)
        assert "evil_module" not in sys.modules
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize(
    "topic", ["domain.nonexistent:X", "domain.case:Case", "domain.case:Nope", "domain.case:Case.__class__"]
)
def test_a_stored_fact_naming_no_fact_type_of_kronika_is_refused(
    office: Office, store_settings: Settings, topic: str
) -> None:
    raw = RawStore(store_settings)
    row = raw.rows()[0]
    raw.set_topic(row.position, topic)
    [stored] = office.journal.recorder.select_notifications(row.position, limit=1)
    with pytest.raises(MapperDeserialisationError, match="was not loaded"):
        office.journal.mapper.to_domain_event(stored)


def test_staff_of_another_service_can_neither_read_nor_erase_a_client_of_this_one(office: Office) -> None:
    """A client taken up by SOS is SOS's: IC's worker and supervisor are refused, naming the service."""
    client, _case, _entry = _identified(office)
    for login, read in (("petr", "read case records"), ("ivan", "read case records")):
        with pytest.raises(AccessDenied) as refused:
            office.journal.client(client, actor=login)
        assert (refused.value.action, refused.value.needed) == (
            read,
            "worker or supervisor or auditor or admin in service SOS",
        )
    office.refused(c.EraseClient(client, "request"), "ivan", AccessDenied)
    office.refused(c.HoldClient(client, "court"), "ivan", AccessDenied)
    office.refused(c.AmendClient(client, {"district": "Kladno"}, {}), "petr", AccessDenied)
    assert office.journal.client(client, actor="eva").personal["name"] == NAME
    assert office.journal.client(client, actor="olga", purpose="audit").personal["name"] == NAME

    # Opening a case is no way in: IC's staff may not open one for SOS's client, and still cannot read them.
    refused = office.refused(
        c.OpenCase(client, "IC", opened_at=office.now - timedelta(days=1)), "petr", ClientNotShared
    )
    assert (refused.actor, refused.client) == ("petr", client)
    with pytest.raises(AccessDenied):
        office.journal.client(client, actor="petr")
    # An admin may (they read every client); then IC's staff read the record too, as the client's service.
    office.run(c.OpenCase(client, "IC", key_worker="petr", opened_at=office.now - timedelta(days=1)), "admin")
    assert office.journal.client(client, actor="petr").personal["name"] == NAME
    # A client no service has taken up yet (at intake) is readable by any worker.
    fresh = office.run(c.RegisterClient(ClientKind.IDENTIFIED, ClientAttributes(), {"name": "Nový"}), "eva")
    assert office.journal.client(fresh, actor="petr").personal["name"] == "Nový"


def test_a_case_is_opened_only_for_a_client_the_actor_may_read(office: Office) -> None:
    """Opening a case makes the client the opening service's too: it needs the right to read them first."""
    client, _case, _entry = _identified(office)
    office.run(c.OpenCase(client, "SOS", opened_at=office.now - timedelta(days=1)), "jan")  # SOS's own: fine
    office.run(c.AddStaff("both", "Both Services", Role.WORKER, ["SOS", "IC"]))
    assert office.run(c.OpenCase(client, "IC", opened_at=office.now - timedelta(days=1)), "both")
    assert office.journal.client(client, actor="petr").personal["name"] == NAME  # now IC's client too

    other, _case, _entry = _identified(office)
    office.run(c.EraseClient(other, "request"), "vera")
    # Refused for not being shared before anything about the client (erased, age) can show.
    office.refused(c.OpenCase(other, "IC"), "petr", ClientNotShared)
    # A client nobody has taken up yet can be taken up by any service.
    fresh = office.run(c.RegisterClient(ClientKind.PSEUDONYMOUS, ClientAttributes(birth_year=1990)), "eva")
    assert office.run(c.OpenCase(fresh, "IC"), "petr")
