from django.contrib import admin

from sendcase.placements.models import Setting


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin[Setting]):
    list_display = ("name", "urn", "ukprn", "kind", "phase", "la_code", "placeholder")
    list_filter = ("kind", "phase", "placeholder")
    search_fields = ("name", "urn", "ukprn")
