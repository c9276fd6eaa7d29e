from django.urls import path

from teilhabe.directory import api

app_name = "directory_api"

urlpatterns = [
    path("offers/", api.offers, name="offers"),
    path("offers/<int:pk>/", api.offer_detail, name="offer"),
    path("events/", api.events, name="events"),
    path("organisations/", api.organisations, name="organisations"),
    path("hsds.json", api.hsds, name="hsds"),
    path("openapi.json", api.openapi, name="openapi"),
]
