from django.urls import path

from teilhabe.surveys import setup_views, staff_views

app_name = "surveys_staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/hochladen/", staff_views.upload, name="upload"),
    path("<int:pk>/starten/", staff_views.open_survey, name="open"),
    path("<int:pk>/beenden/", staff_views.close_survey, name="close"),
    path("<int:pk>/fassungen/<int:number>/xlsform/", staff_views.version_file, name="version_file"),
    path("<int:pk>/codes/", staff_views.codes, name="codes"),
    path("<int:pk>/codes/<int:batch>/briefe.pdf", staff_views.letters, name="letters"),
    path("<int:pk>/interview/<str:lang>/", staff_views.interview, name="interview"),
    path("<int:pk>/ergebnisse/", staff_views.results_view, name="results"),
    path("<int:pk>/ergebnisse/kreuztabelle/", staff_views.crosstab, name="crosstab"),
    path("<int:pk>/ergebnisse/freitext/", staff_views.open_text, name="open_text"),
    path("<int:pk>/export/", staff_views.export, name="export"),
    path("<int:pk>/codebuch/", staff_views.codebook, name="codebook"),
    path("<int:pk>/xliff/", staff_views.xliff_export, name="xliff_export"),
    path("<int:pk>/xliff/einlesen/", staff_views.xliff_import, name="xliff_import"),
    path("<int:pk>/auswertung/", setup_views.setup, name="setup"),
    path("<int:pk>/auswertung/<str:part>/", setup_views.setup, name="setup_part"),
    path("<int:pk>/gewichten/", staff_views.weight, name="weight"),
]
