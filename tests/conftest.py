"""Test people for every role, including outsiders who must be refused."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from sendcase.accounts.models import Role, Team, User
from sendcase.casework.models import Child

# Property tests: no per-example time limit (CI shares 2 cores); on CI the examples are
# derived from the test itself, so a run is repeatable. Locally they are random each run.
hypothesis_settings.register_profile("sendcase", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "sendcase")


def _user(username: str, role: str, team: Team | None) -> User:
    return User.objects.create_user(
        username=username,
        password="correct horse battery",
        role=role,
        team=team,
        first_name=username.title(),
        last_name="Tester",
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, with PostgreSQL's autovacuum off for its tables.

    A test's rows are never committed, so autovacuum, woken by the rows an earlier transactional
    test committed and flushed, counts none of them: it stores 0 rows over a table's pages, the
    planner then expects every table to be empty, and a test holding a few thousand rows runs
    nested loops of sequential scans (measured: one whole-council replay went from 57 s alone to
    over 15 minutes after the casework tests). No test needs the statistics autovacuum keeps."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT quote_ident(relname) FROM pg_class"
                " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="North team")


@pytest.fixture
def other_team(db: None) -> Team:
    return Team.objects.create(name="South team")


@pytest.fixture
def officer(team: Team) -> User:
    return _user("officer", Role.CASE_OFFICER, team)


@pytest.fixture
def teammate(team: Team) -> User:
    return _user("teammate", Role.CASE_OFFICER, team)


@pytest.fixture
def manager(team: Team) -> User:
    return _user("manager", Role.TEAM_MANAGER, team)


@pytest.fixture
def head(db: None) -> User:
    return _user("head", Role.HEAD_OF_SERVICE, None)


@pytest.fixture
def admin_user(db: None) -> User:
    return _user("admin", Role.ADMINISTRATOR, None)


@pytest.fixture
def outsider(other_team: Team) -> User:
    """A case officer in another team: must not see this team's cases."""
    return _user("outsider", Role.CASE_OFFICER, other_team)


@pytest.fixture
def child(db: None) -> Child:
    return Child.objects.create(
        forename="Alex",
        surname="Example",
        date_of_birth=dt.date(2015, 3, 14),
        sex="M",
        postcode="HR1 1AA",
    )


@pytest.fixture
def twin(child: Child) -> Child:
    """Another child with the same name and date of birth: for running one child's process twice
    (a child has one EHC plan at a time, so the second run needs a child of its own)."""
    return Child.objects.create(
        forename=child.forename, surname=child.surname, date_of_birth=child.date_of_birth
    )


@pytest.fixture
def data_officer(db: None) -> User:
    return _user("data", Role.DATA_OFFICER, None)


@pytest.fixture
def finance(db: None) -> User:
    return _user("finance", Role.FINANCE_OFFICER, None)


# --- The OpenID Connect provider on loopback (sendcase oidc-provider) --------------------------

SSO_PASSWORD = "provider password 1"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real test provider, as its own process on a free loopback port, with a directory of
    staff (groups, one disabled, one without a second factor) and people outside the council.
    Yields its details: issuer, discovery URL, the staff client's secret and the portal client's
    private key file."""
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from sendcase.oidc_provider.directory import make_client_key

    folder = tmp_path_factory.mktemp("oidc")
    pem, jwks = make_client_key()
    key_file = folder / "portal-client-key.pem"
    key_file.write_text(pem)
    secret = "staff-client-secret-for-tests"
    redirect = ["http://testserver", "http://127.0.0.1", "http://localhost"]
    people = [
        # username, groups, flags
        ("officer.sso", ["sendcase-case-officers", "sendcase-team-north"], {"mfa": True}),
        ("manager.sso", ["sendcase-team-managers", "sendcase-team-north"], {"mfa": True}),
        ("disabled.sso", ["sendcase-case-officers"], {"mfa": True, "disabled": True}),
        ("nomfa.sso", ["sendcase-case-officers"], {}),
        ("stranger.sso", [], {"mfa": True}),
        ("parent", [], {}),
        ("young.person", [], {}),
        ("senco", [], {}),
        ("psychologist", [], {}),
    ]
    directory = {
        "clients": [
            {
                "client_id": "sendcase-staff",
                "client_secret": secret,
                "token_endpoint_auth_method": "client_secret_post",
                "redirect_uris": [f"{r}/accounts/sso/callback/" for r in redirect],
                "post_logout_redirect_uris": [f"{r}/accounts/sign-in/" for r in redirect],
            },
            {
                "client_id": "sendcase-portal",
                "jwks": jwks,
                "token_endpoint_auth_method": "private_key_jwt",
                "redirect_uris": [f"{r}/portal/signed-in/" for r in redirect],
                "post_logout_redirect_uris": [f"{r}/portal/signed-out/" for r in redirect],
            },
        ],
        "people": [
            {
                "sub": f"sub-{username}",
                "username": username,
                "password": SSO_PASSWORD,
                "name": username.replace(".", " ").title(),
                "email": f"{username}@example.org",
                "groups": groups,
                **flags,
            }
            for username, groups, flags in people
        ],
    }
    path = folder / "directory.json"
    path.write_text(json.dumps(directory))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "sendcase.cli",
            "oidc-provider",
            "--port",
            str(port),
            "--directory",
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}"
    discovery = f"{issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(discovery, timeout=2):  # noqa: S310 - loopback
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                out, err = process.communicate()
                pytest.fail(f"the OIDC provider did not start: {err.decode()}")
            time.sleep(0.1)
    try:
        yield {
            "issuer": issuer,
            "discovery": discovery,
            "staff_client_id": "sendcase-staff",
            "staff_secret": secret,
            "portal_client_id": "sendcase-portal",
            "portal_key_file": str(key_file),
            "portal_jwks": jwks,
            "password": SSO_PASSWORD,
        }
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.fixture
def oidc_browser():
    """A function that plays the browser between SENDcase and the provider (below)."""
    return _oidc_browser


def _oidc_browser(client, provider, start, username, password=None):
    """Play the browser between SENDcase (the Django test client) and the provider (over HTTP):
    GET `start` on SENDcase, sign in on the provider's page, and follow its answer back."""
    from urllib.parse import parse_qsl, urlsplit

    import requests

    first = client.get(start)
    assert first.status_code == 302, first
    authorize = first["Location"]
    assert authorize.startswith(provider["issuer"] + "/authorize?")
    query = dict(parse_qsl(urlsplit(authorize).query))
    assert {"state", "nonce", "code_challenge"} <= set(query)
    assert query["code_challenge_method"] == "S256"
    assert requests.get(authorize, timeout=10).status_code == 200
    answer = requests.post(
        f"{provider['issuer']}/authorize",
        data={**query, "username": username, "password": password or provider["password"]},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")
