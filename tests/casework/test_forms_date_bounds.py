"""Dates within plausible bounds wherever a date is typed, in GOV.UK wording: no year 0001, no
statutory event before Part 3 of the Children and Families Act 2014 came into force (a plan
transferred in apart), and a date of birth in the past and less than 26 years before the event."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase import statutory
from sendcase.casework.forms import ChildDetailsForm, DecisionToAssessForm, TransferInForm
from sendcase.casework.models import Child
from sendcase.casework.scenarios import build_case
from sendcase.core.forms import EARLIEST, GovukDateField
from sendcase.statutory.dates import add_months, format_date

D = dt.date
START = statutory.EHC_START
AGE = statutory.EHC_AGE_LIMIT_YEARS


def _parts(d: D) -> list[str]:
    return [str(d.day), str(d.month), f"{d.year:04d}"]


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        pytest.param({}, D(1, 1, 1), f"The date must be the same as or after {format_date(EARLIEST)}", id="year-0001"),
        pytest.param({}, D(1899, 12, 31), f"The date must be the same as or after {format_date(EARLIEST)}", id="1899"),
        pytest.param({}, EARLIEST, None, id="the-floor"),
        pytest.param({"earliest": START}, START - dt.timedelta(days=1), "The date must be the same as or after 1 September 2014", id="before-part-3"),
        pytest.param({"earliest": START}, START, None, id="first-day-of-part-3"),
        pytest.param({"earliest": D(1, 1, 1)}, D(1800, 1, 1), f"The date must be the same as or after {format_date(EARLIEST)}", id="floor-cannot-be-lowered"),
        pytest.param({"past": True}, "today", "The date must be in the past", id="today-not-past"),
        pytest.param({"past": True}, "yesterday", None, id="yesterday-is-past"),
    ],
)  # fmt: skip
def test_the_shared_date_field_refuses_implausible_dates(
    field: dict[str, Any], typed: Any, error: str | None
) -> None:
    today = timezone.localdate()
    typed = {"today": today, "yesterday": today - dt.timedelta(days=1)}.get(typed, typed)
    date_field = GovukDateField(subject="the date", **field)
    if error is None:
        assert date_field.clean(_parts(typed)) == typed
    else:
        with pytest.raises(Exception, match=error) as caught:
            date_field.clean(_parts(typed))
        assert caught.value.messages == [error]  # type: ignore[attr-defined]


def _date(name: str, d: D) -> dict[str, str]:
    return dict(zip((f"{name}_day", f"{name}_month", f"{name}_year"), _parts(d), strict=True))


def test_a_statutory_step_dated_before_september_2014_is_refused() -> None:
    form = DecisionToAssessForm(
        {"version": "1", "outcome": "assess", **_date("decided_on", START - dt.timedelta(days=1))}
    )
    assert not form.is_valid()
    assert form.errors["decided_on"] == [
        "The date of the decision must be the same as or after 1 September 2014"
    ]
    year_one = DecisionToAssessForm(
        {"version": "1", "outcome": "assess", **_date("decided_on", D(1, 1, 1))}
    )
    assert not year_one.is_valid() and "decided_on" in year_one.errors


@pytest.mark.django_db
def test_a_plan_transferred_in_may_carry_dates_from_before_2014(officer: Any) -> None:
    transferred = START - dt.timedelta(days=400)
    form = TransferInForm(
        {
            "forename": "Sam",
            "surname": "Older",
            "sex": "M",
            "officer": str(officer.pk),
            "from_la_name": "Hampshire",
            **_date("date_of_birth", transferred - dt.timedelta(days=365 * 10)),
            **_date("transferred_on", transferred),
            **_date("last_review", transferred - dt.timedelta(days=200)),
        },
        officers=type(officer).objects.filter(pk=officer.pk),
        user=officer,
    )
    form.is_valid()
    assert "transferred_on" not in form.errors and "last_review" not in form.errors
    assert "date_of_birth" not in form.errors


def _new_request(officer: Any, born: D, received: D) -> dict[str, str]:
    return {
        "forename": "Robin",
        "surname": "Dates",
        "sex": "F",
        "officer": str(officer.pk),
        "source": "1",
        **_date("date_of_birth", born),
        **_date("received_on", received),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "error"),
    [
        pytest.param(lambda r: r + dt.timedelta(days=1), "The child's date of birth must be in the past", id="future"),
        pytest.param(lambda r: r - dt.timedelta(days=1), None, id="a-day-old"),
        pytest.param(lambda r: add_months(r, -12 * AGE) + dt.timedelta(days=1), None, id="a-day-under-26"),
        pytest.param(lambda r: add_months(r, -12 * AGE), f"The child's date of birth must be less than {AGE} years before the date the request was received", id="26th-birthday"),
        pytest.param(lambda r: D(1, 1, 1), f"The child's date of birth must be the same as or after {format_date(EARLIEST)}", id="year-0001"),
    ],
)  # fmt: skip
def test_registering_a_request_checks_the_date_of_birth(
    client_for: Any, officer: Any, born: Any, error: str | None
) -> None:
    received = timezone.localdate()
    data = _new_request(officer, born(received), received)
    response = client_for(officer).post(reverse("casework:new_request"), data)
    if error is None:
        assert response.status_code == 302 and Child.objects.filter(surname="Dates").exists()
    else:
        assert error in html.unescape(response.content.decode())
        assert not Child.objects.filter(surname="Dates").exists()


@pytest.mark.django_db
def test_a_birth_after_the_request_is_refused(client_for: Any, officer: Any) -> None:
    received = timezone.localdate() - dt.timedelta(days=30)
    data = _new_request(officer, received + dt.timedelta(days=1), received)
    page = client_for(officer).post(reverse("casework:new_request"), data).content.decode()
    message = "The child's date of birth must be before the date the request was received"
    assert message in html.unescape(page)


@pytest.mark.django_db
def test_correcting_a_date_of_birth_checks_it_against_the_case(officer: Any) -> None:
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    child = case.child
    base = {"forename": child.forename, "surname": child.surname, "sex": "M", "seen": "x"}
    too_old = add_months(case.opened_on, -12 * AGE)
    form = ChildDetailsForm({**base, **_date("date_of_birth", too_old)}, opened_on=case.opened_on)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [
        f"The child's date of birth must be less than {AGE} years before the date this case "
        f"began, {format_date(case.opened_on)}: plans are for children and young people aged 0 "
        f"to {AGE - 1}"
    ]
    fine = ChildDetailsForm(
        {**base, **_date("date_of_birth", too_old + dt.timedelta(days=1))}, opened_on=case.opened_on
    )
    assert fine.is_valid(), fine.errors
