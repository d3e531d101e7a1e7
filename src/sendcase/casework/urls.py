from django.urls import path

from sendcase.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("new/", views.new_request, name="new_request"),
    path("transfer-in/", views.transfer_in, name="transfer_in"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/audit/", views.case_audit, name="audit"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/child/", views.child_details, name="child_details"),
    path("<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path(
        "<int:pk>/contacts/<int:entry_id>/response/",
        views.contact_response,
        name="contact_response",
    ),
    path("<int:pk>/plan/compare/", views.plan_compare, name="plan_compare"),
    path("<int:pk>/plan/<int:number>/", views.plan_version, name="plan_version"),
    path("<int:pk>/steps/<slug:slug>/", views.step, name="step"),
]
