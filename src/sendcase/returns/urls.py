from django.urls import path

from sendcase.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("check/", views.validate, name="validate"),
    path("data-quality/", views.quality, name="quality"),
]
