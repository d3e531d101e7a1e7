from __future__ import annotations

import pytest

from sendcase.casework.models import FamilyContact
from sendcase.casework.scenarios import build_case
from sendcase.portal.models import ExternalPerson


@pytest.fixture
def one_login(settings, oidc_provider, db):
    settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL = oidc_provider["discovery"]
    settings.SENDCASE_ONE_LOGIN_CLIENT_ID = oidc_provider["portal_client_id"]
    settings.SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE = oidc_provider["portal_key_file"]
    return oidc_provider


def with_parent(case, name="Pat Parent", email="pat@example.org", relationship="Mother"):
    """The case, its child given a contact with parental responsibility and an email address."""
    FamilyContact.objects.create(
        child=case.child,
        name=name,
        relationship=relationship,
        parental_responsibility=True,
        email=email,
    )
    return case


@pytest.fixture
def family_case(officer):
    """A case in assessment, with a parent who has an email address."""
    return with_parent(build_case(stage="assessing", officer=officer, weeks_ago=3))


@pytest.fixture
def requested_case(officer):
    """A request waiting for the decision whether to assess, with a parent who has an email."""
    return with_parent(build_case(stage="requested", officer=officer, weeks_ago=2))


@pytest.fixture
def other_case(officer):
    return build_case(stage="requested", officer=officer, weeks_ago=1)


@pytest.fixture
def person(db):
    return ExternalPerson.objects.create(issuer="https://one-login.test", subject="s1", name="Pat")


@pytest.fixture
def client_for_staff(db):
    from django.test import Client

    from sendcase.accounts.testing import verified_login

    return lambda user: verified_login(Client(), user)
