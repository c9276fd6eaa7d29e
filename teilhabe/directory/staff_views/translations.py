"""Translation workflow: overview, editing, machine suggestions, XLIFF export and import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import staff_required
from teilhabe.directory import services
from teilhabe.directory.access import get_offer_for_user
from teilhabe.directory.forms import (
    TranslationForm,
    XliffImportForm,
)
from teilhabe.directory.models import (
    OFFER_TEXT_FIELDS,
    Event,
    Offer,
    OfferTranslation,
    TranslationStatus,
)
from teilhabe.directory.staff_views.common import MODERATE, TARGET_LANGUAGES, actor
from teilhabe.directory.translation import get_provider
from teilhabe.directory.xliff import export_xliff, import_xliff


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
        services.translation_save(acting_user=actor(request), obj=offer, language=language, data=form.cleaned_data)
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
            services.machine_translate(acting_user=actor(request), obj=offer, language=language)
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
        acting_user=actor(request),
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
            acting_user=actor(request),
            offers=Offer.objects.visible_to(request.user),
            events=Event.objects.visible_to(request.user),
        )
        if report.saved:
            messages.success(request, _("%(n)d Übersetzungen übernommen.") % {"n": report.saved})
    return render(request, "directory/staff/xliff_import.html", {"form": form, "report": report})
