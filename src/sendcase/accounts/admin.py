"""Staff and teams in the administrator's screens (see core/admin.py for who gets in)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from sendcase.accounts.models import Team, User


@admin.register(User)
class StaffAdmin(UserAdmin):
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


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "area")
