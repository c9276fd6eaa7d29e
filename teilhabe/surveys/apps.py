from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "teilhabe.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_staff
        from teilhabe.indicators.sources import register_source
        from teilhabe.surveys.source import SurveySource

        register_staff(
            Area(
                "surveys_staff:index",
                _("Befragungen"),
                _("Fragebögen als XLSForm, mehrsprachige Online-Befragung, Zugangscodes, Ergebnisse und Gewichtung."),
                permission="surveys.manage",
                order=45,
            )
        )
        register_source(SurveySource())
        register_demo_builder("surveys", "teilhabe.surveys.demo.build_demo")
