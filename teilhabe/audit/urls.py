from django.urls import path

from teilhabe.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("pruefen/", views.verify, name="verify"),
]
