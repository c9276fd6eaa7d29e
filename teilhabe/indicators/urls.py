from django.urls import path

from teilhabe.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("gemeinde/<str:ags>/", views.gemeinde_profile, name="gemeinde"),
    path("indikator/<str:code>/", views.indicator_detail, name="indicator"),
]
