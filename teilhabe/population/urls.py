from django.urls import path

from teilhabe.population import release_views, table_views, views

app_name = "population"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.upload, name="upload"),
    path("import/<str:pk>/", views.report, name="report"),
    path("import/<str:pk>/fehlerhafte-zeilen.csv", views.failed_rows, name="failed_rows"),
    path("import/<str:pk>/uebernehmen/", views.commit, name="commit"),
    path("import/<str:pk>/verwerfen/", views.discard, name="discard"),
    path("tabellen/", table_views.tables, name="tables"),
    path("tabellen/export.<str:fmt>", table_views.export, name="export"),
    path("vergleich-zensus/", table_views.comparison, name="comparison"),
    path("freigaben/", release_views.releases, name="releases"),
    path("freigaben/<int:pk>/zuruecknehmen/", release_views.release_withdraw, name="release_withdraw"),
]
