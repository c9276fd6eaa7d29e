from django.apps import AppConfig


class ConceptConfig(AppConfig):
    name = "teilhabe.concept"
    label = "concept"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_public, register_staff

        register_public(
            Area(
                "concept:index",
                _("Integrationskonzept"),
                _("Handlungsfelder, Ziele, Maßnahmen und ihr Fortschritt; Zuständigkeiten als Organigramm."),
                order=27,
            )
        )
        register_staff(
            Area(
                "concept_staff:index",
                _("Integrationskonzept"),
                _("Handlungsfelder, Ziele mit Indikatoren, Maßnahmen, Fassungen, Sachstandsberichte."),
                permission="concept.view",
                order=37,
            )
        )
        register_staff(
            Area(
                "concept_staff:bodies",
                _("Gremien und Netzwerk"),
                _("Runder Tisch, Steuerungsgruppe, Arbeitsgruppen: Mitglieder, Sitzungen, Protokolle, Aufgaben."),
                permission="staff.access",
                order=38,
            )
        )
        register_demo_builder("concept", "teilhabe.concept.demo.build_demo_concept")
