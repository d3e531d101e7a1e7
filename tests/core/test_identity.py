"""The one module that checks identifiers and contact details: each rule as a table, with an id
per row; a bad value is refused with its reason, never cut short."""

from __future__ import annotations

import datetime as dt

import pytest

from sendcase import statutory
from sendcase.core import identity
from sendcase.core.identity import IdentityError
from sendcase.statutory.dates import add_months

AGE = statutory.EHC_AGE_LIMIT_YEARS


@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        pytest.param("A123456789012", "A123456789012", None, id="check-letter-right"),
        pytest.param("a123 4567 89012", "A123456789012", None, id="spaces-and-case"),
        pytest.param("L12345678901B", "L12345678901B", None, id="temporary-upn-letter-last"),
        pytest.param("B123456789012", None, "the first letter does not match", id="check-wrong"),
        pytest.param("ABC123", None, "Enter a UPN in the correct format", id="too-short"),
        pytest.param("I123456789012", None, "correct format", id="letter-I-never-used"),
        pytest.param("A1234567890123", None, "correct format", id="too-long-not-cut"),
        pytest.param("", "", None, id="blank"),
    ],
)
def test_upn(typed: str, stored: str | None, error: str | None) -> None:
    if error is None:
        assert identity.clean_upn(typed) == stored
    else:
        with pytest.raises(IdentityError, match=error):
            identity.clean_upn(typed)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        pytest.param("9434765919", "nhs", id="nhs-test-number"),
        pytest.param("943 476 5919", "nhs", id="nhs-with-spaces"),
        pytest.param("4010232137", "nhs", id="nhs-another"),
        pytest.param("1000000043", "uln", id="uln"),
        pytest.param("1234567899", "uln", id="uln-another"),
        pytest.param("9434765917", "", id="nhs-two-out-neither"),
        pytest.param("9434765918", "uln", id="nhs-one-out-is-a-uln"),
        pytest.param("1000000063", "", id="uln-remainder-zero"),
    ],
)
def test_ten_digit_numbers_are_told_apart(typed: str, kind: str) -> None:
    compact = typed.replace(" ", "")
    assert identity.ten_digit_kind(compact) == kind
    if kind == "nhs":
        assert identity.clean_nhs_number(typed) == compact
        with pytest.raises(IdentityError):
            identity.clean_uln(typed)
    elif kind == "uln":
        assert identity.clean_uln(typed) == compact
        with pytest.raises(IdentityError, match="Enter a real NHS number"):
            identity.clean_nhs_number(typed)
    else:
        with pytest.raises(IdentityError):
            identity.clean_nhs_number(typed)
        with pytest.raises(IdentityError):
            identity.clean_uln(typed)


def test_no_ten_digit_number_is_both_a_uln_and_an_nhs_number() -> None:
    for body in range(100000000, 100000000 + 5000):
        for last in range(10):
            n = f"{body}{last}"
            assert not (identity.is_uln(n) and identity.is_nhs_number(n)), n


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("HR1 1AA", "HR1 1AA", id="as-written"),
        pytest.param("hr11aa", "HR1 1AA", id="no-space-lower"),
        pytest.param("  sw1a   2aa ", "SW1A 2AA", id="spaces"),
        pytest.param("M1 1AE", "M1 1AE", id="short-outward"),
        pytest.param("not a postcode", None, id="words-refused-not-cut"),
        pytest.param("HR1 1AAX", None, id="one-letter-too-many"),
        pytest.param("12345", None, id="digits"),
    ],
)
def test_postcode(typed: str, stored: str | None) -> None:
    if stored is None:
        with pytest.raises(IdentityError, match="Enter a real postcode"):
            identity.clean_postcode(typed)
    else:
        assert identity.clean_postcode(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored", "mobile"),
    [
        pytest.param("07700900123", "07700 900123", True, id="uk-mobile"),
        pytest.param("+44 7700 900123", "07700 900123", True, id="uk-mobile-international"),
        pytest.param("01632 960001", "01632 960001", False, id="ofcom-drama-landline"),
        pytest.param("07911 123456", "07911 123456", True, id="uk-mobile-real-range"),
        pytest.param("01432 260000", "01432 260000", False, id="uk-landline"),
        pytest.param("+33 1 23 45 67 89", "+33 1 23 45 67 89", False, id="abroad"),
        pytest.param("0770090012", None, False, id="a-digit-short"),
        pytest.param("call me", None, False, id="words"),
    ],
)
def test_phone(typed: str, stored: str | None, mobile: bool) -> None:
    if stored is None:
        with pytest.raises(IdentityError, match="Enter a phone number"):
            identity.clean_phone(typed)
        return
    assert identity.clean_phone(typed) == stored
    assert identity.is_mobile(stored) is mobile


@pytest.mark.parametrize(
    ("typed", "ok"),
    [("jo@example.org", True), (" jo@example.org ", True), ("jo@", False), ("jo", False)],
)
def test_email(typed: str, ok: bool) -> None:
    if ok:
        assert identity.clean_email(typed) == typed.strip()
    else:
        with pytest.raises(IdentityError, match="Enter an email address in the correct format"):
            identity.clean_email(typed)


ON = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        pytest.param(ON, "", id="born-that-day"),
        pytest.param(add_months(ON, -12 * AGE) + dt.timedelta(days=1), "", id="a-day-under-26"),
        pytest.param(add_months(ON, -12 * AGE), "less than 26 years", id="26th-birthday"),
        pytest.param(add_months(ON, -12 * 36), "aged 0 to 25", id="36-years-old"),
        pytest.param(ON + dt.timedelta(days=1), "must be before", id="born-after"),
    ],
)
def test_age_0_to_25_on_the_day(born: dt.date, problem: str) -> None:
    found = identity.age_problem(born, ON, "the date the request was received")
    assert (problem in found) if problem else found == ""


def test_clean_fields_names_the_field_refused() -> None:
    with pytest.raises(IdentityError) as exc:
        identity.clean_fields({"upn": "A123456789012", "postcode": "not a postcode"})
    assert exc.value.field == "postcode"
    assert identity.clean_fields({"postcode": "hr11aa", "name": "x"}) == {
        "postcode": "HR1 1AA",
        "name": "x",
    }
