"""Public pages of the directory: no login, content in the visitor's language, shareable GET URLs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teilhabe.core.client import client_address
from teilhabe.directory import fragments, services
from teilhabe.directory.content import localize, visitor_language, with_translations
from teilhabe.directory.forms import ProposalForm, SearchForm, kreis_gemeinden
from teilhabe.directory.ical import calendar_for
from teilhabe.directory.maps import results_map_svg
from teilhabe.directory.models import (
    SPOKEN_LANGUAGE_NAMES,
    Event,
    Offer,
    OfferType,
    OrganisationProfile,
    SubmissionKind,
)
from teilhabe.directory.search import SearchResult, search, search_cache_key, vocabulary
from teilhabe.lib.collation import german_sorted

PAGE_SIZE = 20
MAP_POINTS = 300


def _offer_cards(offers: list[Offer], language: str, distances: dict[int, float]) -> list[dict[str, Any]]:
    return [fragments.offer_card(offer, language, distances.get(offer.pk)) for offer in offers]


def offer_search(request: HttpRequest) -> HttpResponse:
    """Search page. The content (filters, results, map) is the same for every visitor with the same URL and
    language, so it is cached briefly; every write to the directory invalidates it (content version)."""
    language = visitor_language()
    key = search_cache_key(language, request.GET.urlencode())
    content = cache.get(key)
    if content is None:
        content = _search_content(request, language)
        cache.set(key, content, settings.DIRECTORY_SEARCH_CACHE_SECONDS)
    # Rendered by this view from escaped templates; the cache returns it as a plain str.
    return _search_page(request, content)


_CONTENT_SLOT = "\x00content\x00"  # where the body goes in a remembered page shell; never in page text
_shells = fragments.Lru(64)


def _search_page(request: HttpRequest, content: str) -> HttpResponse:
    """``render(request, "directory/search.html", {"content": content})``. For a visitor who is not logged in
    and has no session or message cookie, everything around ``content`` (head, navigation, language links,
    footer) depends only on the language and the address, not on the query: it is rendered once per process
    and language, path and host (decision 0111) — it was a third of an uncached page's cost."""
    stateless = not request.user.is_authenticated and not (
        request.COOKIES.keys() & {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
    )
    if not stateless:
        return render(request, "directory/search.html", {"content": mark_safe(content)})
    key = (get_language(), request.path, request.get_host(), request.scheme, settings.DEMO)
    shell = _shells.get(key)
    if shell is None:
        html = render_to_string("directory/search.html", {"content": mark_safe(_CONTENT_SLOT)}, request)
        head, _slot, tail = html.partition(_CONTENT_SLOT)
        shell = (head, tail)
        _shells.put(key, shell)
    return HttpResponse(shell[0] + content + shell[1])


def _search_content(request: HttpRequest, language: str) -> str:
    """The page body. Gemeinden, filters and map points come from the search's in-memory copy, the option
    lists and offer cards from ``fragments`` (rendered once per language and data version): a search costs
    at most two queries (the offers whose card is not cached yet), however many results it has."""
    vocab = vocabulary()
    form = SearchForm(request.GET or None, choices=vocab.gemeinde_choices)
    data = form.cleaned_data if form.is_valid() else {}
    result = search(data)
    paginator = Paginator(result.ids, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("seite"))
    points = []
    for pk in result.ids[:MAP_POINTS]:
        facts = vocab.facts.get(pk)
        if facts is not None and facts.latitude is not None and facts.longitude is not None:
            points.append((pk, facts.title, facts.latitude, facts.longitude))
    query = request.GET.copy()
    query.pop("seite", None)
    return render_to_string(
        "directory/includes/search_content.html",
        {
            "form_html": _search_form_html(request, form, vocab.generation),
            "page": page,
            "cards": fragments.cards_html(list(page.object_list), language, result.distances, vocab),
            "total": paginator.count,
            "query_string": query.urlencode(),
            "map_svg": results_map_svg(
                [ags for ags, _name in vocab.gemeinde_choices],
                points,
                title=_("Karte der gefundenen Angebote"),
                origin=result.origin,
            ),
            "language": language,
            "hints": _search_hints(request, result, language),
        },
    )


def warm_up() -> None:
    """Render the search page body once per platform language (templates, option lists, map outlines, the
    first cards), so that a process forked afterwards does not pay for it on its first requests
    (``searchmemory.preload``)."""
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get(reverse("directory:search"))
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _search_content(request, language)
    # The cards of every offer in German, the language of most visits (bounded by the cache's size).
    vocab = vocabulary()
    with translation.override(settings.LANGUAGE_CODE):
        pks = vocab.published_pks.tolist()[: fragments.CARD_ENTRIES]
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            fragments.cards_html(chunk, settings.LANGUAGE_CODE, {}, vocab)
            fragments.offers_json(chunk, settings.LANGUAGE_CODE, {}, vocab, _api_offer)


def _api_offer(offer: Offer) -> dict[str, Any]:
    from teilhabe.directory.api import serialised_offer

    return serialised_offer(offer, settings.LANGUAGE_CODE)


_Q_SLOT = "\ue000q\ue000"  # stands for the search words in a remembered form (private-use letters)
_forms = fragments.Lru(2000)


def _search_form_html(request: HttpRequest, form: SearchForm, generation: int) -> SafeString:
    """The filter form (``directory/includes/search_form.html``). Without errors its markup depends on the
    search words only through the text box's value: it is rendered once per language and values of the other
    fields, with a placeholder for the words, which are escaped and put in (decision 0111)."""
    if form.is_bound and form.errors:
        return render_to_string("directory/includes/search_form.html", {"form": form})
    words = request.GET.get("q", "") if form.is_bound else ""
    key = (
        get_language(),
        generation,
        form.is_bound,
        bool(words),
        tuple((name, tuple(request.GET.getlist(name))) for name in form.fields if name != "q"),
    )
    html = _forms.get(key)
    if html is None:
        data = request.GET.copy()
        if words:
            data["q"] = _Q_SLOT
        template_form = SearchForm(data if form.is_bound else None, choices=form.gemeinde_choices)
        html = render_to_string("directory/includes/search_form.html", {"form": template_form})
        _forms.put(key, html)
    return mark_safe(html.replace(_Q_SLOT, escape(words)) if words else html)


def _search_hints(request: HttpRequest, result: SearchResult, language: str) -> dict[str, Any]:
    """What the search page says besides the list: "Meinten Sie …?", relaxed matches, the empty state."""
    suggestion_query = request.GET.copy()
    suggestion_query["q"] = result.suggestion
    suggestion_query.pop("seite", None)
    base_query = request.GET.copy()
    for key in ("gemeinde", "seite"):
        base_query.pop(key, None)
    type_labels = dict(OfferType.choices)
    counselling: list[Offer] = []
    if result.counselling_ids:
        counselling = list(
            with_translations(Offer.objects.filter(pk__in=result.counselling_ids).select_related("gemeinde"), language)
        )
    return {
        "searched": bool(request.GET.get("q")),
        "suggestion": result.suggestion,
        "suggestion_query": suggestion_query.urlencode(),
        "relaxed": result.relaxed,
        "place": result.place,
        "nearby": result.nearby,
        "base_query": base_query.urlencode(),
        "related_types": [(t, type_labels[t]) for t in result.related_types if t in type_labels],
        "counselling": _offer_cards(counselling, language, {}),
    }


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    language = visitor_language()
    offer = with_translations(
        Offer.objects.published()
        .filter(pk=pk)
        .select_related("gemeinde", "location", "owner", "owner__directory_profile"),
        language,
    ).first()
    if offer is None:
        raise Http404
    events = _upcoming_events(offer, language)
    profile = getattr(offer.owner, "directory_profile", None)
    return render(
        request,
        "directory/offer_detail.html",
        {
            "offer": offer,
            "card": _offer_cards([offer], language, {})[0],
            "events": events,
            "profile": profile if profile is not None and profile.is_public else None,
            "language": language,
        },
    )


def _upcoming_events(offer: Offer, language: str) -> list[dict[str, Any]]:
    now = timezone.now()
    events = with_translations(offer.events.published().select_related("location"), language)
    upcoming = [
        e
        for e in events
        if e.starts_at >= now - timedelta(hours=12)
        or (e.recurrence == "weekly" and (e.repeat_until is None or e.repeat_until >= now.date()))
    ]
    return [{"event": e, "text": localize(e, language)} for e in upcoming[:10]]


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = OrganisationProfile.objects.public().select_related("organisation").filter(organisation_id=pk).first()
    if profile is None:
        raise Http404
    language = visitor_language()
    offers = list(
        with_translations(Offer.objects.published().filter(owner_id=pk).select_related("gemeinde"), language)[:50]
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "profile": profile,
            "gemeinden": german_sorted(profile.gemeinden.all(), key=lambda g: g.name),
            "languages": [SPOKEN_LANGUAGE_NAMES.get(c, c) for c in profile.language_list],
            "fields_of_work": [dict(OfferType.choices).get(c, c) for c in profile.fields_of_work_list],
            "cards": _offer_cards(offers, language, {}),
        },
    )


