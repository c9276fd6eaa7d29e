"""Staff side of the plan: concept, versions, fields of action, goals with targets, measures, comments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisations_with, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.audit.models import AuditEvent
from teilhabe.concept import access, forms, services
from teilhabe.concept.attainment import goal_attainment, measure_progress
from teilhabe.concept.charts import target_chart
from teilhabe.concept.models import Body, Concept, ConceptVersion, Contact, Measure

VIEW = "concept.view"
MANAGE = "concept.manage"


def history(obj: Any, limit: int = 30) -> Any:
    """The audit events of one object: who changed which fields when (never values)."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))[:limit]


def _form_page(request: HttpRequest, form: Any, title: str, back: str, *, multipart: bool = False) -> HttpResponse:
    return render(
        request, "concept/staff_form.html", {"form": form, "title": title, "back": back, "multipart": multipart}
    )


def _error(request: HttpRequest, exc: services.ConceptError) -> None:
    messages.error(request, str(exc))


def participation_versions(user: Any) -> Any:
    """Versions ``user`` may comment on (QuerySet of ``ConceptVersion``): comments are open and the user is a
    current member, through a contact, of a body of the concept's owner. The participation page and every link
    to it use this one rule, so no link leads to a 404."""
    owners = Body.objects.filter(members__contact__user_id=user.pk or 0, members__until__isnull=True).values("owner")
    return ConceptVersion.objects.filter(concept__owner__in=owners, comments_open=True)


@staff_required(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    concepts = Concept.objects.visible_to(request.user).prefetch_related("versions")
    offices = organisations_with(request.user, MANAGE)
    form = forms.ConceptForm(request.POST or None, organisations=offices) if offices.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            concept = services.concept_create(
                acting_user=request.user,
                owner=form.cleaned_data["owner"],
                kreis_ags=settings.TEILHABE_KREIS,
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Konzept mit einer ersten Entwurfsfassung angelegt."))
            return redirect("concept_staff:version", concept.versions.get().pk)
    return render(request, "concept/staff_index.html", {"concepts": concepts, "form": form})


def _version_tree(version: ConceptVersion) -> list[Any]:
    fields = list(
        version.fields.prefetch_related(
            "goals__targets__indicator", "goals__measures__milestones", "goals__measures__owner"
        )
    )
    today = timezone.localdate()
    names = _gemeinde_names()
    out = []
    for fld in fields:
        goals = []
        for goal in fld.goals.all():
            goals.append(
                {
                    "goal": goal,
                    "attainment": goal_attainment(goal, gemeinden=names),
                    "measures": [(m, measure_progress(m, today)) for m in goal.measures.all()],
                }
            )
        out.append({"field": fld, "goals": goals})
    return out


def _gemeinde_names() -> dict[str, str]:
    from teilhabe.regions.models import Gemeinde

    return dict(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS).values_list("ags", "name"))


@staff_required(VIEW)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk)
    manage = access.can_manage(request.user, version.concept)
    return render(
        request,
        "concept/staff_version.html",
        {
            "version": version,
            "versions": version.concept.versions.all(),
            "tree": _version_tree(version),
            "manage": manage,
            "adopt_form": forms.AdoptForm() if manage and not version.is_frozen else None,
            "reports": version.status_reports.defer("pdf", "snapshot"),
            "report_form": forms.StatusReportForm() if manage else None,
            "comments": version.comments.select_related("goal", "measure", "body") if manage else None,
            "history": history(version),
        },
    )


@staff_required(MANAGE)
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk, manage=True)
    form = forms.VersionForm(request.POST or None, initial=forms.initial_for(version, forms.VersionForm.Meta.fields))
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(acting_user=request.user, version=version, changes=form.cleaned_data)
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:version", version.pk)
    return _form_page(request, form, _("Fassung bearbeiten"), f"/staff/konzept/fassung/{version.pk}/")


