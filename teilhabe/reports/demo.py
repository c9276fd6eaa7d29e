"""Demo: two report editions of the demo district from the synthetic monitoring (2023 and 2024).

The 2024 edition names the 2023 edition as its predecessor, so its summary shows arrows and deltas.
Both are built synchronously (no worker runs during ``make demo``) and published.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from teilhabe.reports import services
from teilhabe.reports.models import BuildStatus

FOREWORD = (
    "Dieser Bericht zeigt, wie die Teilhabe von Zugewanderten im Kreis sich entwickelt. "
    "Er beruht auf dem Integrationsmonitoring; alle Zahlen sind geheimhaltungsgeprüft.\n\n"
    "**Hinweis:** Diese Ausgabe ist eine Vorführung mit synthetischen Demodaten."
)
SUMMARY = (
    "## Kernaussagen\n"
    "- Der Anteil ausländischer Einwohnerinnen und Einwohner wächst leicht.\n"
    "- Die Beschäftigungsquote steigt, die Arbeitslosigkeit sinkt.\n"
    "- Kleine Gemeinden sind in vielen Tabellen gesperrt (•), weil dort zu wenige Personen betroffen sind.\n\n"
    "Mehr zum Vorgehen im Anhang [Methoden und Quellen](/berichte/)."
)
COMMENTARY = {
    "A": "Die Bevölkerung ohne deutsche Staatsangehörigkeit wächst vor allem in den Städten.",
    "E": "## Einordnung\nDie Beschäftigung von Ausländerinnen und Ausländern nimmt zu.\n\n"
    "1. Beschäftigungsquote gestiegen\n2. Arbeitslosenquote gesunken",
}


def build_demo_report(district: Any) -> None:
    owner = district.organisations["landkreis"]
    user = district.users.get("koordination")
    kreis = district.kreis
    definition = services.definition_create(
        acting_user=user, owner=owner, kreis_ags=kreis.ags, title=f"Integrationsmonitoring {kreis.name}"
    )
    previous = None
    for year in (2023, 2024):
        edition = services.edition_create(
            acting_user=user,
            definition=definition,
            title=f"Integrationsbericht {kreis.name} {year}",
            subtitle="Synthetische Demodaten",
            slug=f"integrationsbericht-{year}",
            stichtag=date(year, 12, 31),
            years=list(range(2022, year + 1)),
            foreword=FOREWORD,
            summary=SUMMARY,
            previous=previous,
        )
        for theme, text in COMMENTARY.items():
            services.commentary_save(acting_user=user, chapter=edition.chapters.get(theme=theme), text=text)
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
