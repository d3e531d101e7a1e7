"""Signing in: a password, then a real TOTP code computed from the device's key."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sendcase.accounts.testing import confirmed_device, current_code
from sendcase.core.models import AuditEntry

PASSWORD = "correct horse battery"


def _sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_password_then_real_totp_code_lets_the_officer_in(officer):
    device = confirmed_device(officer)
    client = Client()
    response = _sign_in(client, "officer")
    assert response.status_code == 302
    # The password alone is not enough.
    blocked = client.get(reverse("casework:queue"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("accounts:verify"))
    response = client.post(
        reverse("accounts:verify"), {"token": current_code(device), "next": "/cases/"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get(reverse("casework:queue")).status_code == 200
    assert AuditEntry.objects.filter(actor=officer, action="sign_in").count() == 2


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("wrong", "Security code must be 6 numbers"),
        ("", "Enter the 6-digit security code"),
        (None, "The security code is wrong or has expired. Enter the latest code from your app."),
    ],
)
def test_a_wrong_code_is_refused_with_a_govuk_error(officer, token, message):
    device = confirmed_device(officer)
    if token is None:  # six digits, but not the code
        token = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    client = Client()
    _sign_in(client, "officer")
    response = client.post(reverse("accounts:verify"), {"token": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f'<a href="#id_token">{message}</a>' in html.replace("&#x27;", "'")
    assert client.get(reverse("casework:queue")).status_code == 302


def test_wrong_password_is_refused(officer):
    response = _sign_in(Client(), "officer", "not the password")
    assert "Enter a correct username and password" in response.content.decode()


@pytest.mark.parametrize(
    ("skip_allowed", "is_demo", "status"),
    [(True, True, 200), (False, True, 302), (True, False, 302)],
)
def test_demo_users_skip_only_when_the_setting_allows(
    settings, officer, skip_allowed, is_demo, status
):
    settings.SENDCASE_DEMO = True
    settings.SENDCASE_DEMO_SKIP_2FA = skip_allowed
    officer.is_demo = is_demo
    officer.save()
    client = Client()
    _sign_in(client, "officer")
    assert client.get(reverse("casework:queue")).status_code == status
