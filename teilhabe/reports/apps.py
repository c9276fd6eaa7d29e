from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "teilhabe.reports"
    label = "reports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_public, register_staff

        register_public(
            Area(
                "reports:index",
                _("Integrationsberichte"),
                _("Der Bericht zum Integrationsmonitoring als barrierefreie Webfassung und PDF."),
                order=25,
            )
        )
        register_staff(
            Area(
                "reports_staff:index",
                _("Integrationsberichte"),
                _("Berichtsausgaben, Kommentare je Kapitel, PDF-Erstellung und Veröffentlichung."),
                permission="reports.manage",
                order=35,
            )
        )
        register_demo_builder("reports", "teilhabe.reports.demo.build_demo_report")

        from teilhabe.core.worker import register_reaper_hook
        from teilhabe.reports.services import fail_builds_of_lost_tasks

        register_reaper_hook(fail_builds_of_lost_tasks)
