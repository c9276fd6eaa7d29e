from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "teilhabe.indicators"
    label = "indicators"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_public, register_staff
        from teilhabe.indicators.demo import build_demo_monitoring

        register_public(
            Area(
                "indicators:index",
                _("Integrationsmonitoring"),
                _("Kennzahlen zu Bevölkerung, Bildung, Arbeit und Teilhabe nach Gemeinden."),
                order=20,
            )
        )
        register_staff(
            Area(
                "indicators_staff:index",
                _("Integrationsmonitoring"),
                _("Indikatoren, Behördenaggregate, Import, Veröffentlichung."),
                permission="indicators.view",
                order=30,
            )
        )
        register_demo_builder("indicators", build_demo_monitoring)

        from django.apps import apps

        if apps.is_installed("teilhabe.population"):
            from teilhabe.indicators.register_source import RegisterSource
            from teilhabe.indicators.sources import register_source

            register_source(RegisterSource())
