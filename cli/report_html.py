"""A report as one self-contained HTML page a coordinator can attach to a grant report.

Charts are drawn by matplotlib as SVG (text as paths, so no fonts are
needed) and embedded as data URIs: the page loads nothing from anywhere.
Jinja2 escapes every value, so a district named ``<script>`` stays text.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from cli.i18n import _, language
from cli.report_labels import REPORT_NAMES, heading, label, row_label, title
from projections.reports.figures import FORMS, Report, Section

_COLOURS = ["#1b6ca8", "#e07a1f", "#4d9a4d", "#b33c3c", "#7d5ba6", "#8c6d46", "#5f6b73"]


def page(report: Report, code: str | None, default_profile: str | None) -> str:
    environment = Environment(
        loader=PackageLoader("cli", "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True
    )
    template = environment.get_template("report.html")
    return template.render(
        heading=heading(report, code, default_profile),
        report_title=title_of(report),
        charts=charts(report),
        sections=[_table(section) for section in report.sections],
        language=language(),
        footer=_(
            "Every figure can be traced to its entries with: kronika report reproduce {code} --explain FIGURE"
        ).format(code=code or "V-…"),
    )


def title_of(report: Report) -> str:
    return f"{_(REPORT_NAMES[report.report])} {report.parameters['from']} – {report.parameters['to']}"


def _table(section: Section) -> dict[str, Any]:
    return {
        "title": title(section),
        "key": section.key,
        "columns": [label(c) for c in section.columns],
        "rows": [(row_label(section, row), f"{section.key}.{row}", values) for row, values in section.rows],
    }


def charts(report: Report) -> list[dict[str, str]]:
    """The summary's charts: clients and hours per form and month, age bands, referrals."""
    keys = {s.key for s in report.sections}
    drawn = []
    if "months" in keys and report.section("months").rows:
        months = report.section("months")
        for measure, name in (
            ("clients", _("Clients by form and month")),
            ("hours", _("Direct-work hours by form and month")),
        ):
            series = {
                _(form): [values[months.columns.index(f"{measure}-{form}")] for _row, values in months.rows]
                for form in FORMS
            }
            drawn.append(_chart(name, [row for row, _v in months.rows], series, stacked=False))
    if "ages" in keys:
        ages = report.section("ages")
        drawn.append(
            _chart(
                _("Clients by age band"),
                [row_label(ages, row) for row, _v in ages.rows],
                {_("Clients"): [values[0] for _row, values in ages.rows]},
                stacked=False,
            )
        )
    if "referrals" in keys:
        referrals = report.section("referrals")
        rows = [(row, values) for row, values in referrals.rows if row != "total"]
        outcomes = [c for c in referrals.columns if c != "total"]
        drawn.append(
            _chart(
                _("Referrals by kind and outcome"),
                [row_label(referrals, row) for row, _v in rows],
                {label(o): [values[referrals.columns.index(o)] for _row, values in rows] for o in outcomes},
                stacked=True,
            )
        )
    return drawn


def _chart(
    name: str, categories: list[str], series: dict[str, list[float]], *, stacked: bool
) -> dict[str, str]:
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "path"  # text as outlines: the page needs no fonts
    matplotlib.rcParams["svg.hashsalt"] = "kronika"  # the same report gives the same page
    figure = Figure(figsize=(9, 3.6), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(categories)))
    width = 0.8 if stacked else 0.8 / max(len(series), 1)
    bottom = [0.0] * len(categories)
    for index, (serie, values) in enumerate(series.items()):
        colour = _COLOURS[index % len(_COLOURS)]
        if stacked:
            axes.bar(positions, values, width, bottom=bottom, label=serie, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            offset = (index - (len(series) - 1) / 2) * width
            axes.bar([p + offset for p in positions], values, width, label=serie, color=colour)
    axes.set_xticks(
        positions,
        categories,
        rotation=30 if len(categories) > 6 else 0,
        ha="right" if len(categories) > 6 else "center",
    )
    axes.set_title(name, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize="small", ncols=min(len(series), 5))
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    encoded = base64.b64encode(out.getvalue()).decode("ascii")
    return {"title": name, "src": f"data:image/svg+xml;base64,{encoded}"}
