"""The retention screens in Chromium: axe finds no serious or critical problems, and a data
officer erases a due record through the confirmation page."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.domain import assessment
from sendcase.casework.models import Child
from sendcase.core.codes import RequestSource
from sendcase.retention.models import Erasure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_retention_pages_pass_axe_and_erase_works(manager, signed_in_page, assert_accessible):
    child = Child.objects.create(
        forename="Morwenna", surname="Trelawney", date_of_birth=dt.date(1990, 3, 14)
    )
    case = assessment.open_case_from_request(
        child,
        received_on=dt.date(2014, 10, 1),
        source=RequestSource.PARENT_OR_YOUNG_PERSON,
        actor=manager,
        officer=manager,
    )
    assessment.record_decision_to_assess(
        case, decided_on=dt.date(2014, 11, 1), outcome="not_assess", actor=manager
    )
    data_officer = User.objects.create_user(
        username="data", password="correct horse battery", role=Role.DATA_OFFICER
    )
    page = signed_in_page(data_officer)
    for url in ("/retention/", f"/retention/children/{child.pk}/"):
        assert page.goto(url).status == 200, url
        assert_accessible(page)
    page.goto(f"/retention/children/{child.pk}/hold/")
    page.get_by_role("button", name="Place the hold").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.goto("/retention/")
    page.get_by_role("link", name="Morwenna Trelawney").click()
    page.get_by_role("link", name="Erase this record").click()
    assert page.get_by_role(
        "heading", name="Are you sure you want to erase this record?"
    ).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Erase the record").click()
    erasure = Erasure.objects.get(child=child)
    assert page.get_by_text(f"Record erased: the child is now {erasure.pseudonym}").is_visible()
    assert_accessible(page)
