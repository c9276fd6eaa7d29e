from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "teilhabe.registry"
    label = "registry"
    verbose_name = "KiIM-Integrationsakten"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_staff

        register_staff(
            Area(
                "registry:list",
                _("Integrationsakten (KiIM)"),
                _("Fallakten der eigenen Organisation, Integrationsplan, Übermittlungen und Einwilligungen."),
                permission="case.read",
                order=40,
            )
        )
        register_staff(
            Area(
                "registry:cohorts",
                _("Integrationsverläufe (Kohorten)"),
                _("Pseudonymisierte Kennzahlen je Zuzugsjahr, mit Geheimhaltung."),
                permission="cohort.view",
                order=41,
            )
        )
        register_demo_builder("registry", "teilhabe.registry.demo.build_demo_cases")
        from teilhabe.registry import ledger

        ledger.connect()