@staff_required(MANAGE)
@require_POST
def version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk, manage=True)
    form = forms.AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.version_adopt(
                acting_user=request.user,
                version=version,
                body=form.cleaned_data["body"],
                decision_date=form.cleaned_data["decision_date"],
                drucksache=form.cleaned_data["drucksache"],
            )
            messages.success(request, _("Die Fassung ist beschlossen und damit festgeschrieben."))
        except services.ConceptError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Bitte Gremium, Datum und Drucksachennummer angeben."))
    return redirect("concept_staff:version", version.pk)


@staff_required(MANAGE)
@require_POST
def version_copy(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk, manage=True)
    try:
        new = services.version_copy(acting_user=request.user, version=version)
    except services.ConceptError as exc:
        _error(request, exc)
        return redirect("concept_staff:version", version.pk)
    messages.success(request, _("Neue Entwurfsfassung als Kopie angelegt."))
    return redirect("concept_staff:version", new.pk)


@staff_required(MANAGE)
def field_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = access.get_version(request, pk, manage=True)
    form = forms.FieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.field_save(acting_user=request.user, version=version, changes=form.cleaned_data)
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:version", version.pk)
    return _form_page(request, form, _("Neues Handlungsfeld"), f"/staff/konzept/fassung/{version.pk}/")


@staff_required(MANAGE)
def field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fld = access.get_field(request, pk, manage=True)
    form = forms.FieldForm(request.POST or None, initial=forms.initial_for(fld, ["title", "description", "theme"]))
    if request.method == "POST" and form.is_valid():
        try:
            services.field_save(acting_user=request.user, version=fld.version, changes=form.cleaned_data, field=fld)
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:version", fld.version_id)
    return _form_page(request, form, _("Handlungsfeld bearbeiten"), f"/staff/konzept/fassung/{fld.version_id}/")


@staff_required(MANAGE)
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    fld = access.get_field(request, pk, manage=True)
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_save(acting_user=request.user, field=fld, changes=form.cleaned_data)
            return redirect("concept_staff:goal", goal.pk)
        except services.ConceptError as exc:
            _error(request, exc)
            return redirect("concept_staff:version", fld.version_id)
    return _form_page(request, form, _("Neues Ziel in „%s“") % fld.title, f"/staff/konzept/fassung/{fld.version_id}/")


@staff_required(VIEW)
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal(request, pk)
    version = goal.field.version
    attainment = goal_attainment(goal, gemeinden=_gemeinde_names())
    today = timezone.localdate()
    manage = access.can_manage(request.user, version.concept)
    bodies = _comment_bodies(request, version)
    return render(
        request,
        "concept/staff_goal.html",
        {
            "goal": goal,
            "version": version,
            "attainment": attainment,
            "target_rows": [(t, target_chart(t)) for t in attainment.targets],
            "measures": [
                (m, measure_progress(m, today))
                for m in goal.measures.prefetch_related("milestones").select_related("owner", "responsible")
            ],
            "manage": manage,
            "can_add_measure": manage or has_permission(request.user, "concept.measures.own"),
            "comments": goal.comments.all(),
            "comment_form": forms.CommentForm(bodies=bodies) if bodies is not None else None,
            "answer_form": forms.AnswerForm() if manage else None,
            "history": history(goal),
        },
    )


def _comment_bodies(request: HttpRequest, version: ConceptVersion) -> Any:
    """Bodies through which this user may comment: open draft and a current membership."""
    if version.is_frozen or not version.comments_open:
        return None
    bodies = Body.objects.filter(
        owner=version.concept.owner, members__contact__user_id=request.user.pk or 0, members__until__isnull=True
    ).distinct()
    return bodies if bodies.exists() else None


@staff_required(MANAGE)
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal(request, pk, manage=True)
    form = forms.GoalForm(request.POST or None, initial=forms.initial_for(goal, ["title", "description"]))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(acting_user=request.user, field=goal.field, changes=form.cleaned_data, goal=goal)
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:goal", goal.pk)
    return _form_page(request, form, _("Ziel bearbeiten"), f"/staff/konzept/ziel/{goal.pk}/")


