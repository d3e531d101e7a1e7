from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "sendcase.placements"
    label = "placements"
