"""A report as a terminal table, CSV, JSON, XLSX or a self-contained HTML page with charts.

Every format carries the same figures under the same ids; the spreadsheet
formats never let text from users start a formula.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cli.i18n import _
from cli.report_labels import heading, label, row_label, title
from projections.reports.figures import Report, Section

FORMATS = ("table", "csv", "json", "xlsx", "html")
BINARY = ("xlsx",)

# A spreadsheet reads a cell starting with these as a formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def render(report: Report, fmt: str, *, code: str | None, default_profile: str | None) -> str | bytes:
    if fmt == "json":
        return json.dumps(as_json(report, code, default_profile), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(report, code, default_profile)
    if fmt == "xlsx":
        return _xlsx(report, code, default_profile)
    if fmt == "html":
        from cli.report_html import page

        return page(report, code, default_profile)
    raise ValueError(fmt)


def as_json(report: Report, code: str | None, default_profile: str | None) -> dict[str, Any]:
    """The report for programs; ``profile_is_default`` is None when not known (a reproduced report)."""
    return {
        "code": code,
        "report": report.report,
        "profile": report.profile.as_record(),
        "profile_is_default": None if default_profile is None else report.profile.name == default_profile,
        "parameters": report.parameters,
        "position": report.position,
        "digest": report.digest,
        "sections": [
            {
                "key": section.key,
                "title": title(section),
                "columns": [{"key": c, "label": label(c)} for c in section.columns],
                "rows": [
                    {
                        "key": row,
                        "label": row_label(section, row),
                        "values": dict(zip(section.columns, values, strict=True)),
                    }
                    for row, values in section.rows
                ],
            }
            for section in report.sections
        ],
        "figures": report.figures,
    }


def print_table(report: Report, code: str | None, default_profile: str | None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = Console() if Console().is_terminal else Console(width=200)
    about = Table(show_header=False, box=None)
    for name, value in heading(report, code, default_profile):
        about.add_row(Text(name), Text(value))
    console.print(about)
    for section in report.sections:
        console.print(f"\n[bold]{escape(title(section))}[/bold]")
        view = Table()
        view.add_column("")
        for column in section.columns:
            view.add_column(label(column), justify="right")
        for row, values in section.rows:
            view.add_row(Text(row_label(section, row)), *(_number(v) for v in values))
        console.print(view)
    example = next(iter(report.figures), "")
    console.print(
        _("Trace any figure to its entries with --explain, e.g. --explain {figure}").format(figure=example)
    )


def _number(value: float) -> str:
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text.replace(",", " ")


def _csv(report: Report, code: str | None, default_profile: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", _("Section"), _("Row"), _("Column"), _("Value")])
    for name, about in heading(report, code, default_profile):
        writer.writerow(["", _("Report"), safe_cell(name), "", safe_cell(about)])
    for section in report.sections:
        for row, values in section.rows:
            for column, value in zip(section.columns, values, strict=True):
                writer.writerow(
                    [
                        safe_cell(section.figure(row, column)),
                        safe_cell(title(section)),
                        safe_cell(row_label(section, row)),
                        safe_cell(label(column)),
                        value,
                    ]
                )
    return out.getvalue()


def _xlsx(report: Report, code: str | None, default_profile: str | None) -> bytes:
    """One sheet about the report, then one sheet per section; figures as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _("Report")
    for name, value in heading(report, code, default_profile):
        about.append([safe_cell(name), safe_cell(value)])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    used: set[str] = {about.title}
    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section, used))
        sheet.append([safe_cell(title(section))])
        sheet["A1"].font = Font(bold=True)
        sheet.append(["", *(safe_cell(label(c)) for c in section.columns)])
        for row, values in section.rows:
            sheet.append([safe_cell(row_label(section, row)), *values])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(section: Section, used: set[str]) -> str:
    """A sheet title: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join(ch for ch in title(section) if ch not in "[]:*?/\\")[:28].strip() or section.key
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
