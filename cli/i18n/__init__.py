"""Labels and messages in Czech and English.

Messages are written in English in the code and looked up by that text in
the Czech catalogue, gettext-style; a test checks every message has a
translation.
"""

from __future__ import annotations

from cli.i18n.cs import MESSAGES as CZECH

_language = "en"


def set_language(language: str) -> None:
    global _language  # noqa: PLW0603 - one process, one language, chosen at start-up
    _language = language


def language() -> str:
    return _language


def _(message: str) -> str:
    if _language == "cs":
        return CZECH.get(message, message)
    return message
