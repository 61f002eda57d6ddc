"""What every command is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    pass
