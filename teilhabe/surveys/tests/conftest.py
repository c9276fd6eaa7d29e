from __future__ import annotations

import pytest

from teilhabe.accounts.roles import Role
from teilhabe.core.testing import make_user
from teilhabe.surveys import demo_form, services


@pytest.fixture
def survey(personas):  # type: ignore[no-untyped-def]
    """The demo questionnaire (seven languages) in the field, owned by ``personas.org_a``."""
    staff = make_user("koordination", personas.org_a, Role.KOORDINATION)
    survey = services.survey_create(staff, owner=personas.org_a, title="Leben im Landkreis", slug="leben", year=2026)
    services.version_upload(staff, survey, file_name="demo.xlsx", data=demo_form.workbook_bytes())
    services.survey_open(staff, survey)
    survey.staff = staff  # type: ignore[attr-defined]
    return survey
