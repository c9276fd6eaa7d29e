"""Staff side: report series, editions, chapter commentary with history, builds, publication."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import organisations_with, staff_required
from teilhabe.reports import services
from teilhabe.reports.forms import BuildForm, ChapterForm, DefinitionForm, EditionForm, PublishForm
from teilhabe.reports.models import BuildStatus, ReportBuild, ReportChapter, ReportDefinition, ReportEdition

PERMISSION = "reports.manage"


def get_definition_for_user(request: HttpRequest, pk: int) -> ReportDefinition:
    definition = ReportDefinition.objects.visible_to(request.user).filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


def get_edition_for_user(request: HttpRequest, pk: int) -> ReportEdition:
    edition = ReportEdition.objects.visible_to(request.user).select_related("definition").filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def get_chapter_for_user(request: HttpRequest, pk: int) -> ReportChapter:
    chapter = (
        ReportChapter.objects.filter(pk=pk, edition__in=ReportEdition.objects.visible_to(request.user))
        .select_related("edition__definition")
        .first()
    )
    if chapter is None:
        raise Http404
    return chapter


def get_build_for_user(request: HttpRequest, pk: int) -> ReportBuild:
    build = (
        ReportBuild.objects.filter(pk=pk, edition__in=ReportEdition.objects.visible_to(request.user))
        .select_related("edition__definition")
        .defer("pdf", "snapshot")
        .first()
    )
    if build is None:
        raise Http404
    return build


@staff_required(PERMISSION)
def index(request: HttpRequest) -> HttpResponse:
    definitions = ReportDefinition.objects.visible_to(request.user).prefetch_related("editions")
    form = DefinitionForm(request.POST or None, organisations=organisations_with(request.user, PERMISSION))
    if request.method == "POST" and form.is_valid():
        definition = services.definition_create(
            acting_user=request.user,
            owner=form.cleaned_data["owner"],
            kreis_ags=settings.TEILHABE_KREIS,
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("Berichtsreihe angelegt."))
        return redirect("reports_staff:edition_create", definition.pk)
    return render(request, "reports/staff_index.html", {"definitions": definitions, "form": form})


@staff_required(PERMISSION)
def edition_create(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_definition_for_user(request, pk)
    form = EditionForm(request.POST or None, definition=definition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        edition = services.edition_create(
            acting_user=request.user,
            definition=definition,
            title=data["title"],
            slug=data["slug"],
            subtitle=data["subtitle"],
            stichtag=data["stichtag"],
            years=data["years"],
            foreword=data["foreword"],
            summary=data["summary"],
            previous=data["previous"],
            indicator_codes=data["indicator_codes"],
            gemeinde_ags=data["gemeinde_ags"],
        )
        messages.success(request, _("Ausgabe angelegt."))
        return redirect("reports_staff:edition", edition.pk)
    return render(request, "reports/staff_form.html", {"form": form, "title": _("Neue Ausgabe: %s") % definition.title})


def _edition_initial(edition: ReportEdition) -> dict[str, object]:
    return {
        "title": edition.title,
        "subtitle": edition.subtitle,
        "slug": edition.slug,
        "stichtag": edition.stichtag,
        "years": ", ".join(str(y) for y in edition.years),
        "previous": edition.previous,
        "foreword": edition.foreword,
        "summary": edition.summary,
        "indicator_codes": edition.indicator_codes,
        "gemeinde_ags": edition.gemeinde_ags,
    }


@staff_required(PERMISSION)
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_edition_for_user(request, pk)
    builds = edition.builds.defer("pdf", "snapshot")[:10]
    return render(
        request,
        "reports/staff_edition.html",
        {
            "edition": edition,
            "chapters": edition.chapters.all(),
            "builds": builds,
            "build_form": BuildForm(),
            "publish_form": PublishForm(),
            "done_build": edition.builds.filter(status=BuildStatus.DONE).defer("pdf", "snapshot").first(),
            "running": any(not b.is_finished for b in builds),
        },
    )


@staff_required(PERMISSION)
def edition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_edition_for_user(request, pk)
    if edition.is_published:
        raise Http404
    form = EditionForm(
        request.POST or None, definition=edition.definition, edition=edition, initial=_edition_initial(edition)
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        services.edition_update(acting_user=request.user, edition=edition, changes=changes)
        messages.success(request, _("Ausgabe gespeichert."))
        return redirect("reports_staff:edition", edition.pk)
    return render(
        request, "reports/staff_form.html", {"form": form, "title": _("Ausgabe bearbeiten"), "edition": edition}
    )


@staff_required(PERMISSION)
def chapter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    chapter = get_chapter_for_user(request, pk)
    editable = not chapter.edition.is_published
    form = ChapterForm(request.POST or None, initial={"title": chapter.title, "text": chapter.commentary})
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            saved = services.commentary_save(
                acting_user=request.user,
                chapter=chapter,
                text=form.cleaned_data["text"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Kommentar gespeichert.") if saved else _("Keine Änderung."))
            return redirect("reports_staff:edition", chapter.edition_id)
    return render(
        request,
        "reports/staff_chapter.html",
        {
            "chapter": chapter,
            "form": form,
            "revisions": chapter.revisions.select_related("author")[:20],
            "editable": editable,
        },
    )


@staff_required(PERMISSION)
@require_POST
def build_create(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_edition_for_user(request, pk)
    if edition.is_published:
        # A published edition is frozen with its build; a new build would not change what is published.
        messages.error(request, _("Diese Ausgabe ist veröffentlicht; für neue Zahlen legen Sie eine neue Ausgabe an."))
        return redirect("reports_staff:edition", edition.pk)
    form = BuildForm(request.POST)
    refresh = bool(form.is_valid() and form.cleaned_data["refresh_data"])
    services.build_request(acting_user=request.user, edition=edition, refresh_data=refresh)
    messages.success(request, _("Der Bericht wird im Hintergrund erstellt."))
    return redirect("reports_staff:edition", edition.pk)


@staff_required(PERMISSION)
def build_status(request: HttpRequest, pk: int) -> JsonResponse:
    build = get_build_for_user(request, pk)
    return JsonResponse(
        {
            "status": build.status,
            "status_label": build.get_status_display(),
            "progress": build.progress,
            "step": build.step,
            "finished": build.is_finished,
        }
    )


@staff_required(PERMISSION)
def build_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    build = get_build_for_user(request, pk)
    if build.status != BuildStatus.DONE:
        raise Http404
    build = ReportBuild.objects.get(pk=build.pk)
    pdf = services.build_download(acting_user=request.user, build=build)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{build.edition.slug}-{build.pk}.pdf"'
    return response


@staff_required(PERMISSION)
@require_POST
def edition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_edition_for_user(request, pk)
    form = PublishForm(request.POST)
    build = edition.builds.filter(status=BuildStatus.DONE).defer("pdf", "snapshot").first()
    if not form.is_valid():
        messages.error(request, _("Bitte bestätigen Sie die Veröffentlichung."))
    elif build is None:
        messages.error(request, _("Es gibt noch keinen fertig erstellten Bericht."))
    else:
        try:
            services.edition_publish(acting_user=request.user, edition=edition, build=build)
        except services.ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Die Ausgabe ist veröffentlicht."))
    return redirect("reports_staff:edition", edition.pk)
