"""KiIM case records ("Integrationsakte"), owned by exactly one organisation (DP-05, DP-06).

Every model lists the protection class of each stored field in ``PROTECTION`` (DP-02); the system check in
``teilhabe.privacy`` fails when a field is missing there or not covered by the processing registry.
Split by concept: ``cases`` (the record), ``sharing`` (consents, transmissions, notices), ``access`` (cohort
store, tokens, access requests, AZR authorisations).
"""

from teilhabe.registry.models.access import (
    AccessRequest,
    AccessRequestQuerySet,
    ApiToken,
    AzrAuthorisation,
    AzrAuthorisationQuerySet,
    CohortRecord,
)
from teilhabe.registry.models.cases import (
    AREA_GROUP,
    EVENT_GROUP,
    Case,
    CaseQuerySet,
    EventKind,
    FieldGroupEntry,
    GoalStatus,
    PlanArea,
    PlanGoal,
    Sex,
    TrajectoryEvent,
    TrajectoryEventQuerySet,
)
from teilhabe.registry.models.protection import (
    ART9,
    PII,
    RES,
    SOZ,
    N,
)
from teilhabe.registry.models.sharing import (
    ERASURE,
    Consent,
    CorrectionNotice,
    NoticeKind,
    RecipientNotice,
    Transmission,
    TransmissionQuerySet,
    TransmissionStatus,
)

__all__ = [
    "AREA_GROUP",
    "ART9",
    "ERASURE",
    "EVENT_GROUP",
    "PII",
    "RES",
    "SOZ",
    "AccessRequest",
    "AccessRequestQuerySet",
    "ApiToken",
    "AzrAuthorisation",
    "AzrAuthorisationQuerySet",
    "Case",
    "CaseQuerySet",
    "CohortRecord",
    "Consent",
    "CorrectionNotice",
    "EventKind",
    "FieldGroupEntry",
    "GoalStatus",
    "N",
    "NoticeKind",
    "PlanArea",
    "PlanGoal",
    "RecipientNotice",
    "Sex",
    "TrajectoryEvent",
    "TrajectoryEventQuerySet",
    "Transmission",
    "TransmissionQuerySet",
    "TransmissionStatus",
]
