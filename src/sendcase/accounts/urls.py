from django.urls import path

from sendcase.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sso/", views.sso_start, name="sso"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("sign-out/", views.sign_out, name="logout"),
    path("verify/", views.verify, name="verify"),
    path("verify/skip/", views.skip_second_factor, name="skip"),
    path("verify/recovery-code/", views.use_recovery_code, name="recovery"),
    path("set-up-authenticator/", views.enrol, name="enrol"),
    path("set-up-authenticator/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("session/", views.session_status, name="session_status"),
    path("session/stay-signed-in/", views.keep_alive, name="keep_alive"),
    path("signed-out/", views.timed_out, name="timed_out"),
    path("password-reset/", views.ResetPasswordView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.ResetPasswordSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.SetNewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.ResetPasswordCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