@staff_required(MANAGE)
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal(request, pk, manage=True)
    form = forms.TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(acting_user=request.user, goal=goal, changes=form.cleaned_data)
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:goal", goal.pk)
    return _form_page(request, form, _("Indikator mit Zielwert verknüpfen"), f"/staff/konzept/ziel/{goal.pk}/")


@staff_required(MANAGE)
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.get_target(request, pk)
    try:
        services.target_delete(acting_user=request.user, target=target)
    except services.ConceptError as exc:
        _error(request, exc)
    return redirect("concept_staff:goal", target.goal_id)


def _measure_owners(request: HttpRequest, goal: Any) -> Any:
    if access.can_manage(request.user, goal.field.version.concept):
        return Organisation.objects.filter(is_active=True)
    return organisations_with(request.user, "concept.measures.own")


def _contacts(version: ConceptVersion) -> Any:
    return Contact.objects.filter(owner=version.concept.owner)


@staff_required(VIEW)
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = access.get_goal(request, pk)
    owners = _measure_owners(request, goal)
    if not owners.exists():
        raise PermissionDenied
    form = forms.MeasureForm(request.POST or None, owners=owners, contacts=_contacts(goal.field.version))
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_save(acting_user=request.user, goal=goal, changes=form.cleaned_data)
            return redirect("concept_staff:measure", measure.pk)
        except services.ConceptError as exc:
            _error(request, exc)
            return redirect("concept_staff:goal", goal.pk)
    return _form_page(request, form, _("Neue Maßnahme zu „%s“") % goal.title, f"/staff/konzept/ziel/{goal.pk}/")


@staff_required(VIEW)
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure(request, pk)
    version = measure.goal.field.version
    editable = access.can_edit_measure(request.user, measure)
    manage = access.can_manage(request.user, version.concept)
    bodies = _comment_bodies(request, version)
    return render(
        request,
        "concept/staff_measure.html",
        {
            "measure": measure,
            "version": version,
            "progress": measure_progress(measure, timezone.localdate()),
            "milestones": measure.milestones.all(),
            "evidence": measure.evidence.defer("content"),
            "editable": editable,
            "milestone_form": forms.MilestoneForm() if editable and not version.is_frozen else None,
            "evidence_form": forms.EvidenceForm() if editable else None,
            "comments": measure.comments.all(),
            "comment_form": forms.CommentForm(bodies=bodies) if bodies is not None else None,
            "answer_form": forms.AnswerForm() if manage else None,
            "history": history(measure),
            "today": timezone.localdate(),
        },
    )


MEASURE_FIELDS = forms.MeasureForm.Meta.fields


@staff_required(VIEW)
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure(request, pk, write=True)
    version = measure.goal.field.version
    form = forms.MeasureForm(
        request.POST or None,
        initial=forms.initial_for(measure, MEASURE_FIELDS),
        owners=_measure_owners(request, measure.goal) | Organisation.objects.filter(pk=measure.owner_id),
        contacts=_contacts(version),
        frozen=version.is_frozen,
    )
    if request.method == "POST" and form.is_valid():
        changes = {"status": form.cleaned_data["status"]} if version.is_frozen else dict(form.cleaned_data)
        try:
            services.measure_save(acting_user=request.user, goal=measure.goal, changes=changes, measure=measure)
            messages.success(request, _("Maßnahme gespeichert."))
        except services.ConceptError as exc:
            _error(request, exc)
        return redirect("concept_staff:measure", measure.pk)
    return _form_page(request, form, _("Maßnahme bearbeiten"), f"/staff/konzept/massnahme/{measure.pk}/")


@staff_required(VIEW)
@require_POST
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure(request, pk, write=True)
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_save(acting_user=request.user, measure=measure, changes=form.cleaned_data)
        except services.ConceptError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Bitte Titel und Datum des Meilensteins angeben."))
    return redirect("concept_staff:measure", measure.pk)


@staff_required(VIEW)
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = access.get_milestone(request, pk)
    done_on = None if milestone.done_on else timezone.localdate()
    services.milestone_save(
        acting_user=request.user, measure=milestone.measure, changes={"done_on": done_on}, milestone=milestone
    )
    return redirect("concept_staff:measure", milestone.measure_id)


