from django.urls import path

from teilhabe.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.offer_search, name="search"),
    path("<int:pk>/", views.offer_detail, name="offer"),
    path("<int:pk>/aenderung-vorschlagen/", views.propose, name="propose_change"),
    path("vorschlagen/", views.propose, name="propose"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation"),
    path("veranstaltungen/", views.event_list, name="events"),
    path("veranstaltungen.ics", views.event_feed, name="event_feed"),
]
