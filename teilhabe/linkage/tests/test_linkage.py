"""Linking inside one organisation and across organisations (issue 11 items 2–5), as personas."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teilhabe.audit.models import AuditEvent
from teilhabe.linkage import crossorg, services
from teilhabe.linkage.models import CandidateStatus, LinkCandidate, Merge, PersonKey
from teilhabe.registry import services as registry
from teilhabe.registry.fieldgroups import FIELD_GROUPS
from teilhabe.registry.legal import LegalBasis
from teilhabe.registry.models import Case, EventKind, Transmission, TransmissionStatus
from teilhabe.registry.tests.conftest import SEEDED_EMPLOYER_SECTOR, SEEDED_HEALTH, SEEDED_NAME, World

SECRET_GIVEN = "Geheimvorname"


def _new(world: World, owner=None, user=None, **data):  # type: ignore[no-untyped-def]
    return registry.case_create(
        acting_user=user or world.p.alice,
        owner=owner or world.p.org_a,
        data={"legal_basis": LegalBasis.ART6_1_E, **data},
    )


def _pair(world: World) -> tuple[Case, Case]:
    first = _new(
        world,
        family_name="الأحمد",
        given_names="محمد",
        family_name_latin="Al-Ahmad",
        given_names_latin="Mohammed",
        birth_year=1991,
        birth_month=1,
        birth_day=1,
        birth_date_is_placeholder=True,
        sex="m",
        nationalities=["475"],
        reference="JC-1",
    )
    second = _new(
        world,
        family_name="Alahmad",
        given_names="Muhammad",
        birth_year=1991,
        birth_month=3,
        birth_day=14,
        sex="m",
        nationalities=["475"],
        gemeinde=None,
    )
    registry.event_add(acting_user=world.p.alice, case=second, kind=EventKind.COURSE_STARTED, on=date(2024, 2, 1))
    registry.fieldgroup_save(
        acting_user=world.p.alice,
        case=second,
        group="sprachkurs",
        legal_basis=LegalBasis.ART6_1_E,
        data={"provider": "VHS", "level": "B1"},
    )
    return first, second


def _state(case: Case) -> dict:  # type: ignore[type-arg]
    case = Case.objects.get(pk=case.pk)
    data = registry.case_data(case, list(FIELD_GROUPS), with_azr=True)
    return {
        "row": {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.attname != "updated_at"},
        "data": data,
        "entries": sorted(case.entries.values_list("pk", flat=True)),
        "events": sorted(case.events.values_list("pk", flat=True)),
        "goals": sorted(case.goals.values_list("pk", flat=True)),
        "person_key": PersonKey.objects.get(case=case).key,
    }


def test_duplicate_review_merge_and_exact_unmerge(world: World) -> None:
    first, second = _pair(world)
    before = (_state(world.case), _state(first), _state(second))
    assert services.run_duplicates(acting_user=world.p.alice, organisation=world.p.org_a) >= 1
    candidate = LinkCandidate.objects.get(left=first, right=second)
    assert candidate.status == CandidateStatus.OPEN and candidate.match_probability >= 0.5
    assert "name_similar" in candidate.reasons and "birth_uncertain" in candidate.reasons
    # decision needs a reason; a caseworker decides, only the Fallaufsicht merges
    with pytest.raises(Exception, match=r"linkage\.reason_missing"):
        services.decide(acting_user=world.p.alice, candidate=candidate, status="same", reason=" ")
    services.decide(acting_user=world.p.alice, candidate=candidate, status="same", reason="Pass-Kopie verglichen")
    with pytest.raises(PermissionDenied):
        services.merge(acting_user=world.p.alice, candidate=candidate, survivor_id=first.pk, reason="x")
    done = services.merge(acting_user=world.dora, candidate=candidate, survivor_id=first.pk, reason="Dublette")
    merged_first = Case.objects.get(pk=first.pk)
    assert merged_first.events.count() == 1 and merged_first.entries.filter(group="sprachkurs").exists()
    assert PersonKey.objects.get(case=second).key == PersonKey.objects.get(case=first).key
    found, _ = registry.case_search(acting_user=world.p.alice, query="Muhammad Alahmad")
    assert second not in found and merged_first in found
    services.unmerge(acting_user=world.dora, merge_record=done, reason="doch zwei Personen (Geburtsurkunde)")
    assert (_state(world.case), _state(first), _state(second)) == before
    assert Merge.objects.get().undone_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"linkage.run", "linkage.decide", "linkage.merge", "linkage.unmerge"} <= actions


def test_cohort_counts_a_merged_person_once_and_twice_after_unmerge(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    """KiIM cohort figures count persons: two records of one person joined by a merge (same PersonKey)
    are one person in the extract; after the unmerge they are two again."""
    from teilhabe.registry.cohort import build_extract
    from teilhabe.registry.models import CohortRecord

    settings.PSEUDONYM_KEY = "test-cohort-key"
    first, second = _pair(world)
    for case in (first, second):
        Case.objects.filter(pk=case.pk).update(arrival_date=date(2023, 5, 1))
    before = build_extract()
    services.run_duplicates(acting_user=world.p.alice, organisation=world.p.org_a)
    candidate = LinkCandidate.objects.get(left=first, right=second)
    services.decide(acting_user=world.p.alice, candidate=candidate, status="same", reason="Pass verglichen")
    done = services.merge(acting_user=world.dora, candidate=candidate, survivor_id=first.pk, reason="Dublette")
    assert build_extract() == before - 1
    # the person's record is the survivor's and carries the course start moved over from the absorbed case
    assert CohortRecord.objects.filter(arrival_year=2023, days_to_course_start__isnull=False).count() == 1
    services.unmerge(acting_user=world.dora, merge_record=done, reason="zwei Personen")
    assert build_extract() == before


def test_linking_pages_and_api_are_scoped_to_the_own_organisation(world: World) -> None:
    first, second = _pair(world)
    services.run_duplicates(acting_user=world.p.alice, organisation=world.p.org_a)
    candidate = LinkCandidate.objects.get(left=first, right=second)
    services.decide(acting_user=world.p.alice, candidate=candidate, status="same", reason="geprüft")
    done = services.merge(acting_user=world.dora, candidate=candidate, survivor_id=first.pk, reason="Dublette")
    charlie = world.client(world.p.charlie)
    erik = world.client(world.erik)
    # erik holds every linkage permission in B: A's objects answer 404; charlie lacks case.restrict: 403.
    for client, expected in ((erik, 404), (charlie, None)):
        for name, args in [("candidate", [candidate.pk]), ("merge", [candidate.pk]), ("unmerge", [done.pk])]:
            url = reverse(f"linkage:{name}", args=args)
            assert client.get(url).status_code in (403, 404, 405)
            status = client.post(url, {"reason": "x", "survivor": first.pk, "status": "same"}).status_code
            assert status == (expected or status) and status in (403, 404)
        for name in ("queue", "queue_json", "merges", "duplicates"):
            body = client.get(reverse(f"linkage:{name}")).content.decode()
            assert "Ahmad" not in body and "JC-1" not in body
    assert LinkCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.MERGED  # nothing changed
    # The owner's list views and JSON carry references and scores, no names or dates.
    alice = world.client(world.p.alice)
    payload = alice.get(reverse("linkage:queue_json")).json()
    assert payload["results"] and "Ahmad" not in json.dumps(payload) and "1991" not in json.dumps(payload)
    page = alice.get(reverse("linkage:candidate", args=[candidate.pk]))
    assert page.status_code == 200 and "Al-Ahmad" in page.content.decode()
    assert AuditEvent.objects.filter(action="linkage.pair_read", object_id=str(candidate.pk)).exists()


def _send_identity(world: World) -> Transmission:
    transmission = registry.transmission_request(
        acting_user=world.p.alice,
        case=world.case,
        recipient=world.p.org_b,
        groups=["identitaet", "sprachkurs"],
        legal_basis=LegalBasis.SGB_X_71_2,
        purpose="Prüfung Integrationskursverpflichtung",
    )
    if transmission.status == TransmissionStatus.PENDING:
        registry.transmission_approve(acting_user=world.dora, transmission=transmission)
    transmission.refresh_from_db()
    assert transmission.status == TransmissionStatus.SENT
    return transmission


def test_received_transmission_links_to_own_case_without_foreign_values(world: World) -> None:
    transmission = _send_identity(world)
    # After sending, the sender changes its record: the recipient must never see the new value.
    registry.case_update(acting_user=world.p.alice, case=world.case, data={"given_names_latin": SECRET_GIVEN})
    own = _new(
        world,
        owner=world.p.org_b,
        user=world.p.charlie,
        family_name=SEEDED_NAME.upper(),
        given_names="Quambrina",
        birth_year=1990,
    )
    other = _new(world, owner=world.p.org_b, user=world.p.charlie, family_name="Müller", given_names="Anna")
    charlie = world.client(world.p.charlie)
    url = reverse("linkage:transmission", args=[transmission.pk])
    assert url in charlie.get(reverse("registry:incoming", args=[transmission.pk])).content.decode()
    body = charlie.get(url).content.decode()
    assert own.display_reference in body and other.display_reference not in body
    for secret in (SECRET_GIVEN, SEEDED_HEALTH, SEEDED_EMPLOYER_SECTOR, world.case.display_reference):
        assert secret not in body
    response = charlie.post(url, {"link": "1", "case": own.pk, "reason": "Name und Geburtsjahr"})
    assert response.status_code == 302
    link = LinkCandidate.objects.get(transmission=transmission)
    assert link.owner == world.p.org_b and link.left == own and link.status == CandidateStatus.SAME
    assert AuditEvent.objects.filter(action="linkage.link_transmission").exists()
    # The sender's side and any third organisation see nothing of it.
    for user in (world.p.alice, world.dora):
        assert world.client(user).get(url).status_code == 404
        assert "Quambrina" not in world.client(user).get(reverse("linkage:queue_json")).content.decode()
    with pytest.raises(PermissionDenied):
        crossorg.link_transmission(acting_user=world.p.charlie, transmission=transmission, case=world.case, reason="x")


def test_received_transmission_opens_as_prefilled_case(world: World) -> None:
    transmission = _send_identity(world)
    charlie = world.client(world.p.charlie)
    response = charlie.post(
        reverse("linkage:transmission", args=[transmission.pk]),
        {"open": "1", "legal_basis": LegalBasis.AUFENTHG_86, "reference": "ABH-77"},
    )
    assert response.status_code == 302
    created = Case.objects.get(owner=world.p.org_b)
    assert created.family_name_latin == SEEDED_NAME and created.birth_year == 1990 and created.reference == "ABH-77"
    assert created.azr_number_enc == ""  # residence data were not part of the identity copy
    assert LinkCandidate.objects.get(transmission=transmission).left == created


def test_search_before_create_on_the_new_case_form(world: World) -> None:
    _pair(world)
    alice = world.client(world.p.alice)
    form = {
        "family_name": "Al Ahmad",
        "given_names": "Mohamed",
        "birth_year": "1991",
        "sex": "m",
        "legal_basis": LegalBasis.ART6_1_E,
    }
    count = Case.objects.count()
    response = alice.post(reverse("registry:create"), form)
    assert response.status_code == 200 and Case.objects.count() == count
    assert "Gibt es diese Person schon?" in response.content.decode() and "JC-1" in response.content.decode()
    assert AuditEvent.objects.filter(action="linkage.intake_check").exists()
    response = alice.post(reverse("registry:create"), {**form, "confirm_new": "1"})
    assert response.status_code == 302 and Case.objects.count() == count + 1
    # unrelated names are created at once
    response = alice.post(reverse("registry:create"), {**form, "family_name": "Kowalenko", "given_names": "Olena"})
    assert response.status_code == 302


def test_bulk_import_dry_run_row_errors_and_atomic_commit(world: World) -> None:
    _pair(world)
    alice = world.client(world.p.alice)
    csv_text = (
        "Aktenzeichen;Familienname;Vornamen;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Kennung\n"
        "JC-10;Alahmad;Mohamad;00.00.1991;m;475;K-1\n"
        "JC-11;Iwanowa;Olena;31.02.1985;w;166;K-2\n"
        "JC-12;Schewtschenko;Oleksandr;1980;x;XYZ;K-3\n"
    )
    upload = SimpleUploadedFile("liste.csv", csv_text.encode("cp1252"))
    count = Case.objects.count()
    response = alice.post(
        reverse("linkage:import"), {"file": upload, "legal_basis": LegalBasis.ART6_1_E, "commit": "on"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and Case.objects.count() == count
    assert "Geschlecht „x“ unbekannt" in body and "kein Destatis-Schlüssel" in body
    assert "Das Geburtsdatum „31.02.1985“ gibt es nicht" in body
    assert "mögliche Dublette von" in body and "JC-1 (Name ähnlich" in body
    assert "es wurde nichts übernommen" in body
    fixed = csv_text.replace(";x;XYZ;", ";m;166;").replace("31.02.1985", "28.02.1985")
    upload = SimpleUploadedFile("liste.csv", fixed.encode("utf-8"))
    response = alice.post(reverse("linkage:import"), {"file": upload, "legal_basis": LegalBasis.ART6_1_E})
    assert response.status_code == 200 and Case.objects.count() == count  # dry run
    upload = SimpleUploadedFile("liste.csv", fixed.encode("utf-8"))
    response = alice.post(
        reverse("linkage:import"), {"file": upload, "legal_basis": LegalBasis.ART6_1_E, "commit": "on"}
    )
    assert response.status_code == 200 and Case.objects.count() == count + 3
    imported = Case.objects.get(reference="JC-10")
    assert imported.birth_year == 1991 and imported.birth_month is None and imported.birth_date_is_placeholder
    assert (
        LinkCandidate.objects.filter(owner=world.p.org_a).filter(left=imported).exists()
        or LinkCandidate.objects.filter(right=imported).exists()
    )
    # the agency id is an exact search key
    found, _ = registry.case_search(acting_user=world.p.alice, query="K-2")
    assert [c.reference for c in found] == ["JC-11"]
    assert AuditEvent.objects.filter(action="linkage.import").exists()


def test_bulk_import_reads_xlsx(world: World) -> None:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Aktenzeichen", "Familienname", "Vornamen", "Geburtsdatum", "Geschlecht"])
    sheet.append(["JC-20", "Kowalenko", "Oksana", "1979", "w"])
    sheet.append(["JC-21", "", "Mariam", "01.01.1990", "w"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("liste.xlsx", buffer.getvalue())
    response = world.client(world.p.alice).post(
        reverse("linkage:import"), {"file": upload, "legal_basis": LegalBasis.ART6_1_E, "commit": "on"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Familienname fehlt." in body
    assert not Case.objects.filter(reference__in=["JC-20", "JC-21"]).exists()
