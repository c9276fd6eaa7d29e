"""Registry services, split by concept; every public name stays importable as ``registry.services.X``."""

from teilhabe.registry.services.azr import azr_authorisation_grant, azr_authorisation_revoke
from teilhabe.registry.services.cases import (
    case_create,
    case_data,
    case_read,
    case_search,
    case_update,
    event_add,
    fieldgroup_save,
    goal_save,
    identity_data,
)
from teilhabe.registry.services.common import (
    CASE_FIELDS,
    ENCRYPTED_CLASSES,
    IDENTITY_FIELDS,
    SearchInputError,
)
from teilhabe.registry.services.consent import consent_give, consent_withdraw
from teilhabe.registry.services.rights import (
    access_report,
    access_request_create,
    access_request_update,
    add_months,
    case_erase,
    case_restrict,
    case_set_legal_hold,
)
from teilhabe.registry.services.transmissions import (
    needs_four_eyes,
    notice_done,
    transmission_approve,
    transmission_read,
    transmission_reject,
    transmission_request,
    transmission_revoke,
)

__all__ = [
    "CASE_FIELDS",
    "ENCRYPTED_CLASSES",
    "IDENTITY_FIELDS",
    "SearchInputError",
    "access_report",
    "access_request_create",
    "access_request_update",
    "add_months",
    "azr_authorisation_grant",
    "azr_authorisation_revoke",
    "case_create",
    "case_data",
    "case_erase",
    "case_read",
    "case_restrict",
    "case_search",
    "case_set_legal_hold",
    "case_update",
    "consent_give",
    "consent_withdraw",
    "event_add",
    "fieldgroup_save",
    "goal_save",
    "identity_data",
    "needs_four_eyes",
    "notice_done",
    "transmission_approve",
    "transmission_read",
    "transmission_reject",
    "transmission_request",
    "transmission_revoke",
]
