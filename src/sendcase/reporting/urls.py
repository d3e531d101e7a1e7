from django.urls import path

from sendcase.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("committee/", views.committee, name="committee"),
    path("committee/report.pdf", views.committee_pdf, name="committee_pdf"),
    path("questions/", views.questions, name="questions"),
    path("summary/", views.summary, name="summary"),
    path("comparators/", views.comparators, name="comparators"),
]
