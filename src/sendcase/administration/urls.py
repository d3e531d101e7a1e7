from django.urls import path

from sendcase.administration import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/", views.staff, name="staff"),
    path("staff/<int:pk>/enrolment-code/", views.staff_code, name="staff_code"),
    path("staff/<int:pk>/reset-second-factor/", views.staff_reset, name="staff_reset"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/add/", views.team, name="team_add"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
    path("local-targets/", views.targets, name="targets"),
    path("local-targets/<slug:key>/", views.target, name="target"),
]
