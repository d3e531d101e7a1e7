from django.urls import path

from sendcase.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("link/", views.link, name="link"),
    path("link/request/", views.request_link, name="request_link"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path(
        "organisations/<int:pk>/people/<int:member_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
]

# The family's pages (portal/family_views.py).
from sendcase.portal import family_views  # noqa: E402

urlpatterns += [
    path("ask/", family_views.ask, name="family_ask"),
    path("contact/", family_views.contact, name="family_contact"),
    path("cases/<int:pk>/draft/", family_views.draft, name="family_draft"),
    path("cases/<int:pk>/views/", family_views.views, name="family_views"),
    path("cases/<int:pk>/documents/", family_views.documents, name="family_documents"),
    path(
        "cases/<int:pk>/letters/<int:letter_id>/",
        family_views.letter_file,
        name="family_letter",
    ),
    path("cases/<int:pk>/plans/<int:number>.pdf", family_views.plan_file, name="family_plan"),
    path(
        "cases/<int:pk>/documents/<int:doc_id>/",
        family_views.document_file,
        name="family_document",
    ),
    path("cases/<int:pk>/rights/", family_views.rights, name="family_rights"),
    path("cases/<int:pk>/messages/", family_views.case_messages, name="family_messages"),
]

# Schools and colleges; professional services (school_views.py, professional_views.py).
from sendcase.portal import professional_views, school_views  # noqa: E402

urlpatterns += [
    path("school/", school_views.tray, name="school"),
    path("school/ask/", school_views.ask, name="school_ask"),
    path("school/consultations/<int:pk>/", school_views.consultation, name="school_consultation"),
    path("school/reviews/<int:case_id>/", school_views.review, name="school_review"),
    path(
        "school/reviews/<int:case_id>/meeting/",
        school_views.review_meeting,
        name="school_review_meeting",
    ),
    path("advice/", professional_views.advice_list, name="advice"),
    path("advice/<int:pk>/", professional_views.advice_detail, name="advice_detail"),
    path(
        "advice/<int:pk>/missed-appointment/",
        professional_views.missed_appointment,
        name="missed_appointment",
    ),
    path("services/<int:org_pk>/advice/", professional_views.service_advice, name="service_advice"),
    path(
        "services/<int:org_pk>/advice/<int:pk>/assign/",
        professional_views.assign,
        name="assign_advice",
    ),
]
