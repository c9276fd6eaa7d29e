"""Staff side of the network: contacts, bodies, members, meetings (invitation, attendance, minutes,
decisions), action items, responsibilities and the organigram."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisation_ids_with, organisations_with, staff_required
from teilhabe.accounts.models import Organisation, User
from teilhabe.concept import access, forms, network_services
from teilhabe.concept.ical import meeting_calendar
from teilhabe.concept.models import (
    ActionItem,
    ActionStatus,
    AttendanceStatus,
    Body,
    Contact,
    Meeting,
    Responsibility,
)
from teilhabe.concept.organigram import organigram
from teilhabe.concept.services import ConceptError
from teilhabe.concept.staff_views import history, participation_versions

MANAGE = "concept.manage"


def _office(request: HttpRequest) -> Organisation:
    office = organisations_with(request.user, MANAGE).first()
    if office is None:
        raise PermissionDenied
    return office


def _form_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    return render(request, "concept/staff_form.html", {"form": form, "title": title, "back": back})


@staff_required("staff.access")
def bodies(request: HttpRequest) -> HttpResponse:
    from teilhabe.concept.models import VersionStatus

    visible = Body.objects.visible_to(request.user).select_related("responsible", "parent")
    drafts = participation_versions(request.user).filter(
        status=VersionStatus.DRAFT, concept__owner__in=visible.values("owner")
    )
    return render(
        request,
        "concept/staff_bodies.html",
        {"bodies": visible, "drafts": drafts, "manage": has_permission(request.user, MANAGE)},
    )


@staff_required(MANAGE)
def contacts(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    users = User.objects.filter(memberships__is_active=True).distinct()
    form = forms.ContactForm(request.POST or None, users=users)
    if request.method == "POST" and form.is_valid():
        network_services.contact_save(acting_user=request.user, owner=office, changes=form.cleaned_data)
        messages.success(request, _("Kontakt angelegt."))
        return redirect("concept_staff:contacts")
    return render(
        request,
        "concept/staff_contacts.html",
        {"contacts": Contact.objects.visible_to(request.user).select_related("organisation", "user"), "form": form},
    )


@staff_required(MANAGE)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = Contact.objects.visible_to(request.user).filter(pk=pk).first()
    if contact is None:
        raise Http404
    users = User.objects.filter(memberships__is_active=True).distinct()
    fields = forms.ContactForm.Meta.fields
    form = forms.ContactForm(request.POST or None, users=users, initial=forms.initial_for(contact, fields))
    if request.method == "POST" and form.is_valid():
        network_services.contact_save(
            acting_user=request.user, owner=contact.owner, changes=form.cleaned_data, contact=contact
        )
        messages.success(request, _("Kontakt gespeichert."))
        return redirect("concept_staff:contacts")
    return _form_page(request, form, _("Kontakt bearbeiten"), "/staff/konzept/kontakte/")


@staff_required(MANAGE)
def body_create(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    form = forms.BodyForm(
        request.POST or None,
        bodies=Body.objects.filter(owner=office),
        contacts=Contact.objects.filter(owner=office),
    )
    if request.method == "POST" and form.is_valid():
        body = network_services.body_save(acting_user=request.user, owner=office, changes=form.cleaned_data)
        return redirect("concept_staff:body", body.pk)
    return _form_page(request, form, _("Neues Gremium"), "/staff/konzept/gremien/")


@staff_required("staff.access")
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk)
    manage = has_permission(request.user, MANAGE, body.owner_id)
    members = body.members.filter(until__isnull=True).select_related("contact__organisation", "deputy")
    return render(
        request,
        "concept/staff_body.html",
        {
            "body": body,
            "members": members,
            "meetings": body.meetings.all(),
            # Only working groups this reader may open (a member of the parent body need not belong to them).
            "children": body.children.filter(pk__in=Body.objects.visible_to(request.user).values("pk")),
            "manage": manage,
            "member_form": forms.MemberForm(contacts=Contact.objects.filter(owner=body.owner)) if manage else None,
            "meeting_form": forms.MeetingForm() if manage else None,
            "history": history(body) if manage else None,
        },
    )


@staff_required(MANAGE)
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk, manage=True)
    fields = forms.BodyForm.Meta.fields
    form = forms.BodyForm(
        request.POST or None,
        bodies=Body.objects.filter(owner=body.owner).exclude(pk=body.pk),
        contacts=Contact.objects.filter(owner=body.owner),
        initial=forms.initial_for(body, fields),
    )
    if request.method == "POST" and form.is_valid():
        network_services.body_save(acting_user=request.user, owner=body.owner, changes=form.cleaned_data, body=body)
        return redirect("concept_staff:body", body.pk)
    return _form_page(request, form, _("Gremium bearbeiten"), f"/staff/konzept/gremien/{body.pk}/")


@staff_required(MANAGE)
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk, manage=True)
    form = forms.MemberForm(request.POST, contacts=Contact.objects.filter(owner=body.owner))
    if form.is_valid():
        network_services.member_add(acting_user=request.user, body=body, changes=form.cleaned_data)
        messages.success(request, _("Mitglied aufgenommen."))
    else:
        messages.error(request, _("Bitte einen Kontakt wählen."))
    return redirect("concept_staff:body", body.pk)


@staff_required(MANAGE)
@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    from teilhabe.concept.models import BodyMember

    member = BodyMember.objects.filter(pk=pk, body__owner_id__in=organisation_ids_with(request.user, MANAGE)).first()
    if member is None:
        raise Http404
    network_services.member_end(acting_user=request.user, member=member, until=timezone.localdate())
    return redirect("concept_staff:body", member.body_id)


@staff_required(MANAGE)
@require_POST
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = access.get_body(request, pk, manage=True)
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        meeting = network_services.meeting_save(acting_user=request.user, body=body, changes=form.cleaned_data)
        return redirect("concept_staff:meeting", meeting.pk)
    return _form_page(request, form, _("Neue Sitzung"), f"/staff/konzept/gremien/{body.pk}/")


@staff_required("staff.access")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk)
    body = meeting.body
    manage = has_permission(request.user, MANAGE, body.owner_id)
    contacts = Contact.objects.filter(owner=body.owner)
    members = body.members.filter(until__isnull=True).select_related("contact", "deputy")
    attendance = {a.contact_id: a.status for a in meeting.attendance.all()}
    later = body.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at")
    decisions = meeting.decisions.prefetch_related("action_items__owner")
    return render(
        request,
        "concept/staff_meeting.html",
        {
            "meeting": meeting,
            "body": body,
            "manage": manage,
            "members": [(m, attendance.get(m.contact_id, "")) for m in members],
            "attendance_choices": AttendanceStatus.choices,
            "decisions": decisions,
            "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes})
            if manage and not meeting.minutes_frozen
            else None,
            "decision_form": forms.DecisionForm(contacts=contacts) if manage and not meeting.minutes_frozen else None,
            "approve_options": later if manage and meeting.minutes_status == "draft" else None,
            "pending_minutes": body.meetings.filter(starts_at__lt=meeting.starts_at, minutes_status="draft")
            if manage
            else None,
            "meeting_form": forms.MeetingForm(initial=forms.initial_for(meeting, forms.MeetingForm.Meta.fields))
            if manage
            else None,
            "today": timezone.localdate(),
            "history": history(meeting) if manage else None,
        },
    )


@staff_required(MANAGE)
@require_POST
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        network_services.meeting_save(
            acting_user=request.user, body=meeting.body, changes=form.cleaned_data, meeting=meeting
        )
        messages.success(request, _("Sitzung gespeichert."))
        return redirect("concept_staff:meeting", meeting.pk)
    return _form_page(request, form, _("Sitzung bearbeiten"), f"/staff/konzept/sitzungen/{meeting.pk}/")


@staff_required(MANAGE)
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    try:
        count = network_services.meeting_invite(acting_user=request.user, meeting=meeting)
        messages.success(request, _("Einladung an %(n)d Personen verschickt.") % {"n": count})
    except ConceptError as exc:
        messages.error(request, str(exc))
    return redirect("concept_staff:meeting", meeting.pk)


@staff_required("staff.access")
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk)
    response = HttpResponse(meeting_calendar(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sitzung-{meeting.pk}.ics"'
    return response


@staff_required(MANAGE)
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    valid = set(AttendanceStatus.values)
    member_ids = set(meeting.body.members.values_list("contact_id", flat=True))
    statuses = {}
    for contact_id in member_ids:
        value = request.POST.get(f"contact-{contact_id}", "")
        if value in valid:
            statuses[contact_id] = value
    network_services.attendance_set(acting_user=request.user, meeting=meeting, statuses=statuses)
    messages.success(request, _("Anwesenheit gespeichert."))
    return redirect("concept_staff:meeting", meeting.pk)


@staff_required(MANAGE)
@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            network_services.minutes_save(acting_user=request.user, meeting=meeting, text=form.cleaned_data["minutes"])
            messages.success(request, _("Protokollentwurf gespeichert."))
        except ConceptError as exc:
            messages.error(request, str(exc))
    return redirect("concept_staff:meeting", meeting.pk)


@staff_required(MANAGE)
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    at = Meeting.objects.filter(pk=request.POST.get("at_meeting") or 0, body=meeting.body).first()
    if at is None:
        messages.error(request, _("Bitte die Sitzung wählen, in der das Protokoll genehmigt wurde."))
    else:
        try:
            network_services.minutes_approve(acting_user=request.user, meeting=meeting, at_meeting=at)
            messages.success(request, _("Protokoll genehmigt und festgeschrieben."))
        except ConceptError as exc:
            messages.error(request, str(exc))
    return redirect("concept_staff:meeting", meeting.pk)


@staff_required(MANAGE)
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting(request, pk, manage=True)
    form = forms.DecisionForm(request.POST, contacts=Contact.objects.filter(owner=meeting.body.owner))
    if form.is_valid():
        data = form.cleaned_data
        try:
            network_services.decision_add(
                acting_user=request.user,
                meeting=meeting,
                kind=data["kind"],
                text=data["text"],
                action_title=data.get("action_title") or "",
                action_owner=data.get("action_owner"),
                action_due=data.get("action_due"),
            )
            messages.success(request, _("Festgehalten."))
        except ConceptError as exc:
            messages.error(request, str(exc))
    else:
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
    return redirect("concept_staff:meeting", meeting.pk)


@staff_required("staff.access")
def action_items(request: HttpRequest) -> HttpResponse:
    """Open action items: all of the office's bodies for the office; one's own for everyone else."""
    from django.db.models import Q

    today = timezone.localdate()
    items = (
        ActionItem.objects.filter(
            Q(decision__meeting__body__owner_id__in=organisation_ids_with(request.user, MANAGE))
            | Q(owner__user=request.user)
        )
        .filter(status=ActionStatus.OPEN)
        .select_related("owner", "decision__meeting__body")
        .distinct()
    )
    return render(request, "concept/staff_actions.html", {"items": items, "today": today})


@staff_required("staff.access")
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_action_item(request, pk)
    try:
        network_services.action_status(acting_user=request.user, item=item, status=request.POST.get("status", ""))
        messages.success(request, _("Stand der Aufgabe gespeichert."))
    except ConceptError as exc:
        messages.error(request, str(exc))
    if request.POST.get("next") == "meeting":
        return redirect("concept_staff:meeting", item.decision.meeting_id)
    return redirect("concept_staff:actions")


# --- responsibilities and organigram ----------------------------------------------------------------


def _responsibility_owners(request: HttpRequest) -> Any:
    if has_permission(request.user, MANAGE):
        return Organisation.objects.filter(is_active=True)
    return organisations_with(request.user, "concept.measures.own")


def _can_edit_responsibilities(request: HttpRequest) -> bool:
    return has_permission(request.user, MANAGE) or has_permission(request.user, "concept.measures.own")


@staff_required("concept.view")
def responsibilities(request: HttpRequest) -> HttpResponse:
    items = Responsibility.objects.select_related("owner", "contact", "gemeinde", "parent")
    svg, roots = organigram(items, title=_("Organigramm der Zuständigkeiten"))
    editable = set(Responsibility.objects.editable_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "concept/staff_responsibilities.html",
        {
            "items": items,
            "svg": svg,
            "roots": roots,
            "editable": editable,
            "can_add": _can_edit_responsibilities(request),
        },
    )


def _contacts_for_responsibility(request: HttpRequest) -> Any:
    # Gemeinden pick from the office's contacts of their own organisation only.
    if has_permission(request.user, MANAGE):
        return Contact.objects.visible_to(request.user)
    return Contact.objects.filter(organisation_id__in=organisation_ids_with(request.user, "concept.measures.own"))


@staff_required("concept.view")
def responsibility_create(request: HttpRequest) -> HttpResponse:
    if not _can_edit_responsibilities(request):
        raise PermissionDenied
    form = forms.ResponsibilityForm(
        request.POST or None,
        owners=_responsibility_owners(request),
        parents=Responsibility.objects.all(),
        contacts=_contacts_for_responsibility(request),
    )
    if request.method == "POST" and form.is_valid():
        network_services.responsibility_save(acting_user=request.user, changes=form.cleaned_data)
        messages.success(request, _("Zuständigkeit angelegt."))
        return redirect("concept_staff:responsibilities")
    return _form_page(request, form, _("Neue Zuständigkeit"), "/staff/konzept/zustaendigkeiten/")


@staff_required("concept.view")
def responsibility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_responsibility(request, pk)
    fields = forms.ResponsibilityForm.Meta.fields
    form = forms.ResponsibilityForm(
        request.POST or None,
        owners=_responsibility_owners(request) | Organisation.objects.filter(pk=item.owner_id),
        parents=Responsibility.objects.exclude(pk=item.pk),
        contacts=_contacts_for_responsibility(request) | Contact.objects.filter(pk=item.contact_id or 0),
        initial=forms.initial_for(item, fields),
    )
    if request.method == "POST" and form.is_valid():
        try:
            network_services.responsibility_save(
                acting_user=request.user, changes=form.cleaned_data, responsibility=item
            )
            messages.success(request, _("Zuständigkeit gespeichert."))
            return redirect("concept_staff:responsibilities")
        except ConceptError as exc:
            messages.error(request, str(exc))
    return _form_page(request, form, _("Zuständigkeit bearbeiten"), "/staff/konzept/zustaendigkeiten/")
