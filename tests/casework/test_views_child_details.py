"""Correcting a child's details from the case: audited with what changed, a bad or borrowed UPN
refused in plain words, nobody else's change lost, and only for people who may change the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from sendcase.casework.models import Child
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry


def _data(child: Child, dates: Any, seen: str, **over: str) -> dict[str, str]:
    return {
        "forename": child.forename,
        "surname": child.surname,
        "sex": child.sex,
        "postcode": child.postcode,
        "upn": child.upn,
        "uln": child.uln,
        "seen": seen,
        **dates(date_of_birth=child.date_of_birth),
        **over,
    }


def _seen(page: str) -> str:
    marker = 'name="seen" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_corrected_upn_is_saved_and_audited(client_for: Any, officer: Any, dates: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    child = case.child
    client = client_for(officer)
    url = reverse("casework:child_details", args=[case.pk])
    case_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert url in case_page
    seen = _seen(client.get(url).content.decode())
    response = client.post(url, _data(child, dates, seen, upn="l12345678901b", postcode="hr1 2ab"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.upn, child.postcode) == ("L12345678901B", "HR1 2AB")
    entry = AuditEntry.objects.filter(object_type="casework.child", action="update").latest("pk")
    assert entry.case_id == case.pk
    assert entry.payload["changed"]["upn"]["to"] == "L12345678901B"


def test_bad_input_is_refused_in_plain_words(client_for: Any, officer: Any, dates: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    other = Child.objects.create(
        forename="Sam", surname="Other", date_of_birth=dt.date(2014, 1, 2), upn="A12345678901C"
    )
    client = client_for(officer)
    url = reverse("casework:child_details", args=[case.pk])
    seen = _seen(client.get(url).content.decode())
    before = Child.objects.get(pk=case.child_id).upn
    for over, message in (
        ({"upn": "A123"}, "Enter a UPN in the correct format"),
        ({"uln": "12"}, "Enter a ULN in the correct format"),
        ({"upn": other.upn}, "is already recorded for another child (Sam Other"),
        ({"forename": ""}, "Enter the child&#x27;s first name"),
    ):
        response = client.post(url, _data(case.child, dates, seen, **over))
        page = response.content.decode()
        assert response.status_code == 400 and message in page, message
        assert "govuk-error-summary" in page
    future = dates(date_of_birth=dt.date.today() + dt.timedelta(days=3))
    page = client.post(url, {**_data(case.child, dates, seen), **future}).content.decode()
    assert "The child&#x27;s date of birth must be in the past" in page
    assert Child.objects.get(pk=case.child_id).upn == before


def test_someone_elses_change_is_not_lost(
    client_for: Any, officer: Any, teammate: Any, dates: Any
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    mine, theirs = client_for(officer), client_for(teammate)
    url = reverse("casework:child_details", args=[case.pk])
    my_seen = _seen(mine.get(url).content.decode())
    their_seen = _seen(theirs.get(url).content.decode())
    assert (
        theirs.post(url, _data(case.child, dates, their_seen, postcode="HR4 9XX")).status_code
        == 302
    )
    page = mine.post(url, _data(case.child, dates, my_seen, upn="L12345678901B")).content.decode()
    assert "Someone else changed these details" in page
    child = Child.objects.get(pk=case.child_id)
    assert child.postcode == "HR4 9XX" and child.upn != "L12345678901B"


def test_only_people_who_may_change_the_case(client_for: Any, officer: Any, outsider: Any) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    url = reverse("casework:child_details", args=[case.pk])
    assert client_for(outsider).get(url).status_code == 404


def test_a_upn_held_by_a_child_out_of_scope_is_refused_without_naming_them(
    client_for: Any, officer: Any, outsider: Any, dates: Any
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=30)
    theirs = build_case(stage="plan", officer=outsider, weeks_ago=30)
    Child.objects.filter(pk=theirs.child_id).update(
        upn="A12345678901C",
        forename="Zebedee",
        surname="Quartermain",
        date_of_birth=dt.date(2012, 7, 9),
    )
    client = client_for(officer)
    url = reverse("casework:child_details", args=[case.pk])
    seen = _seen(client.get(url).content.decode())
    page = client.post(url, _data(case.child, dates, seen, upn="A12345678901C")).content.decode()
    assert "already recorded for another child the council knows" in page
    assert "Zebedee" not in page and "Quartermain" not in page and "July 2012" not in page
    assert Child.objects.get(pk=case.child_id).upn != "A12345678901C"
