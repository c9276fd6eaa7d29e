from django.urls import path

from teilhabe.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.kreis_overview, name="kreis"),
    path("<str:ags>/", views.gemeinde_detail, name="gemeinde"),
]
