"""``kronika report``'s formats: table, CSV, XLSX, JSON and a self-contained HTML page with charts.

Every format must carry the JSON's figures (``figures``: ``section.row.column``)
unchanged: the XLSX as numbers, one sheet per section; the CSV one figure a
line. Text from users (a client's district, the district a report is asked
for, an installation's profile name) must never start a spreadsheet formula,
and must stay text in the HTML page, which headless Chromium opens from a
file, loading nothing else, and whose charts it must decode and draw. Labels are Czech or English, the
figures the same in both.

The journal: SOS (see conftest.py) with clients resident in districts whose
names start with ``=``, ``+``, ``-`` and ``@``, one named ``<script>…``,
sessions in March, April and May 2025 (eleven of them 24 h with four staff,
so the hours pass 1,000), referrals, a refusal, a closed case and an
anonymous contact.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import _service_missing
from tests.e2e.conftest import Kronika, fresh, with_sos

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

PERIOD = ("--from", "1.1.2025", "--to", "31.12.2025")
# name: (options, positional arguments)
REPORTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "summary": ((), ()),
    "district": ((), ("Praha 3",)),
    "esf": (("--services", "SOS", "--threshold-hours", "20"), ()),
}

SESSION = (
    "session log {case} --minutes {minutes} --form ambulatory --activity crisis-intervention "
    "--at '{day} 10:00'"
)
REPORT_NAMES = {"summary": "Summary report", "district": "District report", "esf": "ESF project report"}

FORMULA_STARTS = ("=", "+", "-", "@")
# Districts of residence a worker might type, each starting a spreadsheet formula.
HOSTILE_DISTRICTS = ("=2+5", "+420 Praha", "-Praha 6", "@SUM(1+1)")
SCRIPT_DISTRICT = "<script>alert(1)</script>"
# Personal data that must never reach a funder's report, in any format.
PRIVATE = ("=ORG()", "+REASON()", "-DETAIL()", "@POINTED()")

CHART_TITLES = {
    "en": [
        "Clients by form and month",
        "Direct-work hours by form and month",
        "Clients by age band",
        "Referrals by kind and outcome",
    ],
    "cs": [
        "Klienti podle formy a měsíce",
        "Hodiny přímé práce podle formy a měsíce",
        "Klienti podle věkových skupin",
        "Zprostředkování podle druhu a výsledku",
    ],
}

# figure: (section title, row label, column label), read from the translations by hand.
LABELLED = {
    "en": {
        "clients.total.count": ("Clients", "Total", "Number"),
        "work.hours.field": ("Direct work", "direct-work hours (minutes × staff present)", "field"),
        "months.2025-04.hours-field": (
            "Clients and direct-work hours by month",
            "2025-04",
            "direct-work hours: field",
        ),
        "referrals.legal.accepted": ("Referrals by kind and outcome", "legal", "accepted"),
        "refusals.b.count": ("Applicants refused (§91(3)) by reason", "(b) no capacity", "Number"),
        "districts.not-stated.clients": (
            "Clients and interventions by district of residence",
            "not stated",
            "Clients",
        ),
    },
    "cs": {
        "clients.total.count": ("Klienti", "Celkem", "Počet"),
        "work.hours.field": ("Přímá práce", "hodiny přímé práce (minuty × přítomní pracovníci)", "terénní"),
        "months.2025-04.hours-field": (
            "Klienti a hodiny přímé práce po měsících",
            "2025-04",
            "hodiny přímé práce: terénní",
        ),
        "referrals.legal.accepted": ("Zprostředkování podle druhu a výsledku", "právní", "přijato"),
        "refusals.b.count": (
            "Odmítnutí zájemci (§91 odst. 3) podle důvodu",
            "(b) nedostatečná kapacita",
            "Počet",
        ),
        "districts.not-stated.clients": ("Klienti a intervence podle místa bydliště", "neuvedeno", "Klienti"),
    },
}
HEADINGS = {"en": ("Report", "Period", "Profile"), "cs": ("Výkaz", "Období", "Profil")}


# -- the journal ------------------------------------------------------------------------


def populate(kronika: Kronika) -> None:
    """Add to ``sos`` the clients, sessions, referrals, refusal and contact the module describes."""

    def ok(*args: str, user: str = "eva") -> str:
        return kronika.ok(*args, user=user)

    for login, name in (("ota", "Ota Nový"), ("iva", "Iva Stará")):
        kronika.ok("staff", "add", login, "--name", name, "--role", "worker", "--service", "SOS")
    # K-0001 (born 1990, Praha 3): one hour in March, eleven days of 24 h with four staff in April.
    ok(SESSION.format(case="P-0001", minutes=60, day="3.3.2025"))
    for day in range(1, 12):
        ok(
            "session", "log", "P-0001", "--minutes", "1440", "--form", "field", "--activity", "accompaniment",
            "--staff", "eva,vera,ota,iva", "--at", f"{day}.4.2025 00:00",
        )  # fmt: skip
    # One client per district; ages 15, 70, 25, 40 and unknown.
    births = ("2010", "1955", "2000", "1985", None)
    districts = (*HOSTILE_DISTRICTS, SCRIPT_DISTRICT)
    for number, (district, born) in enumerate(zip(districts, births, strict=True), start=2):
        args = ["client", "add", f"--district={district}"]
        if born is not None:
            args += ["--birth-year", born]
        assert ok(*args) == f"K-{number:04d}"
        assert (
            ok("case", "open", f"K-{number:04d}", "--service", "SOS", "--on", "1.3.2025") == f"P-{number:04d}"
        )
        form = "ambulatory" if number % 2 else "field"
        ok(
            "session", "log", f"P-{number:04d}", "--minutes", "45", "--form", form,
            "--activity", "crisis-intervention", "--at", f"{number}.5.2025 10:00",
        )  # fmt: skip
    assert (
        ok("referral", "add", "P-0001", "--to", PRIVATE[0], "--kind", "legal", "--reason", PRIVATE[1],
           "--at", "4.3.2025 11:00")
        == "R-0001"
    )  # fmt: skip
    ok("referral", "outcome", "R-0001", "accepted", "--on", "10.3.2025")
    ok("referral", "add", "P-0002", "--to", "PL Bohnice", "--kind", "psychiatric", "--at", "2.5.2025 11:00")
    assert ok("enquiry", "add", "--service", "SOS", "--at", "7.3.2025 10:00") == "E-0001"
    ok("enquiry", "refuse", "E-0001", "--reason", "b", "--detail", PRIVATE[2], "--pointed-to", PRIVATE[3],
       "--on", "7.3.2025")  # fmt: skip
    ok("case", "close", "P-0003", "--reason", "goal-met", "--on", "20.5.2025", user="vera")
    ok("contact log --service SOS --channel phone --minutes 10 --form ambulatory --at '6.3.2025 10:00'")


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kronika]:
    """The module's journal on SQLite, built once (``sqlite_sos`` plus ``populate``)."""
    with fresh(tmp_path_factory.mktemp("report-formats"), None) as kronika:
        populate(with_sos(kronika))
        yield kronika


