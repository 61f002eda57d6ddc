"""``kronika client erase|hold|release``, ``client show --purpose``, ``audit verify|digest``, via the CLI.

``sos``: crisis centre SOS with worker eva, supervisor vera, client K-0001
and case P-0001 (see conftest.py). Tampering is done on the raw database.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.integration.raw_store import RawStore

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

NAME = "Zdeňka Plantová"
EXPLAINED = "report summary --from 1.1.2025 --to 31.12.2025 --format json --explain clients.total.count"
SESSION = (
    "session log P-0002 --minutes 50 --form ambulatory --activity crisis-intervention --at '3.3.2025 10:00'"
)


def _identified(sos: Kronika) -> str:
    client = sos.ok(f"client add --name '{NAME}' --birth-date 5.6.1987 --district 'Praha 3'", user="eva")
    assert sos.ok(f"case open {client} --service SOS --on 1.3.2025", user="eva") == "P-0002"
    sos.ok(f"{SESSION} --note 'Tajná poznámka'", user="eva")
    return client


def test_a_supervisor_erases_a_client_and_nothing_personal_can_be_read_back(sos: Kronika) -> None:
    client = _identified(sos)
    report = json.loads(sos.ok(EXPLAINED))
    assert NAME in sos.ok(f"client show {client}", user="vera")

    err = sos.refused(f"client erase {client} --reason 'art. 17'", user="eva")
    assert "eva may not erase a client" in err
    assert "supervisor" in err
    assert sos.ok(f"client erase {client} --reason 'request under art. 17 GDPR'", user="vera") == client

    shown = sos.json(f"client show {client}", user="vera")
    assert (shown["erased"], "name" in shown, "birth_date" in shown) == (True, False, False)
    assert shown["district"] == "Praha 3"
    assert shown["birth_year"] == 1987
    assert "erased; it cannot be recovered" in sos.ok(f"client show {client}", user="vera")
    history = sos.ok("history P-0002 --purpose 'check'", user="vera")
    assert "Tajná" not in history
    assert "[erased]" in history
    for command in (f"client show {client}", "history P-0002 --purpose x", "audit trail", "cases"):
        _code, out, _err = sos(command, user="vera")
        assert NAME not in out
    again = json.loads(sos.ok(EXPLAINED))
    assert again == report  # the figures (and the entries behind them) are unchanged

    err = sos.refused(f"client amend {client} --name 'Jiné Jméno'", user="eva")
    assert f"client {client} is erased" in err
    err = sos.refused(f"{SESSION} --note 'nová'", user="eva")
    assert "record it without notes" in err
    sos.ok(SESSION, user="eva")  # work without personal data is still recorded


def test_bringing_projections_up_to_date_never_opens_a_clients_key(sos: Kronika) -> None:
    client = _identified(sos)  # recorded, not yet projected: writes do not catch up
    RawStore(sos.settings).spoil_client_keys()  # from here, opening any client's key fails

    code, _out, err = sos(f"client show {client}", user="vera")
    assert (code, err.strip()) == (2, "Error: a client key does not open with this master key")
    assert "open_cases: " in sos.ok("projections catch-up open_cases")  # their facts read without keys
    assert "Case.SessionHeld" in sos.ok("audit trail --json")  # a read catching its projection up
    sos.ok("projections rebuild")  # and the whole log again
    assert {row["code"]: row["sessions"] for row in sos.json("cases")}["P-0002"] == 1


def test_a_legal_hold_blocks_erasure_until_released(sos: Kronika) -> None:
    client = _identified(sos)
    sos.ok(f"client hold {client} --reason 'criminal proceedings'", user="vera")
    assert sos.json(f"client show {client}", user="vera")["legal_hold"] == "criminal proceedings"
    err = sos.refused(f"client erase {client} --reason x", user="vera")
    assert f"client {client} is under a legal hold" in err
    assert f"kronika client release {client}" in err
    sos.ok(f"client release {client} --reason 'proceedings ended'", user="vera")
    err = sos.refused(f"client release {client} --reason again", user="vera")
    assert "not under a legal hold" in err
    sos.ok(f"client erase {client} --reason x", user="vera")


def test_client_reads_are_recorded_and_auditors_state_a_purpose(sos: Kronika) -> None:
    sos.ok("staff add olga --name 'Olga Veselá' --role auditor")
    client = _identified(sos)
    err = sos.refused(f"client show {client}", user="olga")
    assert "--purpose" in err
    sos.ok(f"client show {client} --purpose 'quality audit 2025'", user="olga")
    trail = sos.json("audit trail", user="olga")
    reads = [
        (r["recorded_by"], r["subject"], r["purpose"]) for r in trail if r["fact"] == "ClientRead.Viewed"
    ]
    assert reads == [("olga", client, "quality audit 2025")]
    err = sos.refused(f"client amend {client} --district 'Praha 4'", user="olga")
    assert "olga may not record client work" in err


def test_audit_digest_and_verify_find_a_changed_row(sos: Kronika) -> None:
    _identified(sos)
    digest = sos.ok("audit digest", user="vera")
    position, link = digest.split(":")
    assert int(position) == sos.facts()
    assert len(link) == 64
    out = sos.ok(f"audit verify --digest {digest}", user="vera")
    assert "Intact" in out
    assert f"The log still extends digest {digest}." in out
    assert sos.json("audit verify")["intact"] is True

    err = sos.refused("audit verify", user="eva")
    assert "eva may not read the audit trail" in err
    _code, _out, err = sos("audit verify --digest 12:nonsense")
    assert _code == 2
    assert "is not a digest like" in err

    raw = RawStore(sos.settings)
    row = next(r for r in raw.rows() if r.topic.endswith("SessionHeld"))
    raw.set_state(row.position, row.state[::-1])
    code, out, err = sos("audit verify --digest " + digest, user="vera")
    assert (code, err) == (1, "")
    assert f"TAMPERED: the fact at position {row.position} was changed" in out
    assert "does NOT extend digest" in out
    found = sos("audit verify --json")
    assert found[0] == 1
    assert '"kind": "changed"' in found[1]
    assert "NARUŠENO" in sos("audit verify", lang="cs")[1]


def _chain_head(kronika: Kronika) -> str:
    from projections.chain import head
    from projections.store import ReadStore

    store = ReadStore(*kronika.settings.read_store())
    try:
        return str(head(store))
    finally:
        store.dispose()


def test_verifying_a_tampered_log_does_not_chain_the_tampering(sos: Kronika) -> None:
    """Verify first: chaining on a log with a fact inserted (the rest moved down) would record the forgery."""
    _identified(sos)
    digest = sos.ok("audit digest", user="vera")
    raw = RawStore(sos.settings)
    rows = raw.rows()
    position = rows[len(rows) // 2].position
    for row in reversed([r for r in rows if r.position >= position]):
        raw.move(row.position, row.position + 1)
    forged = next(r for r in rows if r.position == position - 1)
    raw.put(type(forged)(0, forged.originator_id, 99, forged.topic, forged.state), position)
    for _ in range(2):  # the same answer every time: the first run changed nothing
        code, out, err = sos("audit verify", user="vera")
        assert (code, err) == (1, "")
        assert f"TAMPERED: a fact was inserted at position {position}" in out
    assert _chain_head(sos) == digest
    sos.ok("cases", user="vera")  # a read chains new facts, but not over a log that moved under the chain
    assert _chain_head(sos) == digest
    code, out, _err = sos(f"audit verify --digest {digest}", user="vera")
    assert code == 1
    assert f"The log still extends digest {digest}." not in out


def test_the_nightly_check_of_a_tampered_log_does_not_chain_the_tampering(
    sos: Kronika, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The beat's nightly task verifies before it chains, as ``audit verify`` does."""
    from workers import app as worker_app

    _identified(sos)
    digest = sos.ok("audit digest", user="vera")
    sos.ok("session log P-0001 --minutes 30 --form ambulatory --activity counselling", user="eva")
    raw = RawStore(sos.settings)
    rows = raw.rows()
    chained = rows[len(rows) // 2]  # a fact the chain holds; the new session is not chained yet
    raw.set_state(chained.position, chained.state[:-1] + bytes([chained.state[-1] ^ 1]))  # one bit
    for name, value in sos.env(user="vera").items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(worker_app._Resources, "pid", None)  # open this journal, not one of an earlier test

    for _ in range(2):
        found = worker_app.verify_chain()
        assert found["intact"] is False
        assert found["head"] == digest, "the tampered fact was not chained"
    assert _chain_head(sos) == digest


def test_an_intact_log_is_chained_by_verify_and_by_reads(sos: Kronika) -> None:
    _identified(sos)
    assert _chain_head(sos).split(":")[0] == "0"  # writes alone stay light: nothing chained yet
    sos.ok("cases", user="eva")  # a read catches the projections up here, and the chain with them
    assert _chain_head(sos).split(":")[0] == str(sos.facts())
    sos.ok(SESSION, user="eva")
    assert int(_chain_head(sos).split(":")[0]) < sos.facts()
    out = sos.ok("audit verify", user="vera")
    assert "Intact" in out
    assert _chain_head(sos).split(":")[0] == str(sos.facts())
    sos.ok(SESSION, user="eva")
    sos.ok("cases", user="eva")
    assert _chain_head(sos).split(":")[0] == str(sos.facts())


def test_the_latest_fact_removed_before_it_was_chained_is_found(sos: Kronika) -> None:
    """Without workers nothing chains a write until the next read; its removal still shows."""
    _identified(sos)
    sos.ok("audit verify", user="vera")
    sos.ok(SESSION, user="eva")
    raw = RawStore(sos.settings)
    last = raw.rows()[-1].position
    raw.delete(last)
    code, out, err = sos("audit verify", user="vera")
    assert (code, err) == (1, "")
    assert f"TAMPERED: the facts from position {last} to {last} were removed from the end of the log" in out
    assert "Intact" not in out


def test_a_fact_removed_after_the_projections_read_it_is_found(sos: Kronika) -> None:
    _identified(sos)
    sos.ok(SESSION, user="eva")
    sos.ok("cases", user="eva")  # read, projected and chained
    raw = RawStore(sos.settings)
    last = raw.rows()[-1].position
    raw.delete(last)
    code, out, _err = sos("audit verify", user="vera")
    assert code == 1
    assert f"the fact at position {last} was removed" in out


def test_staff_of_another_service_cannot_open_a_case_to_read_a_client(sos: Kronika) -> None:
    client = _identified(sos)
    sos.ok("service add IC --name 'Intervenční centrum' --type intervention-centre --forms ambulatory")
    sos.ok("staff add petr --name Petr --role worker --service IC")
    err = sos.refused(f"case open {client} --service IC", user="petr")
    assert f"petr may not open a case for client {client}" in err
    assert "records are not shared between services" in err
    assert "kronika client add" in err
    assert NAME not in err
    sos.refused(f"client show {client}", user="petr")


@pytest.mark.parametrize("fact", ["Directory.Opened", "Staff.Added"])
def test_verify_finds_a_changed_fact_that_the_role_check_itself_needs(sos: Kronika, fact: str) -> None:
    """The first fact (the master key is checked on it) and the auditor's own staff record:
    altering them must not stop verify from saying so."""
    sos.ok("audit digest", user="vera")
    sos.refused("audit verify", user="nobody")  # not staff: refused while the log is intact
    raw = RawStore(sos.settings)
    row = next(r for r in raw.rows() if r.topic.endswith(fact))
    raw.update(row.position, "state = NULL")
    code, out, err = sos("audit verify", user="admin")
    assert (code, err) == (1, "")
    assert f"TAMPERED: the fact at position {row.position} was changed" in out
