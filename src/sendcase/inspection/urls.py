from django.urls import path

from sendcase.inspection import views

app_name = "inspection"
urlpatterns = [
    path("children/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("children/<int:pk>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
]
