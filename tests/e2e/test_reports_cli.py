"""``kronika report``: issuing, reproducing and explaining funder reports through the real CLI.

``sos`` is a crisis centre with worker eva, supervisor vera, client K-0001
(born 1990, Praha 3) and case P-0001 opened on 1.3.2025 (see conftest.py).
The demo test compares the report's figures with the demo generator's own
tally of the commands it recorded, an independent count.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cli.demo_data import DemoYear, Tally
from domain import commands as c

if TYPE_CHECKING:
    from tests.e2e.conftest import Kronika

YEAR = "--from 1.1.2025 --to 31.12.2025"
SESSION = (
    "session log P-0001 --minutes 50 --form ambulatory --activity crisis-intervention --at '{day} 10:00'"
)


def report(kronika: Kronika, args: str, user: str = "admin", **env: str | None) -> dict[str, Any]:
    code, out, err = kronika(f"report {args} --format json", user=user, **env)
    assert code == 0, err
    return json.loads(out)


def three_sessions(sos: Kronika) -> Kronika:
    """Three sessions of K-0001 in March 2025: two ambulatory, one in the field with two staff."""
    for day in ("3.3.2025", "10.3.2025"):
        sos.ok(SESSION.format(day=day), user="eva")
    sos.ok(
        "session log P-0001 --minutes 30 --form field --activity accompaniment --staff eva,vera "
        "--at '12.3.2025 09:00'",
        user="eva",
    )
    return sos


@pytest.fixture
def year(sos: Kronika) -> Kronika:
    """``three_sessions``, on SQLite and PostgreSQL."""
    return three_sessions(sos)


@pytest.fixture
def sqlite_year(sqlite_sos: Kronika) -> Kronika:
    """``three_sessions``, on SQLite only: for what the database plays no part in (output files)."""
    return three_sessions(sqlite_sos)


def test_a_summary_is_issued_with_its_code_profile_position_and_digest(year: Kronika) -> None:
    code, out, err = year(f"report summary {YEAR} --format json")
    assert code == 0, err
    body = json.loads(out)
    assert body["code"] == "V-0001"
    assert "Issued as V-0001" in err
    assert body["profile"]["name"] == "standard"
    assert body["parameters"] == {"from": "2025-01-01", "to": "2025-12-31", "services": None}
    figures = body["figures"]
    assert figures["clients.total.count"] == 1
    assert figures["clients.ambulatory.count"] == 1
    assert figures["clients.field.count"] == 1
    assert figures["clients.more-than-one-form.count"] == 1
    assert figures["work.sessions.total"] == 3
    # 50 + 50 + 30 × 2 staff = 160 min = 2.7 h
    assert figures["work.hours.total"] == 2.7
    assert figures["districts.Praha 3.clients"] == 1
    assert figures["ages.27-64.clients"] == 1  # 2025 - 1990 = 35
    with year.journal() as journal:
        issued = journal.report("V-0001", actor="admin")
    assert issued.digest == body["digest"]
    assert issued.figures == figures
    assert issued.position == body["position"]


def test_a_report_reproduces_after_a_later_correction_while_a_new_one_differs(year: Kronika) -> None:
    first = report(year, f"summary {YEAR}")
    year.ok("entry correct P-0001#2 --minutes 20 --reason 'typed 50 for 20'", user="vera")
    second = report(year, f"summary {YEAR}")
    assert second["figures"]["work.hours.total"] == 2.2  # 20 + 50 + 60 = 130 min
    assert second["digest"] != first["digest"]
    out = year.ok("report reproduce V-0001")
    assert f"position {first['position']}" in out
    assert first["digest"] in out
    code, out, err = year("report reproduce V-0001 --format json")
    assert code == 0, err
    assert json.loads(out)["figures"] == first["figures"]


def test_reproducing_a_report_whose_recorded_figures_were_not_the_logs_fails_naming_the_figure(
    year: Kronika,
) -> None:
    honest = report(year, f"summary {YEAR}")
    forged = dict(honest["figures"], **{"work.sessions.total": 30})
    with year.journal() as journal:
        code = journal.execute(
            c.IssueReport(
                report="summary",
                profile=honest["profile"],
                parameters=honest["parameters"],
                position=honest["position"],
                digest="0" * 64,
                figures=forged,
            ),
            actor="admin",
        )
    exit_code, _out, err = year(f"report reproduce {code}")
    assert exit_code == 1
    assert "work.sessions.total: issued 30, now 3" in err
    assert err.strip().endswith(
        f"Error: report {code} does not reproduce: 1 figures differ from what was issued"
    )


def test_explain_lists_the_entries_a_figure_counts_and_issues_nothing(year: Kronika) -> None:
    before = year.facts()
    code, out, err = year(f"report summary {YEAR} --explain clients.field --format json")
    assert code == 0, err
    explained = json.loads(out)
    assert explained["figure"] == "clients.field.count"
    assert explained["value"] == 1
    assert [e["entry"] for e in explained["entries"]] == ["P-0001#4"]
    assert explained["entries"][0]["detail"] == "session, field, 30 min × 2 staff"
    assert year.facts() == before
    hours = json.loads(year.ok(f"report summary {YEAR} --explain work.hours.total --format json"))
    assert [e["entry"] for e in hours["entries"]] == ["P-0001#2", "P-0001#3", "P-0001#4"]


def test_an_issued_report_explains_its_figures_as_they_were(year: Kronika) -> None:
    report(year, f"summary {YEAR}")
    year.ok("entry retract P-0001#2 --reason 'entered in error'", user="vera")
    now = json.loads(year.ok(f"report summary {YEAR} --explain work.sessions.total --format json"))
    then = json.loads(year.ok("report reproduce V-0001 --explain work.sessions.total --format json"))
    assert now["value"] == 2
    assert then["value"] == 3
    assert [e["entry"] for e in then["entries"]] == ["P-0001#2", "P-0001#3", "P-0001#4"]


def test_the_district_report_counts_residents_and_says_who_is_left_out(year: Kronika) -> None:
    assert year.ok("client add --birth-year 2000", user="eva") == "K-0002"  # no district stated
    year.ok("case open K-0002 --service SOS --on 1.3.2025", user="eva")
    year.ok(SESSION.replace("P-0001", "P-0002").format(day="5.3.2025"), user="eva")
    year.ok(
        "contact log --service SOS --channel phone --minutes 10 --form ambulatory --at '6.3.2025 10:00'",
        user="eva",
    )
    body = report(year, f"district 'praha  3' {YEAR}")
    assert body["parameters"]["district"] == "praha 3"
    figures = body["figures"]
    assert figures["district.clients.total"] == 1
    assert figures["district.interventions.total"] == 3
    assert figures["left-out.clients-not-stated.count"] == 1
    assert figures["left-out.anonymous-contacts.count"] == 1


def test_the_esf_report_counts_a_person_at_the_threshold_as_a_participant(year: Kronika) -> None:
    # K-0001 has 50 + 50 + 30 = 130 client minutes (staff do not multiply client time).
    at = report(year, f"esf --services SOS {YEAR} --threshold-hours 2.1666666666666665")
    assert at["figures"]["esf.participants.count"] == 1
    above = report(year, f"esf --services SOS {YEAR} --threshold-hours 2.2")
    assert above["figures"]["esf.participants.count"] == 0
    assert above["figures"]["esf.below-threshold.count"] == 1
    assert above["parameters"]["threshold_hours"] == 2.2
    default = report(year, f"esf --services SOS {YEAR}")
    assert default["parameters"]["threshold_hours"] == 40


def test_the_json_says_whether_the_profile_is_the_default_like_the_other_formats(
    sqlite_year: Kronika, tmp_path: Path
) -> None:
    assert report(sqlite_year, f"summary {YEAR}")["profile_is_default"] is True  # standard
    assert report(sqlite_year, f"summary {YEAR} --profile min30")["profile_is_default"] is False
    profiles = tmp_path / "profiles.toml"
    profiles.write_text('default = "min30"\n', encoding="utf-8")
    env = {"KRONIKA_REPORT_PROFILES": str(profiles)}
    assert report(sqlite_year, f"summary {YEAR}", **env)["profile"]["name"] == "min30"
    assert report(sqlite_year, f"summary {YEAR}", **env)["profile_is_default"] is True
    assert report(sqlite_year, f"summary {YEAR} --profile standard", **env)["profile_is_default"] is False
    # Reproduced, it is not known: the issued report does not record which profile was the default.
    code, out, err = sqlite_year("report reproduce V-0001 --format json")
    assert code == 0, err
    assert json.loads(out)["profile_is_default"] is None


def test_the_esf_section_says_participants_are_at_or_above_the_threshold(sqlite_year: Kronika) -> None:
    titles = {
        "en": "ESF project: participants at or above the threshold of client time",
        "cs": "Projekt ESF: účastníci na hranici bagatelní podpory nebo nad ní",
    }
    for lang, title in titles.items():
        body = report(sqlite_year, f"esf --services SOS {YEAR} --lang {lang}")
        assert body["sections"][0]["key"] == "esf"
        assert body["sections"][0]["title"] == title


def test_a_profile_from_the_installations_file_is_used_and_recorded(year: Kronika, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        'default = "praha3"\n[profiles.praha3]\nversion = 2\ndescription = "MČ Praha 3"\n'
        'age_bands = ["11-26", "27+"]\nsessions_per_case = ["1-2", "3+"]\n'
        "intervention_min_minutes = 45\ncontact_min_minutes = 10\nesf_threshold_hours = 40\n",
        encoding="utf-8",
    )
    body = report(year, f"summary {YEAR}", KRONIKA_REPORT_PROFILES=str(profiles))
    assert body["profile"]["name"] == "praha3"
    assert body["profile"]["version"] == 2
    assert body["figures"]["work.interventions.total"] == 2  # the two 50-minute sessions
    assert body["figures"]["ages.27+.clients"] == 1
    assert body["figures"]["sessions-per-case.3+.cases"] == 1
    # The file changes later; the issued report still reproduces under the rules it recorded.
    profiles.write_text(profiles.read_text(encoding="utf-8").replace("= 45", "= 5"), encoding="utf-8")
    assert "reproduced" in year.ok("report reproduce V-0001")
    shipped = report(year, f"summary {YEAR} --profile standard", KRONIKA_REPORT_PROFILES=str(profiles))
    assert shipped["figures"]["work.interventions.total"] == 3


def test_report_profiles_lists_the_shipped_profiles_and_marks_the_default(sqlite_kronika: Kronika) -> None:
    out = sqlite_kronika.ok("report profiles")
    assert "standard v1 *" in out
    assert "min30 v1" in out
    assert "30 min" in out


def test_report_profiles_as_json_give_each_profiles_rules_and_which_is_the_default(
    sqlite_kronika: Kronika,
) -> None:
    listed = {p["name"]: p for p in sqlite_kronika.json("report profiles")}
    assert {"standard", "min30"} <= set(listed)
    assert [name for name, p in listed.items() if p["default"]] == ["standard"]
    assert listed["min30"]["intervention_min_minutes"] == 30
    assert listed["standard"]["age_bands"][:2] == ["0-10", "11-17"]


# -- output files ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
@pytest.mark.parametrize("command", [f"report summary {YEAR}", "report reproduce V-0001"])
@pytest.mark.parametrize("to_file", [False, True])
def test_explain_in_a_format_that_cannot_list_entries_is_refused_naming_csv_and_json(
    sqlite_year: Kronika, tmp_path: Path, fmt: str, command: str, to_file: bool
) -> None:
    report(sqlite_year, f"summary {YEAR}")  # V-0001, to reproduce
    path = tmp_path / f"explained.{fmt}"
    output = f" -o {path}" if to_file else ""
    err = sqlite_year.refused(f"{command} --explain clients.field --format {fmt}{output}", exit_code=2)
    assert f"--explain lists entries as a table, CSV or JSON, not {fmt.upper()}" in err
    assert "use --format csv or json" in err
    assert not path.exists()


def test_explain_writes_its_entries_to_the_output_file_as_csv_json_or_the_table(
    sqlite_year: Kronika, tmp_path: Path
) -> None:
    before = sqlite_year.facts()
    explain = f"report summary {YEAR} --explain clients.field"
    # K-0001's one field session: P-0001#4 (opened #1, sessions #2-#4), 30 min with eva and vera.
    assert sqlite_year.ok(f"{explain} --format csv -o {tmp_path / 'e.csv'}") == ""
    assert (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines() == [
        "entry,service,client,day,detail",
        "P-0001#4,SOS,K-0001,2025-03-12," + '"session, field, 30 min × 2 staff"',
    ]
    assert sqlite_year.ok(f"{explain} --format json -o {tmp_path / 'e.json'}") == ""
    body = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert (body["figure"], body["value"]) == ("clients.field.count", 1)
    assert [e["entry"] for e in body["entries"]] == ["P-0001#4"]
    assert sqlite_year.ok(f"{explain} -o {tmp_path / 'e.txt'}") == ""
    table = (tmp_path / "e.txt").read_text(encoding="utf-8")
    assert "clients.field.count = 1: counted from 1 entries" in table
    assert "P-0001#4" in table
    assert "\x1b[" not in table, "plain text, no terminal colours"
    assert sqlite_year.facts() == before, "--explain issues nothing"


def test_a_table_report_written_to_a_file_is_the_table_as_plain_text(
    sqlite_year: Kronika, tmp_path: Path
) -> None:
    path = tmp_path / "summary.txt"
    code, out, err = sqlite_year(f"report summary {YEAR} -o {path}")
    assert (code, out) == (0, "")
    assert "Issued as V-0001" in err
    table = path.read_text(encoding="utf-8")
    assert "V-0001 · Summary report" in table
    assert "Period" in table
    assert not table.startswith("figure,"), "a table, not CSV"
    assert "\x1b[" not in table
    # The same table as on the terminal: 50 + 50 + 30 x 2 staff = 160 min = 2.7 h of direct work.
    assert re.search(r"direct-work hours \(minutes × staff present\) *│ *2\.7 *│", table), table
    # An issued report reproduced into a file, without --format: the table too.
    reproduced = tmp_path / "reproduced.txt"
    out = sqlite_year.ok(f"report reproduce V-0001 -o {reproduced}")
    assert "reproduced" in out
    assert "V-0001 · Summary report" in reproduced.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["report.csv", "report.JSON", "report.xlsx", "report.html"])
def test_a_table_for_a_file_named_like_another_format_is_refused_naming_the_format(
    sqlite_year: Kronika, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    err = sqlite_year.refused(f"report summary {YEAR} -o {path}", exit_code=2)
    kind = path.suffix.lstrip(".").lower()
    assert f"is named like a {kind.upper()} file, but the format is a table: add --format {kind}" in err
    assert not path.exists()


def test_a_report_that_cannot_be_written_names_the_file_and_how_to_write_it_again(
    sqlite_year: Kronika,
) -> None:
    code, out, err = sqlite_year(f"report summary {YEAR} --format csv -o /dev/full")
    assert (code, out) == (1, "")
    sqlite_year.assert_one_error_line(err)
    assert "report V-0001 was issued but cannot be written to /dev/full: No space left on device" in err
    assert "write it again with: kronika report reproduce V-0001 --format csv -o FILE" in err
    assert "KRONIKA_DATA_DIR" not in err
    for command in (
        "report reproduce V-0001 --format json",
        f"report summary {YEAR} --explain clients.field",
    ):
        code, out, err = sqlite_year(f"{command} -o /dev/full")
        assert (code, out) == (1, "")
        sqlite_year.assert_one_error_line(err)
        assert "cannot write /dev/full: No space left on device" in err
        assert "KRONIKA_DATA_DIR" not in err


# -- who may report -------------------------------------------------------------------


def test_a_worker_may_not_issue_reports(year: Kronika) -> None:
    err = year.refused(f"report summary {YEAR}", user="eva")
    assert "eva may not issue and reproduce reports" in err
    assert "supervisor or auditor or admin" in err


def test_a_supervisors_report_covers_their_own_services_and_no_other(year: Kronika) -> None:
    year.ok(
        "service add PORA --name Poradna --type counselling --forms ambulatory --hours 'Mon-Fri 09:00-17:00'"
    )
    body = report(year, f"summary {YEAR}", user="vera")
    assert body["parameters"]["services"] == ["SOS"]
    err = year.refused(f"report summary {YEAR} --service PORA", user="vera")
    assert "service PORA" in err
    # A report over every service, issued by the admin, is not hers to reproduce.
    report(year, f"summary {YEAR}")
    err = year.refused("report reproduce V-0002", user="vera")
    assert "auditor or admin, for every service" in err


def test_an_auditor_issues_and_reproduces_reports(year: Kronika) -> None:
    year.ok("staff add olga --name 'Olga Veselá' --role auditor")
    body = report(year, f"summary {YEAR}", user="olga")
    assert body["parameters"]["services"] is None
    assert "reproduced" in year.ok("report reproduce V-0001", user="olga")


# -- mistakes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "exit_code", "says"),
    [
        ("report summary --from 31.12.2025 --to 1.1.2025", 2, "--to 2025-01-01 is before --from 2025-12-31"),
        ("report summary --from 2025-13-01 --to 1.1.2025", 2, "is not a date like 2025-03-01"),
        (
            f"report summary {YEAR} --profile nope",
            1,
            "there is no report profile 'nope'; choose from min30, standard",
        ),
        (
            f"report summary {YEAR} --format xlsx",
            2,
            "an XLSX report goes to a file: add --output report.xlsx",
        ),
        (
            f"report summary {YEAR} --format csv --output /no/such/folder/r.csv",
            2,
            "there is no folder /no/such/folder",
        ),
        (f"report summary {YEAR} --format csv --output ''", 2, ". is not a file to write into"),
        (
            f"report summary {YEAR} --format csv --output /tmp",
            2,
            "File '/tmp' is a directory",
        ),
        (f"report summary {YEAR} --explain clients.nope", 1, "the report has no figure clients.nope"),
        (f"report summary {YEAR} --service NOPE", 1, "NOPE"),
        (f"report esf {YEAR}", 2, "--services"),
        (f"report esf --services SOS {YEAR} --threshold-hours nan", 2, "'nan' is not a number of hours"),
        (f"report esf --services SOS {YEAR} --threshold-hours NaN", 2, "'NaN' is not a number of hours"),
        (f"report esf --services SOS {YEAR} --threshold-hours inf", 2, "--threshold-hours"),
        (f"report esf --services SOS {YEAR} --threshold-hours 0", 2, "--threshold-hours"),
        ("report reproduce V-0042", 1, "V-0042"),
        ("report reproduce nonsense", 1, "is not a report code like V-0001"),
    ],
)
def test_report_mistakes_are_one_line_and_record_nothing(
    sqlite_sos: Kronika, args: str, exit_code: int, says: str
) -> None:
    err = sqlite_sos.refused(args, exit_code=exit_code)
    assert says in err


def test_a_broken_profiles_file_is_one_line_naming_the_file(sqlite_sos: Kronika, tmp_path: Path) -> None:
    broken = tmp_path / "profiles.toml"
    broken.write_text("[profiles.x]\nversion = 1\nage_bands = ['11-17', '15-20']\n", encoding="utf-8")
    before = sqlite_sos.facts()
    code, out, err = sqlite_sos(f"report summary {YEAR}", KRONIKA_REPORT_PROFILES=str(broken))
    assert (code, out) == (1, "")
    sqlite_sos.assert_one_error_line(err)
    assert str(broken) in err
    assert sqlite_sos.facts() == before


@pytest.mark.parametrize("threshold", ["nan", "inf", "-inf", "0", "-40"])
def test_a_profiles_esf_threshold_must_be_a_number_of_hours_above_0(
    sqlite_sos: Kronika, tmp_path: Path, threshold: str
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        '[profiles.esf]\nversion = 1\nage_bands = ["0-17", "18+"]\nsessions_per_case = ["1", "2+"]\n'
        f"intervention_min_minutes = 1\ncontact_min_minutes = 1\nesf_threshold_hours = {threshold}\n",
        encoding="utf-8",
    )
    before = sqlite_sos.facts()
    code, out, err = sqlite_sos(
        f"report esf --services SOS {YEAR} --profile esf --format json", KRONIKA_REPORT_PROFILES=str(profiles)
    )
    assert (code, out) == (1, "")
    sqlite_sos.assert_one_error_line(err)
    assert f"report profiles {profiles}: profile esf: esf_threshold_hours = {threshold} must be" in err
    assert sqlite_sos.facts() == before


# -- the demo: the seed report's figures from one command ----------------------------------


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kronika, Tally]:
    from tests.e2e.conftest import Kronika

    runner = Kronika(tmp_path_factory.mktemp("demo-reports"), None)
    code, _out, err = runner("demo", "--dir", str(runner.data_dir), "--clients", "150")
    assert code == 0, err
    year = DemoYear(seed=2025, clients=150, admin="admin")
    tally = Tally()
    for now, _actor, command in year.commands():
        assert year.expected is not None
        tally.add(now, command, year.expected)
    return runner, tally


def test_the_demo_years_figures_equal_the_generators_own_count(demo_year: tuple[Kronika, Tally]) -> None:
    """Clients per form, hours per form, the Praha 3 slice: every figure of the seed report's table."""
    runner, tally = demo_year
    figures = report(runner, f"summary {YEAR} --service SOS")["figures"]
    ambulatory, field = tally.served("SOS", "ambulatory"), tally.served("SOS", "field")
    assert figures["clients.total.count"] == len(tally.served("SOS"))
    assert figures["clients.ambulatory.count"] == len(ambulatory)
    assert figures["clients.field.count"] == len(field)
    assert figures["clients.more-than-one-form.count"] == len(ambulatory & field)
    # The total to the nearest tenth of an hour, halves up; each form rounded down or up so that the
    # forms add up to the total (docs/reports.md, "Rounding hours").
    minutes = round(tally.hours("SOS") * 60)
    assert figures["work.hours.total"] == (minutes + 3) // 6 / 10
    for form in ("ambulatory", "field"):
        assert abs(figures[f"work.hours.{form}"] - tally.hours("SOS", form)) < 0.1, form
    assert (
        round(figures["work.hours.ambulatory"] + figures["work.hours.field"], 1)
        == figures["work.hours.total"]
    )
    assert figures["work.sessions.total"] == tally.sessions("SOS")
    assert figures["clients.anonymous-contacts.count"] == tally.anonymous_contacts("SOS")
    p3_clients, p3_sessions = tally.district("Praha 3", "SOS")
    district = report(runner, f"district 'Praha 3' {YEAR} --service SOS")["figures"]
    assert district["district.clients.total"] == p3_clients
    assert district["district.interventions.total"] == p3_sessions
    assert figures["districts.Praha 3.clients"] == p3_clients
    assert figures["districts.Praha 3.interventions"] == p3_sessions
