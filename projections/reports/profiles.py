"""Report profiles: the rules that differ between funders, read from a file, never from code.

A profile says what counts as an intervention (a minimum duration), which
contacts count at all, the age bands, the buckets of sessions per case and
the ESF threshold. Kronika ships ``profiles.toml``; an installation adds or
overrides profiles with its own file. A report records the profile it
followed in full (``as_record``), so it can be reproduced whatever the files
say later.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.client import band_bounds
from domain.errors import InvalidValue

SHIPPED = Path(__file__).with_name("profiles.toml")
_RULES: dict[str, type | tuple[type, ...]] = {
    "version": int,
    "description": str,
    "age_bands": list,
    "sessions_per_case": list,
    "intervention_min_minutes": int,
    "contact_min_minutes": int,
    "esf_threshold_hours": (int, float),
}


class ProfileError(Exception):
    """A profiles file or a profile name Kronika cannot use."""


@dataclass(frozen=True)
class Band:
    """``11-17``, ``65+`` or a single number such as ``2``."""

    label: str
    low: int
    high: int | None  # None: no upper end

    @classmethod
    def parse(cls, text: str) -> Band:
        label = str(text).strip()
        if label.isdigit():
            return cls(label, int(label), int(label))
        low, high = band_bounds(label)
        return cls(label, low, high)

    def holds(self, number: int) -> bool:
        return self.low <= number and (self.high is None or number <= self.high)

    def within(self, low: int, high: int | None) -> bool:
        """Whether every number from ``low`` to ``high`` falls in this band."""
        return self.low <= low and (self.high is None or (high is not None and high <= self.high))


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    description: str
    age_bands: tuple[Band, ...]
    sessions_per_case: tuple[Band, ...]
    intervention_min_minutes: int
    contact_min_minutes: int
    esf_threshold_hours: float

    @classmethod
    def from_record(cls, name: str, rules: Mapping[str, Any]) -> Profile:
        unknown = sorted(set(rules) - set(_RULES))
        if unknown:
            raise ProfileError(f"profile {name}: {unknown[0]} is not a setting; see docs/reports.md")
        for key, kind in _RULES.items():
            if key == "description":
                continue
            if key not in rules:
                raise ProfileError(f"profile {name}: {key} is missing; see docs/reports.md")
            if not isinstance(rules[key], kind) or isinstance(rules[key], bool):
                raise ProfileError(f"profile {name}: {key} = {rules[key]!r} has the wrong type")
        profile = cls(
            name=name,
            version=rules["version"],
            description=str(rules.get("description", "")),
            age_bands=_bands(name, "age_bands", rules["age_bands"]),
            sessions_per_case=_bands(name, "sessions_per_case", rules["sessions_per_case"]),
            intervention_min_minutes=rules["intervention_min_minutes"],
            contact_min_minutes=rules["contact_min_minutes"],
            esf_threshold_hours=float(rules["esf_threshold_hours"]),
        )
        for key in ("version", "intervention_min_minutes", "contact_min_minutes"):
            if getattr(profile, key) < 1:
                raise ProfileError(f"profile {name}: {key} must be 1 or more")
        if not math.isfinite(profile.esf_threshold_hours) or profile.esf_threshold_hours <= 0:
            raise ProfileError(
                f"profile {name}: esf_threshold_hours = {profile.esf_threshold_hours:g} "
                "must be a number of hours more than 0, e.g. 40"
            )
        return profile

    def as_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "age_bands": [b.label for b in self.age_bands],
            "sessions_per_case": [b.label for b in self.sessions_per_case],
            "intervention_min_minutes": self.intervention_min_minutes,
            "contact_min_minutes": self.contact_min_minutes,
            "esf_threshold_hours": self.esf_threshold_hours,
        }

    @classmethod
    def recorded(cls, record: Mapping[str, Any]) -> Profile:
        rules = {k: v for k, v in record.items() if k != "name"}
        return cls.from_record(str(record["name"]), rules)

    @property
    def title(self) -> str:
        return f"{self.name} v{self.version}"

    def is_intervention(self, minutes: int) -> bool:
        return minutes >= self.intervention_min_minutes

    def counts_contact(self, minutes: int) -> bool:
        return minutes >= self.contact_min_minutes

    @property
    def esf_threshold_minutes(self) -> float:
        return self.esf_threshold_hours * 60


@dataclass(frozen=True)
class Profiles:
    default: str
    by_name: dict[str, Profile]

    def get(self, name: str | None) -> Profile:
        chosen = name or self.default
        try:
            return self.by_name[chosen]
        except KeyError:
            raise ProfileError(
                f"there is no report profile {chosen!r}; choose from {', '.join(sorted(self.by_name))}"
            ) from None


def load_profiles(extra: Path | None = None) -> Profiles:
    """The shipped profiles, then the installation's file (which may override them and the default)."""
    default, by_name = _read(SHIPPED)
    if extra is not None:
        extra_default, extra_profiles = _read(extra)
        by_name.update(extra_profiles)
        default = extra_default or default
    if default not in by_name:
        raise ProfileError(f"the default report profile {default!r} is not defined")
    return Profiles(default, by_name)


def _read(path: Path) -> tuple[str | None, dict[str, Profile]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"cannot read report profiles {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"report profiles {path} are not valid TOML: {error}") from None
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ProfileError(f"report profiles {path}: write each one as [profiles.NAME]")
    default = data.get("default")
    if default is not None and not isinstance(default, str):
        raise ProfileError(f"report profiles {path}: default must be a profile's name")
    try:
        return default, {name: Profile.from_record(name, rules) for name, rules in profiles.items()}
    except ProfileError as error:
        raise ProfileError(f"report profiles {path}: {error}") from None


def _bands(profile: str, key: str, labels: list[Any]) -> tuple[Band, ...]:
    if not labels:
        raise ProfileError(f"profile {profile}: {key} is empty")
    try:
        bands = sorted((Band.parse(label) for label in labels), key=lambda b: b.low)
    except InvalidValue:
        raise ProfileError(
            f"profile {profile}: {key} holds {labels!r}; write bands like 18-26 or 65+"
        ) from None
    for before, after in itertools.pairwise(bands):
        if before.high is None or before.high >= after.low:
            raise ProfileError(f"profile {profile}: {key} overlap ({before.label} and {after.label})")
    return tuple(bands)
