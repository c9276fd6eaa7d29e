from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopulationConfig(AppConfig):
    name = "teilhabe.population"
    label = "population"
    verbose_name = _("Bevölkerungsstatistik")

    def ready(self) -> None:
        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_staff

        register_staff(
            Area(
                "population:home",
                _("Bevölkerungsstatistik"),
                _("Melderegister-Auszüge importieren, kleinräumige Tabellen, Vergleich mit dem Zensus"),
                permission="population.view",
                order=40,
            )
        )
        register_staff(
            Area(
                "population:home",
                _("Zahlen meiner Gemeinde"),
                _("Veröffentlichte Bevölkerungstabellen und Zeitreihen der eigenen Gemeinde und ihrer Planungsräume"),
                permission="population.view.gemeinde",
                order=41,
            )
        )
        register_demo_builder("population", "teilhabe.population.demo.build_demo")