# -- helpers ----------------------------------------------------------------------------


def issue(kronika: Kronika, name: str, *options: str, lang: str = "en", **env: str) -> tuple[str, str]:
    """Issue report ``name`` (see REPORTS) with more options; its stdout and stderr."""
    extra, positional = REPORTS[name]
    code, out, err = kronika("report", name, *PERIOD, *extra, *options, "--", *positional, lang=lang, **env)
    assert code == 0, err
    return out, err


def as_json(kronika: Kronika, name: str, *options: str, lang: str = "en") -> dict[str, Any]:
    out, _err = issue(kronika, name, "--format", "json", *options, lang=lang)
    body: dict[str, Any] = json.loads(out)
    return body


def write(kronika: Kronika, name: str, fmt: str, path: Path, *options: str, lang: str = "en") -> str:
    """Write report ``name`` in ``fmt`` to ``path``; the code it was issued as."""
    out, err = issue(kronika, name, "--format", fmt, "-o", str(path), *options, lang=lang)
    assert out == ""
    found = re.search(r"\b(V-\d{4})\b", err)
    assert found, err
    return found.group(1)


def shown(text: str) -> str:
    """How a spreadsheet must show a text: as it is, or behind an apostrophe if it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "figure"
    assert all(len(row) == 5 for row in rows), "every CSV line has five fields"
    return rows[1:]


def csv_figures(rows: list[list[str]]) -> dict[str, list[str]]:
    """figure id: [section, row, column, value]; the heading lines have no figure id."""
    figures = {row[0]: row[1:] for row in rows if row[0]}
    assert len(figures) == sum(1 for row in rows if row[0]), "a figure id is on one line only"
    return figures


def csv_heading(rows: list[list[str]]) -> dict[str, str]:
    return {row[2]: row[4] for row in rows if not row[0]}


def about(book: Any) -> dict[str, Any]:
    """The first sheet: what the report is, label: value."""
    sheet = book.worksheets[0]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}


def sheet_figures(sheet: Worksheet, section: dict[str, Any]) -> dict[str, Any]:
    """The section's figures as the sheet holds them, found through its header row and first column."""
    header = [cell.value for cell in sheet[2]]
    assert header[0] in ("", None), header
    columns = {value: index for index, value in enumerate(header) if index}
    rows = {sheet.cell(number, 1).value: number for number in range(3, sheet.max_row + 1)}
    assert len(columns) == len(section["columns"]) == sheet.max_column - 1, header
    assert len(rows) == len(section["rows"]) == sheet.max_row - 2, list(rows)
    found = {}
    for row in section["rows"]:
        number = rows[shown(row["label"])]
        for column in section["columns"]:
            index = columns[shown(column["label"])]
            found[f"{section['key']}.{row['key']}.{column['key']}"] = sheet.cell(number, index + 1).value
    return found


