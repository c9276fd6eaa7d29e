"""Shared pieces of the registry services: field lists, the acting user, identity validation."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser
from teilhabe.accounts.models import User
from teilhabe.privacy.sharing import recording_bases
from teilhabe.registry.fieldgroups import Protection
from teilhabe.registry.legal import RECORDING_BASES
from teilhabe.registry.models import (
    Case,
)
from teilhabe.registry.nationalities import state_names

IDENTITY_FIELDS = (
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date_is_placeholder",
    "sex",
    "nationalities",
    "arrival_date",
    "allocation_date",
    "gemeinde",
)
CASE_FIELDS = (*IDENTITY_FIELDS, "azr_number", "reference", "legal_basis")


# Protection classes whose values are encrypted at application level (DP-34).
ENCRYPTED_CLASSES = frozenset({Protection.ART9, Protection.RESIDENCE_STATUS})


class SearchInputError(ValidationError):
    pass


def _actor(user: AnyUser) -> User | None:
    """The user as a model instance for *_by columns (anonymous callers never get this far)."""
    return user if isinstance(user, User) else None


def _search_name(case: Case) -> str:
    return " ".join(
        part.strip().lower()
        for part in (case.family_name, case.given_names, case.family_name_latin, case.given_names_latin)
        if part.strip()
    )


def _validate_identity(case: Case) -> None:
    errors: dict[str, str] = {}
    unknown = [code for code in case.nationalities if code not in state_names()]
    if unknown:
        errors["nationalities"] = _("Unbekannter Staatsschlüssel (registry.nationality_unknown).")
    if case.birth_day and not case.birth_month:
        errors["birth_day"] = _("Ein Tag ohne Monat ist nicht möglich (registry.birth_day_without_month).")
    if (case.birth_month or case.birth_day) and not case.birth_year:
        errors["birth_year"] = _("Monat oder Tag ohne Jahr ist nicht möglich (registry.birth_without_year).")
    if case.birth_year and case.birth_month and case.birth_day:
        try:
            date(case.birth_year, case.birth_month, case.birth_day)
        except ValueError:
            errors["birth_day"] = _("Dieses Datum gibt es nicht (registry.birth_date_invalid).")
    today = timezone.localdate()
    for name in ("arrival_date", "allocation_date"):
        if getattr(case, name) and getattr(case, name) > today:
            errors[name] = _("Das Datum liegt in der Zukunft (registry.date_in_future).")
    if case.legal_basis not in RECORDING_BASES:
        errors["legal_basis"] = _("Rechtsgrundlage fehlt oder passt nicht (registry.legal_basis_missing).")
    elif case.legal_basis not in recording_bases(case.owner.kind):
        errors["legal_basis"] = _(
            "Diese Rechtsgrundlage steht Ihrer Organisation nicht zu (registry.legal_basis_kind)."
        )
    if errors:
        raise ValidationError(errors)
