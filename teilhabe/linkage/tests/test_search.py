"""Issue 11, first paragraph: every query a caseworker tried finds the record — on SQLite and PostgreSQL
(this module runs in both test runs)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from teilhabe.accounts.roles import Role
from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import Personas, login_verified, make_user
from teilhabe.linkage.models import SearchKey
from teilhabe.registry import services
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case

QUERIES = [
    "Muhammad",
    "Mohamed",
    "Mohammad",
    "al ahmad",
    "Alahmad",
    "Mohammed Al-Ahmad",
    "Ahmad, Mohammed",
    "احمد",
    "ABH-2026",
]


def _case(p: Personas, **data: object) -> Case:
    base = {"legal_basis": LegalBasis.ART6_1_E}
    return services.case_create(acting_user=p.alice, owner=p.org_a, data={**base, **data})


@pytest.fixture
def ahmad(personas: Personas) -> Case:
    return _case(
        personas,
        reference="ABH-2026-00417",
        family_name="الأحمد",
        given_names="محمد",
        family_name_latin="Al-Ahmad",
        given_names_latin="Mohammed",
        birth_year=1991,
        birth_month=1,
        birth_day=1,
        birth_date_is_placeholder=True,
    )


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_of_the_issue_finds_the_case(personas: Personas, ahmad: Case, query: str) -> None:
    # Noise that must not outrank the person: other names, one sharing only the family name.
    _case(personas, family_name="Schmidt", given_names="Mohammed", birth_year=1985)
    _case(personas, family_name_latin="Al-Ahmad", family_name="Al-Ahmad", given_names="Fatima", birth_year=1993)
    _case(personas, family_name="Ivanova", given_names="Olena", birth_year=1991)
    found, truncated = services.case_search(acting_user=personas.alice, query=query)
    assert ahmad in found, query
    assert not truncated
    if query not in ("Muhammad", "Mohamed", "Mohammad", "al ahmad", "Alahmad", "احمد"):
        assert found[0] == ahmad, (query, [c.match_reason for c in found])  # type: ignore[attr-defined]
    assert found[0].match_reason  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="case.search").count() == 1


def test_reason_and_birth_year(personas: Personas, ahmad: Case) -> None:
    found, _ = services.case_search(acting_user=personas.alice, query="Mohamed Alahmad", birth_year=1991)
    assert found == [ahmad]
    assert found[0].match_reason == "Name ähnlich, Geburtsjahr gleich"  # type: ignore[attr-defined]
    found, _ = services.case_search(acting_user=personas.alice, query="Mohammed Al-Ahmad", birth_year=1992)
    assert found == []
    found, _ = services.case_search(acting_user=personas.alice, query="Al-Ahmad, Mohammed")
    assert found[0].match_reason == "Name gleich"  # type: ignore[attr-defined]


def test_latin_record_found_from_arabic_and_cyrillic_input(personas: Personas) -> None:
    case = _case(personas, family_name="Schewtschenko", given_names="Oleksandr", birth_year=1980)
    for query in ("Шевченко", "Shevchenko Олександр", "Ševčenko"):
        found, _ = services.case_search(acting_user=personas.alice, query=query)
        assert found and found[0] == case, query
    arabic = _case(personas, family_name="يوسف", given_names="خالد", birth_year=1999)
    for query in ("Yusuf Khaled", "Jussuf, Chalid", "Youssef"):
        found, _ = services.case_search(acting_user=personas.alice, query=query)
        assert found and found[0] == arabic, query


def test_other_organisation_and_restricted_never_found(personas: Personas, ahmad: Case) -> None:
    for query in QUERIES:
        found, _ = services.case_search(acting_user=personas.charlie, query=query)
        assert found == [], query
    services.case_restrict(
        acting_user=make_user("dora", personas.org_a, Role.FALLAUFSICHT), case=ahmad, restrict=True, reason="Art. 18"
    )
    found, _ = services.case_search(acting_user=personas.alice, query="Mohammed Al-Ahmad")
    assert found == []


def test_azr_number_is_an_exact_key_only_for_authorised_users(personas: Personas) -> None:
    from teilhabe.registry.tests.conftest import authorise_azr

    dora = make_user("dora", personas.org_a, Role.FALLAUFSICHT)
    authorise_azr(personas.alice, personas.org_a, by=dora)
    case = _case(personas, family_name="Karimi", given_names="Zahra", azr_number="123456789012")
    assert SearchKey.objects.filter(case=case, key__startswith="a:").count() == 1
    assert not SearchKey.objects.filter(key__contains="123456789012").exists()
    found, _ = services.case_search(acting_user=personas.alice, query="1234 5678 9012")
    assert found == [case] and found[0].match_reason == "AZR-Nummer gleich"  # type: ignore[attr-defined]
    # bob (org admin of A) has no AZR authorisation: the number finds nothing for him
    found, _ = services.case_search(acting_user=make_user("fritz", personas.org_a), query="123456789012")
    assert found == []


def test_minimum_input_and_cap_still_hold(personas: Personas, ahmad: Case, settings: object) -> None:
    with pytest.raises(services.SearchInputError):
        services.case_search(acting_user=personas.alice, query="Mo")
    settings.REGISTRY_SEARCH_MAX_RESULTS = 2  # type: ignore[attr-defined]
    for given in ("Muhammad", "Mohamed", "Mehmet"):
        _case(personas, family_name="Ahmed", given_names=given)
    found, truncated = services.case_search(acting_user=personas.alice, query="Mohammed Ahmad")
    assert len(found) == 2 and truncated


def test_search_page_shows_reason(client, personas: Personas, ahmad: Case) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, personas.alice)
    response = client.get(reverse("registry:list"), {"q": "Ahmad, Mohammed"})
    assert response.status_code == 200
    assert "Name gleich" in response.content.decode()
    response = client.get(reverse("registry:list"), {"q": "Muhamad Alahmad", "birth_year": "1991"})
    assert "Name ähnlich, Geburtsjahr gleich" in response.content.decode()


def test_bulk_loaded_cases_get_keys_from_the_reindex_command(personas: Personas) -> None:
    from django.core.management import call_command

    Case.objects.bulk_create(
        [Case(owner=personas.org_a, family_name="Шевченко", given_names="Олена", legal_basis=LegalBasis.ART6_1_E)]
    )
    found, _ = services.case_search(acting_user=personas.alice, query="Shevchenko Olena")
    assert found == []
    call_command("linkage_reindex")
    found, _ = services.case_search(acting_user=personas.alice, query="Shevchenko Olena")
    assert len(found) == 1 and found[0].match_reason == "Name ähnlich"  # type: ignore[attr-defined]


def test_rare_name_found_among_many_common_ones_and_keys_carry_the_owner(personas: Personas) -> None:
    """The search reads the rarest query token first: a rare family name is found even when its common
    given name alone has more cases than the bounded candidate set; every key row names the case's owner."""
    from teilhabe.linkage import search

    for i in range(8):
        _case(personas, family_name=f"Haddad{'x' * i}", given_names="Mohammed")
    target = _case(personas, family_name="Stanikzai", given_names="Muhammad", birth_year=1990)
    old = search.RARE_CANDIDATES
    search.RARE_CANDIDATES = 3  # fewer than the "Mohammed" cases
    try:
        found, _truncated = services.case_search(acting_user=personas.alice, query="Mohamed Stanekzai")
    finally:
        search.RARE_CANDIDATES = old
    assert found and found[0] == target
    assert set(SearchKey.objects.values_list("owner_id", flat=True)) == {personas.org_a.pk}
