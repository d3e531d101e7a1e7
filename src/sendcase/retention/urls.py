from django.urls import path

from sendcase.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.due, name="due"),
    path("children/<int:pk>/", views.child, name="child"),
    path("children/<int:pk>/hold/", views.hold, name="hold"),
    path("children/<int:pk>/erase/", views.erase, name="erase"),
]
