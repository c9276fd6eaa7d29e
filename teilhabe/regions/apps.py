from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "teilhabe.regions"
    label = "regions"
