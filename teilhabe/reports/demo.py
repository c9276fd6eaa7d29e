"""Demo: two report editions of the demo district from the synthetic monitoring (2023 and 2024).

The 2024 edition names the 2023 edition as its predecessor, so its summary shows arrows and deltas.
Both are built synchronously (no worker runs during ``make demo``) and published.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from teilhabe.reports import services
from teilhabe.reports.models import BuildStatus, ReportEdition

FOREWORD = (
    "Dieser Bericht zeigt, wie die Teilhabe von Zugewanderten im Kreis sich entwickelt. "
    "Er beruht auf dem Integrationsmonitoring; alle Zahlen sind geheimhaltungsgeprüft.\n\n"
    "**Hinweis:** Diese Ausgabe ist eine Vorführung mit synthetischen Demodaten."
)
SUMMARY_NOTE = (
    "- Kleine Gemeinden sind in vielen Tabellen gesperrt (•), weil dort zu wenige Personen betroffen sind.\n\n"
    "Mehr zum Vorgehen im Anhang [Methoden und Quellen](/berichte/)."
)
# Which indicators the demo texts talk about, per chapter (field of action).
TREND_INDICATORS = {"A": ["DEM-01"], "E": ["ARB-01", "ARB-03"]}


def kreis_trend(code: str, kreis_ags: str, year: int) -> str:
    """One German sentence on the Kreis value of ``code`` in ``year`` against ``year − 1``, from the data.

    ``"Ausländeranteil: von 5,1 % (2023) auf 5,3 % (2024) gestiegen (+0,2)."``; "" when a value is missing
    or suppressed. The direction word follows the rounded difference, so the text and the table agree.
    """
    from teilhabe.indicators.dashboard import format_number
    from teilhabe.indicators.models import Indicator, IndicatorValue, Level

    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return ""
    categories = indicator.category_list()
    category = categories[0].code if categories else ""
    values = dict(
        IndicatorValue.objects.filter(
            indicator=indicator, category=category, level=Level.KREIS, region=kreis_ags, year__in=[year - 1, year]
        )
        .exclude(published_value=None)
        .filter(suppression="")
        .values_list("year", "published_value")
    )
    if year not in values or year - 1 not in values:
        return ""
    before, now = round(float(values[year - 1] or 0), 1), round(float(values[year] or 0), 1)
    delta = round(now - before, 1)
    word = "gestiegen" if delta > 0 else "gesunken" if delta < 0 else "unverändert geblieben"
    unit = indicator.unit
    change = f" ({'+' if delta > 0 else ''}{format_number(delta)})" if delta else ""
    return (
        f"{indicator.name_de}: von {format_number(before)} {unit} ({year - 1}) "
        f"auf {format_number(now)} {unit} ({year}) {word}{change}."
    )


def demo_texts(kreis_ags: str, year: int) -> tuple[str, dict[str, str]]:
    """Summary and chapter commentary of the demo edition ``year``, generated from the Kreis values."""
    lines = [kreis_trend(code, kreis_ags, year) for codes in TREND_INDICATORS.values() for code in codes]
    summary = "## Kernaussagen\n" + "".join(f"- {line}\n" for line in lines if line) + SUMMARY_NOTE
    commentary = {}
    for theme, codes in TREND_INDICATORS.items():
        sentences = [kreis_trend(code, kreis_ags, year) for code in codes]
        text = " ".join(s for s in sentences if s)
        if text:
            commentary[theme] = "## Einordnung\n" + text
    return summary, commentary


def build_demo_report(district: Any) -> None:
    owner = district.organisations["landkreis"]
    user = district.users.get("koordination")
    kreis = district.kreis
    if ReportEdition.objects.filter(slug__in=["integrationsbericht-2023", "integrationsbericht-2024"]).exists():
        # `make demo` runs again on an existing database: the published editions stay as they are.
        district.notes.append("Integrationsberichte 2023 und 2024: bereits vorhanden (/berichte/).")
        return
    definition = services.definition_create(
        acting_user=user, owner=owner, kreis_ags=kreis.ags, title=f"Integrationsmonitoring {kreis.name}"
    )
    previous = None
    # A small demo (stack test) keeps one draft edition and builds nothing at load time: the test builds it.
    small = bool(settings.DEMO_PARTS)
    for year in (2024,) if small else (2023, 2024):
        summary, commentary = demo_texts(kreis.ags, year)
        edition = services.edition_create(
            acting_user=user,
            definition=definition,
            title=f"Integrationsbericht {kreis.name} {year}",
            subtitle="Synthetische Demodaten",
            slug=f"integrationsbericht-{year}",
            stichtag=date(year, 12, 31),
            years=list(range(2022, year + 1)),
            foreword=FOREWORD,
            summary=summary,
            previous=previous,
        )
        for theme, text in commentary.items():
            services.commentary_save(acting_user=user, chapter=edition.chapters.get(theme=theme), text=text)
        if small:
            district.notes.append(f"Integrationsbericht {year}: Entwurf ohne Erstellung (kleine Demo).")
            continue
        build = services.build_request(acting_user=user, edition=edition, enqueue=False)
        build = services.run_build(build.pk)
        if build.status == BuildStatus.DONE:
            services.edition_publish(acting_user=user, edition=edition, build=build)
            district.notes.append(
                f"Integrationsbericht {year}: {build.pdf_size // 1024} KiB PDF ({build.pdf_standard}), "
                f"/berichte/{edition.slug}/"
            )
        else:
            district.notes.append(f"Integrationsbericht {year}: Erstellung fehlgeschlagen ({build.error})")
        previous = edition
