"""Labels and messages in Czech and English.

Messages are written in English in the code and looked up by that text in
the Czech catalogue, gettext-style; a test checks every message has a
translation.
"""

from __future__ import annotations

_language = "en"
_catalogue: dict[str, str] = {}  # the chosen language's messages; English needs none


def set_language(language: str) -> None:
    global _language, _catalogue  # noqa: PLW0603 - one process, one language, chosen at start-up
    if "cs" in (language, _language):  # click's own messages too; English is click's and needs nothing
        from cli.i18n import click_cs

        click_cs.install(language == "cs")
    _language = language
    if language == "cs":
        from cli.i18n.cs import MESSAGES  # loaded only for Czech: a big module every command would pay for

        _catalogue = MESSAGES
    else:
        _catalogue = {}


def language() -> str:
    return _language


def _(message: str) -> str:
    return _catalogue.get(message, message)
