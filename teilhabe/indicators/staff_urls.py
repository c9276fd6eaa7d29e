from django.urls import path

from teilhabe.indicators import staff_views

app_name = "indicators_staff"

urlpatterns = [
    path("", staff_views.index, name="index"),
    path("neu-berechnen/", staff_views.recompute, name="recompute"),
    path("indikator/neu/", staff_views.custom_indicator_create, name="indicator_create"),
    path("indikator/<str:code>/", staff_views.indicator_detail, name="indicator"),
    path("indikator/<str:code>/bearbeiten/", staff_views.custom_indicator_edit, name="indicator_edit"),
    path("indikator/<str:code>/loeschen/", staff_views.custom_indicator_delete, name="indicator_delete"),
    path("indikator/<str:code>/veroeffentlichung/", staff_views.indicator_publish, name="indicator_publish"),
    path("gemeinde/<str:ags>/", staff_views.gemeinde_profile, name="gemeinde"),
    path("aggregate/", staff_views.agency_values, name="agency_values"),
    path("aggregate/neu/", staff_views.agency_value_create, name="agency_value_create"),
    path("aggregate/import/", staff_views.agency_import, name="agency_import"),
    path("aggregate/<int:pk>/", staff_views.agency_value_edit, name="agency_value_edit"),
    path("aggregate/<int:pk>/loeschen/", staff_views.agency_value_delete, name="agency_value_delete"),
]
