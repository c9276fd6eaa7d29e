"""Staff pages for the format descriptions (``teilhabe.core.file_formats``) and their example files."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from teilhabe.accounts.access import staff_required
from teilhabe.core.file_formats import FORMATS
from teilhabe.lib.exports import csv_response


@staff_required()
def format_description(request: HttpRequest, slug: str) -> HttpResponse:
    file_format = FORMATS.get(slug)
    if file_format is None:
        raise Http404
    return render(request, "core/file_format.html", {"format": file_format})


@staff_required()
def format_example(request: HttpRequest, slug: str) -> HttpResponse:
    file_format = FORMATS.get(slug)
    if file_format is None or not file_format.example_rows:
        raise Http404
    return csv_response(f"beispiel-{slug}", file_format.example_header, file_format.example_rows)
