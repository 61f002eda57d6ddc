"""Property-based fuzzing of the CLI and the importer: bad input is refused in one line and writes nothing.

Hypothesis puts arbitrary text (control characters, huge strings, lone
surrogates from undecodable bytes, look-alike dates and codes) into every
kind of argument of the writing commands and of the reading ones (dates,
day counts, codes), and arbitrary bytes and JSON into import files.
Whatever it finds, the command either succeeds (the input was valid after
all) or exits 1 or 2 with one ``Error:`` line on stderr, nothing on stdout,
no traceback, and the journal exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import Kronika, fresh, with_sos

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Each template has one slot {x} where the fuzzed value goes.
TEMPLATES = [
    "session log P-0001 --minutes {x} --form ambulatory --activity crisis-intervention",
    "session log P-0001 --minutes 50 --form {x} --activity crisis-intervention",
    "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention --at {x}",
    "session log {x} --minutes 50 --form ambulatory --activity crisis-intervention",
    "session log P-0001 --minutes 50 --form ambulatory --activity {x}",
    "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention --staff {x}",
    "contact log --service {x} --channel phone --minutes 10",
    "contact log --service SOS --channel phone --minutes 10 --at {x}",
    "case open {x} --service SOS --on 1.3.2025",
    "case open K-0001 --service SOS --on {x}",
    "case close {x} --reason goal-met",
    "client add --birth-date {x} --name Jana",
    "client add --birth-year {x}",
    "client add --age-band {x}",
    "client amend {x} --district Praha",
    "client erase {x} --reason request",
    "entry correct {x} --minutes 45 --reason typo",
    "entry retract {x} --reason twice",
    "referral outcome {x} accepted",
    "enquiry refuse {x} --reason a",
    "history {x}",
    "report summary --from {x} --to 31.12.2025",
    "audit verify --digest {x}",
    # Read commands: what they are asked about is user input too.
    "history P-0001 --purpose check --as-of {x}",
    "audit trail --from {x}",
    "audit trail --to {x}",
    "audit trail --from 1.1.2025 --to {x}",
    "audit findings --as-of {x}",
    "cases --stale-days {x}",
    "cases --service {x}",
    "client show {x}",
    "client show K-0001 --purpose {x}",
    "history P-0001 --purpose {x}",
    "audit trail --staff {x}",
    "audit findings --case {x}",
]

nasty = st.one_of(
    st.text(max_size=40),
    st.dates().map(lambda d: f"{d.day}.{d.month}.{d.year:04d}"),  # any day, 0001 to 9999
    st.dates().map(lambda d: d.isoformat()),
    st.integers().map(str),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.binary(max_size=30).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(["", " ", "-", "--", "0", "-5", "1441", "99999999999999999999", "1e3", "NaN", "31.2.2025",
                     "2025-13-01", "29.2.2023", "P-0", "P-99999", "P-0001#0", "P-0001#-1", "K-0001#2", "R-",
                     "31.12.9999", "1.1.0001", "9999-12-31", "0001-01-01", "1.1.1900", "31.12.2999",
                     "9999999999", "36501", "-1",
                     "'; DROP TABLE stored_events; --", "=cmd|' /C calc'!A0", "\x00", "\u202e",
                     "x" * 100_000]),
)  # fmt: skip


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kronika]:
    with fresh(tmp_path_factory.mktemp("fuzz"), None) as kronika:
        yield with_sos(kronika)


def _refused_cleanly(kronika: Kronika, argv: list[str], before: int) -> None:
    code, out, err = kronika(*argv, user="vera")
    if code == 0:
        return  # valid after all: fine
    assert code in (1, 2), (argv, code, err)
    assert out == "", (argv, out)
    Kronika.assert_one_error_line(err)
    assert kronika.facts() == before, f"refused {argv} but wrote"


@SETTINGS
@given(template=st.sampled_from(TEMPLATES), value=nasty)
def test_any_value_in_any_argument_is_refused_in_one_line_and_writes_nothing(
    office: Kronika, template: str, value: str
) -> None:
    head, _, tail = template.partition("{x}")
    argv = [*head.split(), value, *tail.split()]
    _refused_cleanly(office, argv, office.facts())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
commands = st.sampled_from(
    ["session log", "client add", "case open", "contact log", "entry correct", "nonsense"]
)
lines = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"cmd": commands}, optional={"case": json_values, "minutes": json_values,
                                                       "form": json_values, "at": json_values,
                                                       "service": json_values, "code": json_values})
    .map(lambda d: json.dumps(d).encode()),
)  # fmt: skip


@SETTINGS
@given(content=st.lists(lines, min_size=1, max_size=5).map(b"\n".join))
def test_any_import_file_is_refused_whole_and_writes_nothing(
    office: Kronika, tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    file = tmp_path_factory.mktemp("import") / "fuzz.jsonl"
    file.write_bytes(content)
    before = office.facts()
    code, out, err = office("import", str(file), user="vera")
    if code == 0:
        return
    assert code in (1, 2), (content, err)
    assert out == ""
    assert err.startswith("Error: ")
    assert "Traceback" not in err
    assert office.facts() == before


def test_the_fuzzer_really_reaches_the_commands(office: Kronika, tmp_path: Path) -> None:
    """Valid values in the same slots are accepted: the fuzzed runs are not refused for another reason."""
    before = office.facts()
    office.ok(TEMPLATES[0].format(x="50") + " --at '3.3.2025 10:00'")
    file = tmp_path / "ok.jsonl"
    file.write_text(json.dumps({"cmd": "client add", "birth_year": 1990}) + "\n")
    office.ok(f"import {file}")
    assert office.facts() > before
