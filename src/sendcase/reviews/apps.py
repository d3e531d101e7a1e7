from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "sendcase.reviews"
    label = "reviews"
