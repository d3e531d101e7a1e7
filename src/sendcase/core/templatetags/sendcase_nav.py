"""The header navigation: one list of sections, each shown to the roles that may use it (the
roles come from the staff role rules, sendcase.accounts.roles).

Apps add their own entry to NAV_ITEMS (label, URL name, roles or None for all staff).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from sendcase.accounts import roles

register = template.Library()

# (label, url name, roles allowed or None for every signed-in member of staff)
NAV_ITEMS: list[tuple[str, str, tuple[str, ...] | None]] = [
    # Not for roles without case records (finance, information governance): their queue is
    # only "your role does not include children's case records".
    ("Work queue", "casework:queue", roles.CASE_READERS),
    ("Find a child", "casework:search", roles.CASE_READERS),
    ("Reports", "reporting:dashboard", None),
    ("SEN2 return", "returns:index", roles.RETURNS_ROLES),
    ("Administration", "administration:index", roles.ADMINISTRATION_ROLES),
    ("Letters", "casework:letters", roles.LETTER_WORDING_ROLES),
    ("Annex A", "inspection:annex_a", roles.ANNEX_A_ROLES),
    ("Strategy", "inspection:strategy", roles.STRATEGY_VIEW_ROLES),
    ("FOI", "information:foi_list", roles.FOI_ROLES),
    ("Subject access", "information:sar_list", roles.SAR_ROLES),
    ("Complaints", "information:complaint_list", roles.COMPLAINT_ROLES),
]


# Sections shown as one header item (GOV.UK service navigation: a few top-level sections, with
# the pages of a section in a navigation row under the header when in it). The item leads to
# the first page of the section the person may use.
NAV_GROUPS: dict[str, tuple[str, ...]] = {
    "Reports": ("reporting:dashboard", "inspection:strategy"),
    "Data and returns": (
        "returns:index",
        "inspection:annex_a",
        "placements:settings",
        "retention:due",
    ),
    "Information requests": (
        "information:foi_list",
        "information:sar_list",
        "information:complaint_list",
    ),
}
# Items left out of the header for a role that reaches them from its own start page
# (an administrator's Administration page links the letter wording).
NOT_IN_HEADER_FOR: dict[str, tuple[str, ...]] = {"casework:letters": ("administrator",)}
# No role sees more header items than this (test_sendcase_nav.py).
MOST_HEADER_ITEMS = 8


def _allowed(role: str | None) -> list[dict[str, Any]]:
    """The pages of NAV_ITEMS this role may use, in order."""
    out = []
    for label, name, allowed in NAV_ITEMS:
        if allowed is not None and role not in allowed:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        out.append({"label": label, "name": name, "url": url, "active": False})
    return out


def _group_of(name: str) -> str | None:
    return next((g for g, names in NAV_GROUPS.items() if name in names), None)


def _mark_active(items: list[dict[str, Any]], path: str) -> None:
    # The item whose address is the longest start of this page's ("/cases/search/" is Find a
    # child, not the work queue at "/cases/").
    here = [i for i in items if path.startswith(i["url"]) and i["url"] != "/"]
    if here:
        max(here, key=lambda i: len(i["url"]))["active"] = True


def navigation(role: str | None, path: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the header's items, the current section's pages when it has more than one)."""
    pages = _allowed(role)
    _mark_active(pages, path)
    items: list[dict[str, Any]] = []
    sections: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        if role in NOT_IN_HEADER_FOR.get(page["name"], ()):
            continue
        group = _group_of(page["name"])
        if group is None:
            items.append(page)
            continue
        if group not in sections:
            sections[group] = []
            items.append({"label": group, "name": group, "url": page["url"], "active": False})
        sections[group].append(page)
    section: list[dict[str, Any]] = []
    for item in items:
        members = sections.get(item["label"], [])
        if any(m["active"] for m in members):
            item["active"] = True
            if len(members) > 1:
                section = members
    return items, section


def _role_and_path(context: dict[str, Any]) -> tuple[str | None, str]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return getattr(user, "role", None), (request.path if request else "")


@register.simple_tag(takes_context=True)
def nav_items(context: dict[str, Any]) -> list[dict[str, Any]]:
    return navigation(*_role_and_path(context))[0]


@register.simple_tag(takes_context=True)
def nav_section(context: dict[str, Any]) -> list[dict[str, Any]]:
    return navigation(*_role_and_path(context))[1]
