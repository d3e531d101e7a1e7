from django.urls import path

from sendcase.inspection import views

app_name = "inspection"
urlpatterns = [
    path("children/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("children/<int:pk>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
    path("annex-a/", views.annex_a_index, name="annex_a"),
    path("annex-a/check/", views.annex_a_check, name="annex_a_check"),
    path("annex-a/annex-a.xlsx", views.annex_a_download, name="annex_a_download"),
    path("annex-a/census/", views.census, name="census"),
]
