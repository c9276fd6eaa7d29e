from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teilhabe.accounts.access import AuthenticatedHttpRequest, staff_required
from teilhabe.audit.services import Action, record
from teilhabe.core.client import client_address
from teilhabe.core.forms import AccessibilityFeedbackForm, LegalPageForm, LegalPageTranslationForm
from teilhabe.core.legal_defaults import (
    TRANSLATED_LANGUAGES,
    default_legal_page,
    default_translation,
    localized_legal_page,
    translations_outdated_by_german_edit,
)
from teilhabe.core.models import AccessibilityFeedback, LegalPage, LegalPageTranslation
from teilhabe.core.navigation import PUBLIC_AREAS
from teilhabe.directory.models import TranslationStatus
from teilhabe.lib.collation import german_sorted
from teilhabe.regions.maps import gemeinde_map_svg
from teilhabe.regions.models import Gemeinde, Kreis

FEEDBACK_RATE_LIMIT = 5  # per client address and hour


def home(request: HttpRequest) -> HttpResponse:
    kreis = Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()
    gemeinden = german_sorted(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS), key=lambda g: g.name)
    return render(
        request,
        "core/home.html",
        {
            "kreis": kreis,
            "gemeinden": gemeinden,
            "map_svg": gemeinde_map_svg(gemeinden, title=_("Karte der Gemeinden")) if gemeinden else "",
            "areas": PUBLIC_AREAS,
        },
    )


def legal_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in LegalPage.Slug.values:
        raise Http404
    lang = (translation.get_language() or "de").split("-")[0]
    page = localized_legal_page(slug, lang)
    return render(request, "core/legal_page.html", {"page": page, "rtl": page.lang in settings.LANGUAGES_BIDI})


def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/sources.html")


def _rate_limited(request: HttpRequest, bucket: str, limit: int) -> bool:
    key = f"ratelimit:{bucket}:{client_address(request)}:{timezone.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, 3600) or 0
    if count >= limit:
        return True
    cache.incr(key)
    return False


def _notify_district(feedback: AccessibilityFeedback) -> None:
    # Staff read German, whatever language the visitor used.
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Rückmeldung zur Barrierefreiheit"),
            message=f"{feedback.page_url}\n\n{feedback.message}\n\n{feedback.name} {feedback.email}",
            from_email=None,
            recipient_list=[settings.TEILHABE_CONTACT_EMAIL],
            fail_silently=True,
        )


def accessibility_feedback(request: HttpRequest) -> HttpResponse:
    initial = {"page_url": request.GET.get("seite", "")[:500]}
    form = AccessibilityFeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _rate_limited(request, "a11y-feedback", FEEDBACK_RATE_LIMIT):
            form.add_error(
                None,
                _(
                    "Sie haben in der letzten Stunde bereits mehrere Meldungen gesendet. "
                    "Bitte versuchen Sie es später erneut oder schreiben Sie eine E-Mail."
                ),
            )
        elif form.is_valid():
            feedback = form.save()
            transaction.on_commit(lambda: _notify_district(feedback))
            messages.success(
                request,
                _(
                    "Vielen Dank. Ihre Meldung ist bei uns eingegangen; wir antworten innerhalb "
                    "von sechs Wochen, wenn Sie eine E-Mail-Adresse angegeben haben."
                ),
            )
            return redirect("core:home")
    return render(
        request, "core/accessibility_feedback.html", {"form": form, "contact_email": settings.TEILHABE_CONTACT_EMAIL}
    )


