from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "teilhabe.linkage"
    label = "linkage"
    verbose_name = "Personenabgleich (Record Linkage)"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from django.utils.translation import gettext_lazy as _

        from teilhabe.core.demo import register_demo_builder
        from teilhabe.core.navigation import Area, register_staff
        from teilhabe.linkage import keys
        from teilhabe.registry.models import Case

        # The case services save through Case.save(); the search keys follow every saved identity.
        post_save.connect(keys.on_case_saved, sender=Case, dispatch_uid="linkage-search-keys")
        register_demo_builder("linkage", keys.build_demo_keys)
        register_staff(
            Area(
                "linkage:queue",
                _("Personenabgleich"),
                _("Mögliche Dubletten prüfen, zusammenführen und trennen; Übermittlungen eigenen Akten zuordnen."),
                permission="case.write",
                order=42,
            )
        )
