from django.urls import path

from teilhabe.population import views

app_name = "population"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.upload, name="upload"),
    path("import/<uuid:pk>/", views.report, name="report"),
    path("import/<uuid:pk>/fehlerhafte-zeilen.csv", views.failed_rows, name="failed_rows"),
    path("import/<uuid:pk>/uebernehmen/", views.commit, name="commit"),
    path("import/<uuid:pk>/verwerfen/", views.discard, name="discard"),
    path("tabellen/", views.tables, name="tables"),
    path("tabellen/export.<str:fmt>", views.export, name="export"),
    path("vergleich-zensus/", views.comparison, name="comparison"),
]
