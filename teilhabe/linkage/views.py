"""Staff pages under /staff/abgleich/: review queue, pair view, merge/unmerge, duplicates report, received
transmissions, bulk import. Objects outside the user's organisations answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisation_ids_with, organisations_with, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.linkage import crossorg, services
from teilhabe.linkage.engine import MATCH_THRESHOLD
from teilhabe.linkage.forms import DecisionForm, LinkTransmissionForm, MergeForm, OpenAsCaseForm, ReasonForm
from teilhabe.linkage.models import CandidateStatus, LinkCandidate, Merge
from teilhabe.registry.access import get_incoming_transmission
from teilhabe.registry.models import Sex
from teilhabe.registry.nationalities import label as nationality_label


def _apply(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _candidate(request: HttpRequest, pk: int, permission: str = "case.write") -> LinkCandidate:
    candidate = (
        LinkCandidate.objects.visible_to(request.user, permission)
        .select_related("owner", "left", "right", "transmission")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


def _row(candidate: LinkCandidate) -> dict[str, Any]:
    """Only ids, own references, probability and reason codes: no name, no date (list views and JSON)."""
    return {
        "id": candidate.pk,
        "left": candidate.left.display_reference,
        "right": candidate.right.display_reference if candidate.right else None,
        "transmission_id": candidate.transmission_id,
        "match_probability": round(candidate.match_probability, 3),
        "reason": services.reason_text(candidate.reasons),
        "status": candidate.status,
        "status_label": str(candidate.get_status_display()),
        "rule": candidate.rule,
    }


@staff_required("case.write")
def queue(request: HttpRequest) -> HttpResponse:
    candidates = (
        LinkCandidate.objects.visible_to(request.user)
        .filter(status__in=[CandidateStatus.OPEN, CandidateStatus.SAME], right__isnull=False)
        .select_related("left", "right")[:200]
    )
    organisations = Organisation.objects.filter(pk__in=organisation_ids_with(request.user, "case.write"))
    return render(
        request,
        "linkage/queue.html",
        {"rows": [_row(c) for c in candidates], "organisations": organisations},
    )


@staff_required("case.write")
def queue_json(request: HttpRequest) -> JsonResponse:
    candidates = LinkCandidate.objects.visible_to(request.user).select_related("left", "right")[:500]
    return JsonResponse({"results": [_row(c) for c in candidates]})


@staff_required("case.write")
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    organisation = Organisation.objects.filter(
        pk__in=organisation_ids_with(request.user, "case.write"), pk=request.POST.get("organisation") or 0
    ).first()
    if organisation is None:
        raise Http404
    created = services.run_duplicates(acting_user=request.user, organisation=organisation)
    messages.success(request, _("Abgleich beendet: %(n)d neue Kandidaten.") % {"n": created})
    return redirect("linkage:queue")


def _side(case: Any) -> dict[str, Any]:
    return {
        "reference": case.display_reference,
        "family_name": case.family_name,
        "given_names": case.given_names,
        "family_name_latin": case.family_name_latin,
        "given_names_latin": case.given_names_latin,
        "birth": case.birth_date_display(),
        "sex": Sex(case.sex).label if case.sex in Sex.values else "",
        "nationalities": ", ".join(nationality_label(code) for code in case.nationalities),
        "gemeinde": case.gemeinde.name if case.gemeinde_id and case.gemeinde else "",
    }


def _side_of_copy(values: dict[str, Any], reference: str) -> dict[str, Any]:
    from teilhabe.registry.models import Case

    shadow = Case(
        birth_year=values.get("birth_year"),
        birth_month=values.get("birth_month"),
        birth_day=values.get("birth_day"),
        birth_date_is_placeholder=bool(values.get("birth_date_is_placeholder")),
    )
    sex = values.get("sex") or ""
    return {
        "reference": reference,
        "family_name": values.get("family_name") or "",
        "given_names": values.get("given_names") or "",
        "family_name_latin": values.get("family_name_latin") or "",
        "given_names_latin": values.get("given_names_latin") or "",
        "birth": shadow.birth_date_display(),
        "sex": Sex(sex).label if sex in Sex.values else "",
        "nationalities": ", ".join(nationality_label(code) for code in values.get("nationalities") or []),
        "gemeinde": "",
    }


FIELD_LABELS = [
    ("reference", gettext_lazy("Aktenzeichen")),
    ("family_name", gettext_lazy("Familienname (Originalschrift)")),
    ("given_names", gettext_lazy("Vornamen (Originalschrift)")),
    ("family_name_latin", gettext_lazy("Familienname (Umschrift)")),
    ("given_names_latin", gettext_lazy("Vornamen (Umschrift)")),
    ("birth", gettext_lazy("Geburtsdatum")),
    ("sex", gettext_lazy("Geschlecht")),
    ("nationalities", gettext_lazy("Staatsangehörigkeiten")),
    ("gemeinde", gettext_lazy("Wohngemeinde")),
]


@staff_required("case.write")
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    if candidate.right is None:
        raise Http404  # transmission links are shown on the transmission page
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                acting_user=request.user,
                candidate=candidate,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Entscheidung gespeichert."))
            return redirect("linkage:candidate", pk=candidate.pk)
    left, right = _side(candidate.left), _side(candidate.right)
    record(
        "linkage.pair_read",
        actor=request.user,
        organisation=candidate.owner,
        object_type="linkage.linkcandidate",
        object_id=candidate.pk,
    )
    can_merge = candidate.status == CandidateStatus.SAME and has_permission(
        request.user, "case.restrict", candidate.owner
    )
    merge_form = MergeForm(prefix="merge")  # prefix: the decision form on the same page also has "reason"
    merge_form.fields["survivor"].choices = [  # type: ignore[attr-defined]
        (candidate.left_id, left["reference"]),
        (candidate.right_id, right["reference"]),
    ]
    return render(
        request,
        "linkage/candidate.html",
        {
            "c": candidate,
            "row": _row(candidate),
            "fields": [(label, left[key], right[key], left[key] == right[key]) for key, label in FIELD_LABELS],
            "form": form,
            "merge_form": merge_form,
            "can_merge": can_merge,
        },
    )


@staff_required("case.restrict")
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk, "case.restrict")
    form = MergeForm(request.POST, prefix="merge")
    form.fields["survivor"].choices = [(candidate.left_id, "l"), (candidate.right_id, "r")]  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, _("Bitte führende Akte und Begründung angeben (linkage.merge_form)."))
        return redirect("linkage:candidate", pk=pk)
    try:
        services.merge(
            acting_user=request.user,
            candidate=candidate,
            survivor_id=form.cleaned_data["survivor"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("linkage:candidate", pk=pk)
    messages.success(request, _("Akten zusammengeführt. Die Zusammenführung kann aufgehoben werden."))
    return redirect("linkage:merges")


@staff_required("case.restrict")
def merges(request: HttpRequest) -> HttpResponse:
    rows = Merge.objects.filter(owner_id__in=organisation_ids_with(request.user, "case.restrict")).select_related(
        "survivor", "absorbed", "merged_by", "undone_by"
    )[:200]
    return render(request, "linkage/merges.html", {"rows": rows, "form": ReasonForm()})


@staff_required("case.restrict")
@require_POST
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    merge_record = Merge.objects.filter(
        owner_id__in=organisation_ids_with(request.user, "case.restrict"), pk=pk
    ).first()
    if merge_record is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte die Trennung begründen (linkage.reason_missing)."))
        return redirect("linkage:merges")
    try:
        services.unmerge(acting_user=request.user, merge_record=merge_record, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Zusammenführung aufgehoben: beide Akten sind wieder eigenständig."))
    return redirect("linkage:merges")


@staff_required("case.restrict")
def duplicates_report(request: HttpRequest) -> HttpResponse:
    """For the Fallaufsicht: likely duplicates per organisation (references and scores only)."""
    orgs = organisations_with(request.user, "case.restrict").filter(
        pk__in=organisation_ids_with(request.user, "case.restrict")
    )
    report = []
    for organisation in orgs:
        candidates = LinkCandidate.objects.filter(
            owner=organisation,
            right__isnull=False,
            status__in=[CandidateStatus.OPEN, CandidateStatus.SAME],
            match_probability__gte=MATCH_THRESHOLD,
        ).select_related("left", "right")
        report.append({"organisation": organisation, "rows": [_row(c) for c in candidates[:500]]})
    record("linkage.duplicates_report", actor=request.user, extra={"organisations": len(report)})
    return render(request, "linkage/duplicates.html", {"report": report})


@staff_required("case.read")
def transmission(request: HttpRequest, pk: int) -> HttpResponse:
    """A received transmission: link it to an own case, or open it as a new pre-filled case."""
    received = get_incoming_transmission(request, pk)
    if not has_permission(request.user, "case.write", received.recipient):
        raise Http404
    values = crossorg.received_identity(acting_user=request.user, transmission=received)
    if values is None:
        raise Http404
    candidates = services.similar_cases(received.recipient, services.Identity.of_snapshot(values))[:10]
    link_form = LinkTransmissionForm(request.POST if "link" in request.POST else None)
    link_form.fields["case"].choices = [(c.pk, c.display_reference) for c in candidates]  # type: ignore[attr-defined]
    open_form = OpenAsCaseForm(request.POST if "open" in request.POST else None)
    if request.method == "POST" and "link" in request.POST and link_form.is_valid():
        case = next(c for c in candidates if c.pk == link_form.cleaned_data["case"])
        crossorg.link_transmission(
            acting_user=request.user, transmission=received, case=case, reason=link_form.cleaned_data["reason"]
        )
        messages.success(request, _("Übermittlung der eigenen Akte zugeordnet."))
        return redirect("registry:detail", pk=case.pk)
    if request.method == "POST" and "open" in request.POST and open_form.is_valid():
        try:
            case = crossorg.open_as_case(
                acting_user=request.user,
                transmission=received,
                legal_basis=open_form.cleaned_data["legal_basis"],
                reference=open_form.cleaned_data["reference"],
            )
        except (ValidationError, PermissionDenied) as error:
            open_form.add_error(None, getattr(error, "messages", [_("Nicht erlaubt.")]))
        else:
            messages.success(request, _("Neue Akte aus der Übermittlung angelegt."))
            return redirect("registry:detail", pk=case.pk)
    copy = _side_of_copy(values, _("Übermittlung %(pk)s") % {"pk": received.pk})
    linked = LinkCandidate.objects.filter(transmission=received, owner=received.recipient).select_related("left")
    return render(
        request,
        "linkage/transmission.html",
        {
            "t": received,
            "copy": [(label, copy[key]) for key, label in FIELD_LABELS],
            "candidates": [(c, _side(c)) for c in candidates],
            "link_form": link_form,
            "open_form": open_form,
            "linked": linked,
        },
    )
