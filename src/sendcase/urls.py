from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("casework:queue")


urlpatterns = [
    path("", home, name="home"),
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("sendcase.accounts.urls")),
    path("cases/", include("sendcase.casework.urls")),
    path("reports/", include("sendcase.reporting.urls")),
    path("sen2/", include("sendcase.returns.urls")),
    path("settings-register/", include("sendcase.placements.urls")),
    path("retention/", include("sendcase.retention.urls")),
]
