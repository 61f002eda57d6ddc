"""The words of the domain (docs/domain.md, "Vocabulary"), as closed sets of values.

Values are stored in events as their plain string, so renaming a member's
Python name never changes what is on disk.
"""

from __future__ import annotations

from enum import StrEnum


class ServiceType(StrEnum):
    """Registered social service types under zákon č. 108/2006 Sb."""

    CRISIS_HELP = "crisis-help"  # krizová pomoc, §60
    INTERVENTION_CENTRE = "intervention-centre"  # intervenční centrum, §60a
    COUNSELLING = "counselling"  # odborné sociální poradenství, §37
    SHELTER = "shelter"  # azylový dům, §57
    HALFWAY_HOUSE = "halfway-house"  # dům na půl cesty, §58
    FIELD_PROGRAMME = "field-programme"  # terénní programy, §69

    @property
    def section(self) -> str:
        return _SECTIONS[self]


_SECTIONS = {
    ServiceType.CRISIS_HELP: "§60",
    ServiceType.INTERVENTION_CENTRE: "§60a",
    ServiceType.COUNSELLING: "§37",
    ServiceType.SHELTER: "§57",
    ServiceType.HALFWAY_HOUSE: "§58",
    ServiceType.FIELD_PROGRAMME: "§69",
}


class Form(StrEnum):
    """Where help is given (forma poskytování)."""

    AMBULATORY = "ambulatory"
    FIELD = "field"
    RESIDENTIAL = "residential"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    IN_PERSON = "in-person"


class Activity(StrEnum):
    CRISIS_INTERVENTION = "crisis-intervention"
    COUNSELLING = "counselling"
    SOCIAL_COUNSELLING = "social-counselling"
    THERAPY = "therapy"
    ACCOMPANIMENT = "accompaniment"
    BROKERING = "brokering"
    INFORMATION = "information"
    ADVOCACY = "advocacy"
    GROUP_WORK = "group-work"


class ClientKind(StrEnum):
    ANONYMOUS = "anonymous"
    PSEUDONYMOUS = "pseudonymous"
    IDENTIFIED = "identified"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not-stated"


class Agreement(StrEnum):
    ORAL = "oral"
    WRITTEN = "written"


class CloseReason(StrEnum):
    GOAL_MET = "goal-met"
    CLIENT_ENDED = "client-ended"
    LOST_CONTACT = "lost-contact"
    REFERRED = "referred"
    CONTRACT_TERMINATED = "contract-terminated"
    OTHER = "other"


class ReferralKind(StrEnum):
    PSYCHIATRIC = "psychiatric"
    LEGAL = "legal"
    SHELTER = "shelter"
    POLICE = "police"
    CHILD_PROTECTION = "child-protection"
    MEDICAL = "medical"
    OTHER = "other"


class ReferralOutcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_SHOW = "no-show"
    UNKNOWN = "unknown"


class RefusalReason(StrEnum):
    """The statutory reasons for refusing an applicant (§91 odst. 3)."""

    NOT_PROVIDED = "a"  # service not provided / outside target group or age range
    NO_CAPACITY = "b"
    HEALTH_EXCLUDES = "c"  # health excludes a residential service
    CONTRACT_TERMINATED = "d"  # provider terminated a contract < 6 months ago


class Role(StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMIN = "admin"


class GoalStatus(StrEnum):
    ONGOING = "ongoing"
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly-achieved"
    NOT_ACHIEVED = "not-achieved"
    DROPPED = "dropped"


class ComplaintOutcome(StrEnum):
    JUSTIFIED = "justified"
    PARTLY_JUSTIFIED = "partly-justified"
    UNJUSTIFIED = "unjustified"
    WITHDRAWN = "withdrawn"
