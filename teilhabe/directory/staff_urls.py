from django.urls import path

from teilhabe.directory.staff_views import dialogue, entries, imports, moderation, profiles, synonyms, translations

app_name = "directory_staff"

urlpatterns = [
    path("", entries.home, name="home"),
    path("eintraege/neu/", entries.offer_create, name="offer_create"),
    path("import/", imports.offer_import, name="offer_import"),
    path("import/<int:pk>/", imports.offer_import_run, name="offer_import_run"),
    path("import/<int:pk>/fehler.csv", imports.offer_import_failed_csv, name="offer_import_failed"),
    path("eintraege/<int:pk>/", entries.offer_edit, name="offer"),
    path("eintraege/<int:pk>/bestaetigen/", entries.offer_confirm, name="offer_confirm"),
    path("eintraege/<int:pk>/termin/neu/", entries.event_create, name="event_create"),
    path("termine/<int:pk>/", entries.event_edit, name="event"),
    path("orte/", entries.location_list, name="locations"),
    path("orte/neu/", entries.location_create, name="location_create"),
    path("orte/<int:pk>/", entries.location_edit, name="location"),
    path("einreichungen/", moderation.submission_list, name="submissions"),
    path("einreichungen/<int:pk>/", moderation.submission_detail, name="submission"),
    path("unbestaetigt/", moderation.stale_list, name="stale"),
    path("steckbriefe/", profiles.profile_list, name="profiles"),
    path("steckbriefe/<int:pk>/", profiles.profile_edit, name="profile"),
    path("uebersetzungen/", translations.translation_overview, name="translations"),
    path("uebersetzungen/xliff/", translations.xliff_export, name="xliff_export"),
    path("uebersetzungen/xliff/import/", translations.xliff_import_view, name="xliff_import"),
    path("uebersetzungen/<int:pk>/<str:language>/", translations.translation_edit, name="translation"),
    path(
        "uebersetzungen/<int:pk>/<str:language>/maschinell/",
        translations.translation_machine,
        name="translation_machine",
    ),
    path("dialog/", dialogue.dialogue_overview, name="dialogue"),
    path("dialog/organisation/<int:pk>/", dialogue.dialogue_organisation, name="dialogue_organisation"),
    path("dialog/<int:pk>/", dialogue.dialogue_edit, name="dialogue_entry"),
    path("ansprache/", dialogue.outreach, name="outreach"),
    path("ansprache.csv", dialogue.outreach_csv, name="outreach_csv"),
    path("synonyme/", synonyms.synonym_list, name="synonyms"),
    path("synonyme/<int:pk>/", synonyms.synonym_list, name="synonym"),
]
