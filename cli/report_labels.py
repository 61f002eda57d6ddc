"""Labels of report sections, rows and columns, in the language chosen (English in code, Czech in cs.py).

Row keys that are data (districts, months, services) are shown as they are,
except "not stated".
"""

from __future__ import annotations

from typing import Any

from cli.i18n import _
from projections.reports.figures import Report, Section

TITLES = {
    "clients": "Clients",
    "work": "Direct work",
    "months": "Clients and direct-work hours by month",
    "cases": "Cases",
    "referrals": "Referrals by kind and outcome",
    "refusals": "Applicants refused (§91(3)) by reason",
    "ages": "Clients by age at their first direct work in the period",
    "sessions-per-case": "Cases by number of sessions in the period",
    "districts": "Clients and interventions by district of residence",
    "district": "Clients resident in the district and their direct work",
    "left-out": "Not included: no stated residence, or anonymous",
    "esf": "ESF project: participants at or above the threshold of client time",
    "esf-services": "Persons and client hours by service (a person served by two services is in both)",
}

LABELS = {
    # columns
    "count": "Number",
    "total": "Total",
    "clients": "Clients",
    "interventions": "Interventions",
    "cases": "Cases",
    "persons": "Persons",
    "client-hours": "Client hours",
    # forms
    "ambulatory": "ambulatory",
    "field": "field",
    "residential": "residential",
    # rows
    "more-than-one-form": "of them in more than one form",
    "identified": "of them identified",
    "pseudonymous": "of them pseudonymous",
    "anonymous": "of them anonymous",
    "anonymous-contacts": "anonymous contacts (no client code; not in the clients)",
    "hours": "direct-work hours (minutes × staff present)",
    "sessions": "sessions",
    "contacts": "contacts",
    "opened": "opened",
    "reopened": "reopened",
    "closed": "closed",
    "open-at-end": "open at the end of the period",
    "goal-met": "goal met",
    "client-ended": "client ended",
    "lost-contact": "lost contact",
    "referred": "referred elsewhere",
    "contract-terminated": "contract terminated",
    "other": "other",
    "psychiatric": "psychiatric",
    "legal": "legal",
    "shelter": "shelter",
    "police": "police",
    "child-protection": "child protection (OSPOD)",
    "medical": "medical",
    "accepted": "accepted",
    "declined": "declined",
    "no-show": "no-show",
    "unknown": "unknown",
    "none": "no outcome yet",
    "a": "(a) not provided / outside the target group",
    "b": "(b) no capacity",
    "c": "(c) health excludes a residential service",
    "d": "(d) contract terminated less than 6 months ago",
    "not-stated": "not stated",
    "clients-not-stated": "clients who did not state their residence",
    "participants": "participants (at or above the threshold)",
    "below-threshold": "persons below the threshold",
    "anonymous-clients": "anonymous clients (never participants)",
}

_COMPOSED = {"clients-": "clients", "hours-": "hours", "closed-": "closed"}

REPORT_NAMES = {
    "summary": "Summary report",
    "district": "District report",
    "esf": "ESF project report",
}


def label(key: str) -> str:
    if key in LABELS:
        return _(LABELS[key])
    for prefix, head in _COMPOSED.items():
        if key.startswith(prefix) and key[len(prefix) :] in LABELS:
            short = _("direct-work hours") if head == "hours" else _(head)
            return f"{short}: {_(LABELS[key[len(prefix) :]])}"
    return key


def row_label(section: Section, key: str) -> str:
    if section.data_rows and key != "not-stated":
        return key
    return label(key)


def title(section: Section) -> str:
    return _(TITLES[section.key])


def heading(report: Report, code: str | None, default_profile: str | None) -> list[tuple[str, str]]:
    """What a report is: its code, period, services, profile and position, as label/value pairs."""
    parameters = report.parameters
    profile = report.profile
    profile_text = f"{profile.title}"
    if default_profile is not None and profile.name == default_profile:
        profile_text += " " + _("(the default)")
    pairs: list[tuple[str, Any]] = [
        (_("Report"), f"{code or _('not issued')} · {_(REPORT_NAMES[report.report])}"),
        (_("Period"), f"{parameters['from']} – {parameters['to']}"),
        (_("Services"), ", ".join(parameters["services"]) if parameters.get("services") else _("all")),
    ]
    if "district" in parameters:
        pairs.append((_("District"), parameters["district"]))
    if "threshold_hours" in parameters:
        pairs.append((_("Threshold"), f"{parameters['threshold_hours']:g} h"))
    pairs += [
        (_("Profile"), f"{profile_text}: {_(profile.description)}"),  # the shipped ones are translated
        (_("Log position"), str(report.position)),
        (_("Digest"), report.digest),
    ]
    return pairs
