from django.urls import path, re_path

from teilhabe.indicators import api

app_name = "api"

urlpatterns = [
    path("indicators/", api.indicator_list, name="indicators"),
    path("indicators/<str:code>/", api.indicator_detail, name="indicator"),
    path("indicators/<str:code>/values/", api.indicator_values, name="indicator_values"),
    path("schema/", api.schema, name="schema"),
    re_path(r"^(?P<rest>.*)$", api.not_found),
]