@staff_required(VIEW)
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access.get_measure(request, pk, write=True)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            services.evidence_add(
                acting_user=request.user,
                measure=measure,
                title=form.cleaned_data["title"],
                url=form.cleaned_data.get("url") or "",
                file_name=upload.name if upload else "",
                content=upload.read() if upload else None,
                content_type=(upload.content_type or "") if upload else "",
            )
        except services.ConceptError as exc:
            _error(request, exc)
    else:
        for error in form.errors.values():
            messages.error(request, str(error[0]))
    return redirect("concept_staff:measure", measure.pk)


@staff_required(VIEW)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence(request, pk)
    if not evidence.content:
        raise Http404
    from teilhabe.audit.services import record

    record("concept.evidence_download", actor=request.user, organisation=evidence.measure.owner, obj=evidence)
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{evidence.file_name or "nachweis"}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required("staff.access")
@require_POST
def comment_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A body member comments on a draft goal or measure (only through a body they belong to)."""
    goal: Any = None
    measure: Any = None
    if kind == "ziel":
        goal = access.get_goal(request, pk) if _reads_concept(request) else None
        target = goal
    elif kind == "massnahme":
        measure = access.get_measure(request, pk) if _reads_concept(request) else None
        target = measure
    else:
        raise Http404
    if target is None:
        target = _member_target(request, kind, pk)
        goal, measure = (target, None) if kind == "ziel" else (None, target)
    version = target.version
    bodies = _comment_bodies(request, version)
    if bodies is None:
        raise Http404
    form = forms.CommentForm(request.POST, bodies=bodies)
    if form.is_valid():
        try:
            services.comment_create(
                acting_user=request.user,
                version=version,
                body=form.cleaned_data["body"],
                text=form.cleaned_data["text"],
                goal=goal,
                measure=measure,
            )
            messages.success(request, _("Kommentar gespeichert. Die Geschäftsstelle antwortet hier."))
        except services.ConceptError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Bitte einen Kommentar eingeben."))
    name = "concept_staff:goal" if goal else "concept_staff:measure"
    if not _reads_concept(request):
        name = "concept_staff:participation"
        return redirect(name, version.pk)
    return redirect(name, target.pk)


def _reads_concept(request: HttpRequest) -> bool:
    return Concept.objects.visible_to(request.user).exists()


def _member_target(request: HttpRequest, kind: str, pk: int) -> Any:
    """Members without ``concept.view`` reach draft goals/measures only of concepts whose bodies they sit in."""
    from teilhabe.concept.models import Goal

    owners = Body.objects.filter(members__contact__user_id=request.user.pk or 0, members__until__isnull=True).values(
        "owner"
    )
    if kind == "ziel":
        qs: Any = Goal.objects.filter(pk=pk, field__version__concept__owner__in=owners)
    else:
        qs = Measure.objects.filter(pk=pk, goal__field__version__concept__owner__in=owners)
    obj = qs.first()
    if obj is None:
        raise Http404
    return obj


@staff_required(MANAGE)
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    comment = access.get_comment(request, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        services.comment_answer(acting_user=request.user, comment=comment, answer=form.cleaned_data["answer"])
        messages.success(request, _("Antwort gespeichert."))
    if comment.goal_id:
        return redirect("concept_staff:goal", comment.goal_id)
    if comment.measure_id:
        return redirect("concept_staff:measure", comment.measure_id)
    return redirect("concept_staff:version", comment.version_id)


@staff_required("staff.access")
def participation(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft version as body members see it: goals and measures, their comments and the answers."""
    version = participation_versions(request.user).filter(pk=pk).first()
    if version is None:
        raise Http404
    bodies = _comment_bodies(request, version)
    fields = version.fields.prefetch_related("goals__measures__comments", "goals__comments")
    return render(
        request,
        "concept/staff_participation.html",
        {"version": version, "fields": fields, "comment_form": forms.CommentForm(bodies=bodies) if bodies else None},
    )
