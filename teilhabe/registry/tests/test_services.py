from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teilhabe.audit.models import AuditEvent
from teilhabe.registry import services
from teilhabe.registry.crypto import decrypt_json
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, FieldGroupEntry
from teilhabe.registry.tests.conftest import World


def _data(**overrides: object) -> dict[str, object]:
    return {"family_name": "Testname", "legal_basis": LegalBasis.ART6_1_E, **overrides}


def test_case_create_writes_audit_without_values(personas) -> None:
    case = services.case_create(
        acting_user=personas.alice,
        owner=personas.org_a,
        data=_data(family_name_latin="Neuperson", birth_year=1980, nationalities=["163"]),
    )
    event = AuditEvent.objects.get(action="case.create", object_id=str(case.pk))
    assert event.organisation_id == personas.org_a.pk
    assert "family_name" in event.changed_fields
    assert "Neuperson" not in event.canonical_payload() and "Testname" not in event.canonical_payload()
    assert case.search_name == "testname neuperson"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nationalities": ["ABC"]}, "nationalities"),
        ({"birth_day": 3}, "birth_day"),
        ({"birth_month": 2}, "birth_year"),
        ({"birth_year": 2023, "birth_month": 2, "birth_day": 30}, "birth_day"),
        ({"legal_basis": LegalBasis.SGB_X_71_2}, "legal_basis"),
    ],
)
def test_case_create_validation(personas, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.case_create(acting_user=personas.alice, owner=personas.org_a, data=_data(**overrides))
    assert field in info.value.message_dict
    assert not Case.objects.exists()


def test_partial_and_placeholder_birth_dates(personas) -> None:
    year_only = services.case_create(acting_user=personas.alice, owner=personas.org_a, data=_data(birth_year=1999))
    assert year_only.birth_date_display() == "XX.XX.1999"
    placeholder = services.case_create(
        acting_user=personas.alice,
        owner=personas.org_a,
        data=_data(birth_year=2001, birth_month=1, birth_day=1, birth_date_is_placeholder=True),
    )
    assert placeholder.birth_date_display().startswith("01.01.2001 (")
    assert placeholder.birth_date() is not None


def test_case_create_needs_write_permission_in_owner(personas) -> None:
    with pytest.raises(PermissionDenied):
        services.case_create(acting_user=personas.charlie, owner=personas.org_a, data=_data())
    with pytest.raises(PermissionDenied):  # org admin of A has no case permissions (§ 35 SGB I)
        services.case_create(acting_user=personas.bob, owner=personas.org_a, data=_data())


def test_art9_needs_art9_basis(world: World) -> None:
    """DP-03: creating Art. 9 data without an Art. 9 legal basis is refused."""
    with pytest.raises(ValidationError) as info:
        services.fieldgroup_save(
            acting_user=world.dora,
            case=world.case,
            group="gesundheit",
            data={"notes": "x"},
            legal_basis=LegalBasis.ART6_1_E,
        )
    assert "legal_basis" in info.value.message_dict
    stored = FieldGroupEntry.objects.filter(case=world.case, group="gesundheit").get().data
    assert decrypt_json(stored)["notes"] != "x"


def test_fieldgroup_without_write_permission_refused(world: World) -> None:
    # Alice (FALLBEARBEITUNG) may not write Art. 9 data; the Jobcenter may not write residence status.
    with pytest.raises(PermissionDenied):
        services.fieldgroup_save(
            acting_user=world.p.alice,
            case=world.case,
            group="gesundheit",
            data={},
            legal_basis=LegalBasis.ART9_2_B,
        )
    with pytest.raises(PermissionDenied):
        services.fieldgroup_save(
            acting_user=world.dora,
            case=world.case,
            group="aufenthalt",
            data={},
            legal_basis=LegalBasis.ART6_1_E,
        )


def test_fieldgroup_update_audited_with_field_names_only(world: World) -> None:
    services.fieldgroup_save(
        acting_user=world.p.alice,
        case=world.case,
        group="sprachkurs",
        data={"course_type": "integrationskurs", "provider": "VHS Kursträgerstadt", "level": "B1"},
        legal_basis=LegalBasis.ART6_1_E,
    )
    event = AuditEvent.objects.filter(action="fieldgroup.update").first()
    assert event is not None
    assert event.changed_fields == ["sprachkurs.level"]
    assert "B1" not in event.canonical_payload()
    assert FieldGroupEntry.objects.get(case=world.case, group="sprachkurs").version == 2


def test_all_fieldgroup_rows_have_legal_basis(world: World) -> None:
    """DP-03 property: no stored group row without a basis (also a DB check constraint)."""
    assert not FieldGroupEntry.objects.filter(legal_basis="").exists()
