"""Setting up the second factor needs an administrator's one-time enrolment code; the key is
shown in base32; recovery codes are issued once and work once each."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts import actions
from sendcase.accounts.models import EnrolmentCode
from sendcase.accounts.testing import confirmed_device, current_code, verified_login
from sendcase.core.models import AuditEntry

PASSWORD = "correct horse battery"


def _signed_in(username: str = "officer") -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol_page(client: Client, code: str) -> str:
    response = client.post(reverse("accounts:enrol"), {"code": code}, follow=True)
    return response.content.decode()


def _shown_key(page: str) -> str:
    match = re.search(r'id="setup-key"><code>([A-Z2-7 ]+)</code>', page)
    assert match, "the page shows no setup key"
    return match.group(1).replace(" ", "")


def test_the_password_alone_does_not_show_a_key(officer):
    client = _signed_in()
    response = client.get(reverse("accounts:verify"), follow=True)
    page = response.content.decode()
    assert (
        "Enter your enrolment code" in page
        or "enrolment code from your SENDcase administrator" in page
    )
    assert "<svg" not in page and "setup-key" not in page
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # Nor does a made-up code.
    page = _enrol_page(client, "AAAA-BBBB-CCCC")
    assert "The enrolment code is wrong, has been used or has expired" in page
    assert "<svg" not in page and not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditEntry.objects.filter(object_id=str(officer.pk), action="sign_in_failed").exists()


def test_an_enrolment_code_shows_a_base32_key_that_an_app_can_use(officer, admin_user):
    code = actions.issue_enrolment_code(officer, actor=admin_user)
    client = _signed_in()
    page = _enrol_page(client, code.lower().replace("-", " "))  # as someone might type it
    assert "Set up your authenticator app" in page and "<svg" in page
    key = _shown_key(page)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    # base32, as authenticator apps take a typed key, and the same key the QR code holds.
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    assert device.bin_key.hex() not in page
    assert f"secret={key}" in device.config_url
    response = client.post(reverse("accounts:enrol"), {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("casework:queue")).status_code == 200


def test_only_a_hash_of_the_code_is_kept_and_it_works_once(officer, admin_user):
    code = actions.issue_enrolment_code(officer, actor=admin_user)
    stored = EnrolmentCode.objects.get(user=officer)
    plain = code.replace("-", "")
    for value in (stored.code_hash, str(stored)):
        assert plain not in value.upper() and code not in value
    first = _signed_in()
    first_key = _shown_key(_enrol_page(first, code))
    # Someone else with the password and the same code, in another browser, gets nothing.
    second = _signed_in()
    page = _enrol_page(second, code)
    assert "has been used" in page and "setup-key" not in page
    assert first_key not in page
    assert EnrolmentCode.objects.get(user=officer).used_at is not None


def test_an_expired_or_replaced_code_is_refused(officer, admin_user):
    old = actions.issue_enrolment_code(officer, actor=admin_user)
    new = actions.issue_enrolment_code(officer, actor=admin_user)
    client = _signed_in()
    assert "has expired" in _enrol_page(client, old)
    EnrolmentCode.objects.filter(user=officer).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "has expired" in _enrol_page(client, new)
    assert not TOTPDevice.objects.filter(user=officer).exists()


def test_a_key_seen_before_enrolment_stops_working(officer, admin_user):
    """The review's finding: whoever saw the key before the real user enrolled kept working
    codes. Each enrolment code makes a new key, and confirming it removes any other."""
    client = _signed_in()
    attacker_key = _shown_key(
        _enrol_page(client, actions.issue_enrolment_code(officer, actor=admin_user))
    )
    attacker_device = TOTPDevice.objects.get(user=officer)
    attacker_code = current_code(attacker_device)
    real = _signed_in()
    real_key = _shown_key(
        _enrol_page(real, actions.issue_enrolment_code(officer, actor=admin_user))
    )
    assert real_key != attacker_key
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    assert real.post(reverse("accounts:enrol"), {"token": current_code(device)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]
    assert not TOTPDevice.objects.filter(pk=attacker_device.pk).exists()
    # The attacker's session has no key to confirm any more.
    client.post(reverse("accounts:enrol"), {"token": attacker_code})
    assert client.get(reverse("casework:queue")).status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]


def test_recovery_codes_are_shown_once_and_work_once_each(officer, admin_user):
    client = _signed_in()
    _enrol_page(client, actions.issue_enrolment_code(officer, actor=admin_user))
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"token": current_code(device)}, follow=True)
    page = response.content.decode()
    assert "Save your recovery codes" in page
    shown = [c.replace(" ", "") for c in re.findall(r"<li><code>([a-z2-7 ]+)</code></li>", page)]
    static = StaticDevice.objects.get(user=officer)
    assert len(shown) == actions.RECOVERY_CODES == static.token_set.count()
    assert sorted(shown) == sorted(static.token_set.values_list("token", flat=True))
    # Shown once: the page does not show them again.
    again = client.get(reverse("accounts:recovery_codes"), follow=True).content.decode()
    assert "Save your recovery codes" not in again and shown[0] not in again

    # A lost phone: sign in with a recovery code, once.
    lost = _signed_in()
    assert lost.get(reverse("casework:queue")).status_code == 302
    response = lost.post(
        reverse("accounts:recovery"), {"code": shown[0].upper(), "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert lost.get(reverse("casework:queue")).status_code == 200
    assert static.token_set.count() == actions.RECOVERY_CODES - 1
    reused = _signed_in()
    page = reused.post(reverse("accounts:recovery"), {"code": shown[0]}).content.decode()
    assert "The recovery code is wrong or has been used" in page
    assert reused.get(reverse("casework:queue")).status_code == 302


def test_the_command_issues_a_code_and_resets_a_lost_phone(officer):
    out = io.StringIO()
    call_command("enrolment-code", "officer", stdout=out)
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", out.getvalue()).group(0)
    assert "works once" in out.getvalue()
    client = _signed_in()
    assert "setup-key" in _enrol_page(client, code)
    confirmed_device(officer)
    with pytest.raises(CommandError, match="already set up an authenticator app.*--reset"):
        call_command("enrolment-code", "officer", stdout=io.StringIO())
    call_command("enrolment-code", "officer", "--reset", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=officer).exists()
    with pytest.raises(CommandError, match="no member of staff with the username 'nobody'"):
        call_command("enrolment-code", "nobody", stdout=io.StringIO())


def test_an_administrator_issues_codes_and_resets_factors_in_the_admin(officer, staff_admin):
    admin_user = staff_admin
    confirmed_device(officer)
    client = verified_login(Client(), admin_user)
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist, {"action": "reset_second_factors", "_selected_action": [officer.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    response = client.post(
        changelist, {"action": "issue_enrolment_codes", "_selected_action": [officer.pk]}
    )
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    code = re.search(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", page).group(1)
    assert "setup-key" in _enrol_page(_signed_in(), code)
    summaries = list(
        AuditEntry.objects.filter(actor=admin_user, object_id=str(officer.pk)).values_list(
            "summary", flat=True
        )
    )
    assert any("Issued a second-factor enrolment code" in s for s in summaries)
    assert any("Second factor removed from officer" in s for s in summaries)
    assert any("Reset the second factor of officer" in s for s in summaries)
