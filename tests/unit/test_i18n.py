"""Every message the CLI shows has a Czech translation with the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from cli.i18n import _, set_language
from cli.i18n.cs import MESSAGES
from cli.report_labels import LABELS, REPORT_NAMES, TITLES
from domain.case import EntryKind
from domain.staff import Duty
from domain.vocabulary import Form
from projections.findings import RULES
from projections.reports.profiles import Profile, load_profiles

CLI = Path(__file__).resolve().parents[2] / "cli"


def _literal_messages() -> set[str]:
    found = set()
    for path in CLI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_the_cli_shows_messages_at_all() -> None:
    assert len(_literal_messages()) > 50


@pytest.mark.parametrize("message", sorted(_literal_messages()))
def test_every_message_has_a_czech_translation_with_the_same_placeholders(message: str) -> None:
    assert message in MESSAGES
    assert _placeholders(MESSAGES[message]) == _placeholders(message)


@pytest.mark.parametrize(
    "word", [k.value for k in EntryKind] + [str(d) for d in Duty] + list(RULES) + [f.value for f in Form]
)
def test_entry_kinds_duties_finding_rules_and_forms_are_translated(word: str) -> None:
    assert word in MESSAGES


@pytest.mark.parametrize("text", sorted({*LABELS.values(), *TITLES.values(), *REPORT_NAMES.values()}))
def test_every_report_label_and_title_is_translated(text: str) -> None:
    assert text in MESSAGES


@pytest.mark.parametrize("profile", list(load_profiles().by_name.values()), ids=lambda p: p.name)
def test_the_shipped_report_profiles_are_described_in_czech(profile: Profile) -> None:
    """An installation describes its own profiles in its own words; the shipped ones were English only."""
    assert profile.description
    assert MESSAGES[profile.description] != profile.description


def test_language_switches_the_lookup() -> None:
    try:
        set_language("cs")
        assert _("Error") == "Chyba"
        set_language("en")
        assert _("Error") == "Error"
    finally:
        set_language("en")


def test_czech_translations_are_not_left_in_english() -> None:
    same = [k for k, v in MESSAGES.items() if k == v and re.search(r"[a-z]{4,}", re.sub(r"\{[^}]*\}", "", k))]
    assert set(same) <= {"Login", "Role"}
