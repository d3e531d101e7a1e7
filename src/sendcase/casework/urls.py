from django.urls import path

from sendcase.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
]
