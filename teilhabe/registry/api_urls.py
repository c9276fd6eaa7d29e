from django.urls import path

from teilhabe.registry import api

app_name = "kiim_api"

urlpatterns = [
    path("schema/", api.schema, name="schema"),
    path("cases/", api.case_search, name="cases"),
    path("cases/<int:pk>/", api.case_detail, name="case"),
    path("transmissions/incoming/", api.incoming, name="incoming"),
    path("transmissions/incoming/<int:pk>/", api.incoming_detail, name="incoming_detail"),
]
