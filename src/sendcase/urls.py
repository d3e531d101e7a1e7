from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control

from sendcase.accounts.models import Role

# Where each role starts its day: the page it opens most, not an empty work queue.
START_PAGES: dict[str, str] = {
    Role.HEAD_OF_SERVICE: "reporting:dashboard",
    Role.FINANCE_OFFICER: "finance:overview",  # a finance officer's work is the money
    Role.DATA_OFFICER: "returns:index",
    Role.ADMINISTRATOR: "administration:index",
    Role.INFORMATION_GOVERNANCE: "information:sar_list",  # subject access and FOI requests
}


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = str(getattr(request.user, "role", ""))
    return redirect(START_PAGES.get(role, "casework:queue"))


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to GOV.UK's."""
    return redirect(static("govuk/assets/rebrand/images/favicon.ico"), permanent=True)


urlpatterns = [
    path("", home, name="home"),
    path("health", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("sendcase.accounts.urls")),
    path("cases/", include("sendcase.casework.urls")),
    path("reports/", include("sendcase.reporting.urls")),
    path("sen2/", include("sendcase.returns.urls")),
    path("settings-register/", include("sendcase.placements.urls")),
    path("finance/", include("sendcase.finance.urls")),
    path("retention/", include("sendcase.retention.urls")),
    path("administration/", include("sendcase.administration.urls")),
    path("panels/", include("sendcase.panels.urls")),
    path("online-access/", include("sendcase.portal.staff_urls")),
    path("portal/", include("sendcase.portal.urls")),
    path("information/", include("sendcase.information.urls")),
    path("inspection/", include("sendcase.inspection.urls")),
]