def _date_param(raw: str | None) -> date | None:
    """``YYYY-MM-DD`` (the date input's format) or ``TT.MM.JJJJ``; ``None`` for empty or invalid input."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime((raw or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def event_list(request: HttpRequest) -> HttpResponse:
    language = visitor_language()
    gemeinden = list(kreis_gemeinden())
    gemeinde = request.GET.get("gemeinde", "")
    event_type = request.GET.get("typ", "")
    now = timezone.now()
    events: Any = Event.objects.published().select_related("gemeinde", "location")
    if gemeinde:
        events = events.filter(gemeinde_id=gemeinde)
    if event_type in OfferType.values:
        events = events.filter(event_type=event_type)
    date_from, date_to = _date_param(request.GET.get("von")), _date_param(request.GET.get("bis"))
    start = max(now - timedelta(hours=12), _day_start(date_from)) if date_from else now - timedelta(hours=12)
    events = (
        events.filter(starts_at__gte=start)
        | events.filter(recurrence="weekly", repeat_until__gte=start.date())
        | events.filter(recurrence="weekly", repeat_until__isnull=True)
    )
    if date_to:
        events = events.filter(starts_at__lt=_day_start(date_to) + timedelta(days=1))
    events = with_translations(events.order_by("starts_at"), language)
    paginator = Paginator(events, 30)
    page = paginator.get_page(request.GET.get("seite"))
    return render(
        request,
        "directory/event_list.html",
        {
            "page": page,
            "items": [{"event": e, "text": localize(e, language)} for e in page.object_list],
            "gemeinden": gemeinden,
            "types": OfferType.choices,
            "selected_gemeinde": gemeinde,
            "selected_type": event_type,
            "date_from": date_from.isoformat() if date_from else "",
            "date_to": date_to.isoformat() if date_to else "",
            "feed_query": "&".join(
                p
                for p in [
                    f"gemeinde={gemeinde}" if gemeinde else "",
                    f"typ={event_type}" if event_type in OfferType.values else "",
                ]
                if p
            ),
        },
    )


def event_feed(request: HttpRequest) -> HttpResponse:
    """iCalendar feed (RFC 5545), optionally per Gemeinde and type."""
    events = Event.objects.published().select_related("gemeinde", "location", "owner")
    if request.GET.get("gemeinde"):
        events = events.filter(gemeinde_id=request.GET["gemeinde"])
    if request.GET.get("typ") in OfferType.values:
        events = events.filter(event_type=request.GET["typ"])
    body = calendar_for(events.order_by("starts_at")[:2000], base_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    return response


def _rate_limited(request: HttpRequest) -> bool:
    key = f"ratelimit:directory-proposal:{client_address(request)}:{timezone.now():%Y%m%d%H}"
    count = cache.get_or_set(key, 0, 3600) or 0
    if count >= settings.DIRECTORY_SUBMISSION_RATE_LIMIT:
        return True
    cache.incr(key)
    return False


def propose(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    offer = None
    initial: dict[str, Any] = {}
    if pk is not None:
        offer = Offer.objects.published().filter(pk=pk).first()
        if offer is None:
            raise Http404
        initial = {
            f: getattr(offer, f)
            for f in [
                "title",
                "offer_type",
                "summary",
                "description",
                "eligibility",
                "how_to_access",
                "is_free",
                "cost_note",
                "contact_email",
                "contact_phone",
            ]
        }
        initial.update(
            gemeinde=offer.gemeinde_id,
            internet=offer.website,
            languages=offer.language_list,
            target_groups=offer.target_group_list,
        )
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen in der letzten Stunde schon mehrere Vorschläge. "
                    "Bitte versuchen Sie es später erneut."
                ),
            )
        elif form.is_valid():
            services.submission_create(
                kind=SubmissionKind.CHANGE if offer else SubmissionKind.NEW,
                offer=offer,
                data=form.offer_data(),
                gemeinde=form.cleaned_data.get("gemeinde"),
                submitter_name=form.cleaned_data.get("submitter_name", ""),
                submitter_email=form.cleaned_data.get("submitter_email", ""),
                consent=bool(form.cleaned_data.get("consent")),
            )
            messages.success(request, _("Vielen Dank! Ihr Vorschlag wird geprüft und danach veröffentlicht."))
            return redirect("directory:search")
    return render(request, "directory/propose.html", {"form": form, "offer": offer, "honeypot": True})