def xlsx_figures(book: Any, body: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the workbook, by the JSON's sections; the sheets are the report sheet and those."""
    sheets = book.worksheets
    assert len(sheets) == 1 + len(body["sections"]), [s.title for s in sheets]
    found: dict[str, Any] = {}
    for sheet, section in zip(sheets[1:], body["sections"], strict=True):
        assert sheet["A1"].value == section["title"]
        assert 0 < len(sheet.title) <= 31
        # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
        allowed = "".join(ch for ch in section["title"] if ch not in "[]:*?/\\")
        assert allowed.startswith(sheet.title), (sheet.title, section["title"])
        found.update(sheet_figures(sheet, section))
    return found


def spreadsheet_texts(book: Any) -> list[tuple[str, str, Any]]:
    """(sheet, cell, value) of every text cell and every formula."""
    return [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) or cell.data_type == "f"
    ]


def cells_of(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


class Page(HTMLParser):
    """The tags of an HTML page with their attributes, and its visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def charts_of(page: Page) -> list[dict[str, str | None]]:
    """The chart images (``<figure class="chart"><img>``) in page order."""
    charts: list[dict[str, str | None]] = []
    in_chart = False
    for tag, attrs in page.tags:
        if tag == "figure":
            in_chart = "chart" in (attrs.get("class") or "").split()
        elif tag == "img" and in_chart:
            charts.append(attrs)
    return charts


def terminal_row(table: str, label: str) -> list[str]:
    """The cells of the terminal table's row that starts with ``label``."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{table}")


# -- XLSX -----------------------------------------------------------------------------------


def test_the_xlsx_has_a_sheet_per_section_and_the_jsons_figures_as_numbers(
    sos: Kronika, tmp_path: Path
) -> None:
    """Summary, district and ESF report, on SQLite and PostgreSQL: sheet for sheet, figure for figure."""
    populate(sos)
    for name in REPORTS:
        body = as_json(sos, name)
        path = tmp_path / f"{name}.xlsx"
        code = write(sos, name, "xlsx", path)
        book = load_workbook(path)
        assert book.worksheets[0].title == "Report"
        # Every cell under a section's header row, right of its labels, is a number.
        for sheet in book.worksheets[1:]:
            for row in sheet.iter_rows(min_row=3, min_col=2):
                for cell in row:
                    assert cell.data_type == "n", (name, sheet.title, cell.coordinate, cell.value)
                    assert isinstance(cell.value, int | float), (
                        name,
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
                    assert not isinstance(cell.value, bool)
        figures = xlsx_figures(book, body)
        assert set(figures) == set(body["figures"]), name
        for figure, value in body["figures"].items():
            assert figures[figure] == value, (name, figure)
        for section in body["sections"]:  # the JSON's tables say the same as its figures
            for row in section["rows"]:
                for column, value in row["values"].items():
                    assert body["figures"][f"{section['key']}.{row['key']}.{column}"] == value
        heading = about(book)
        assert heading["Report"] == f"{code} · {REPORT_NAMES[name]}"
        assert heading["Period"] == "2025-01-01 – 2025-12-31"
        assert heading["Profile"].startswith("standard v1 (the default): ")
        assert heading["Digest"] == body["digest"], "the same figures, parameters and profile as the JSON"
        assert all(isinstance(value, str) for value in heading.values())
    # Numbers from the journal, not a table of zeros: 60 + 11 × 1440 × 4 staff + 5 × 45 + 10 (contact) min.
    assert figures_of(sos)["work.hours.total"] == 1060.9


def figures_of(kronika: Kronika) -> dict[str, Any]:
    figures: dict[str, Any] = as_json(kronika, "summary")["figures"]
    return figures


# -- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(REPORTS))
def test_the_csv_has_every_figure_of_the_json_one_a_line(year: Kronika, name: str) -> None:
    body = as_json(year, name)
    out, err = issue(year, name, "--format", "csv")
    code = re.search(r"\b(V-\d{4})\b", err)
    assert code
    rows = csv_rows(out)
    figures = csv_figures(rows)
    assert set(figures) == set(body["figures"])
    for section in body["sections"]:
        for row in section["rows"]:
            for column in section["columns"]:
                figure = f"{section['key']}.{row['key']}.{column['key']}"
                title, label, header, value = figures[figure]
                assert (title, label, header) == (
                    shown(section["title"]),
                    shown(row["label"]),
                    shown(column["label"]),
                )
                expected = body["figures"][figure]
                assert float(value) == expected, figure
                if isinstance(expected, int):
                    assert value == str(expected), f"{figure}: a count is a whole number, not {value!r}"
    heading = csv_heading(rows)
    assert heading["Report"].startswith(code.group(1) + " · ")
    assert heading["Period"] == "2025-01-01 – 2025-12-31"
    assert heading["Digest"] == body["digest"]


# -- formula injection -------------------------------------------------------------------------


def test_districts_starting_a_formula_reach_the_district_rows_as_guarded_text(
    year: Kronika, tmp_path: Path
) -> None:
    figures = figures_of(year)
    out, _err = issue(year, "summary", "--format", "csv")
    rows = csv_rows(out)
    by_figure = csv_figures(rows)
    path = tmp_path / "summary.xlsx"
    write(year, "summary", "xlsx", path)
    book = load_workbook(path)
    districts = next(
        sheet for sheet in book.worksheets if sheet["A1"].value.startswith("Clients and interventions")
    )
    in_sheet = {row[0]: row[1:] for row in cells_of(districts)[2:]}
    for district in HOSTILE_DISTRICTS:
        # The JSON (no spreadsheet) keeps the text as it is; each district has its one client.
        assert figures[f"districts.{district}.clients"] == 1
        assert figures[f"districts.{district}.interventions"] == 1
        _section, row, _column, value = by_figure[f"districts.{district}.clients"]
        assert (row, value) == ("'" + district, "1")
        assert in_sheet["'" + district] == [1, 1]
    for number, line in enumerate(rows):
        for field in line:
            assert not field.startswith(FORMULA_STARTS), f"CSV line {number + 2}: {line}"
    for sheet, cell, value in spreadsheet_texts(book):
        assert isinstance(value, str), f"{sheet}!{cell} is a formula: {value!r}"
        assert not value.startswith(FORMULA_STARTS), f"{sheet}!{cell}: {value!r}"


@pytest.mark.parametrize("district", HOSTILE_DISTRICTS)
def test_a_district_report_asked_for_a_district_starting_a_formula_guards_its_name(
    year: Kronika, tmp_path: Path, district: str
) -> None:
    def district_report(*options: str) -> tuple[str, str]:
        code, out, err = year("report", "district", *PERIOD, *options, "--", district)
        assert code == 0, err
        return out, err

    body = json.loads(district_report("--format", "json")[0])
    assert body["parameters"]["district"] == district
    assert body["figures"]["district.clients.total"] == 1, "the district's one resident is found by that name"
    rows = csv_rows(district_report("--format", "csv")[0])
    assert csv_heading(rows)["District"] == "'" + district
    assert not [field for row in rows for field in row if field.startswith(FORMULA_STARTS)]
    path = tmp_path / "district.xlsx"
    district_report("--format", "xlsx", "-o", str(path))
    book = load_workbook(path)
    assert about(book)["District"] == "'" + district
    for sheet, cell, value in spreadsheet_texts(book):
        assert isinstance(value, str), f"{sheet}!{cell} is a formula: {value!r}"
        assert not value.startswith(FORMULA_STARTS), f"{sheet}!{cell}: {value!r}"
    assert xlsx_figures(book, body)["district.clients.total"] == 1


def test_an_installations_profile_named_like_a_formula_is_guarded_in_the_heading(
    year: Kronika, tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        'default = "@risk"\n[profiles."@risk"]\nversion = 1\ndescription = "=1+1"\n'
        'age_bands = ["0-17", "18+"]\nsessions_per_case = ["1", "2+"]\n'
        "intervention_min_minutes = 1\ncontact_min_minutes = 1\nesf_threshold_hours = 40\n",
        encoding="utf-8",
    )
    env = {"KRONIKA_REPORT_PROFILES": str(profiles)}
    out, _err = issue(year, "summary", "--format", "csv", **env)
    rows = csv_rows(out)
    assert csv_heading(rows)["Profile"] == "'@risk v1 (the default): =1+1"
    assert not [field for row in rows for field in row if field.startswith(FORMULA_STARTS)]
    path = tmp_path / "profile.xlsx"
    issue(year, "summary", "--format", "xlsx", "-o", str(path), **env)
    book = load_workbook(path)
    assert about(book)["Profile"] == "'@risk v1 (the default): =1+1"
    for sheet, cell, value in spreadsheet_texts(book):
        assert isinstance(value, str), f"{sheet}!{cell} is a formula: {value!r}"
        assert not value.startswith(FORMULA_STARTS), f"{sheet}!{cell}: {value!r}"


def test_referral_and_refusal_texts_never_reach_a_report(year: Kronika, tmp_path: Path) -> None:
    """The organisation, reasons and details are personal data: no format carries them."""
    texts = []
    for name in REPORTS:
        for fmt in ("json", "csv", "html", "table"):
            texts.append(issue(year, name, "--format", fmt)[0])
        path = tmp_path / f"{name}.xlsx"
        write(year, name, "xlsx", path)
        texts.append(repr(cells_of_book(load_workbook(path))))
    assert as_json(year, "summary")["figures"]["referrals.legal.accepted"] == 1
    assert as_json(year, "summary")["figures"]["refusals.b.count"] == 1
    for text in texts:
        for private in PRIVATE:
            assert private.lstrip("=+-@") not in text


def cells_of_book(book: Any) -> list[list[list[Any]]]:
    return [cells_of(sheet) for sheet in book.worksheets]


# -- HTML -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_report(year: Kronika, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Any]]:
    """The summary as an HTML page, the code it was issued as, and the same report as JSON."""
    path = tmp_path_factory.mktemp("html") / "summary.html"
    code = write(year, "summary", "html", path)
    return path, code, as_json(year, "summary")


@pytest.fixture(scope="module")
def chromium() -> Iterator[WebDriver]:
    """Debian's headless Chromium, once for the module."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        _service_missing("Chromium", f"no {', '.join(missing)}; apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as error:
        _service_missing("Chromium", f"headless Chromium does not start: {error.msg}")
    yield driver
    driver.quit()


def test_the_html_page_is_self_contained_escapes_user_text_and_holds_the_figures(
    html_report: tuple[Path, str, dict[str, Any]],
) -> None:
    path, code, body = html_report
    html = path.read_text(encoding="utf-8")
    page = Page(html)
    tags = {tag for tag, _attrs in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "base", "frame"}, tags
    for tag, attrs in page.tags:
        for attribute in ("src", "href", "srcset", "action", "data", "poster"):
            value = attrs.get(attribute)
            assert value is None or value.startswith(("data:", "#")), (tag, attribute, (value or "")[:80])
    assert "url(" not in html
    assert "@import" not in html
    # The district named <script>… is text: escaped in the source, read back as the name.
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT_DISTRICT in "".join(page.text)
    # The charts: clients and hours per form and month, age bands, referrals; SVG needing nothing else.
    charts = charts_of(page)
    assert [chart["alt"] for chart in charts] == CHART_TITLES["en"]
    for chart in charts:
        src = chart["src"] or ""
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.partition(",")[2]).decode()
        assert svg.lstrip().startswith("<?xml")
        assert svg.rstrip().endswith("</svg>")
        external = re.findall(r"""(?:href|src)\s*=\s*["'](?!#|data:)([^"']*)""", svg)
        assert not external, external
        assert not re.search(r"url\((?!#)|@import", svg)
    # What it is, and every figure of the JSON in its section's table.
    assert f"{code} · Summary report" in html
    assert "<title>Summary report 2025-01-01 – 2025-12-31</title>" in html
    for section in body["sections"]:
        for row in section["rows"]:
            figure = f"{section['key']}.{row['key']}"
            rendered = re.search(
                rf'<tr data-figure="{re.escape(escape_html(figure))}">(.*?)</tr>', html, re.DOTALL
            )
            assert rendered, figure
            cells = re.findall(r"<td>(.*?)</td>", rendered.group(1))
            assert cells[0] == escape_html(row["label"])
            assert [float(cell) for cell in cells[1:]] == list(row["values"].values()), figure


def escape_html(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_chromium_renders_every_chart_of_the_html_page_without_a_network(
    html_report: tuple[Path, str, dict[str, Any]], chromium: WebDriver
) -> None:
    from PIL import Image
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    path, code, _body = html_report
    chromium.get(path.as_uri())
    assert chromium.title == "Summary report 2025-01-01 – 2025-12-31"
    assert chromium.find_element(By.TAG_NAME, "h1").text == chromium.title
    assert chromium.find_element(By.CSS_SELECTOR, "dl.about dd").text == f"{code} · Summary report"
    assert code in chromium.find_element(By.TAG_NAME, "footer").text
    images = chromium.find_elements(By.CSS_SELECTOR, "figure.chart img")
    assert [image.get_attribute("alt") for image in images] == CHART_TITLES["en"]
    for image in images:
        title = image.get_attribute("alt")
        state = chromium.execute_script(
            "const i = arguments[0]; const r = i.getBoundingClientRect();"
            "return [i.complete, i.naturalWidth, i.naturalHeight, r.width, r.height];",
            image,
        )
        complete, natural_width, natural_height, width, height = state
        assert complete, title
        assert natural_width > 0, (title, state)
        assert natural_height > 0, (title, state)
        assert width > 100, (title, state)
        assert height > 50, (title, state)
        # Drawn: bars in the chart's colours, not a blank box.
        picture = Image.open(io.BytesIO(image.screenshot_as_png)).convert("HSV")
        saturation = picture.getchannel("S").histogram()
        coloured, pixels = sum(saturation[100:]), sum(saturation)
        assert coloured > pixels / 200, f"{title}: {coloured} coloured pixels of {pixels}"
    # The page loaded nothing but itself; no script ran; the hostile district is shown as text.
    loaded = chromium.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(name.startswith("data:") for name in loaded), loaded
    assert chromium.execute_script("return document.scripts.length") == 0
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert.accept()
    districts = [
        cell.text for cell in chromium.find_elements(By.CSS_SELECTOR, "section#districts td:first-child")
    ]
    assert SCRIPT_DISTRICT in districts
    assert set(HOSTILE_DISTRICTS) <= set(districts), "HTML is no spreadsheet: the names as they are"


# -- Czech and English --------------------------------------------------------------------------


LANGUAGES = {
    # how the language is chosen: (--lang option, KRONIKA_LANG), and the language expected
    "default": ((), None, "en"),
    "KRONIKA_LANG=cs": ((), "cs", "cs"),
    "--lang cs": (("--lang", "cs"), "en", "cs"),
    "--lang en over KRONIKA_LANG=cs": (("--lang", "en"), "cs", "en"),
}


@pytest.mark.parametrize("choice", list(LANGUAGES))
def test_labels_are_czech_or_english_in_every_format_and_the_figures_the_same(
    year: Kronika, tmp_path: Path, choice: str
) -> None:
    options, setting, expected = LANGUAGES[choice]

    def run(*more: str) -> str:
        # Nothing else chooses: KRONIKA_LANG as given (unset by default), a locale that is not Czech.
        code, out, err = year(
            "report", "summary", *PERIOD, *options, *more,
            KRONIKA_LANG=setting, LC_ALL=None, LC_MESSAGES=None, LANG="C.UTF-8",
        )  # fmt: skip
        assert code == 0, err
        return out

    english = figures_of(year)
    body = json.loads(run("--format", "json"))
    assert body["figures"] == english
    labelled = LABELLED[expected]
    other = LABELLED["cs" if expected == "en" else "en"]
    # JSON
    for figure, (title, row, column) in labelled.items():
        key, row_key, column_key = figure.split(".")
        section = next(s for s in body["sections"] if s["key"] == key)
        assert section["title"] == title
        assert next(r["label"] for r in section["rows"] if r["key"] == row_key) == row
        assert next(c["label"] for c in section["columns"] if c["key"] == column_key) == column
    # CSV
    rows = csv_rows(run("--format", "csv"))
    figures = csv_figures(rows)
    for figure, labels in labelled.items():
        assert tuple(figures[figure][:3]) == labels, figure
    assert {figure: float(line[3]) for figure, line in figures.items()} == english
    titles = {line[0] for line in figures.values()}
    assert not titles & {labels[0] for labels in other.values()}
    assert set(HEADINGS[expected]) <= set(csv_heading(rows))
    # XLSX
    path = tmp_path / "report.xlsx"
    assert run("--format", "xlsx", "-o", str(path)) == ""
    book = load_workbook(path)
    assert book.worksheets[0].title == HEADINGS[expected][0]
    assert set(HEADINGS[expected]) <= set(about(book))
    assert xlsx_figures(book, body) == english
    sheet_titles = [sheet["A1"].value for sheet in book.worksheets[1:]]
    for title, row, column in labelled.values():
        sheet = book.worksheets[1 + sheet_titles.index(title)]
        assert row in [cell.value for cell in sheet["A"]]
        assert column in [cell.value for cell in sheet[2]]
    # HTML
    html = run("--format", "html")
    page = Page(html)
    assert page.all("html")[0]["lang"] == expected
    assert [chart["alt"] for chart in charts_of(page)] == CHART_TITLES[expected]
    text = "".join(page.text)
    for title, row, column in labelled.values():
        assert escape_html(title) in html
        assert row in text
        assert column in text
    report_name = {"en": "Summary report", "cs": "Souhrnný výkaz"}[expected]
    assert f"<title>{report_name} 2025-01-01 – 2025-12-31</title>" in html
    # Table
    table = run()
    for word in (*HEADINGS[expected], report_name, *(labels[0] for labels in labelled.values())):
        assert word in table
    for word in (
        *HEADINGS["cs" if expected == "en" else "en"][:2],
        *(labels[0] for labels in other.values()),
    ):
        assert word not in table, word
    assert terminal_row(table, labelled["clients.total.count"][1]) == [str(english["clients.total.count"])]


# -- the terminal table ---------------------------------------------------------------------------


def test_the_terminal_table_shows_profile_period_and_formatted_numbers(year: Kronika) -> None:
    figures = figures_of(year)
    table, err = issue(year, "summary")
    assert err == ""
    code = re.search(r"\b(V-\d{4}) · Summary report", table)
    assert code, table
    assert re.search(r"Period +2025-01-01 – 2025-12-31", table)
    assert re.search(
        r"Profile +standard v1 \(the default\): Every session is an intervention and every contact counts\.",
        table,
    )
    assert re.search(r"Services +all", table)
    # Hours with a space between thousands and one decimal; counts as whole numbers.
    assert figures["work.hours.total"] == 1060.9
    # ambulatory: 60 + 2 × 45 + 10 min = 2.67 h; field: 11 × 1440 × 4 + 3 × 45 min = 1058.25 h.
    assert terminal_row(table, "direct-work hours (minutes × staff present)") == [
        "1 060.9",
        "2.7",
        "1 058.2",
        "0.0",
    ]
    assert figures["work.sessions.total"] == 17
    assert terminal_row(table, "sessions") == ["17", "3", "14", "0"]
    assert terminal_row(table, "2025-04") == ["0", "1", "0", "0.0", "1 056.0", "0.0"]
    assert terminal_row(table, "Total")[:1] == [str(figures["clients.total.count"])]
    assert "--explain clients.total.count" in table


@pytest.mark.parametrize("district", ["Praha 3 [centrum]", "Praha [/] 3"])
def test_the_terminal_table_shows_a_district_with_brackets_as_it_is(
    sqlite_sos: Kronika, district: str
) -> None:
    assert sqlite_sos.ok("client", "add", "--district", district, user="eva") == "K-0002"
    sqlite_sos.ok("case open K-0002 --service SOS --on 1.3.2025", user="eva")
    sqlite_sos.ok(SESSION.format(case="P-0002", minutes=50, day="3.3.2025"), user="eva")
    summary, _err = issue(sqlite_sos, "summary")
    assert terminal_row(summary, district) == ["1", "1"]
    code, out, err = sqlite_sos("report", "district", *PERIOD, "--", district)
    assert code == 0, err
    assert re.search(rf"District +{re.escape(district)} *\n", out), out
