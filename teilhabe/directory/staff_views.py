"""Staff pages of the directory under /staff/angebote/. Lists start from visible_to(user); single objects
come through the access helpers, which answer 404 outside the user's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import organisation_ids_with, staff_required
from teilhabe.accounts.models import Organisation, User
from teilhabe.directory import services
from teilhabe.directory.access import (
    dialogue_owners,
    editable_organisations,
    get_dialogue_for_user,
    get_event_for_user,
    get_location_for_user,
    get_offer_for_user,
    get_profile_organisation_for_user,
    get_submission_for_user,
)
from teilhabe.directory.forms import (
    DialogueForm,
    EventForm,
    LocationForm,
    ModerationForm,
    OfferForm,
    OfferImportForm,
    OutreachForm,
    ProfileForm,
    TranslationForm,
    XliffImportForm,
)
from teilhabe.directory.models import (
    OFFER_TEXT_FIELDS,
    SPOKEN_LANGUAGE_NAMES,
    DialogueEntry,
    Event,
    Location,
    Offer,
    OfferImport,
    OfferTranslation,
    OfferType,
    OrganisationProfile,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    TranslationStatus,
    tokens_split,
)
from teilhabe.directory.translation import get_provider
from teilhabe.directory.xliff import export_xliff, import_xliff
from teilhabe.lib.exports import csv_response
from teilhabe.lib.tabular import Preview

MODERATE = "directory.moderate"
DIALOGUE = "directory.dialogue"
TARGET_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "de"]


def _actor(request: HttpRequest) -> User:
    """The signed-in staff user (staff_required has already rejected anonymous requests)."""
    return cast(User, request.user)


@staff_required(MODERATE)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    offers = Offer.objects.visible_to(user)
    search = request.GET.get("q", "").strip()[:100]
    listed = offers.select_related("gemeinde", "owner").order_by("title")
    if search:
        listed = listed.filter(title__icontains=search)
    page = Paginator(listed, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "directory/staff/home.html",
        {
            "page": page,
            "q": search,
            "pending": Submission.objects.visible_to(user).pending().count(),
            "stale": offers.stale().count(),
            "counts": offers.values("status").annotate(n=Count("pk")).order_by("status"),
            "can_dialogue": bool(dialogue_owners(user).exists()),
        },
    )


def _offer_form(request: HttpRequest, instance: Offer | None) -> OfferForm:
    owners = editable_organisations(request.user)
    locations = Location.objects.visible_to(request.user)
    return OfferForm(request.POST or None, instance=instance, owners=owners, locations=locations)


@staff_required(MODERATE)
def offer_create(request: HttpRequest) -> HttpResponse:
    form = _offer_form(request, None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        offer = services.offer_create(acting_user=_actor(request), owner=form.cleaned_data["owner"], data=data)
        messages.success(request, _("Eintrag angelegt."))
        return redirect("directory_staff:offer", offer.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Angebot anlegen")})


@staff_required(MODERATE)
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    form = _offer_form(request, offer)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        data["owner"] = form.cleaned_data["owner"]
        # ModelForm already wrote the values onto the instance; re-read so the service sees the changes.
        offer = Offer.objects.get(pk=offer.pk)
        changed = services.offer_update(acting_user=_actor(request), offer=offer, data=data)
        messages.success(request, _("Gespeichert.") if changed else _("Keine Änderungen; als bestätigt vermerkt."))
        return redirect("directory_staff:offer", offer.pk)
    translations = {t.language: t for t in offer.translations.all()}
    return render(
        request,
        "directory/staff/offer_edit.html",
        {
            "form": form,
            "offer": offer,
            "events": offer.events.order_by("starts_at"),
            "languages": [(code, dict(settings.LANGUAGES)[code], translations.get(code)) for code in TARGET_LANGUAGES],
        },
    )


@staff_required(MODERATE)
@require_POST
def offer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    services.offer_confirm(acting_user=_actor(request), offer=offer)
    messages.success(request, _("Eintrag als aktuell bestätigt."))
    return redirect((request.POST.get("next") == "stale" and "directory_staff:stale") or "directory_staff:home")


@staff_required(MODERATE)
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for_user(request, pk)
    form = EventForm(
        request.POST or None,
        initial={
            "event_type": offer.offer_type,
            "gemeinde": offer.gemeinde_id,
            "location": offer.location_id,
            "title": offer.title,
        },
    )
    _limit_event_form(request, form)
    if request.method == "POST" and form.is_valid():
        services.event_save(acting_user=_actor(request), owner=offer.owner, data=form.cleaned_data)
        messages.success(request, _("Termin angelegt."))
        return redirect("directory_staff:offer", offer.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Termin anlegen")})


def _limit_event_form(request: HttpRequest, form: EventForm) -> None:
    form.fields["offer"].queryset = Offer.objects.visible_to(request.user)  # type: ignore[attr-defined]
    form.fields["location"].queryset = Location.objects.visible_to(request.user)  # type: ignore[attr-defined]
    from teilhabe.directory.forms import kreis_gemeinden

    form.fields["gemeinde"].queryset = kreis_gemeinden()  # type: ignore[attr-defined]


@staff_required(MODERATE)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request, pk)
    form = EventForm(request.POST or None, instance=event)
    _limit_event_form(request, form)
    if request.method == "POST" and form.is_valid():
        services.event_save(
            acting_user=_actor(request),
            owner=event.owner,
            data=form.cleaned_data,
            event=Event.objects.get(pk=event.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:event", event.pk)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Termin bearbeiten")})


@staff_required(MODERATE)
def location_list(request: HttpRequest) -> HttpResponse:
    locations = Location.objects.visible_to(request.user).select_related("gemeinde").order_by("name")
    page = Paginator(locations, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/location_list.html", {"page": page})


@staff_required(MODERATE)
def location_create(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, owners=editable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        services.location_save(acting_user=_actor(request), owner=form.cleaned_data["owner"], data=data)
        messages.success(request, _("Ort angelegt."))
        return redirect("directory_staff:locations")
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Ort anlegen")})


@staff_required(MODERATE)
def location_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_location_for_user(request, pk)
    form = LocationForm(request.POST or None, instance=location, owners=editable_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        services.location_save(
            acting_user=_actor(request),
            owner=location.owner,
            data=data,
            location=Location.objects.get(pk=location.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:locations")
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Ort bearbeiten")})


# Moderation --------------------------------------------------------------------------------------


@staff_required(MODERATE)
def submission_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", SubmissionStatus.PENDING)
    if status not in SubmissionStatus.values:
        status = SubmissionStatus.PENDING
    submissions = Submission.objects.visible_to(request.user).filter(status=status).select_related("gemeinde", "offer")
    page = Paginator(submissions, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "directory/staff/submission_list.html",
        {"page": page, "status": status, "statuses": SubmissionStatus.choices},
    )


@staff_required(MODERATE)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user(request, pk)
    owners = editable_organisations(request.user)
    data = dict(submission.data)
    initial = {
        **data,
        "internet": data.get("website", ""),
        "gemeinde": submission.gemeinde_id,
        "owner": submission.offer.owner_id if submission.offer else owners.first(),
    }
    form = ModerationForm(request.POST or None, initial=initial, owners=owners)
    if submission.kind == SubmissionKind.CHANGE:
        form.fields["owner"].required = False
    decided = submission.status != SubmissionStatus.PENDING
    if request.method == "POST" and not decided:
        if request.POST.get("decision") == "reject":
            message = request.POST.get("message", "").strip()
            if not message:
                form.add_error("message", _("Bitte begründen Sie die Ablehnung für die einreichende Person."))
            else:
                services.submission_reject(acting_user=_actor(request), submission=submission, message=message)
                messages.success(request, _("Vorschlag abgelehnt."))
                return redirect("directory_staff:submissions")
        elif form.is_valid():
            owner = form.cleaned_data.get("owner") or (submission.offer.owner if submission.offer else None)
            if owner is None:
                raise Http404
            offer = services.submission_approve(
                acting_user=_actor(request),
                submission=submission,
                owner=owner,
                data=form.offer_data(),
                gemeinde=form.cleaned_data.get("gemeinde"),
                message=form.cleaned_data.get("message", ""),
            )
            messages.success(request, _("Vorschlag angenommen und veröffentlicht."))
            return redirect("directory_staff:offer", offer.pk)
    return render(
        request,
        "directory/staff/submission_detail.html",
        {
            "submission": submission,
            "form": form,
            "decided": decided,
            "original": submission.offer,
        },
    )


@staff_required(MODERATE)
def stale_list(request: HttpRequest) -> HttpResponse:
    offers = (
        Offer.objects.visible_to(request.user).stale().select_related("owner", "gemeinde").order_by("last_confirmed_at")
    )
    page = Paginator(offers, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/stale_list.html", {"page": page, "days": settings.DIRECTORY_STALE_DAYS})


# Steckbriefe -------------------------------------------------------------------------------------


@staff_required(MODERATE)
def profile_list(request: HttpRequest) -> HttpResponse:
    organisations = editable_organisations(request.user).select_related("directory_profile").order_by("name")
    page = Paginator(organisations, 50).get_page(request.GET.get("seite"))
    return render(request, "directory/staff/profile_list.html", {"page": page})


@staff_required(MODERATE)
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_profile_organisation_for_user(request, pk)
    profile = OrganisationProfile.objects.filter(organisation=organisation).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "gemeinden"}
        services.profile_save(
            acting_user=_actor(request),
            organisation=organisation,
            data=data,
            gemeinden=form.cleaned_data["gemeinden"],
        )
        messages.success(request, _("Steckbrief gespeichert."))
        return redirect("directory_staff:profiles")
    return render(
        request,
        "directory/staff/form.html",
        {"form": form, "title": _("Steckbrief: %(name)s") % {"name": organisation.name}},
    )


# Translation workflow ----------------------------------------------------------------------------


@staff_required(MODERATE)
def translation_overview(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("sprache", "")
    state = request.GET.get("stand", "")
    offers = Offer.objects.visible_to(request.user).exclude(status="archived").order_by("title")
    if language in TARGET_LANGUAGES and state == TranslationStatus.MISSING:
        offers = offers.exclude(
            translations__language=language,
            translations__status__in=[
                TranslationStatus.CURRENT,
                TranslationStatus.OUTDATED,
                TranslationStatus.MACHINE,
            ],
        )
    elif language in TARGET_LANGUAGES and state in TranslationStatus.values:
        offers = offers.filter(translations__language=language, translations__status=state)
    page = Paginator(offers, 50).get_page(request.GET.get("seite"))
    rows = []
    translations = OfferTranslation.objects.filter(offer__in=list(page.object_list))
    by_offer: dict[int, dict[str, OfferTranslation]] = {}
    for t in translations:
        by_offer.setdefault(t.offer_id, {})[t.language] = t
    for offer in page.object_list:
        cells = []
        for code in TARGET_LANGUAGES:
            found = by_offer.get(offer.pk, {}).get(code)
            cells.append((code, found.status if found and found.title else TranslationStatus.MISSING))
        rows.append((offer, cells))
    return render(
        request,
        "directory/staff/translations.html",
        {
            "page": page,
            "rows": rows,
            "languages": TARGET_LANGUAGES,
            "language": language,
            "state": state,
            "states": TranslationStatus.choices,
            "language_names": dict(settings.LANGUAGES),
            "query": f"sprache={language}&stand={state}",
        },
    )


@staff_required(MODERATE)
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in TARGET_LANGUAGES:
        raise Http404
    offer = get_offer_for_user(request, pk)
    translation = offer.translations.filter(language=language).first()
    initial = {f: getattr(translation, f) for f in OFFER_TEXT_FIELDS} if translation else {}
    form = TranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.translation_save(acting_user=_actor(request), obj=offer, language=language, data=form.cleaned_data)
        messages.success(request, _("Übersetzung gespeichert."))
        return redirect("directory_staff:translations")
    return render(
        request,
        "directory/staff/translation_edit.html",
        {
            "offer": offer,
            "form": form,
            "translation": translation,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "rtl": language in settings.LANGUAGES_BIDI,
            "source": [
                (Offer._meta.get_field(f).verbose_name, getattr(offer, f))  # type: ignore[union-attr]
                for f in OFFER_TEXT_FIELDS
            ],
            "provider": get_provider(),
        },
    )


@staff_required(MODERATE)
@require_POST
def translation_machine(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in TARGET_LANGUAGES:
        raise Http404
    offer = get_offer_for_user(request, pk)
    if get_provider() is None:
        messages.error(request, _("Es ist kein Dienst für maschinelle Übersetzung eingerichtet."))
    else:
        try:
            services.machine_translate(acting_user=_actor(request), obj=offer, language=language)
            messages.success(request, _("Maschinell übersetzt. Bitte prüfen Sie den Text."))
        except Exception:  # provider errors (network, quota) must not break the page
            messages.error(request, _("Die maschinelle Übersetzung ist fehlgeschlagen."))
    return redirect("directory_staff:translation", offer.pk, language)


@staff_required(MODERATE)
def xliff_export(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("sprache", "")
    if language not in TARGET_LANGUAGES:
        raise Http404
    offers = Offer.objects.visible_to(request.user).exclude(status="archived").prefetch_related("translations")
    events = Event.objects.visible_to(request.user).exclude(status="archived").prefetch_related("translations")
    if request.GET.get("nur") == "offen":
        done = Q(translations__language=language, translations__status=TranslationStatus.CURRENT)
        offers = offers.exclude(done)
        events = events.exclude(done)
    objects = [*offers.order_by("pk"), *events.order_by("pk")]
    body = export_xliff(objects, target_language=language)
    services.record_export(
        acting_user=_actor(request),
        what="xliff",
        count=len(objects),
        filters={"language": language, "only_open": request.GET.get("nur") == "offen"},
    )
    response = HttpResponse(body, content_type="application/x-xliff+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="angebote-de-{language}.xlf"'
    return response


@staff_required(MODERATE)
def xliff_import_view(request: HttpRequest) -> HttpResponse:
    form = XliffImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_xliff(
            upload.read(),
            acting_user=_actor(request),
            offers=Offer.objects.visible_to(request.user),
            events=Event.objects.visible_to(request.user),
        )
        if report.saved:
            messages.success(request, _("%(n)d Übersetzungen übernommen.") % {"n": report.saved})
    return render(request, "directory/staff/xliff_import.html", {"form": form, "report": report})


# Dialogue and outreach ---------------------------------------------------------------------------


@staff_required(DIALOGUE)
def dialogue_overview(request: HttpRequest) -> HttpResponse:
    entries = DialogueEntry.objects.visible_to(request.user).select_related("organisation")
    due = entries.filter(
        follow_up_on__isnull=False, follow_up_on__lte=timezone.localdate() + timedelta(days=14)
    ).order_by("follow_up_on")
    profiles = OrganisationProfile.objects.select_related("organisation").order_by("organisation__name")
    if request.GET.get("nur_mso", "1") == "1":
        profiles = profiles.filter(is_mso=True)
    return render(
        request,
        "directory/staff/dialogue_overview.html",
        {"due": due[:50], "recent": entries[:20], "profiles": profiles[:300]},
    )


@staff_required(DIALOGUE)
def dialogue_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    profile = OrganisationProfile.objects.select_related("organisation").filter(organisation_id=pk).first()
    if profile is None:
        raise Http404
    owners = dialogue_owners(request.user)
    form = DialogueForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.dialogue_save(
            acting_user=_actor(request),
            owner=owners.first(),
            organisation=profile.organisation,
            data=form.cleaned_data,
        )
        messages.success(request, _("Eintrag gespeichert."))
        return redirect("directory_staff:dialogue_organisation", pk)
    entries = DialogueEntry.objects.visible_to(request.user).filter(organisation_id=pk)
    return render(
        request,
        "directory/staff/dialogue_organisation.html",
        {"profile": profile, "entries": entries, "form": form},
    )


@staff_required(DIALOGUE)
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_dialogue_for_user(request, pk)
    form = DialogueForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.dialogue_save(
            acting_user=_actor(request),
            owner=entry.owner,
            organisation=entry.organisation,
            data=form.cleaned_data,
            entry=DialogueEntry.objects.get(pk=entry.pk),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("directory_staff:dialogue_organisation", entry.organisation_id)
    return render(request, "directory/staff/form.html", {"form": form, "title": _("Dialogeintrag bearbeiten")})


def _outreach(form: OutreachForm) -> Any:
    profiles = OrganisationProfile.objects.select_related("organisation").order_by("organisation__name")
    if not form.is_valid():
        return profiles.filter(is_mso=True), {}
    data = form.cleaned_data
    if data.get("nur_mso"):
        profiles = profiles.filter(is_mso=True)
    if data.get("gemeinde"):
        profiles = profiles.filter(gemeinden__ags=data["gemeinde"])
    if data.get("sprache"):
        profiles = profiles.filter(languages__contains=f",{data['sprache']},")
    return profiles.distinct(), {k: v for k, v in data.items() if v}


@staff_required(DIALOGUE)
def outreach(request: HttpRequest) -> HttpResponse:
    form = OutreachForm(request.GET or {"nur_mso": True})
    profiles, _filters = _outreach(form)
    return render(
        request,
        "directory/staff/outreach.html",
        {
            "form": form,
            "profiles": profiles[:500],
            "query": request.GET.urlencode(),
            "language_names": SPOKEN_LANGUAGE_NAMES,
        },
    )


@staff_required(DIALOGUE)
def outreach_csv(request: HttpRequest) -> HttpResponse:
    form = OutreachForm(request.GET or {"nur_mso": True})
    profiles, filters = _outreach(form)
    header = [
        "Organisation",
        "MSO",
        "Ansprechperson",
        "E-Mail",
        "Telefon",
        "Internetseite",
        "Sprachen",
        "Gemeinden",
        "Arbeitsfelder",
        "Netzwerke",
    ]
    types = dict(OfferType.choices)
    table = [
        [
            profile.organisation.name,
            profile.is_mso,
            profile.contact_name,
            profile.contact_email or profile.organisation.email,
            profile.contact_phone or profile.organisation.phone,
            profile.website,
            ", ".join(SPOKEN_LANGUAGE_NAMES.get(c, c) for c in profile.language_list),
            ", ".join(g.name for g in profile.gemeinden.all()),
            ", ".join(str(types.get(c, c)) for c in tokens_split(profile.fields_of_work)),
            profile.networks,
        ]
        for profile in profiles.prefetch_related("gemeinden")
    ]
    rows = len(table)
    response = csv_response("ansprache", header, table)
    services.record_export(acting_user=_actor(request), what="outreach_csv", count=rows, filters=filters)
    return response


# Import of offer lists ---------------------------------------------------------------------------


def _import_owners(user: Any) -> Any:
    """Imported offers belong to the importing user's own organisation(s), never to another one."""
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, MODERATE), is_active=True).order_by("name")


