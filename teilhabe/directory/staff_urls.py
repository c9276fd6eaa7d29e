from django.urls import path

from teilhabe.directory import staff_views as v
from teilhabe.directory import synonym_views

app_name = "directory_staff"

urlpatterns = [
    path("", v.home, name="home"),
    path("eintraege/neu/", v.offer_create, name="offer_create"),
    path("import/", v.offer_import, name="offer_import"),
    path("import/<int:pk>/", v.offer_import_run, name="offer_import_run"),
    path("import/<int:pk>/fehler.csv", v.offer_import_failed_csv, name="offer_import_failed"),
    path("eintraege/<int:pk>/", v.offer_edit, name="offer"),
    path("eintraege/<int:pk>/bestaetigen/", v.offer_confirm, name="offer_confirm"),
    path("eintraege/<int:pk>/termin/neu/", v.event_create, name="event_create"),
    path("termine/<int:pk>/", v.event_edit, name="event"),
    path("orte/", v.location_list, name="locations"),
    path("orte/neu/", v.location_create, name="location_create"),
    path("orte/<int:pk>/", v.location_edit, name="location"),
    path("einreichungen/", v.submission_list, name="submissions"),
    path("einreichungen/<int:pk>/", v.submission_detail, name="submission"),
    path("unbestaetigt/", v.stale_list, name="stale"),
    path("steckbriefe/", v.profile_list, name="profiles"),
    path("steckbriefe/<int:pk>/", v.profile_edit, name="profile"),
    path("uebersetzungen/", v.translation_overview, name="translations"),
    path("uebersetzungen/xliff/", v.xliff_export, name="xliff_export"),
    path("uebersetzungen/xliff/import/", v.xliff_import_view, name="xliff_import"),
    path("uebersetzungen/<int:pk>/<str:language>/", v.translation_edit, name="translation"),
    path(
        "uebersetzungen/<int:pk>/<str:language>/maschinell/",
        v.translation_machine,
        name="translation_machine",
    ),
    path("dialog/", v.dialogue_overview, name="dialogue"),
    path("dialog/organisation/<int:pk>/", v.dialogue_organisation, name="dialogue_organisation"),
    path("dialog/<int:pk>/", v.dialogue_edit, name="dialogue_entry"),
    path("ansprache/", v.outreach, name="outreach"),
    path("ansprache.csv", v.outreach_csv, name="outreach_csv"),
    path("synonyme/", synonym_views.synonym_list, name="synonyms"),
    path("synonyme/<int:pk>/", synonym_views.synonym_list, name="synonym"),
]
