"""People-facing codes (K-0001, P-0001#3) and the identities behind them.

Codes are sequential per installation. Each coded record is an aggregate
whose id is derived from its code, so a code needs no lookup table and two
writers who pick the same next code collide on that id and one retries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from uuid import UUID, uuid5

from domain.errors import InvalidValue

_NAMESPACE = UUID("6d3f1c52-5a4b-4e57-9a41-6b726f6e696b")


class CodeKind(StrEnum):
    """The letter in front of a code says what it names."""

    CLIENT = "K"  # klient
    CASE = "P"  # případ
    ENQUIRY = "E"
    REFERRAL = "R"
    CONTACT = "C"  # a contact logged outside any case
    COMPLAINT = "S"  # stížnost
    REPORT = "V"  # výkaz: an issued report

    @property
    def noun(self) -> str:
        return self.name.lower()


_CODE = re.compile(r"^\s*([A-Za-z])-?0*(\d{1,9})\s*$")
_ENTRY = re.compile(r"^\s*([A-Za-z])-?0*(\d{1,9})\s*#\s*(\d{1,6})\s*$")
_SERVICE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,23}$")
_LOGIN = re.compile(r"^[a-z_][a-z0-9._-]{0,47}$")


def format_code(kind: CodeKind, number: int) -> str:
    return f"{kind.value}-{number:04d}"


def parse_code(text: str, kind: CodeKind) -> str:
    """Normalise a typed code: ``k-1`` and ``K-0001`` both mean ``K-0001``."""
    match = _CODE.match(text)
    if not match or match.group(1).upper() != kind.value or int(match.group(2)) == 0:
        raise InvalidValue(kind.noun, f"{text!r} is not a {kind.noun} code like {format_code(kind, 1)}")
    return format_code(kind, int(match.group(2)))


def code_kind(text: str) -> CodeKind | None:
    match = _CODE.match(text)
    if not match:
        return None
    try:
        return CodeKind(match.group(1).upper())
    except ValueError:
        return None


@dataclass(frozen=True)
class EntryRef:
    """An entry of a case: ``P-0001#3`` is the third thing recorded on P-0001."""

    case: str
    number: int

    def __str__(self) -> str:
        return f"{self.case}#{self.number}"

    @classmethod
    def parse(cls, text: str) -> EntryRef:
        match = _ENTRY.match(text)
        if (
            not match
            or match.group(1).upper() != CodeKind.CASE.value
            or int(match.group(2)) == 0
            or int(match.group(3)) == 0
        ):
            raise InvalidValue(
                "entry", f"{text!r} is not an entry like P-0001#3 or a contact code like C-0001"
            )
        return cls(format_code(CodeKind.CASE, int(match.group(2))), int(match.group(3)))


def parse_service_code(text: str) -> str:
    code = text.strip().upper()
    if not _SERVICE_CODE.match(code):
        raise InvalidValue(
            "service", f"{text!r} is not a service code (letters, digits, '-' or '_', at most 24)"
        )
    return code


def parse_login(text: str) -> str:
    login = text.strip()
    if not _LOGIN.match(login):
        raise InvalidValue("login", f"{text!r} is not a login (lower-case letters, digits, '.', '_', '-')")
    return login


# The ids are hashes (uuid5), asked for again and again by a batch of commands (an import asks
# for each receipt's three times, for the acting staff member's on every line): remembered.


@lru_cache(maxsize=4096)
def coded_id(code: str) -> UUID:
    """The aggregate id of a coded record (client, case, enquiry, ...)."""
    return uuid5(_NAMESPACE, f"code:{code}")


@lru_cache(maxsize=1024)
def service_id(code: str) -> UUID:
    return uuid5(_NAMESPACE, f"service:{code}")


@lru_cache(maxsize=1024)
def staff_id(login: str) -> UUID:
    return uuid5(_NAMESPACE, f"staff:{login}")


@lru_cache(maxsize=1024)
def receipt_id(command_id: UUID) -> UUID:
    return uuid5(_NAMESPACE, f"command:{command_id}")


DIRECTORY_ID = uuid5(_NAMESPACE, "directory")
