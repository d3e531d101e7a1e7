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

# Schools and colleges; professional services (school_views.py, professional_views.py).
from sendcase.portal import professional_views, school_views  # noqa: E402

urlpatterns += [
    path("school/", school_views.tray, name="school"),
    path("school/consultations/<int:pk>/", school_views.consultation, name="school_consultation"),
    path("school/reviews/<int:case_id>/", school_views.review, name="school_review"),
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
