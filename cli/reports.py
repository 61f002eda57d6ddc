"""``kronika report``: the figures services send to districts, regions, MPSV and ESF projects.

Each report is computed from the report_facts projection at one log
position and recorded as issued (``V-0001``) with its profile, parameters,
position and digest; ``report reproduce`` replays the log to that position
and proves the figures are the same. ``--explain FIGURE`` lists the entries
a figure counts instead of issuing the report.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.app import App, emit_json, json_option, pass_app, table
from cli.i18n import _, set_language
from cli.params import ListType, check_period, parse_date
from cli.reads import read_models
from domain.commands import IssueReport
from domain.staff import Duty

if TYPE_CHECKING:
    from projections.reports.figures import Explanation, Report
    from projections.reports.profiles import Profiles

FORMATS = ("table", "csv", "json", "xlsx", "html")


class DayType(click.ParamType):
    """A calendar day on the services' clock: 2025-03-01 or 1.3.2025."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            self.fail(
                _("{value!r} is not a date like 2025-03-01 or 1.3.2025").format(value=value), param, ctx
            )


DAY = DayType()


class HoursType(click.FloatRange):
    """A number of hours above 0 and at most 10,000; ``nan`` is no number of hours."""

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True, max=10_000)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        hours: float = super().convert(value, param, ctx)
        if math.isnan(hours):
            self.fail(_("{value!r} is not a number of hours; give e.g. 40").format(value=value), param, ctx)
        return hours


