from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "teilhabe.indicators"
    label = "indicators"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_public, register_staff

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
        register_demo_builder("indicators", "teilhabe.indicators.demo.build_demo_monitoring")

        from django.apps import apps

        if apps.is_installed("teilhabe.population"):
            from teilhabe.indicators.register_source import RegisterSource
            from teilhabe.indicators.sources import register_source

            register_source(RegisterSource())

            from teilhabe.population.signals import register_tables_published

            # Register-based values are recomputed once the Stichtag's joint disclosure decision is stored,
            # so they never appear without it (teilhabe.population.publication).
            register_tables_published.connect(recompute_after_register_import, dispatch_uid="indicators-register")

        if apps.is_installed("teilhabe.registry"):
            from teilhabe.indicators.cohort_source import CohortSource
            from teilhabe.indicators.sources import register_source
            from teilhabe.registry.signals import cohort_extract_built

            register_source(CohortSource())
            cohort_extract_built.connect(recompute_after_cohort_extract, dispatch_uid="indicators-cohort")


def recompute_after_register_import(sender: object, register_import: object, **kwargs: object) -> None:
    """A new register extract changes many register-based indicators at once: recompute them all."""
    from django.conf import settings

    from teilhabe.indicators.services import recompute_all

    if getattr(register_import, "kreis_ags", None) == settings.TEILHABE_KREIS:
        recompute_all(acting_user=None)


def recompute_after_cohort_extract(sender: object, **kwargs: object) -> None:
    """New cohort figures (IV-01) after the KiIM cohort store was rebuilt."""
    from teilhabe.indicators.services import recompute_all

    recompute_all(acting_user=None)
