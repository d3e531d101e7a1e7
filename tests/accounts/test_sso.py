"""Staff single sign-on against the real loopback provider: the Django test client is SENDcase's
side, `requests` plays the browser at the provider's sign-in page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from sendcase.accounts.models import Role, StaffIdentity, Team, User
from sendcase.core.models import AuditEntry


@pytest.fixture
def sso(settings, oidc_provider, db):
    settings.SENDCASE_SSO_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_SSO_CLIENT_ID = oidc_provider["staff_client_id"]
    settings.SENDCASE_SSO_CLIENT_SECRET = oidc_provider["staff_secret"]
    settings.SENDCASE_SSO_ROLE_GROUPS = {
        "sendcase-team-managers": Role.TEAM_MANAGER,
        "sendcase-case-officers": Role.CASE_OFFICER,
    }
    settings.SENDCASE_SSO_TEAM_GROUPS = {"sendcase-team-north": "North team"}
    return oidc_provider


@pytest.fixture
def provider_sign_in(oidc_browser):
    def sign_in(client, provider, username, password=None, next_url=""):
        start = "/accounts/sso/" + (f"?next={next_url}" if next_url else "")
        return oidc_browser(client, provider, start, username, password)

    return sign_in


def test_sso_makes_the_account_from_groups_and_skips_totp(client, sso, provider_sign_in):
    response = provider_sign_in(client, sso, "officer.sso")
    assert response.status_code == 302
    landing = client.get(response["Location"], follow=True)
    assert landing.redirect_chain[-1][0] == "/cases/"
    user = User.objects.get(username="officer.sso")
    assert user.role == Role.CASE_OFFICER
    assert user.team == Team.objects.get(name="North team")
    assert not user.has_usable_password()
    assert StaffIdentity.objects.get(user=user).subject == "sub-officer.sso"
    page = client.get("/cases/")
    assert page.status_code == 200  # no TOTP step: the provider's second factor counts
    assert "Signed in as" in page.content.decode() and "North team" in page.content.decode()
    entry = AuditEntry.objects.filter(action="sign_in", actor=user).get()
    assert entry.payload["amr"] == ["pwd", "mfa"]
    assert entry.payload["issuer"] == sso["issuer"]


def test_groups_change_the_role_at_the_next_sign_in(client, sso, team, provider_sign_in):
    provider_sign_in(client, sso, "manager.sso")
    user = User.objects.get(username="manager.sso")
    assert user.role == Role.TEAM_MANAGER
    user.role = Role.CASE_OFFICER
    user.save()
    client.post("/accounts/sign-out/")
    provider_sign_in(client, sso, "manager.sso")
    user.refresh_from_db()
    assert user.role == Role.TEAM_MANAGER


def test_an_account_made_in_sendcase_is_linked_by_username_and_keeps_its_role(
    client, sso, provider_sign_in
):
    existing = User.objects.create_user(
        username="Stranger.SSO", password="x" * 20, role=Role.DATA_OFFICER
    )
    response = provider_sign_in(client, sso, "stranger.sso", next_url="/reports/")
    assert response["Location"] == "/reports/"
    existing.refresh_from_db()
    assert existing.role == Role.DATA_OFFICER  # no mapped group: SENDcase's role stands
    assert existing.identities.get().subject == "sub-stranger.sso"


def test_no_account_and_no_group_is_refused(client, sso, provider_sign_in):
    response = provider_sign_in(client, sso, "stranger.sso")
    assert response.status_code == 403
    assert not User.objects.filter(username="stranger.sso").exists()
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert "no SENDcase account" in entry.payload["reason"]
    assert client.get("/cases/").status_code == 302  # not signed in


def test_a_disabled_provider_account_is_refused_and_audited(client, sso, provider_sign_in):
    response = provider_sign_in(client, sso, "disabled.sso")
    assert response.status_code == 403
    assert "You cannot sign in to SENDcase" in response.content.decode()
    entry = AuditEntry.objects.get(action="sign_in_failed")
    assert entry.payload["error"] == "access_denied"
    assert client.get("/cases/").status_code == 302


def test_an_account_switched_off_in_sendcase_is_refused(client, sso, provider_sign_in):
    provider_sign_in(client, sso, "officer.sso")
    client.post("/accounts/sign-out/")
    User.objects.filter(username="officer.sso").update(is_active=False)
    response = provider_sign_in(client, sso, "officer.sso")
    assert response.status_code == 403
    assert "switched off" in AuditEntry.objects.get(action="sign_in_failed").payload["reason"]


def test_without_the_providers_second_factor_sso_is_refused(client, sso, provider_sign_in):
    response = provider_sign_in(client, sso, "nomfa.sso")
    assert response.status_code == 403
    assert "second factor" in AuditEntry.objects.get(action="sign_in_failed").payload["reason"]


def test_a_password_sign_in_still_needs_totp(client, sso, officer):
    client.post("/accounts/sign-in/", {"username": "officer", "password": "correct horse battery"})
    assert client.get("/cases/")["Location"].startswith("/accounts/verify/")


def test_signing_out_ends_the_sso_session_and_signs_out_at_the_provider(
    client, sso, provider_sign_in
):
    provider_sign_in(client, sso, "officer.sso")
    assert client.get("/cases/").status_code == 200
    response = client.post("/accounts/sign-out/")
    assert client.get("/cases/").status_code == 302
    # RP-initiated logout: to the provider's end-session endpoint, with the ID token as the hint.
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso['issuer']}/logout"
    query = dict(parse_qsl(location.query))
    assert query["post_logout_redirect_uri"] == "http://testserver/accounts/sign-in/"
    assert query["id_token_hint"].count(".") == 2
    user = User.objects.get(username="officer.sso")
    assert AuditEntry.objects.filter(action="sign_out", actor=user).exists()


def test_a_local_sign_out_goes_to_the_sign_in_page(client, sso, officer):
    client.force_login(officer)
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == "http://testserver/accounts/sign-in/"
    assert AuditEntry.objects.filter(action="sign_out", actor=officer).exists()
    assert client.get("/accounts/sign-out/").status_code == 405


def test_the_django_admin_takes_the_providers_second_factor(client, sso, provider_sign_in):
    """A superuser signed in by single sign-on with the provider's second factor is not asked
    for SENDcase's TOTP again at the Django admin."""
    provider_sign_in(client, sso, "officer.sso")
    User.objects.filter(username="officer.sso").update(is_staff=True, is_superuser=True)
    assert client.get("/admin/").status_code == 200


def test_the_django_admin_still_asks_a_local_superuser_for_totp(client, sso, db):
    admin = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verify/")


def test_a_replayed_callback_is_refused(client, sso):
    start = client.get("/accounts/sso/")
    authorize = start["Location"]
    form = dict(parse_qsl(urlsplit(authorize).query))
    answer = requests.post(
        f"{sso['issuer']}/authorize",
        data={**form, "username": "officer.sso", "password": sso["password"]},
        allow_redirects=False,
        timeout=10,
    )
    back = urlsplit(answer.headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post("/accounts/sign-out/")
    assert client.get(f"{back.path}?{back.query}").status_code == 403


def test_the_sign_in_page_offers_sso_only_when_configured(client, settings, sso):
    assert "Sign in with your council account" in client.get("/accounts/sign-in/").content.decode()
    settings.SENDCASE_SSO_DISCOVERY_URL = ""
    assert "council account" not in client.get("/accounts/sign-in/").content.decode()
    assert client.get("/accounts/sso/").status_code == 404
