from django.urls import include, path

from teilhabe.directory import api
from teilhabe.lib.api import schema_view

app_name = "directory_api"

api_patterns = [
    path("offers/", api.OfferListView.as_view(), name="offers"),
    path("offers/<int:id>/", api.OfferDetailView.as_view(), name="offer"),
    path("events/", api.EventListView.as_view(), name="events"),
    path("organisations/", api.OrganisationListView.as_view(), name="organisations"),
    path("hsds.json", api.HsdsView.as_view(), name="hsds"),
]

urlpatterns = [
    *api_patterns,
    path(
        "openapi.json",
        schema_view(
            [path("api/v1/directory/", include((api_patterns, "directory_api")))],
            title="Teilhabe – Angebotsverzeichnis-API",
            description="Veröffentlichte Angebote, Veranstaltungen und Organisationen; HSDS-3.0-Export.",
        ),
        name="openapi",
    ),
]
