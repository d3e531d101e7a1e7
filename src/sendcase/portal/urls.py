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
