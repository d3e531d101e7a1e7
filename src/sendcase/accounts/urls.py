from django.contrib.auth import views as auth_views
from django.urls import path

from sendcase.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("verify/skip/", views.skip_second_factor, name="skip"),
]
