"""Django's admin: superusers who passed the second factor only (administrators use the GOV.UK
administration screens)."""

from __future__ import annotations

import pytest
from django.test import Client

from sendcase.accounts.models import Role, User
from sendcase.accounts.testing import verified_login


@pytest.mark.parametrize(
    ("role", "superuser", "expected"),
    [
        (Role.ADMINISTRATOR, False, 302),
        (Role.CASE_OFFICER, True, 200),
        (Role.HEAD_OF_SERVICE, False, 302),
        (Role.CASE_OFFICER, False, 302),
    ],
)
def test_who_gets_into_the_admin_screens(db, role: str, superuser: bool, expected: int) -> None:
    user = User.objects.create_user(
        username="u", password="pw-long-enough", role=role, is_staff=True, is_superuser=superuser
    )
    client = verified_login(Client(), user)
    assert client.get("/admin/").status_code == expected
    if expected == 200:
        assert client.get("/admin/accounts/user/").status_code == 200
        assert client.get("/admin/core/auditentry/").status_code == 200


def test_without_the_second_factor_nobody_gets_in(db) -> None:
    user = User.objects.create_user(
        username="a",
        password="pw-long-enough",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/verify/" in response["Location"]