@staff_required("site.pages.manage")
def legal_page_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The German (binding) text; a change marks every translation ``outdated``."""
    if slug not in LegalPage.Slug.values:
        raise Http404
    page = LegalPage.objects.filter(slug=slug).first() or default_legal_page(slug)
    form = LegalPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            page = form.save(commit=False)
            page.updated_by = request.user
            page.save()
            record(Action.UPDATE, actor=request.user, obj=page, changed_fields=form.changed_data)
            if form.changed_data:
                for lang in translations_outdated_by_german_edit(slug):
                    row = LegalPageTranslation.objects.get(slug=slug, language=lang)
                    record(Action.UPDATE, actor=request.user, obj=row, changed_fields=["status"])
        messages.success(request, _("Gespeichert."))
        return redirect("core:legal", slug=slug)
    return render(request, "core/legal_page_form.html", {"form": form, "page": page})


@staff_required("site.pages.manage")
def legal_translation_edit(request: AuthenticatedHttpRequest, slug: str, lang: str) -> HttpResponse:
    """A district-maintained translation of one legal page (starts from the shipped translation)."""
    if slug not in LegalPage.Slug.values or lang not in TRANSLATED_LANGUAGES:
        raise Http404
    row = LegalPageTranslation.objects.filter(slug=slug, language=lang).first()
    created = row is None
    if row is None:  # start from the shipped translation; it translates the starting text, not an edit
        row = default_translation(slug, lang)
        if LegalPage.objects.filter(slug=slug).exists():
            row.status = TranslationStatus.OUTDATED
    form = LegalPageTranslationForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            row = form.save(commit=False)
            row.updated_by = request.user
            row.save()
            record(
                Action.CREATE if created else Action.UPDATE,
                actor=request.user,
                obj=row,
                changed_fields=form.changed_data,
            )
        messages.success(request, _("Übersetzung gespeichert."))
        return redirect("staff:legal_pages")
    german = LegalPage.objects.filter(slug=slug).first() or default_legal_page(slug)
    return render(
        request,
        "core/legal_translation_form.html",
        {
            "form": form,
            "german": german,
            "row": row,
            "language": lang,
            "language_name": dict(settings.LANGUAGES)[lang],
            "rtl": lang in settings.LANGUAGES_BIDI,
        },
    )


@staff_required("site.pages.manage")
def legal_pages(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = {(t.slug, t.language): t for t in LegalPageTranslation.objects.all()}
    pages = []
    for slug in LegalPage.Slug.values:
        page = LegalPage.objects.filter(slug=slug).first() or default_legal_page(slug)
        languages = []
        for lang in TRANSLATED_LANGUAGES:
            row = rows.get((slug, lang))
            if row is not None:
                status = row.get_status_display()
            else:
                status = _("Starttext übersetzt") if page.pk is None else _("fehlt")
            languages.append({"code": lang, "name": dict(settings.LANGUAGES)[lang], "status": status})
        pages.append({"page": page, "languages": languages})
    return render(request, "core/legal_pages.html", {"pages": pages})


@staff_required("site.feedback.view")
def feedback_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        feedback = AccessibilityFeedback.objects.filter(pk=request.POST.get("pk", "0"), handled_at__isnull=True).first()
        if feedback is not None:
            with transaction.atomic():
                feedback.handled_at = timezone.now()
                feedback.save(update_fields=["handled_at"])
                record(Action.UPDATE, actor=request.user, obj=feedback, changed_fields=["handled_at"])
        return redirect("staff:feedback")
    items = list(AccessibilityFeedback.objects.all()[:200])
    record(
        Action.READ,
        actor=request.user,
        object_type="core.accessibilityfeedback",
        object_repr=_("Liste der Rückmeldungen"),
        extra={"count": len(items)},
    )
    return render(request, "core/feedback_list.html", {"items": items})


# Every machine-readable offer of the public site: (URL name, args, title, format, licence note).
OPEN_DATA = [
    ("api:indicators", (), gettext_lazy("Indikatoren (Liste)"), "JSON", "dl-de/by-2-0"),
    ("api:schema", (), gettext_lazy("Beschreibung der Indikatoren-Schnittstelle (OpenAPI)"), "OpenAPI 3 (JSON)", "–"),
    ("directory_api:offers", (), gettext_lazy("Angebote"), "JSON", "CC BY 4.0"),
    ("directory_api:events", (), gettext_lazy("Veranstaltungen"), "JSON", "CC BY 4.0"),
    ("directory_api:organisations", (), gettext_lazy("Organisationen"), "JSON", "CC BY 4.0"),
    (
        "directory_api:hsds",
        (),
        gettext_lazy("Angebote im HSDS-Format"),
        "HSDS 3.0 (JSON)",
        "CC BY 4.0",
    ),
    (
        "directory_api:openapi",
        (),
        gettext_lazy("Beschreibung der Verzeichnis-Schnittstelle (OpenAPI)"),
        "OpenAPI 3 (JSON)",
        "–",
    ),
    ("directory:event_feed", (), gettext_lazy("Veranstaltungskalender zum Abonnieren"), "iCalendar (ICS)", "CC BY 4.0"),
    (
        "indicators:index",
        (),
        gettext_lazy("Alle Kennzahlen als Tabelle (Übersicht)"),
        "CSV, XLSX (?format=csv)",
        "dl-de/by-2-0",
    ),
    (
        "django.contrib.sitemaps.views.sitemap",
        (),
        gettext_lazy("Verzeichnis aller öffentlichen Seiten"),
        "Sitemap (XML)",
        "–",
    ),
]


def open_data_entries() -> list[dict[str, str]]:
    """The rows of the "Offene Daten" page; an entry whose address no longer exists fails loudly."""
    from django.urls import reverse

    return [
        {"url": reverse(name, args=args), "title": str(title), "format": fmt, "licence": licence}
        for name, args, title, fmt, licence in OPEN_DATA
    ]


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/open_data.html", {"entries": open_data_entries()})


def easy_language(request: HttpRequest) -> HttpResponse:
    """Leichte Sprache (BITV 2.0 § 4) with a slot for the DGS video the operator records."""
    return render(request, "core/easy_language.html", {"dgs_video_url": settings.TEILHABE_DGS_VIDEO_URL})
