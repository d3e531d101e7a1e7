"""Staff and teams in the administrator's screens (see core/admin.py for who gets in).

Changes made here to roles, teams, passwords and second factors are written to the app's
audit log by accounts/signals.py. Passwords set here must pass AUTH_PASSWORD_VALIDATORS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from sendcase.accounts import actions
from sendcase.accounts.models import Team, User


@admin.register(User)
class StaffAdmin(UserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "role", "team", "is_active")
    list_filter = ("role", "team", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("SENDcase", {"fields": ("role", "team", "job_title", "is_demo")}),
    )
    add_fieldsets = (
        *(UserAdmin.add_fieldsets or ()),
        ("SENDcase", {"fields": ("first_name", "last_name", "email", "role", "team")}),
    )
    # Demo logins are made only by `sendcase demo`, on a demo installation.
    readonly_fields = ("is_demo",)
    actions = ["issue_enrolment_codes", "reset_second_factors"]

    @admin.action(description="Issue an enrolment code for the second factor")
    def issue_enrolment_codes(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        issued = [
            (user, actions.issue_enrolment_code(user, actor=request.user))
            for user in queryset.order_by("username")
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Enrolment codes",
            "issued": issued,
            "hours": settings.SENDCASE_ENROLMENT_CODE_HOURS,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Reset the second factor (they will need a new enrolment code)")
    def reset_second_factors(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            actions.reset_second_factor(user, actor=request.user)
        self.message_user(
            request,
            f"Reset the second factor of {len(users)} member{'s' if len(users) != 1 else ''} of "
            "staff. Each needs a new enrolment code to sign in.",
            messages.SUCCESS,
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "area")
