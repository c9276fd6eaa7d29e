from django.urls import include, path, re_path

from teilhabe.indicators import api, dcat
from teilhabe.lib.api import schema_view

app_name = "api"

api_patterns = [
    path("indicators/", api.IndicatorListView.as_view(), name="indicators"),
    path("indicators/<str:code>/", api.IndicatorDetailView.as_view(), name="indicator"),
    path("indicators/<str:code>/values/", api.IndicatorValuesView.as_view(), name="indicator_values"),
]

urlpatterns = [
    *api_patterns,
    path(
        "schema/",
        schema_view(
            [path("api/v1/", include((api_patterns, "api")))],
            title="Teilhabe – Indikatoren-API",
            description="Veröffentlichte Indikatoren und ihre Werte nach Geheimhaltung.",
        ),
        name="schema",
    ),
    path("dcat.ttl", dcat.dcat_turtle, name="dcat"),
    path("dcat.jsonld", dcat.dcat_jsonld, name="dcat_jsonld"),
    re_path(r"^(?P<rest>.*)$", api.not_found),
]
