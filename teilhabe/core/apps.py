from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "teilhabe.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core import checks  # noqa: F401 - registers the deployment checks
        from teilhabe.core.navigation import Area, register_public, register_staff

        register_public(
            Area(
                "regions:kreis",
                _("Gemeinden"),
                _("Alle Gemeinden des Kreises mit Einwohnerzahlen und Vergleichswerten aus dem Zensus 2022."),
                order=80,
            )
        )
        register_public(
            Area(
                "core:sources",
                _("Datenquellen"),
                _("Woher die Zahlen stammen und unter welcher Lizenz sie stehen."),
                order=95,
                in_nav=False,
            )
        )
        register_staff(
            Area(
                "staff:operations",
                _("Betrieb"),
                _("Hintergrunddienst, zeitgesteuerte Aufgaben, Speicherplatz."),
                permission="organisations.manage",
                order=95,
            )
        )
        register_staff(
            Area(
                "regions_staff:planungsraeume",
                _("Planungsräume"),
                _("Kleinräumige Gebiete (Ortsteile, statistische Bezirke) der eigenen Gemeinden pflegen."),
                permission="regions.planungsraum.manage",
                order=70,
            )
        )
        register_staff(
            Area(
                "staff:legal_pages",
                _("Rechtstexte"),
                _("Impressum, Datenschutzerklärung und Erklärung zur Barrierefreiheit bearbeiten."),
                permission="site.pages.manage",
                order=80,
            )
        )
        register_staff(
            Area(
                "staff:feedback",
                _("Rückmeldungen zur Barrierefreiheit"),
                _("Gemeldete Barrieren lesen und als erledigt markieren."),
                permission="site.feedback.view",
                order=85,
            )
        )
