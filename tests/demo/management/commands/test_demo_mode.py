"""Demo logins share a published password: they exist and work only on an installation in
demo mode (SENDCASE_DEMO=true), and `sendcase demo` touches only a demo database."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from sendcase.accounts.models import Role, User
from sendcase.accounts.testing import verified_login
from sendcase.casework.models import Case
from sendcase.core.models import NotifyMessage
from sendcase.demo.load import DEMO_PASSWORD

TODAY = "2025-11-24"


def _demo(**options: str) -> str:
    out = io.StringIO()
    call_command(
        "demo", plans="20", seed="3", today=TODAY, stdout=out, stderr=io.StringIO(), **options
    )
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_command_refuses_outside_demo_mode(settings) -> None:
    settings.SENDCASE_DEMO = False
    with pytest.raises(CommandError, match="not in demo mode.*SENDCASE_DEMO=true"):
        _demo()
    assert not User.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_the_demo_command_refuses_a_database_with_real_staff() -> None:
    User.objects.create_user(username="real.officer", password="x", role=Role.CASE_OFFICER)
    for options in ({}, {"if_empty": True}, {"reset": True}):
        with pytest.raises(
            CommandError,
            match="1 staff account that is not a demo login, so it is not a demo database",
        ):
            call_command("demo", stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert list(User.objects.values_list("username", flat=True)) == ["real.officer"]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_demo_command_refuses_cases_it_did_not_make(child) -> None:
    from sendcase.casework.models import Case

    Case.objects.create(reference="EHC-25-00001", child=child, opened_on="2025-01-06")
    with pytest.raises(CommandError, match="cases that `sendcase demo` did not make"):
        _demo(reset="true")
    assert Case.objects.count() == 1 and not User.objects.exists()


@pytest.mark.django_db
def test_a_demo_login_cannot_be_made_outside_demo_mode(settings) -> None:
    settings.SENDCASE_DEMO = False
    with pytest.raises(ValueError, match="only in demo mode"):
        User.objects.create_user(username="demo.someone", password=DEMO_PASSWORD, is_demo=True)
    officer = User.objects.create_user(username="officer", password="x")
    officer.is_demo = True
    with pytest.raises(ValueError, match="only in demo mode"):
        officer.save()
    assert not User.objects.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_demo_logins_work_only_in_demo_mode(settings) -> None:
    _demo()
    demo = User.objects.get(username="demo.head")
    assert demo.is_demo
    signed_in = Client()
    assert (
        signed_in.post(
            reverse("accounts:login"), {"username": "demo.head", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )

    settings.SENDCASE_DEMO = False
    settings.SENDCASE_DEMO_SKIP_2FA = True  # even if someone forces this on
    refused = Client().post(
        reverse("accounts:login"), {"username": "demo.head", "password": DEMO_PASSWORD}
    )
    assert refused.status_code == 200
    assert "Enter a correct username and password" in refused.content.decode()
    # A demo session that was already signed in (even past the second factor) is ended.
    verified = verified_login(Client(), demo)
    response = verified.get(reverse("casework:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # No password reset either, and no enrolment code.
    Client().post(reverse("accounts:password_reset"), {"email": demo.email})
    assert not NotifyMessage.objects.exists()
    with pytest.raises(CommandError, match="demo login, and this is not a demo installation"):
        call_command("enrolment-code", "demo.head", stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_logins_skip_the_second_factor_only_in_demo_mode(settings) -> None:
    _demo()
    settings.SENDCASE_DEMO_SKIP_2FA = True
    client = Client()
    client.post(reverse("accounts:login"), {"username": "demo.head", "password": DEMO_PASSWORD})
    assert client.get(reverse("casework:queue")).status_code == 200


def test_skipping_the_second_factor_needs_demo_mode(tmp_path) -> None:
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "SENDCASE_DEMO_SKIP_2FA": "true",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("SENDCASE_DEMO", None)
    run = subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert run.returncode != 0
    assert (
        "SENDCASE_DEMO_SKIP_2FA=true is allowed only in demo mode (SENDCASE_DEMO=true)"
        in run.stderr
    )
    run = subprocess.run(
        [sys.executable, "-m", "sendcase.cli", "check"],
        capture_output=True,
        text=True,
        env={**env, "SENDCASE_DEMO": "true"},
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
