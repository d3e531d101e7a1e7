from django.urls import path

from sendcase.inspection import strategy_views as sv
from sendcase.inspection import views

app_name = "inspection"
urlpatterns = [
    path("children/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("children/<int:pk>/chronology.pdf", views.chronology_pdf, name="chronology_pdf"),
    path("annex-a/", views.annex_a_index, name="annex_a"),
    path("annex-a/check/", views.annex_a_check, name="annex_a_check"),
    path("annex-a/annex-a.xlsx", views.annex_a_download, name="annex_a_download"),
    path("annex-a/census/", views.census, name="census"),
    path("strategy/", sv.tracker, name="strategy"),
    path("strategy/change/", sv.strategy_edit, name="strategy_edit"),
    path("strategy/outcomes/new/", sv.outcome_edit, name="outcome_new"),
    path("strategy/outcomes/<int:pk>/", sv.outcome_edit, name="outcome"),
    path("strategy/workstreams/new/", sv.workstream_edit, name="workstream_new"),
    path("strategy/workstreams/<int:pk>/", sv.workstream_edit, name="workstream"),
    path("strategy/actions/new/", sv.action_edit, name="action_new"),
    path("strategy/actions/<int:pk>/", sv.action_edit, name="action"),
    path("bulletin/", sv.bulletin, name="bulletin"),
    path("bulletin/bulletin.pdf", sv.bulletin_pdf, name="bulletin_pdf"),
    path("bulletin/commentary/", sv.bulletin_commentary, name="bulletin_commentary"),
]
