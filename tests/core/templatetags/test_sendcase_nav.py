"""The header: a few sections for each role (GOV.UK service navigation), every page a role may
use reachable from it, and the pages of a grouped section in a row under the header."""

from __future__ import annotations

import pytest
from django.test import Client

from sendcase.accounts.models import Role, User
from sendcase.accounts.testing import verified_login
from sendcase.core.templatetags.sendcase_nav import (
    MOST_HEADER_ITEMS,
    NAV_GROUPS,
    _allowed,
    navigation,
)


@pytest.mark.parametrize("role", Role.values)
def test_no_role_has_an_overloaded_header_and_every_page_is_reachable(role: str) -> None:
    items, _ = navigation(role, "/")
    assert len(items) <= MOST_HEADER_ITEMS, [i["label"] for i in items]
    reachable = {i["url"] for i in items}
    for page in _allowed(role):
        _, section = navigation(role, page["url"])
        reachable |= {p["url"] for p in section}
    missing = {p["label"] for p in _allowed(role)} - {
        p["label"] for p in _allowed(role) if p["url"] in reachable
    }
    # An administrator reaches the letter wording from the Administration start page.
    assert missing <= ({"Letters"} if role == Role.ADMINISTRATOR else set()), missing


def test_the_section_row_shows_the_groups_pages_and_marks_this_one(db) -> None:
    head = User.objects.create_user("head", password="x" * 20, role=Role.HEAD_OF_SERVICE)
    page = verified_login(Client(), head).get("/information/foi/").content.decode()
    assert page.count('aria-current="page"') == 2  # the header's section and the row's page
    assert 'href="/information/complaints/"' in page
    assert '<nav class="app-report-subnav' in page
    header = page[page.index('id="navigation"') : page.index("</nav>")]
    assert "Information requests" in header and ">FOI<" not in header


def test_every_grouped_page_is_in_the_navigation_list() -> None:
    from sendcase.core.templatetags.sendcase_nav import NAV_ITEMS

    names = {name for _, name, _ in NAV_ITEMS}
    assert {n for group in NAV_GROUPS.values() for n in group} <= names


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.INFORMATION_GOVERNANCE])
def test_roles_without_case_records_have_no_work_queue_in_the_header(role: str) -> None:
    """Found in a new user's pass of `make demo`: their work queue only says that their role
    does not include children's case records."""
    labels = [i["label"] for i in navigation(role, "/")[0]]
    assert "Work queue" not in labels and labels
