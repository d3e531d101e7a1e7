from django.urls import path

from sendcase.placements import views

app_name = "placements"
urlpatterns = [
    path("", views.setting_list, name="settings"),
    path("<int:pk>/", views.setting_edit, name="edit_setting"),
]
