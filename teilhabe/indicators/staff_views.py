"""Staff view of the monitoring: all indicators, agency aggregates (form, import), custom indicators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, organisations_with, staff_required
from teilhabe.accounts.models import OrganisationKind
from teilhabe.core import fixed_sql
from teilhabe.indicators import dashboard, importer, plausibility, services
from teilhabe.indicators.catalogue import load_catalogue
from teilhabe.indicators.forms import AgencyValueForm, CustomIndicatorForm, ImportForm, region_choices
from teilhabe.indicators.models import AgencyValue, Indicator, IndicatorQuerySet
from teilhabe.indicators.plausibility import fmt
from teilhabe.indicators.views import gemeinde_in_kreis_or_404, render_index, render_indicator, render_profile

_FIELDS = tuple(f.attname for f in Indicator._meta.concrete_fields)
# Every staff indicator request reads its indicator: one fixed statement instead of a compiled queryset (issue
# 17, decision 0176); the same row as ``Indicator.objects.filter(code=code)``, visibility checked on it.
_BY_CODE_SQL = f'SELECT {fixed_sql.columns(Indicator, _FIELDS)} FROM "indicators_indicator" WHERE "code" = %s'  # noqa: S608


def get_indicator_for_user(request: HttpRequest, code: str) -> Indicator:
    """The indicator if ``Indicator.objects.visible_to(request.user)`` holds it; 404 otherwise."""
    with connection.cursor() as cursor:
        cursor.execute(_BY_CODE_SQL, [code])
        rows = cursor.fetchall()
    found = fixed_sql.instances(Indicator, _FIELDS, rows)
    if not found or not IndicatorQuerySet.is_visible_to(found[0], request.user):
        raise Http404
    return found[0]


def get_agency_value_for_user(request: HttpRequest, pk: int) -> AgencyValue:
    value = AgencyValue.objects.visible_to(request.user).filter(pk=pk).first()
    if value is None:
        raise Http404
    return value


@staff_required("indicators.view")
def index(request: HttpRequest) -> HttpResponse:
    return render_index(request, dashboard.indicators_for(staff=True, user=request.user), staff=True)


@staff_required("indicators.view")
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render_indicator(request, get_indicator_for_user(request, code), staff=True)


@staff_required("indicators.view")
def gemeinde_profile(request: HttpRequest, ags: str) -> HttpResponse:
    return render_profile(
        request,
        gemeinde_in_kreis_or_404(ags),
        dashboard.indicators_for(staff=True, user=request.user),
        staff=True,
    )


@require_POST
@staff_required("indicators.manage")
def indicator_publish(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_indicator_for_user(request, code)
    if indicator.is_custom and not has_permission(request.user, "indicators.manage", indicator.owner_id):
        raise Http404
    if (
        not indicator.is_custom
        and not organisations_with(request.user, "indicators.manage").filter(kind=OrganisationKind.LANDKREIS).exists()
    ):
        # Catalogue indicators are published for the whole district: only by the Landkreis office.
        raise PermissionDenied
    publish = request.POST.get("publish") == "1"
    services.indicator_set_published(acting_user=request.user, indicator=indicator, published=publish)
    messages.success(request, _("Veröffentlicht.") if publish else _("Veröffentlichung zurückgenommen."))
    return redirect("indicators_staff:indicator", code=indicator.code)


@require_POST
@staff_required("indicators.manage")
def recompute(request: HttpRequest) -> HttpResponse:
    report = services.recompute_all(acting_user=request.user)
    messages.success(
        request,
        _("Neu berechnet: %(c)s neu, %(u)s geändert, %(d)s entfernt (%(s)s s).")
        % {"c": report.created, "u": report.updated, "d": report.deleted, "s": f"{report.seconds:.1f}"},
    )
    return redirect("indicators_staff:index")


@staff_required("indicators.manage")
def agency_values(request: HttpRequest) -> HttpResponse:
    values = AgencyValue.objects.visible_to(request.user).select_related("owner", "entered_by")
    key = request.GET.get("schluessel", "")
    if key:
        values = values.filter(source_key=key)
    page = Paginator(values.order_by("source_key", "-year", "ags"), 100).get_page(request.GET.get("seite"))
    labels = {k: spec.label for k, spec in load_catalogue().source_keys.items()}
    areas = dict(region_choices())
    for value in page:
        value.key_label = labels.get(value.source_key, value.source_key)  # type: ignore[attr-defined]
        value.area_name = areas.get(value.ags, value.ags)  # type: ignore[attr-defined]
    return render(request, "indicators/staff_agency_values.html", {"page": page, "key": key})


def _saved_message(request: HttpRequest, saved: AgencyValue) -> None:
    previous = getattr(saved, "previous_value", None)
    if previous is None:
        messages.success(request, _("Wert gespeichert; betroffene Indikatoren wurden neu berechnet."))
    elif previous == saved.value:
        messages.info(request, _("Wert unverändert (%(v)s).") % {"v": fmt(saved.value)})
    else:
        messages.warning(
            request,
            _(
                "Wert ersetzt: %(old)s → %(new)s (der alte Wert bleibt in der Änderungshistorie); betroffene "
                "Indikatoren wurden neu berechnet."
            )
            % {"old": fmt(previous), "new": fmt(saved.value)},
        )


@staff_required("indicators.manage")
def agency_value_create(request: HttpRequest) -> HttpResponse:
    form = AgencyValueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.agency_value_save(
            acting_user=request.user,
            organisation=data["organisation"],
            source_key=data["source_key"],
            level=data["level"],
            ags=data["ags"],
            year=data["year"],
            value=data["value"],
            source_document=data["source_document"],
        )
        _saved_message(request, saved)
        return redirect("indicators_staff:agency_values")
    return render(request, "indicators/staff_form.html", {"form": form, "title": _("Behördenaggregat erfassen")})


@staff_required("indicators.manage")
def agency_value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_agency_value_for_user(request, pk)
    initial = {
        "organisation": value.owner,
        "source_key": value.source_key,
        "ags": value.ags,
        "year": value.year,
        "value": fmt(value.value),
        "source_document": value.source_document,
    }
    form = AgencyValueForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (data["source_key"], data["ags"], data["year"]) != (value.source_key, value.ags, value.year):
            services.agency_value_delete(acting_user=request.user, value=value)
        saved = services.agency_value_save(
            acting_user=request.user,
            organisation=data["organisation"],
            source_key=data["source_key"],
            level=data["level"],
            ags=data["ags"],
            year=data["year"],
            value=data["value"],
            source_document=data["source_document"],
        )
        _saved_message(request, saved)
        return redirect("indicators_staff:agency_values")
    return render(
        request,
        "indicators/staff_form.html",
        {
            "form": form,
            "title": _("Behördenaggregat ändern"),
            "delete_value": value,
            "history": [
                {
                    "revision": r,
                    "old": "–" if r.old_value is None else fmt(r.old_value),
                    "new": _("gelöscht") if r.new_value is None else fmt(r.new_value),
                }
                for r in services.agency_value_history(
                    source_key=value.source_key, level=value.level, ags=value.ags, year=value.year
                )
            ],
        },
    )


@require_POST
@staff_required("indicators.manage")
def agency_value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_agency_value_for_user(request, pk)
    services.agency_value_delete(acting_user=request.user, value=value)
    messages.success(request, _("Wert gelöscht; betroffene Indikatoren wurden neu berechnet."))
    return redirect("indicators_staff:agency_values")


@staff_required("indicators.manage")
def agency_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        parsed = importer.parse(data, upload.name)
        if parsed.ok:
            parsed.problems.extend(
                services.agency_value_conflicts(organisation=form.cleaned_data["organisation"], rows=parsed.rows)
            )
        context["parsed"] = parsed
        context["preview"] = parsed.preview
        if parsed.ok:
            context["warnings"] = plausibility.warnings(parsed.rows)
        if parsed.ok:
            dry_run = "commit" not in request.POST
            outcome = services.agency_values_import(
                acting_user=request.user,
                organisation=form.cleaned_data["organisation"],
                parsed=parsed,
                file_name=upload.name[:200],
                dry_run=dry_run,
            )
            context["outcome"] = outcome
            if not dry_run:
                messages.success(
                    request,
                    _("%(n)s Zeilen übernommen (%(c)s neu, %(u)s geändert).")
                    % {"n": len(parsed.rows), "c": outcome.created, "u": outcome.updated},
                )
                return redirect("indicators_staff:agency_values")
    return render(request, "indicators/staff_import.html", context)


@staff_required("indicators.manage")
def custom_indicator_create(request: HttpRequest) -> HttpResponse:
    form = CustomIndicatorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = services.custom_indicator_create(
            acting_user=request.user,
            organisation=data["organisation"],
            code=data["code"],
            name_de=data["name_de"],
            name_en=data["name_en"],
            theme=data["theme"],
            numerator=list(data["numerator"]),
            denominator=list(data["denominator"]),
            multiplier=data["multiplier"],
            definition=data["definition"],
            caveats=data["caveats"],
            disclosure_method=data["disclosure_method"],
            min_count=data["min_count"],
        )
        messages.success(request, _("Indikator angelegt und berechnet."))
        return redirect("indicators_staff:indicator", code=indicator.code)
    return render(request, "indicators/staff_form.html", {"form": form, "title": _("Eigenen Indikator anlegen")})


def _own_custom_indicator(request: HttpRequest, code: str) -> Any:
    indicator = get_indicator_for_user(request, code)
    if not indicator.is_custom or not has_permission(request.user, "indicators.manage", indicator.owner_id):
        raise Http404
    return indicator


@staff_required("indicators.manage")
def custom_indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit an own indicator: a new version; the previous definition stays in the history."""
    indicator = _own_custom_indicator(request, code)
    form = CustomIndicatorForm(request.POST or None, user=request.user, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.custom_indicator_update(
            acting_user=request.user,
            indicator=indicator,
            numerator=list(data["numerator"]),
            denominator=list(data["denominator"]),
            name_de=data["name_de"],
            name_en=data["name_en"] or data["name_de"],
            theme=data["theme"],
            multiplier=data["multiplier"],
            definition=data["definition"],
            caveats=data["caveats"],
            disclosure_method=data["disclosure_method"],
            min_count=data["min_count"],
        )
        messages.success(request, _("Neue Version gespeichert und berechnet."))
        return redirect("indicators_staff:indicator", code=indicator.code)
    return render(
        request,
        "indicators/staff_form.html",
        {
            "form": form,
            "title": _("Eigenen Indikator %(code)s bearbeiten") % {"code": indicator.code},
            "versions": indicator.versions.all(),
        },
    )


@staff_required("indicators.manage")
def custom_indicator_delete(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then delete an own indicator that was never published."""
    indicator = _own_custom_indicator(request, code)
    if indicator.ever_published or indicator.is_published:
        messages.error(
            request,
            _("Dieser Indikator war schon veröffentlicht und kann nur zurückgezogen, nicht gelöscht werden."),
        )
        return redirect("indicators_staff:indicator", code=indicator.code)
    if request.method == "POST":
        services.custom_indicator_delete(acting_user=request.user, indicator=indicator)
        messages.success(request, _("Indikator %(code)s gelöscht.") % {"code": code})
        return redirect("indicators_staff:index")
    return render(request, "indicators/staff_delete.html", {"indicator": indicator})