def _get_import_for_user(request: HttpRequest, pk: int) -> OfferImport:
    run = OfferImport.objects.visible_to(request.user).select_related("owner").filter(pk=pk).first()
    if run is None:
        raise Http404
    return cast(OfferImport, run)


@staff_required(MODERATE)
def offer_import(request: HttpRequest) -> HttpResponse:
    form = OfferImportForm(request.POST or None, request.FILES or None, owners=_import_owners(request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.offer_import_check(
            acting_user=_actor(request),
            owner=form.cleaned_data["owner"],
            data=upload.read(),
            file_name=upload.name or "",
            publish=form.cleaned_data["publish"],
        )
        return redirect("directory_staff:offer_import_run", run.pk)
    runs = OfferImport.objects.visible_to(request.user).select_related("owner")[:20]
    return render(request, "directory/staff/offer_import.html", {"form": form, "runs": runs})


@staff_required(MODERATE)
def offer_import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_import_for_user(request, pk)
    if request.method == "POST":
        try:
            offers = services.offer_import_commit(acting_user=_actor(request), run=run)
        except services.ImportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d Angebote übernommen.") % {"n": len(offers)})
        return redirect("directory_staff:offer_import_run", run.pk)
    failed_rows = len({p["row"] for p in run.problems if p["row"]})
    return render(
        request,
        "directory/staff/offer_import_run.html",
        {
            "run": run,
            "failed_rows": failed_rows,
            "row_count": len(run.rows),
            "preview": Preview.from_dict(run.preview) if run.status != "committed" else None,
        },
    )


@staff_required(MODERATE)
def offer_import_failed_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows with problems, in the file's columns plus a 'fehler' column, to fix and upload again."""
    from teilhabe.directory.importer import COLUMNS

    run = _get_import_for_user(request, pk)
    errors: dict[int, list[str]] = {}
    for p in run.problems:
        text = f"{p['column']}: {p['message']} [{p['code']}]" if p["column"] else f"{p['message']} [{p['code']}]"
        errors.setdefault(p["row"], []).append(text)
    table: list[list[Any]] = []
    for raw in run.rows:
        row_errors = errors.get(int(raw["_row"]))
        if row_errors:
            table.append([raw["_row"], *[raw.get(c, "") for c in COLUMNS], " | ".join(row_errors)])
    table += [[None, *[None for _c in COLUMNS], text] for text in errors.get(0, [])]
    # Uploaded cells are echoed: the writer neutralises formulas in them.
    response = csv_response(f"import-{run.pk}-fehler", ["zeile", *COLUMNS, "fehler"], table)
    return response
