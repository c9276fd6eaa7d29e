"""Staff pages for data-subject rights: access history, restriction, Art. 15 letter, access requests."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from teilhabe.accounts.access import has_permission, staff_required
from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import record
from teilhabe.registry import services
from teilhabe.registry.access import (
    get_case_for_user,
)
from teilhabe.registry.models import (
    Case,
)


@staff_required()
def access_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Per-record access history for the data-protection officer (DP-32); shows ids, never case content."""
    case = Case.objects.select_related("owner").filter(pk=pk).first()
    if case is None or not has_permission(request.user, "audit.view", case.owner):
        raise Http404
    transmission_ids = [str(t) for t in case.transmissions.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type="registry.case", object_id=str(case.pk))
        | Q(object_type="registry.transmission", object_id__in=transmission_ids)
    ).order_by("-id")[:500]
    record("case.history", actor=request.user, organisation=case.owner, obj=case)
    listed = list(events)
    labels = actor_labels({e.user_id for e in listed if e.user_id})
    rows = [{"e": e, "organisation": labels.get(e.user_id or 0, e.organisation_name)} for e in listed]
    return render(request, "registry/access_history.html", {"case": case, "rows": rows})


def actor_labels(user_ids: set[int]) -> dict[int, str]:
    """The acting user's own organisation(s) for the access history, or "Datenschutz" for the
    data-protection officer (never the case owner's name for someone who is not its member)."""
    from teilhabe.accounts.models import Membership
    from teilhabe.accounts.roles import Role

    labels: dict[int, list[str]] = {}
    dpo: set[int] = set()
    for user_id, role, name in Membership.objects.filter(user_id__in=user_ids, is_active=True).values_list(
        "user_id", "role", "organisation__name"
    ):
        if role == Role.DATENSCHUTZ:
            dpo.add(user_id)
        labels.setdefault(user_id, [])
        if name not in labels[user_id]:
            labels[user_id].append(name)
    return {uid: str(_("Datenschutz")) if uid in dpo else ", ".join(sorted(names)) for uid, names in labels.items()}


def _get_case_for_rights(request: HttpRequest, pk: int) -> Case:
    case = get_case_for_user(request, pk)
    if not has_permission(request.user, "case.restrict", case.owner):
        raise Http404
    return case


@staff_required("case.read")
def case_rights(request: HttpRequest, pk: int) -> HttpResponse:
    """Data-subject rights for one record: restriction (Art. 18), legal hold and erasure (Art. 17)."""
    case = _get_case_for_rights(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("restrict", "lift"):
            services.case_restrict(
                acting_user=request.user,
                case=case,
                restrict=action == "restrict",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Einschränkung gespeichert."))
        elif action == "hold":
            services.case_set_legal_hold(
                acting_user=request.user, case=case, legal_hold=request.POST.get("legal_hold", "")
            )
            messages.success(request, _("Aufbewahrungspflicht gespeichert."))
        elif action == "access_request":
            try:
                received = date.fromisoformat(request.POST.get("received_on", ""))
            except ValueError:
                received = timezone.localdate()
            services.access_request_create(acting_user=request.user, case=case, received_on=received)
            messages.success(request, _("Auskunftsersuchen mit Frist eingetragen."))
        elif action in ("extend", "answer"):
            from teilhabe.registry.models import AccessRequest

            item = AccessRequest.objects.filter(case=case, pk=request.POST.get("request") or 0).first()
            if item is None:
                raise Http404
            try:
                services.access_request_update(acting_user=request.user, request=item, action=action)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Unbekannte Aktion."))
        return redirect("registry:rights", pk=case.pk)
    from teilhabe.registry.models import AccessRequest

    return render(
        request,
        "registry/case_rights.html",
        {"case": case, "requests": AccessRequest.objects.filter(case=case), "today": timezone.localdate()},
    )


@staff_required("case.read")
def access_report(request: HttpRequest, pk: int, as_json: bool = False, as_pdf: bool = False) -> HttpResponse:
    """Art. 15 report (HTML for printing, JSON machine-readable); logged as case.access_report."""
    case = _get_case_for_rights(request, pk)
    report = services.access_report(acting_user=request.user, case=case)
    if as_json:
        response = HttpResponse(
            json.dumps(report, ensure_ascii=False, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="auskunft-{case.pk}.json"'
        return response
    if as_pdf:
        from teilhabe.registry.letters import access_letter, letter_language
        from teilhabe.registry.pdf import render_access_report

        language = letter_language(case, request.GET.get("lang", ""))
        letter = access_letter(
            report, reference=case.display_reference, language=language if language in ("de", "en") else "de"
        )
        pdf = render_access_report(letter, synthetic=case.is_synthetic)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="auskunft-{case.pk}.pdf"'
        return response
    from teilhabe.registry.letters import LETTER_LANGUAGES, access_letter, letter_language

    language = letter_language(case, request.GET.get("lang", ""))
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "registry/access_letter.html",
        {
            "case": case,
            "letter": access_letter(report, reference=case.display_reference, language=language),
            "languages": [(code, names.get(code, code)) for code in LETTER_LANGUAGES],
        },
    )


@staff_required("case.restrict")
def access_requests(request: HttpRequest) -> HttpResponse:
    """Open Art. 15 requests of the user's organisations with their deadlines; overdue ones first."""
    from teilhabe.registry.models import AccessRequest

    today = timezone.localdate()
    items = AccessRequest.objects.visible_to(request.user).open().select_related("owner")
    return render(
        request,
        "registry/access_requests.html",
        {"items": items, "today": today, "overdue": [i for i in items if i.due_on < today]},
    )
