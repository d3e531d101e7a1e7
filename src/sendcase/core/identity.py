"""Checking what identifies a person and how to reach them: one module that every form, action,
import and search uses, so a value refused in one place is refused in all of them.

Each `clean_*` function takes what a person typed and returns the value to store, or raises
`IdentityError` with the GOV.UK error message. None of them truncates: a value too long for its
column is refused with the reason, never cut to fit.

* UPN: a check letter, 11 digits, then a digit or (a temporary UPN) a letter; the check letter
  is DfE's modulus-23 letter over characters 2 to 13.
* ULN: 10 digits whose last is the Learning Records Service's modulus-11 check digit.
* NHS number: 10 digits whose last is the NHS modulus-11 check digit. A 10-digit number is
  never valid as both a ULN and an NHS number (`ten_digit_kind`), so search can tell them apart.
* Postcode: the UK format (outward code, space, inward code), upper case, or refused.
* Phone: a UK or international number, through `phonenumbers` (Google's libphonenumber data).
* Email: Django's validator.
* Age: 0 to 25 on the day of the event (a request, a transfer), refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from sendcase import statutory
from sendcase.statutory.dates import add_months

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # DfE's 23 letters: no I, O or S
UPN_SHAPE = re.compile(rf"^[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]$")
TEN_DIGITS = re.compile(r"^\d{10}$")
# A UK postcode: outward code (area letters, district) and inward code (sector digit, unit).
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
PHONE_REGION = "GB"
# Ofcom's numbers for drama (never a real line): libphonenumber calls them invalid; they are
# accepted so the demo council and the tests can use numbers that reach nobody.
DRAMA_MOBILE = re.compile(r"^07700900\d{3}$")
DRAMA_LANDLINE = re.compile(r"^01632960\d{3}$")


class IdentityError(ValueError):
    """A value refused, with the GOV.UK error message to show (and, from `clean_fields`, the
    name of the field it is about)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _weighted(digits: str) -> int:
    """Digits 1 to 9 weighted 10 down to 2, modulo 11 (NHS numbers and ULNs share it)."""
    return sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11


def upn_check_letter(upn: str) -> str:
    """The check letter DfE puts first: characters 2 to 13 weighted 2 to 13 (a letter in the last
    place counts as its position in UPN_LETTERS), modulo 23, as a letter."""
    total = 0
    for weight, ch in zip(range(2, 14), upn[1:13], strict=True):
        total += weight * (int(ch) if ch.isdigit() else UPN_LETTERS.index(ch))
    return UPN_LETTERS[total % 23]


def is_upn(value: str) -> bool:
    return bool(UPN_SHAPE.match(value)) and upn_check_letter(value) == value[0]


def is_uln(value: str) -> bool:
    if not TEN_DIGITS.match(value):
        return False
    remainder = _weighted(value)
    return remainder != 0 and int(value[9]) == 10 - remainder


def is_nhs_number(value: str) -> bool:
    if not TEN_DIGITS.match(value):
        return False
    check = (11 - _weighted(value)) % 11
    return check != 10 and int(value[9]) == check


def ten_digit_kind(value: str) -> str:
    """ "nhs", "uln" or "" for a 10-digit number (the check digits never agree on both)."""
    if is_nhs_number(value):
        return "nhs"
    if is_uln(value):
        return "uln"
    return ""


def _compact(value: str) -> str:
    return "".join(value.split()).upper()


def clean_upn(value: str) -> str:
    upn = _compact(value)
    if not upn:
        return ""
    if not UPN_SHAPE.match(upn):
        raise IdentityError(
            "Enter a UPN in the correct format: a letter, 11 numbers, then a number or letter"
        )
    if upn_check_letter(upn) != upn[0]:
        raise IdentityError("Enter a real UPN: the first letter does not match the numbers")
    return upn


def clean_uln(value: str) -> str:
    uln = _compact(value)
    if not uln:
        return ""
    if not TEN_DIGITS.match(uln):
        raise IdentityError("Enter a ULN in the correct format: 10 numbers")
    if not is_uln(uln):
        raise IdentityError("Enter a real ULN: the last number does not match the others")
    return uln


def clean_nhs_number(value: str) -> str:
    nhs = "".join(ch for ch in value if ch not in " -")
    if not nhs:
        return ""
    if not TEN_DIGITS.match(nhs):
        raise IdentityError("Enter an NHS number in the correct format: 10 numbers")
    if not is_nhs_number(nhs):
        raise IdentityError("Enter a real NHS number: the last number does not match the others")
    return nhs


def clean_postcode(value: str) -> str:
    """`HR11AA` and `hr1 1aa` become `HR1 1AA`; anything else is refused (never cut short)."""
    postcode = _compact(value)
    if not postcode:
        return ""
    if not POSTCODE.match(postcode):
        raise IdentityError("Enter a real postcode, like HR1 1AA")
    return f"{postcode[:-3]} {postcode[-3:]}"


def clean_phone(value: str) -> str:
    """A number a person can be called or texted on, in the form it is written in the UK
    (`07700 900123`), or international (`+33 1 23 45 67 89`) for a number abroad."""
    if not value.strip():
        return ""
    message = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise IdentityError(message) from None
    national = "0" + str(number.national_number)
    drama = number.country_code == 44 and (
        DRAMA_MOBILE.match(national) or DRAMA_LANDLINE.match(national)
    )
    if drama:
        return f"{national[:5]} {national[5:]}"
    if not phonenumbers.is_valid_number(number):
        raise IdentityError(message)
    if number.country_code == phonenumbers.country_code_for_region(PHONE_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(phone: str) -> bool:
    """Whether a stored number can take a text message."""
    try:
        number = phonenumbers.parse(phone, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return False
    if number.country_code == 44 and DRAMA_MOBILE.match("0" + str(number.national_number)):
        return True
    return phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def clean_email(value: str) -> str:
    email = value.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise IdentityError(
            "Enter an email address in the correct format, like name@example.com"
        ) from None
    return email


def age_problem(born: dt.date, on: dt.date, event_subject: str) -> str:
    """Why a child born on `born` cannot be the subject of an event on `on` ("" if they can):
    born on or before it, and 0 to 25 on the day (plans are for ages 0 to 25)."""
    if born > on:
        return f"The child's date of birth must be before {event_subject}"
    limit = statutory.EHC_AGE_LIMIT_YEARS
    if add_months(born, 12 * limit) <= on:
        return (
            f"The child's date of birth must be less than {limit} years before {event_subject}: "
            f"plans are for children and young people aged 0 to {limit - 1}"
        )
    return ""


CLEANERS = {
    "upn": clean_upn,
    "uln": clean_uln,
    "nhs_number": clean_nhs_number,
    "postcode": clean_postcode,
    "email": clean_email,
    "phone": clean_phone,
}


def clean_fields(fields: dict[str, object]) -> dict[str, object]:
    """The fields with each identifier or contact detail checked and written the one way
    (`CLEANERS`, by field name); the first refused raises IdentityError naming its field.
    Actions call this, so an import or a command is held to what the forms are."""
    out = dict(fields)
    for name, cleaner in CLEANERS.items():
        value = out.get(name)
        if isinstance(value, str):
            try:
                out[name] = cleaner(value)
            except IdentityError as exc:
                raise IdentityError(str(exc), field=name) from None
    return out
