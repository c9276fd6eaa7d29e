from django.urls import include, path

from teilhabe.lib.api import schema_view
from teilhabe.registry import api

app_name = "kiim_api"

api_patterns = [
    path("cases/", api.CaseSearchView.as_view(), name="cases"),
    path("cases/<int:pk>/", api.CaseDetailView.as_view(), name="case"),
    path("transmissions/incoming/", api.IncomingView.as_view(), name="incoming"),
    path("transmissions/incoming/<int:pk>/", api.IncomingDetailView.as_view(), name="incoming_detail"),
]

urlpatterns = [
    path(
        "schema/",
        schema_view(
            [path("api/v1/kiim/", include((api_patterns, "kiim_api")))],
            title="Teilhabe KiIM-API",
            description="Integrationsakten der eigenen Organisation und empfangene Übermittlungen. Nur "
            "Feldgruppen, die die Rolle lesen darf; jeder Zugriff wird protokolliert.",
        ),
        name="schema",
    ),
    *api_patterns,
]
