"""Django's admin, kept for superusers: the everyday administration (staff, teams, extra
holidays, local targets) has GOV.UK screens in sendcase.administration.

Only superusers who have passed the second factor get in: SENDcase's own (django-otp's admin
site check) or, after single sign-on, the provider's (the `amr` the session recorded).
Children's records are deliberately not here: they are viewed
and changed only through the audited casework screens.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from sendcase.accounts.middleware import signed_in_with_provider_second_factor
from sendcase.core.models import AuditEntry, ExtraHoliday, LocalTargetSetting


class SendcaseAdminSite(OTPAdminSite):
    site_header = "SENDcase administration"
    site_title = "SENDcase administration"

    def has_permission(self, request: HttpRequest) -> bool:
        # Administrators' everyday jobs have GOV.UK screens (sendcase.administration); Django's
        # admin is kept for superusers only.
        # A superuser who signed in by single sign-on with the provider's second factor is not
        # asked for SENDcase's; a local account still is.
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and user.is_superuser
            and (
                user.is_verified()  # type: ignore[attr-defined]  # django-otp's middleware adds it
                or signed_in_with_provider_second_factor(request.session)
            )
        )


admin.site.__class__ = SendcaseAdminSite


@admin.register(ExtraHoliday)
class ExtraHolidayAdmin(admin.ModelAdmin[ExtraHoliday]):
    list_display = ("date", "name")


@admin.register(LocalTargetSetting)
class LocalTargetSettingAdmin(admin.ModelAdmin[LocalTargetSetting]):
    list_display = ("key", "enabled", "length_days", "warning_days")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "actor", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
