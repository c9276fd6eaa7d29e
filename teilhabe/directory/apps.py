from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "teilhabe.directory"
    label = "directory"
    verbose_name = _("Angebotsverzeichnis")

    def ready(self) -> None:
        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_public, register_staff

        register_public(
            Area(
                "directory:search",
                _("Angebote finden"),
                _("Beratung, Sprachkurse, Freizeit und mehr in Ihrer Gemeinde – in Ihrer Sprache."),
                order=20,
            )
        )
        register_staff(
            Area(
                "directory_staff:home",
                _("Angebotsverzeichnis"),
                _("Einreichungen moderieren, Einträge pflegen, Übersetzungen und Dialog."),
                permission="directory.moderate",
                order=40,
            )
        )
        register_demo_builder("directory", "teilhabe.directory.demo.build_demo_directory")
