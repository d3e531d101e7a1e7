"""Security headers on every page and download with children's data, a strict Content Security
Policy with no inline script or style in any template, the TLS proxy header from the
environment, and `sendcase check --deploy` clean with production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import reverse

from sendcase.accounts.testing import verified_login
from sendcase.settings import envproxyheader

SRC = Path(__file__).resolve().parents[2] / "src" / "sendcase"
# Written to a file by `sendcase report` for committee papers, never served by the app.
STANDALONE = {"reporting/templates/reporting/committee_document.html"}


def _directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def _assert_private(response: Any) -> None:
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache, cache
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_signed_in_page_has_every_header(officer: Any) -> None:
    client = verified_login(Client(), officer)
    response = client.get(reverse("casework:queue"), secure=True)
    assert response.status_code == 200
    _assert_private(response)
    policy = _directives(response)
    assert policy["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


@pytest.mark.django_db
def test_downloads_with_personal_data_are_not_stored(data_officer: Any, head: Any) -> None:
    client = verified_login(Client(), data_officer)
    response = client.post(reverse("returns:export"), {"year": "2026"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attach")
    b"".join(response.streaming_content)
    _assert_private(response)
    client = verified_login(Client(), head)
    response = client.get(
        reverse("reporting:summary"), {"from": "2025-01-01", "to": "2025-12-31", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    _assert_private(response)


@pytest.mark.django_db
def test_the_sign_in_page_is_not_stored_either() -> None:
    _assert_private(Client().get(reverse("accounts:login")))


def test_plain_http_is_redirected_to_https_but_not_the_health_check() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = Client().get(reverse("accounts:login"))
        assert response.status_code == 301 and response["Location"].startswith("https://")
        assert Client().get("/health").status_code == 200


@pytest.mark.django_db
def test_the_proxy_tls_header_makes_a_request_secure(monkeypatch: Any) -> None:
    monkeypatch.delenv("SENDCASE_TEST_PROXY", raising=False)
    assert envproxyheader("SENDCASE_TEST_PROXY") is None
    monkeypatch.setenv("SENDCASE_TEST_PROXY", "X-Forwarded-Proto, https")
    header = envproxyheader("SENDCASE_TEST_PROXY")
    assert header == ("HTTP_X_FORWARDED_PROTO", "https")
    with override_settings(SECURE_PROXY_SSL_HEADER=header, SECURE_SSL_REDIRECT=True):
        response = Client().get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200 and "Strict-Transport-Security" in response


@pytest.mark.parametrize("bad", ["X-Forwarded-Proto", ",https", "X Forwarded,https"])
def test_a_bad_proxy_header_setting_fails_loudly(monkeypatch: Any, bad: str) -> None:
    monkeypatch.setenv("SENDCASE_TEST_PROXY", bad)
    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto,https"):
        envproxyheader("SENDCASE_TEST_PROXY")


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style() -> None:
    found = []
    for path in sorted(SRC.rglob("*.html")):
        name = str(path.relative_to(SRC))
        # Print templates are rendered to PDF by WeasyPrint on the server, never served to a
        # browser: their <style> is the PDF's layout.
        if name in STANDALONE or "/print/" in name:
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "sendcase.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "sendcase.example.gov.uk",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "sendcase.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # one check silenced on purpose: axes.W006, lockout per username only (settings.py says why)
    assert "System check identified no issues (1 silenced)." in result.stdout
