"""Budget (issue #15): the first question visible after ≤ 150 KB transferred; usable at 400 kbit/s.

Renders the demo questionnaire (7 languages, 18 questions) in Arabic through the Django test client and
counts what a first visit transfers before the first question is painted: the HTML, the one stylesheet
and the one script (no web fonts: system fonts), raw and gzip-compressed (whitenoise serves .gz). Also the
server time for the form page and for checking a submitted response (elementpath), median of 20.

Run: .venv/bin/python benchmarks/surveys.py   (SQLite in memory, no server needed)
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
os.environ.setdefault("TEILHABE_SECRET_KEY", "benchmark")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

django.setup()
override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

KBIT_PER_S = 400


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.surveys import demo_form, services
    from teilhabe.surveys.tests.test_flow import ANSWERS

    owner = Organisation.objects.create(name="Landkreis", kind=OrganisationKind.LANDKREIS)
    survey = services.survey_create(None, owner=owner, title="Leben im Landkreis", slug="leben", year=2026)
    services.version_upload(None, survey, file_name="demo.xlsx", data=demo_form.workbook_bytes())
    services.survey_open(None, survey)
    client = Client()
    html = client.get("/umfragen/leben/ar/").content
    assets = [Path(str(finders.find(name))).read_bytes() for name in ("surveys/form.css", "surveys/form.js")]
    raw = len(html) + sum(len(a) for a in assets)
    compressed = len(gzip.compress(html)) + sum(len(gzip.compress(a)) for a in assets)
    print(f"HTML {len(html) / 1024:.1f} KB, CSS {len(assets[0]) / 1024:.1f} KB, JS {len(assets[1]) / 1024:.1f} KB")
    print(f"first question after: {raw / 1024:.1f} KB raw, {compressed / 1024:.1f} KB gzip (budget 150 KB)")
    print(
        f"at {KBIT_PER_S} kbit/s: {compressed * 8 / 1000 / KBIT_PER_S:.2f} s transfer (gzip), {raw * 8 / 1000 / KBIT_PER_S:.2f} s raw"
    )
    times_get, times_post = [], []
    for _ in range(20):
        start = time.perf_counter()
        client.get("/umfragen/leben/ar/")
        times_get.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.post("/umfragen/leben/ar/", {**ANSWERS, "jahre": "120"})  # rejected: nothing stored
        times_post.append(time.perf_counter() - start)
    print(
        f"server: form page {statistics.median(times_get) * 1000:.0f} ms, check of a response {statistics.median(times_post) * 1000:.0f} ms (median of 20)"
    )


if __name__ == "__main__":
    main()
