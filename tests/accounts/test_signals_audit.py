"""Changes to roles, teams, passwords and second factors are in the app's audit log,
whichever way they are made: the Django admin, a command, or code."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts import actions
from sendcase.accounts.models import Role, Team, User
from sendcase.accounts.testing import confirmed_device, verified_login
from sendcase.core.models import AuditEntry


def _form_data(response: Any) -> dict[str, Any]:
    """What the admin's change form would post back unchanged."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = form[name].field.widget
        if hasattr(widget, "widgets"):
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            for i, part in enumerate(parts):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def _entries(user: User) -> list[AuditEntry]:
    """Entries about `user` after their account was created."""
    return list(
        AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .exclude(summary=f"Created the account {user.username}")
        .order_by("id")
    )


def test_creating_an_account_is_audited(db):
    user = User.objects.create_user(username="new.person", role=Role.DATA_OFFICER)
    entry = AuditEntry.objects.get(object_id=str(user.pk))
    assert entry.action == "create" and entry.summary == "Created the account new.person"
    assert entry.payload == {"via": "command line or shell", "role": "data_officer", "team": None}


def test_role_and_team_changes_in_the_admin_are_audited(staff_admin, officer, other_team):
    client = verified_login(Client(), staff_admin)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    data = _form_data(client.get(url))
    data.update(role=Role.TEAM_MANAGER, team=other_team.pk, is_staff="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.role == Role.TEAM_MANAGER and officer.team == other_team
    [entry] = [e for e in _entries(officer) if e.action == "update"]
    assert entry.actor == staff_admin
    assert entry.payload["changes"] == {
        "role": [Role.CASE_OFFICER, Role.TEAM_MANAGER],
        "team": ["North team", "South team"],
        "staff status": [False, True],
    }
    assert entry.payload["via"] == url
    assert "role from case_officer to team_manager" in entry.summary


def test_saving_with_no_change_and_signing_in_write_no_account_change(staff_admin, officer):
    client = verified_login(Client(), staff_admin)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    client.post(url, _form_data(client.get(url)))
    Client().post(
        reverse("accounts:login"), {"username": "officer", "password": "correct horse battery"}
    )
    assert [e.action for e in _entries(officer)] == ["sign_in"]


def test_changes_made_in_code_or_a_shell_are_audited_with_no_actor(officer, team):
    officer.role = Role.HEAD_OF_SERVICE
    officer.team = None
    officer.save()
    officer.set_password("another long passphrase")
    officer.save()
    summaries = [(e.actor, e.summary, e.payload["via"]) for e in _entries(officer)]
    assert summaries == [
        (
            None,
            "Changed officer: role from case_officer to head_of_service, team from North team to None",
            "command line or shell",
        ),
        (None, "Password of officer changed", "command line or shell"),
    ]


def test_teams_created_renamed_and_deleted_are_audited(db):
    team = Team.objects.create(name="East team")
    team.name = "East and Central team"
    team.save()
    team.delete()
    summaries = list(
        AuditEntry.objects.filter(summary__contains="team")
        .order_by("id")
        .values_list("action", "summary")
    )
    assert summaries == [
        ("create", "Created team East team"),
        ("update", "Changed team East and Central team"),
        ("delete", "Deleted team East and Central team"),
    ]


def test_second_factor_enrolment_reset_and_removal_are_audited(staff_admin, officer):
    device = confirmed_device(officer)
    actions.reset_second_factor(officer, actor=staff_admin)
    confirmed_device(officer)
    # Removal through django-otp's own admin page for devices.
    device = TOTPDevice.objects.get(user=officer)
    client = verified_login(Client(), staff_admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    said = [e.summary for e in _entries(officer)]
    assert said == [
        "Second factor set up for officer: authenticator app",
        "Second factor removed from officer: authenticator app",
        "Reset the second factor of officer: they need a new enrolment code",
        "Second factor set up for officer: authenticator app",
        "Second factor removed from officer: authenticator app",
    ]
    assert _entries(officer)[-1].actor == staff_admin