def report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every report shares: period, profile, format, output, language, explain."""
    options = [
        click.option("--from", "start", type=DAY, required=True, help="First day of the period."),
        click.option("--to", "end", type=DAY, required=True, help="Last day of the period (included)."),
        click.option("--profile", help="Report profile (default: the profiles file's default)."),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="Output format.",
        ),
        click.option(
            "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
        ),
        click.option("--lang", type=click.Choice(["cs", "en"]), help="Labels in Czech or English."),
        click.option(
            "--explain", "figure", help="List the entries one figure counts, e.g. clients.field.count."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group()
def report() -> None:
    """Funder and quality reports, reproducible to the event.

    Example: kronika report summary --from 1.1.2025 --to 31.12.2025 --format html -o sos-2025.html
    """


@report.command("summary")
@click.option(
    "--service", "services", type=ListType(), help="Only these services (A,B); default: all you may see."
)
@report_options
@pass_app
def summary_command(app: App, services: list[str] | None, **options: Any) -> None:
    """Clients, direct-work hours, sessions, interventions, contacts, cases, referrals, refusals,
    ages, sessions per case and districts, for a period.

    Example: kronika report summary --from 1.1.2025 --to 31.12.2025 --service SOS
    """
    _issue(app, "summary", services or None, {}, **options)


@report.command("district")
@click.argument("name")
@click.option(
    "--service", "services", type=ListType(), help="Only these services (A,B); default: all you may see."
)
@report_options
@pass_app
def district_command(app: App, name: str, services: list[str] | None, **options: Any) -> None:
    """The clients resident in one district and their interventions, and how many did not state residence.

    Example: kronika report district "Praha 3" --from 1.1.2025 --to 31.12.2025
    """
    district = " ".join(name.split())
    if not district or len(district) > 100:
        raise click.BadParameter(_("give the district's name as the clients' records state it"))
    _issue(app, "district", services or None, {"district": district}, **options)


@report.command("esf")
@click.option("--services", "services", type=ListType(), required=True, help="The project's services (A,B).")
@click.option(
    "--threshold-hours",
    type=HoursType(),
    help="Client hours from which a person is a participant (default: the profile's, usually 40).",
)
@report_options
@pass_app
def esf_command(app: App, services: list[str], threshold_hours: float | None, **options: Any) -> None:
    """Distinct persons at or above the threshold of client time, and below it; anonymous apart.

    A person served by two of the project's services counts once.

    Example: kronika report esf --from 1.1.2022 --to 31.12.2024 --services AZYL,DPC --threshold-hours 40
    """
    if not services:
        raise click.BadParameter(_("name the project's services, e.g. --services AZYL,DPC"))
    _issue(app, "esf", services, {"threshold_hours": threshold_hours}, **options)


@report.command("reproduce")
@click.argument("code")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="Also write the reproduced report in this format."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--lang", type=click.Choice(["cs", "en"]), help="Labels in Czech or English.")
@click.option("--explain", "figure", help="List the entries one figure counted when the report was issued.")
@pass_app
def reproduce_command(
    app: App, code: str, fmt: str | None, output: Path | None, lang: str | None, figure: str | None
) -> None:
    """Recompute an issued report from the log up to its position and prove its figures are the same.

    Later corrections play no part. Exits 1 if any figure differs, naming it.

    Example: kronika report reproduce V-0001
    """
    from projections.reports.reproduce import reproduce

    if lang:
        set_language(lang)
    if output is not None and fmt is None:
        fmt = "table"
    _check_output(fmt, output, explaining=figure is not None)
    issued = app.journal.report(code, actor=app.actor)
    reproduction = _guarded(lambda: reproduce(app.journal, issued, explain=figure))
    if reproduction.explanation is not None:
        _explain(reproduction.explanation, fmt or "table", output)
        return
    if fmt is not None:
        _emit(reproduction.report, fmt, output, code=issued.code, default_profile=None)
    if not reproduction.same:
        for name, then, now in reproduction.differences:
            click.echo(
                _("{figure}: issued {then}, now {now}").format(figure=name, then=then, now=now), err=True
            )
        raise click.ClickException(
            _("report {code} does not reproduce: {n} figures differ from what was issued").format(
                code=issued.code, n=len(reproduction.differences)
            )
        )
    click.echo(
        _(
            "Report {code} reproduced from the log up to position {position}: "
            "the same {n} figures, digest {digest}"
        ).format(code=issued.code, position=issued.position, n=len(issued.figures), digest=issued.digest),
        err=fmt is not None and output is None,
    )


@report.command("profiles")
@json_option
@pass_app
def profiles_command(app: App, as_json: bool) -> None:
    """The report profiles: what counts as an intervention or a contact, age bands, the ESF threshold.

    Add your own in a file named by KRONIKA_REPORT_PROFILES (see docs/reports.md).

    Example: kronika report profiles
    """
    profiles = _profiles(app)
    if as_json:
        emit_json(
            [p.as_record() | {"default": p.name == profiles.default} for p in profiles.by_name.values()]
        )
        return
    table(
        _("Report profiles"),
        [_("Profile"), _("Intervention from"), _("Contact from"), _("Age bands"), "ESF", _("Description")],
        [
            (
                p.title + (" *" if p.name == profiles.default else ""),
                f"{p.intervention_min_minutes} min",
                f"{p.contact_min_minutes} min",
                ", ".join(b.label for b in p.age_bands),
                f"{p.esf_threshold_hours:g} h",
                _(p.description),
            )
            for p in profiles.by_name.values()
        ],
    )
    click.echo(_("* the default profile"))


# -- issuing ---------------------------------------------------------------------------


def _issue(
    app: App,
    name: str,
    services: list[str] | None,
    extra: dict[str, Any],
    *,
    start: date,
    end: date,
    profile: str | None,
    fmt: str,
    output: Path | None,
    lang: str | None,
    figure: str | None,
) -> None:
    from projections.reports.figures import compute

    if lang:
        set_language(lang)
    check_period(start, end)
    _check_output(fmt, output, explaining=figure is not None)
    profiles = _profiles(app)
    chosen = _guarded(lambda: profiles.get(profile))
    scope = app.journal.report_scope(services, actor=app.actor)
    parameters: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "services": scope}
    if name == "esf":
        extra = {"threshold_hours": extra["threshold_hours"] or chosen.esf_threshold_hours}
    parameters.update(extra)
    with read_models(app, ("report_facts",), Duty.REPORT) as reading:
        result, explanation = _guarded(lambda: compute(reading.conn, name, chosen, parameters, figure))
    if explanation is not None:
        _explain(explanation, fmt, output)
        return
    code = app.record(
        IssueReport(
            report=name,
            profile=chosen.as_record(),
            parameters=parameters,
            position=result.position,
            digest=result.digest,
            figures=result.figures,
        ),
        None,
    )
    try:
        _emit(result, fmt, output, code=code, default_profile=profiles.default)
    except CannotWrite as error:
        raise click.ClickException(
            _(
                "report {code} was issued but cannot be written to {file}: {why}; "
                "write it again with: kronika report reproduce {code} --format {format} -o FILE"
            ).format(code=code, file=error.output, why=error.why, format=fmt)
        ) from None
    if output is not None or fmt != "table":
        click.echo(
            _("Issued as {code}; reproduce it with: kronika report reproduce {code}").format(code=code),
            err=True,
        )


def _profiles(app: App) -> Profiles:
    from projections.reports.profiles import load_profiles

    return _guarded(lambda: load_profiles(app.settings.report_profiles))


def _guarded(work: Callable[[], Any]) -> Any:
    """Run ``work``, turning report mistakes into one line."""
    from projections.reports.figures import UnknownFigure
    from projections.reports.profiles import ProfileError

    try:
        return work()
    except ProfileError as error:
        raise click.ClickException(str(error)) from None
    except UnknownFigure as error:
        sample = ", ".join(error.known[:4])
        raise click.ClickException(
            _("the report has no figure {figure}; figures look like {sample} (see --format json)").format(
                figure=error.figure, sample=sample
            )
        ) from None


def _check_output(fmt: str | None, output: Path | None, *, explaining: bool) -> None:
    """Refuse before anything is computed or recorded: a format that cannot hold what is asked for,
    a spreadsheet without a file, a file named for another format, a file without a folder.
    """
    if explaining and fmt in ("xlsx", "html"):
        message = _("--explain lists entries as a table, CSV or JSON, not {format}: use --format csv or json")
        raise click.BadParameter(message.format(format=fmt.upper()))
    if fmt == "xlsx" and output is None:
        raise click.BadParameter(_("an XLSX report goes to a file: add --output report.xlsx"))
    named = output.suffix.lower().lstrip(".") if output is not None else ""
    if fmt == "table" and named in ("csv", "json", "xlsx", "html"):
        # Writing CSV into report.csv used to happen silently; a table in it would surprise just as much.
        raise click.BadParameter(
            _("{file} is named like a {format} file, but the format is a table: add --format {name}").format(
                file=output, format=named.upper(), name=named
            )
        )
    if output is None:
        return
    if not output.name:  # an empty --output (click refuses a folder; a device is written to)
        raise click.BadParameter(
            _("{file} is not a file to write into; name one, e.g. --output report.csv").format(file=output)
        )
    if not output.parent.resolve().is_dir():
        raise click.BadParameter(
            _("there is no folder {folder} to write {file} into").format(
                folder=output.parent, file=output.name
            )
        )
    if not os.access(output if output.exists() else output.parent, os.W_OK):
        raise click.BadParameter(_("you may not write {file}").format(file=output))


def _emit(
    result: Report, fmt: str, output: Path | None, *, code: str | None, default_profile: str | None
) -> None:
    from cli.report_output import print_table, render

    if fmt == "table":
        _drawn(lambda: print_table(result, code, default_profile), output)
        return
    _write(render(result, fmt, code=code, default_profile=default_profile), output)


def _drawn(draw: Callable[[], None], output: Path | None) -> None:
    """A terminal table on the terminal, or as plain text in ``output`` (as it shows piped into a file)."""
    if output is None:
        draw()
        return
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        draw()
    _write(text.getvalue(), output)


class CannotWrite(click.ClickException):
    def __init__(self, output: Path, why: str) -> None:
        super().__init__(_("cannot write {file}: {why}").format(file=output, why=why))
        self.output = output
        self.why = why


def _write(content: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            click.echo(content, nl=False)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as error:
        raise CannotWrite(output, error.strerror or str(error)) from None


def _explain(explanation: Explanation, fmt: str, output: Path | None) -> None:
    import csv
    import json

    figure, value = explanation.figure, explanation.value
    rows = [item.explained() for item in explanation.items]
    if fmt == "json":
        _write(
            json.dumps({"figure": figure, "value": value, "entries": rows}, ensure_ascii=False, indent=2)
            + "\n",
            output,
        )
        return
    if fmt == "csv":
        from cli.report_output import safe_cell

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["entry", "service", "client", "day", "detail"])
        for row in rows:
            writer.writerow(
                [safe_cell(row[k] or "") for k in ("entry", "service", "client", "day", "detail")]
            )
        _write(out.getvalue(), output)
        return
    _drawn(
        lambda: table(
            _("{figure} = {value}: counted from {n} entries").format(figure=figure, value=value, n=len(rows)),
            [_("Entry"), _("Service"), _("Client"), _("Day"), _("What")],
            [(r["entry"], r["service"], r["client"] or "—", r["day"], r["detail"]) for r in rows],
        ),
        output,
    )


def register(cli: click.Group) -> None:
    cli.add_command(report)
