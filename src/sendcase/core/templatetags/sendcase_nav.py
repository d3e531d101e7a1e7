"""The header navigation: one list of sections, each shown to the roles that may use it.

Apps add their own entry to NAV_ITEMS (label, URL name, roles or None for all staff).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# (label, url name, roles allowed or None for every signed-in member of staff)
NAV_ITEMS: list[tuple[str, str, tuple[str, ...] | None]] = [
    ("Work queue", "casework:queue", None),
    (
        "Find a child",
        "casework:search",
        ("case_officer", "team_manager", "head_of_service", "administrator", "data_officer"),
    ),
    ("Reports", "reporting:dashboard", None),
    (
        "SEN2 return",
        "returns:index",
        ("data_officer", "head_of_service", "administrator", "team_manager"),
    ),
    ("Administration", "administration:index", ("administrator",)),
    ("Letters", "casework:letters", ("head_of_service", "administrator")),
    ("Annex A", "inspection:annex_a", ("data_officer", "head_of_service", "administrator")),
    (
        "Strategy",
        "inspection:strategy",
        ("head_of_service", "team_manager", "data_officer", "finance_officer", "administrator"),
    ),
    (
        "FOI",
        "information:foi_list",
        ("information_governance", "head_of_service", "administrator", "data_officer"),
    ),
    ("Subject access", "information:sar_list", ("information_governance", "administrator")),
    (
        "Complaints",
        "information:complaint_list",
        ("information_governance", "head_of_service", "administrator"),
    ),
]


@register.simple_tag(takes_context=True)
def nav_items(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context.get("request")
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    items: list[dict[str, Any]] = []
    for label, name, roles in NAV_ITEMS:
        if roles is not None and role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # The section is the item whose address is the longest start of this page's ("/cases/search/"
    # is Find a child, not the work queue at "/cases/").
    path = request.path if request else ""
    here = [i for i in items if path.startswith(i["url"]) and i["url"] != "/"]
    if here:
        max(here, key=lambda i: len(i["url"]))["active"] = True
    return items
