"""Sign-in throttling and lockout (django-axes), failed sign-ins in the audit log, the
password rules everywhere a password is set, and a reset by an emailed link (Notify)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from sendcase.accounts.models import User
from sendcase.accounts.testing import confirmed_device, current_code, verified_login
from sendcase.core.models import AuditEntry, NotifyMessage

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a much longer new passphrase"


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_wrong_passwords_lock_the_account_even_against_the_right_one(officer, settings):
    client = Client()
    for _ in range(10):
        response = _sign_in(client, "officer", "not the password")
    assert response.status_code == 429
    # The right password, from another browser, is refused while the lockout lasts.
    response = _sign_in(Client(), "officer", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert f"You cannot sign in for {settings.SENDCASE_LOCKOUT_MINUTES} minutes" in page
    assert f"entered wrongly {settings.AXES_FAILURE_LIMIT} times" in page
    assert "Forgotten" in page or "reset it by email" in page
    assert "_auth_user_id" not in Client().session.keys()
    assert response.wsgi_request.user.is_anonymous


def test_the_lockout_ends_after_the_cool_off(officer, settings):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "officer", "not the password")
    assert _sign_in(Client(), "officer", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert _sign_in(Client(), "officer", PASSWORD).status_code == 302


def test_failed_sign_ins_are_in_the_audit_log(officer):
    _sign_in(Client(), "officer", "not the password")
    _sign_in(Client(), "nobody-here", "whatever it is")
    failed = AuditEntry.objects.filter(action="sign_in_failed").order_by("id")
    assert [e.payload["username"] for e in failed] == ["officer", "nobody-here"]
    assert failed[0].object_id == str(officer.pk) and failed[0].payload["known_user"] is True
    assert failed[1].object_id == "" and failed[1].payload["known_user"] is False
    # Never the password.
    assert all("not the password" not in str(e.payload) + e.summary for e in failed)


def test_locked_out_attempts_are_audited_as_such(officer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _sign_in(client, "officer", "not the password")
    last = AuditEntry.objects.filter(action="sign_in_failed").first()
    assert last is not None and last.payload["locked_out"] is True


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
        ("newperson.tester", "too similar"),
    ],
)
def test_the_admin_refuses_weak_passwords(staff_admin, password, message):
    client = verified_login(Client(), staff_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newperson.tester",
            "password1": password,
            "password2": password,
            "usable_password": "true",
            "first_name": "New",
            "last_name": "Person",
            "email": "new@example.org",
            "role": "case_officer",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(username="newperson.tester").exists()


def test_the_admin_refuses_a_weak_password_when_setting_one(staff_admin, officer):
    client = verified_login(Client(), staff_admin)
    url = reverse("admin:auth_user_password_change", args=[officer.pk]).replace(
        "auth/user", "accounts/user"
    )
    response = client.post(url, {"password1": "a", "password2": "a", "usable_password": "true"})
    assert "at least 12 characters" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.filter(object_id=str(officer.pk), summary__contains="Password").get()
    assert entry.actor == staff_admin and entry.payload["via"] == url


def _createsuperuser() -> None:
    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.org",
        stdout=io.StringIO(),
    )


def test_createsuperuser_applies_the_rules_without_a_prompt(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a")
    with pytest.raises(CommandError, match="at least 12 characters"):
        _createsuperuser()
    assert not User.objects.exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    _createsuperuser()
    assert User.objects.get(username="root").check_password(NEW_PASSWORD)


def _reset_link(officer: User) -> str:
    message = NotifyMessage.objects.get(recipient=officer.email)
    assert message.channel == "email"
    link = message.personalisation["reset_link"]
    assert link.startswith("http://testserver/accounts/password-reset/")
    return link.removeprefix("http://testserver")


def test_a_password_reset_by_an_emailed_link(officer, settings):
    officer.email = "officer@example.gov.uk"
    officer.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "officer", "not the password")
    response = client.post(reverse("accounts:password_reset"), {"email": "OFFICER@example.gov.uk"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).content.decode()
    link = _reset_link(officer)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    url = form.redirect_chain[-1][0]
    weak = client.post(url, {"new_password1": "a", "new_password2": "a"})
    assert "at least 12 characters" in weak.content.decode()
    done = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).content.decode()
    entry = AuditEntry.objects.filter(object_id=str(officer.pk), summary__contains="Password").get()
    assert entry.actor == officer and entry.payload["via"] == "emailed password reset link"
    # The new password ends the lockout.
    device = confirmed_device(officer)
    fresh = Client()
    assert _sign_in(fresh, "officer", NEW_PASSWORD).status_code == 302
    fresh.post(reverse("accounts:verify"), {"token": current_code(device)})
    assert fresh.get(reverse("casework:queue")).status_code == 200


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing(officer):
    response = Client().post(
        reverse("accounts:password_reset"), {"email": "stranger@example.org"}, follow=True
    )
    assert "Check your email" in response.content.decode()
    assert not NotifyMessage.objects.exists()
    bad = Client().post(reverse("accounts:password_reset"), {"email": "not an address"})
    assert "Enter an email address in the correct format" in bad.content.decode()
    assert re.search(r"govuk-error-summary", bad.content.decode())
