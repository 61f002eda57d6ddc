"""Click's own messages and help headings in Czech.

Click translates through the standard library's ``gettext`` (``_`` and
``ngettext`` imported into each of its modules), which finds catalogues only
as compiled ``.mo`` files under a locale directory chosen by environment
variables. Kronika's language is a setting, not a locale, so ``set_language``
points those module names at these tables instead (``install``).
"""

from __future__ import annotations

import gettext
import importlib

# Click's modules that translate, as named in click 8.x (``from gettext import gettext as _``).
_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
)

MESSAGES = {
    "Usage:": "Použití:",
    "Options": "Volby",
    "Commands": "Příkazy",
    "Positional arguments": "Poziční argumenty",
    "Show this message and exit.": "Zobrazí tuto nápovědu a skončí.",
    "Show the version and exit.": "Zobrazí verzi a skončí.",
    "%(prog)s, version %(version)s": "%(prog)s, verze %(version)s",
    "Aborted!": "Přerušeno!",
    "Error: {message}": "Chyba: {message}",
    "Invalid value: {message}": "Neplatná hodnota: {message}",
    "Invalid value for {param_hint}: {message}": "Neplatná hodnota pro {param_hint}: {message}",
    "Missing argument": "Chybí argument",
    "Missing option": "Chybí volba",
    "Missing parameter": "Chybí parametr",
    "Missing {param_type}": "Chybí {param_type}",
    "Missing parameter: {param_name}": "Chybí parametr: {param_name}",
    "Missing command.": "Chybí příkaz.",
    "No such option {name!r}.": "Volba {name!r} neexistuje.",
    "No such command {name!r}.": "Příkaz {name!r} neexistuje.",
    "{value!r} is not a valid {number_type}.": "{value!r} není platné číslo.",
    "{value} is not in the range {range}.": "{value} není v rozsahu {range}.",
    "{value!r} is not a valid UUID.": "{value!r} není platné UUID.",
    "file": "soubor",
    "directory": "adresář",
    "path": "cesta",
    "{name} {filename!r} does not exist.": "{name} {filename!r} neexistuje.",
    "{name} {filename!r} is a file.": "{name} {filename!r} je soubor.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} je adresář.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} nelze číst.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} nelze zapisovat.",
    "Option {name!r} does not take a value.": "Volba {name!r} nebere hodnotu.",
    "default: {default}": "výchozí: {default}",
}

# (singular, plural) as click gives them to ``ngettext``: Czech singular and plural.
PLURALS = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Měli jste na mysli {possibility}?",
        "(Měli jste na mysli jedno z: {possibilities}?)",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} není {choice}.",
        "{value!r} není žádné z {choices}.",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Nečekaný argument navíc ({args})",
        "Nečekané argumenty navíc ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Volba {name!r} potřebuje hodnotu.",
        "Volba {name!r} potřebuje {nargs} hodnot.",
    ),
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install(czech: bool) -> None:
    """Click's messages in Czech, or back to the standard library's ``gettext`` (English)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        module._ = _gettext if czech else gettext.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext if czech else gettext.ngettext  # type: ignore[attr-defined]
