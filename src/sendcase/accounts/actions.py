"""Changes to a member of staff's second factor: each one a named action, audited.

Enrolment needs a one-time code from an administrator, so that someone who has only
learnt a password cannot set up (or see) the authenticator key:

1. an administrator calls `issue_enrolment_code` (the `sendcase enrolment-code` command
   or the staff admin's action) and gives the code to the person;
2. after their password, the person enters it: `redeem_enrolment_code` uses it up and
   `start_enrolment` makes a new key, shown only in that browser session;
3. `confirm_enrolment` checks the first code from their app, and issues recovery codes
   (django-otp's static device), which are shown once and work once each.

`reset_second_factor` removes a person's authenticator and recovery codes, so that they
need a new enrolment code. Adding and removing devices are also audited by the signal
handlers in accounts/signals.py, whichever screen does it.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts.models import EnrolmentCode, User
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit

# Letters and digits that cannot be mistaken for one another when read out or copied.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 60 bits
RECOVERY_CODES = 10


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _hash(code: str) -> str:
    return salted_hmac(
        "sendcase.accounts.enrolment-code", _normalise(code), algorithm="sha256"
    ).hexdigest()


def grouped(text: str, size: int = 4) -> str:
    """`ABCDEFGH` as `ABCD EFGH`: easier to read and type."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def base32_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, without padding."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def issue_enrolment_code(user: User, *, actor: Actor, hours: int | None = None) -> str:
    """A new enrolment code for `user`, returned once (only its hash is kept). Any code they
    had not used stops working."""
    now = timezone.now()
    hours = settings.SENDCASE_ENROLMENT_CODE_HOURS if hours is None else hours
    if hours < 1:
        raise ValueError("An enrolment code must work for at least 1 hour")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    entry = EnrolmentCode.objects.create(
        user=user,
        code_hash=_hash(raw),
        issued_by=user_of(actor),
        expires_at=now + dt.timedelta(hours=hours),
    )
    audit(
        actor,
        "create",
        user,
        f"Issued a second-factor enrolment code for {user.username}",
        payload={"expires_at": entry.expires_at.isoformat(), "hours": hours},
    )
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@transaction.atomic
def redeem_enrolment_code(user: User, code: str) -> bool:
    """Use up `user`'s enrolment code if `code` is it and it has not expired."""
    entry = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, code_hash=_hash(code), used_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if entry is None:
        audit(
            user,
            "sign_in_failed",
            user,
            "Entered an enrolment code that is wrong, used or expired",
        )
        return False
    entry.used_at = timezone.now()
    entry.save(update_fields=["used_at"])
    audit(user, "update", user, "Used an enrolment code to set up a second factor")
    return True


@transaction.atomic
def start_enrolment(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator key; any earlier unconfirmed key is thrown away."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, token: str) -> list[str] | None:
    """If `token` is the app's current code, confirm the authenticator and return new
    recovery codes (the only time they can be read); otherwise None."""
    if device.confirmed or not device.verify_token(token):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def reset_second_factor(user: User, *, actor: Actor) -> None:
    """Remove the person's authenticator and recovery codes and retire unused enrolment
    codes: they need a new enrolment code to sign in again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    audit(
        actor,
        "delete",
        user,
        f"Reset the second factor of {user.username}: they need a new enrolment code",
    )
