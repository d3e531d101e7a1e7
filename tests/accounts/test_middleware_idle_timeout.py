"""The idle timeout: enforced by the server whatever the browser does, with the GOV.UK
timeout warning in every signed-in page (static/sendcase/timeout-warning.js)."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from sendcase.accounts.middleware import LAST_SEEN
from sendcase.accounts.testing import verified_login
from sendcase.core.models import AuditEntry


def _idle_for(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_an_idle_session_is_signed_out_by_the_server(officer):
    client = verified_login(Client(), officer)
    assert client.get(reverse("casework:queue")).status_code == 200
    _idle_for(client, settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60 + 1)
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:timed_out")
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out" in page
    assert f"for {settings.SENDCASE_IDLE_TIMEOUT_MINUTES} minutes" in page
    assert client.get(reverse("casework:queue")).status_code == 302  # to sign in
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="sign_out")
    assert entry.actor == officer and "without activity" in entry.summary


def test_activity_keeps_the_session_and_asking_the_time_left_does_not(officer, settings):
    settings.SENDCASE_IDLE_TIMEOUT_MINUTES = 30
    client = verified_login(Client(), officer)
    client.get(reverse("casework:queue"))
    _idle_for(client, 29 * 60)
    status = client.get(reverse("accounts:session_status")).json()
    assert status["signed_in"] and 55 <= status["seconds_left"] <= 60
    # Asking did not count as activity...
    assert client.get(reverse("accounts:session_status")).json()["seconds_left"] <= 60
    # ... "Stay signed in" does.
    stayed = client.post(reverse("accounts:keep_alive")).json()
    assert stayed["seconds_left"] >= 30 * 60 - 1
    _idle_for(client, 20 * 60)
    assert client.get(reverse("casework:queue")).status_code == 200


def test_the_settings_change_the_timeout(officer, settings):
    settings.SENDCASE_IDLE_TIMEOUT_MINUTES = 5
    client = verified_login(Client(), officer)
    client.get(reverse("casework:queue"))
    _idle_for(client, 6 * 60)
    assert client.get(reverse("casework:queue"))["Location"] == reverse("accounts:timed_out")


def test_signed_out_status_and_keep_alive_answer_401(db):
    client = Client()
    assert client.get(reverse("accounts:session_status")).status_code == 401
    assert client.post(reverse("accounts:keep_alive")).status_code == 401


def test_every_signed_in_page_has_the_warning_from_a_static_script(officer):
    client = verified_login(Client(), officer)
    page = client.get(reverse("casework:queue")).content.decode()
    dialog = re.search(r'<dialog id="app-timeout-warning"[^>]*>', page, re.S)
    assert dialog
    timeout = settings.SENDCASE_IDLE_TIMEOUT_MINUTES * 60
    warning = settings.SENDCASE_IDLE_WARNING_MINUTES * 60
    assert f'data-timeout-seconds="{timeout}"' in dialog.group(0)
    assert f'data-warning-seconds="{warning}"' in dialog.group(0)
    assert "Stay signed in" in page
    assert '<script type="module" src="/static/sendcase/timeout-warning.js">' in page
    assert finders.find("sendcase/timeout-warning.js")
    # No inline script, style or event handler comes with it (a strict CSP is coming).
    warning_html = page[page.index('<dialog id="app-timeout-warning"') : page.index("</dialog>")]
    assert "<script" not in warning_html and "style=" not in warning_html
    assert not re.search(r"\son[a-z]+=", warning_html)
    # Nobody signed in: no warning.
    assert "app-timeout-warning" not in Client().get(reverse("accounts:login")).content.decode()


def test_the_timed_out_page_signs_out_on_post(officer):
    client = verified_login(Client(), officer)
    response = client.post(reverse("accounts:timed_out"))
    assert response.status_code == 302
    assert client.get(reverse("casework:queue")).status_code == 302
    assert AuditEntry.objects.filter(action="sign_out", actor=officer).exists()
