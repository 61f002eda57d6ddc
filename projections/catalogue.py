"""Every read model Kronika keeps, by name."""

from __future__ import annotations

from projections.open_cases import OpenCases
from projections.projector import Projector


def all_projectors() -> list[Projector]:
    return [OpenCases()]


def projector_named(name: str) -> Projector:
    for projector in all_projectors():
        if projector.name == name:
            return projector
    raise KeyError(name)
