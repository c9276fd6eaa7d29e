from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "teilhabe.privacy"
    label = "privacy"
    verbose_name = "Datenschutz als Code"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.navigation import Area, register_staff
        from teilhabe.privacy import checks  # noqa: F401  (registers the system check)

        register_staff(
            Area(
                "privacy:art30",
                _("Verzeichnis der Verarbeitungstätigkeiten"),
                _("Aus dem Verarbeitungsregister erzeugtes Verzeichnis nach Art. 30 DSGVO."),
                permission="privacy.registry.view",
                order=91,
            )
        )
