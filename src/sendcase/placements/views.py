"""The register of settings: the list (placeholders an import added first) and the edit form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendcase.accounts.roles import may_keep_register
from sendcase.core.audit import audit
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.placements.access import get_setting_for_user, register_access
from sendcase.placements.actions import update_setting
from sendcase.placements.forms import SettingForm
from sendcase.placements.models import Setting

PAGE_SIZE = 50


@register_access
def setting_list(request: HttpRequest) -> HttpResponse:
    settings = Setting.objects.annotate(placement_count=Count("placements")).order_by(
        "-placeholder", "name", "pk"
    )
    page = Paginator(settings, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    to_complete = Setting.objects.filter(placeholder=True).count()
    audit(
        request.user,
        AuditEntry.Action.VIEW,
        None,
        f"Settings register viewed (page {page.number})",
        payload={"page": page.number, "settings": [s.pk for s in rows]},
    )
    return render(
        request,
        "placements/setting_list.html",
        {
            "page": page,
            "rows": rows,
            "to_complete": to_complete,
            "can_edit": may_keep_register(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@register_access
def setting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    setting = get_setting_for_user(request.user, pk)
    placements = setting.placements.count()
    if request.method == "POST":
        form = SettingForm(request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            expected = fields.pop("version")
            try:
                retyped = update_setting(
                    setting, actor=request.user, expected_version=expected, **fields
                )
            except StaleRecord as exc:
                # Their changes in the error summary, this person's input kept, and the form
                # now at the latest version so the next save goes through.
                setting.refresh_from_db()
                form = SettingForm({**request.POST.dict(), "version": str(setting.version)})
                form.is_valid()
                for line in (exc.message, *exc.changes):
                    form.add_error(None, line)
                return _edit_page(request, setting, form, placements)
            message = f"{setting.name} saved"
            if retyped:
                n = len(retyped)
                message += f": the setting type of {n} placement{'s' if n != 1 else ''} updated"
            messages.success(request, message)
            return redirect("placements:settings")
    else:
        form = SettingForm(initial=SettingForm.initial_for(setting))
    return _edit_page(request, setting, form, placements)


def _edit_page(
    request: HttpRequest, setting: Setting, form: SettingForm, placements: int
) -> HttpResponse:
    return render(
        request,
        "placements/setting_edit.html",
        {"setting": setting, "form": form, "placements": placements},
        status=400 if form.errors else 200,
    )
