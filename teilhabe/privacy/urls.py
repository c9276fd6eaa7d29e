from django.urls import path

from teilhabe.privacy import views

app_name = "privacy"

urlpatterns = [
    path("verarbeitungsverzeichnis/", views.art30, name="art30"),
]
