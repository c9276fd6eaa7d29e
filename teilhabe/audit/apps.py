from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "teilhabe.audit"
    label = "audit"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.audit import signals  # noqa: F401
        from teilhabe.core.navigation import Area, register_staff

        register_staff(
            Area(
                "audit:events",
                _("Protokoll"),
                _("Zugriffe und Änderungen nachvollziehen, Prüfkette verifizieren."),
                permission="audit.view",
                order=90,
            )
        )
