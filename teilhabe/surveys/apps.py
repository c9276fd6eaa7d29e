from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "teilhabe.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.navigation import Area, register_staff

        register_staff(
            Area(
                "surveys_staff:index",
                _("Befragungen"),
                _("Fragebögen als XLSForm, mehrsprachige Online-Befragung, Zugangscodes, Ergebnisse und Gewichtung."),
                permission="surveys.manage",
                order=45,
            )
        )
