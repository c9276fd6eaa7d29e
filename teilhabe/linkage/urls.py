from django.urls import path

from teilhabe.linkage import importer, views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("kandidaten.json", views.queue_json, name="queue_json"),
    path("starten/", views.run, name="run"),
    path("kandidaten/<int:pk>/", views.candidate_detail, name="candidate"),
    path("kandidaten/<int:pk>/zusammenfuehren/", views.merge, name="merge"),
    path("zusammenfuehrungen/", views.merges, name="merges"),
    path("zusammenfuehrungen/<int:pk>/trennen/", views.unmerge, name="unmerge"),
    path("dubletten/", views.duplicates_report, name="duplicates"),
    path("uebermittlungen/<int:pk>/", views.transmission, name="transmission"),
    path("import/", importer.import_view, name="import"),
]
