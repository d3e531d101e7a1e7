from django.urls import path

from sendcase.casework import plan_views, views, views_corrections
from sendcase.documents import views as documents

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("reassign/", views.bulk_reassign, name="bulk_reassign"),
    path("export.csv", views.queue_export, name="queue_export"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("search/", views.search, name="search"),
    path("new/", views.new_request, name="new_request"),
    path("transfer-in/", views.transfer_in, name="transfer_in"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/audit/", views.case_audit, name="audit"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/team/", views.move_team, name="move_team"),
    path("<int:pk>/child/", views.child_details, name="child_details"),
    path("<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("<int:pk>/family/new/", views.family_new, name="family_new"),
    path("<int:pk>/family/<int:contact_id>/", views.family_edit, name="family_edit"),
    path("<int:pk>/family/<int:contact_id>/end/", views.family_end, name="family_end"),
    path("<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("<int:pk>/tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path(
        "<int:pk>/contacts/<int:entry_id>/response/",
        views.contact_response,
        name="contact_response",
    ),
    path("<int:pk>/plan/write/", plan_views.editor, name="plan_editor"),
    path("<int:pk>/plan/write/<str:key>/", plan_views.section, name="plan_section"),
    path("<int:pk>/plan/write/<str:key>/rows/new/", plan_views.row, name="plan_row_new"),
    path("<int:pk>/plan/write/<str:key>/rows/<int:index>/", plan_views.row, name="plan_row"),
    path(
        "<int:pk>/plan/write/<str:key>/rows/<int:index>/remove/",
        plan_views.row_remove,
        name="plan_row_remove",
    ),
    path("<int:pk>/plan/compare/", views.plan_compare, name="plan_compare"),
    path("<int:pk>/plan/<int:number>/", views.plan_version, name="plan_version"),
    path("<int:pk>/steps/<slug:slug>/", views.step, name="step"),
    # Letters, correspondence and documents (sendcase.documents)
    path(
        "<int:pk>/plan/<int:number>/plan.<str:fmt>",
        documents.plan_file,
        name="plan_file",
    ),
    path("<int:pk>/correspondence/", documents.correspondence, name="correspondence"),
    path("<int:pk>/correspondence/new/", documents.letter_new, name="letter_new"),
    path(
        "<int:pk>/correspondence/<int:letter_id>/<str:part>.pdf",
        documents.correspondence_file,
        name="correspondence_file",
    ),
    path("<int:pk>/documents/", documents.documents, name="documents"),
    path("<int:pk>/documents/<int:doc_id>/", documents.document_file, name="document_file"),
    path("letters/", documents.letters, name="letters"),
    path("letters/<slug:key>/", documents.letter_wording, name="letter_wording"),
    path(
        "<int:pk>/history/<int:event_id>/correct/",
        views_corrections.correct_step,
        name="correct_step",
    ),
    path(
        "<int:pk>/history/<int:event_id>/strike-out/",
        views_corrections.strike_out_step,
        name="strike_out_step",
    ),
    path(
        "<int:pk>/ceasing/<int:ceasing_id>/<slug:step>/<slug:what>/",
        views_corrections.ceasing_step,
        name="ceasing_step",
    ),
    path("<int:pk>/withdraw/", views_corrections.withdraw_request, name="withdraw_request"),
    path("<int:pk>/close/", views_corrections.close, name="close_case"),
]
