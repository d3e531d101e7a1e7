from django.urls import path

from sendcase.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("consistency/", views.consistency, name="consistency"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/items/new/", views.add_item, name="add_item"),
    path("<int:pk>/items/<int:item_id>/", views.decision, name="decision"),
    path("<int:pk>/items/<int:item_id>/correct/", views.correct, name="correct"),
    path("<int:pk>/items/<int:item_id>/remove/", views.remove_item, name="remove_item"),
]
