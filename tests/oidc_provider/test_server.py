"""The loopback OpenID Connect provider, spoken to over HTTP as a relying party would: the code
flow with state, nonce and PKCE, both kinds of client authentication, signed ID tokens checked
against the published keys, userinfo, and the refusals."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import KeySet

STAFF_CALLBACK = "http://127.0.0.1:9999/accounts/sso/callback/"
PORTAL_CALLBACK = "http://127.0.0.1:9999/portal/signed-in/"


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def _authorize(
    provider, client_id, redirect_uri, username, password=None, browser=requests, **extra
):
    """Ask for a code as the browser would: the sign-in page, then the form."""
    verifier, challenge = _pkce()
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile email",
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    page = browser.get(f"{provider['issuer']}/authorize", params=params, timeout=10)
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.text
    answer = browser.post(
        f"{provider['issuer']}/authorize",
        data={**params, "username": username, "password": password or provider["password"]},
        allow_redirects=False,
        timeout=10,
    )
    return params, verifier, answer


def _code(answer, params):
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == [params["state"]]
    return query["code"][0]


def _staff_token(provider, code, verifier):
    return requests.post(
        f"{provider['issuer']}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": STAFF_CALLBACK,
            "client_id": "sendcase-staff",
            "client_secret": provider["staff_secret"],
            "code_verifier": verifier,
        },
        timeout=10,
    ).json()


def _verify(provider, id_token, client_id):
    keys = KeySet.import_key_set(requests.get(f"{provider['issuer']}/jwks", timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    claims = token.claims
    assert claims["iss"] == provider["issuer"]
    assert client_id in claims["aud"]
    return claims


def test_discovery_names_the_endpoints_and_methods(oidc_provider):
    doc = requests.get(oidc_provider["discovery"], timeout=10).json()
    assert doc["issuer"] == oidc_provider["issuer"]
    assert set(doc["token_endpoint_auth_methods_supported"]) >= {
        "private_key_jwt",
        "client_secret_post",
    }
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert requests.get(doc[name], timeout=10).status_code != 404


def test_staff_client_with_a_secret_gets_a_signed_id_token_with_groups_and_mfa(oidc_provider):
    params, verifier, answer = _authorize(
        oidc_provider, "sendcase-staff", STAFF_CALLBACK, "officer.sso"
    )
    code = _code(answer, params)
    token = _staff_token(oidc_provider, code, verifier)
    claims = _verify(oidc_provider, token["id_token"], "sendcase-staff")
    assert claims["nonce"] == params["nonce"]
    assert claims["sub"] == "sub-officer.sso"
    assert "mfa" in claims["amr"]
    assert claims["groups"] == ["sendcase-case-officers", "sendcase-team-north"]
    info = requests.get(
        f"{oidc_provider['issuer']}/userinfo",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=10,
    ).json()
    assert info["email"] == "officer.sso@example.org"
    # A code works once.
    assert _staff_token(oidc_provider, code, verifier)["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "change, error",
    [
        ({"client_secret": "wrong"}, "invalid_client"),
        ({"code_verifier": "x" * 50}, "invalid_grant"),
        ({"redirect_uri": "http://127.0.0.1:9999/elsewhere/"}, "invalid_grant"),
    ],
    ids=["wrong secret", "wrong PKCE verifier", "other redirect"],
)
def test_the_token_endpoint_refuses(oidc_provider, change, error):
    params, verifier, answer = _authorize(
        oidc_provider, "sendcase-staff", STAFF_CALLBACK, "officer.sso"
    )
    data = {
        "grant_type": "authorization_code",
        "code": _code(answer, params),
        "redirect_uri": STAFF_CALLBACK,
        "client_id": "sendcase-staff",
        "client_secret": oidc_provider["staff_secret"],
        "code_verifier": verifier,
        **change,
    }
    reply = requests.post(f"{oidc_provider['issuer']}/token", data=data, timeout=10)
    assert reply.status_code in (400, 401)
    assert reply.json()["error"] == error


def test_portal_client_authenticates_with_private_key_jwt_and_gets_vot(oidc_provider):
    params, verifier, answer = _authorize(
        oidc_provider,
        "sendcase-portal",
        PORTAL_CALLBACK,
        "parent",
        vtr='["Cl.Cm"]',
        ui_locales="en",
    )
    code = _code(answer, params)
    with open(oidc_provider["portal_key_file"]) as f:
        key = f.read()
    session = OAuth2Session(
        "sendcase-portal",
        key,
        token_endpoint_auth_method="private_key_jwt",
        redirect_uri=PORTAL_CALLBACK,
    )
    session.register_client_auth_method(PrivateKeyJWT())
    token = session.fetch_token(
        f"{oidc_provider['issuer']}/token", code=code, code_verifier=verifier
    )
    claims = _verify(oidc_provider, token["id_token"], "sendcase-portal")
    assert claims["vot"] == "Cl.Cm"
    assert claims["sub"] == "sub-parent"
    # Without the client's key (a secret instead), the portal client is refused.
    params, verifier, answer = _authorize(
        oidc_provider, "sendcase-portal", PORTAL_CALLBACK, "parent"
    )
    reply = requests.post(
        f"{oidc_provider['issuer']}/token",
        data={
            "grant_type": "authorization_code",
            "code": _code(answer, params),
            "redirect_uri": PORTAL_CALLBACK,
            "client_id": "sendcase-portal",
            "client_secret": "guess",
            "code_verifier": verifier,
        },
        timeout=10,
    )
    assert reply.json()["error"] == "invalid_client"


def test_a_disabled_account_is_refused_back_to_the_service(oidc_provider):
    params, _, answer = _authorize(oidc_provider, "sendcase-staff", STAFF_CALLBACK, "disabled.sso")
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == [params["state"]]
    assert "code" not in query


def test_wrong_password_stays_on_the_sign_in_page(oidc_provider):
    _, _, answer = _authorize(
        oidc_provider, "sendcase-staff", STAFF_CALLBACK, "officer.sso", password="nope"
    )
    assert answer.status_code == 401
    assert "The username or password is wrong." in answer.text


@pytest.mark.parametrize(
    "change",
    [
        {"redirect_uri": "https://attacker.example/cb"},
        {"client_id": "unknown"},
    ],
    ids=["unregistered redirect", "unknown client"],
)
def test_a_bad_authorization_request_is_not_redirected(oidc_provider, change):
    params = {
        "response_type": "code",
        "client_id": "sendcase-staff",
        "redirect_uri": STAFF_CALLBACK,
        "scope": "openid",
        "state": "s",
        "nonce": "n",
        "code_challenge": "c" * 43,
        "code_challenge_method": "S256",
        **change,
    }
    reply = requests.get(
        f"{oidc_provider['issuer']}/authorize", params=params, allow_redirects=False, timeout=10
    )
    assert reply.status_code == 400


def test_nonce_and_pkce_are_required(oidc_provider):
    base = {
        "response_type": "code",
        "client_id": "sendcase-staff",
        "redirect_uri": STAFF_CALLBACK,
        "scope": "openid",
        "state": "s",
    }
    for params in (
        {**base, "code_challenge": "c" * 43, "code_challenge_method": "S256"},  # no nonce
        {**base, "nonce": "n"},  # no PKCE
    ):
        reply = requests.get(
            f"{oidc_provider['issuer']}/authorize", params=params, allow_redirects=False, timeout=10
        )
        assert reply.status_code == 302
        assert parse_qs(urlsplit(reply.headers["Location"]).query)["error"] == ["invalid_request"]


def test_the_directory_is_checked_at_start(tmp_path):
    from sendcase.oidc_provider.directory import DirectoryError, load

    path = tmp_path / "d.json"
    path.write_text(json.dumps({"clients": [{"client_id": "x", "redirect_uris": ["http://a/"]}]}))
    with pytest.raises(DirectoryError, match="needs a client_secret"):
        load(path)


def test_the_provider_keeps_a_session_until_the_service_signs_out_there(oidc_provider):
    """Like Entra ID: signed in once, a browser is not asked again, until RP-initiated logout
    (with the ID token as the hint) ends the provider's session and returns to the service."""
    browser = requests.Session()
    params, verifier, answer = _authorize(
        oidc_provider, "sendcase-staff", STAFF_CALLBACK, "officer.sso", browser=browser
    )
    token = _staff_token(oidc_provider, _code(answer, params), verifier)
    authorize = f"{oidc_provider['issuer']}/authorize"
    again = browser.get(authorize, params={**params, "nonce": "n2"}, allow_redirects=False)
    assert token["id_token"]
    assert again.status_code == 302 and "code=" in again.headers["Location"]
    asked = browser.get(authorize, params={**params, "nonce": "n3", "prompt": "login"})
    assert 'autocomplete="current-password"' in asked.text

    back = "http://127.0.0.1:9999/accounts/sign-in/"
    logout = browser.get(
        f"{oidc_provider['issuer']}/logout",
        params={
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": back,
            "state": "bye",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert logout.status_code == 302 and logout.headers["Location"] == back + "?state=bye"
    after = browser.get(authorize, params={**params, "nonce": "n4"}, allow_redirects=False)
    assert after.status_code == 200 and 'autocomplete="current-password"' in after.text


def test_a_logout_goes_back_only_to_an_address_the_client_registered(oidc_provider):
    forged = requests.get(
        f"{oidc_provider['issuer']}/logout",
        params={"id_token_hint": "not-a-token", "post_logout_redirect_uri": "http://127.0.0.1/"},
        allow_redirects=False,
        timeout=10,
    )
    assert forged.status_code == 400
    elsewhere = requests.get(
        f"{oidc_provider['issuer']}/logout",
        params={
            "client_id": oidc_provider["staff_client_id"],
            "post_logout_redirect_uri": "https://evil.example/accounts/sign-in/",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert elsewhere.status_code == 200 and "You have signed out" in elsewhere.text
