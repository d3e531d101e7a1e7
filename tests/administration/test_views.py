"""The administration screens: administrators only, every change audited, and a change to the
council's calendar or local targets counted again into every open case's deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sendcase.accounts.models import EnrolmentCode, Role, Team, User
from sendcase.accounts.testing import verified_login
from sendcase.administration import actions
from sendcase.casework.domain.appeals import record_mediation_decision
from sendcase.casework.domain.assessment import record_decision_to_assess
from sendcase.casework.models import Deadline
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry, ExtraHoliday, LocalTargetSetting

PEOPLE = ("officer", "manager", "head", "admin_user", "data", "finance", "anonymous")
#                                    officer manager head admin data finance anonymous
EXPECTED = {
    "administration:index": (404, 404, 404, 200, 404, 404, 302),
    "administration:staff_list": (404, 404, 404, 200, 404, 404, 302),
    "administration:staff_add": (404, 404, 404, 200, 404, 404, 302),
    "administration:staff": (404, 404, 404, 200, 404, 404, 302),
    "administration:staff_code": (404, 404, 404, 405, 404, 404, 302),
    "administration:staff_reset": (404, 404, 404, 405, 404, 404, 302),
    "administration:team_list": (404, 404, 404, 200, 404, 404, 302),
    "administration:team_add": (404, 404, 404, 200, 404, 404, 302),
    "administration:team": (404, 404, 404, 200, 404, 404, 302),
    "administration:holidays": (404, 404, 404, 200, 404, 404, 302),
    "administration:holiday_remove": (404, 404, 404, 405, 404, 404, 302),
    "administration:targets": (404, 404, 404, 200, 404, 404, 302),
    "administration:target": (404, 404, 404, 200, 404, 404, 302),
}


def _names() -> list[tuple[str, list[str]]]:
    resolver = next(
        r
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and r.namespace == "administration"
    )
    out = []
    for p in resolver.url_patterns:
        assert isinstance(p, URLPattern)
        out.append((f"administration:{p.name}", list(p.pattern.regex.groupindex)))
    return out


@pytest.fixture
def people(officer, manager, head, admin_user, data_officer, finance) -> dict[str, Any]:
    return {
        "officer": officer,
        "manager": manager,
        "head": head,
        "admin_user": admin_user,
        "data": data_officer,
        "finance": finance,
    }


def test_only_administrators_get_in_and_every_url_is_in_the_table(people, team) -> None:
    holiday = ExtraHoliday.objects.create(date=dt.date(2026, 12, 24), name="Closure day")
    values = {"pk": people["officer"].pk, "key": "early_years_review"}
    walked = _names()
    assert {name for name, _ in walked} == set(EXPECTED)
    wrong = {}
    for name, args in walked:
        kwargs = {a: values[a] for a in args}
        if name in ("administration:team",):
            kwargs = {"pk": team.pk}
        if name == "administration:holiday_remove":
            kwargs = {"pk": holiday.pk}
        url = reverse(name, kwargs=kwargs)
        for i, who in enumerate(PEOPLE):
            client = Client() if who == "anonymous" else verified_login(Client(), people[who])
            got = client.get(url).status_code
            if got != EXPECTED[name][i]:
                wrong[(name, who)] = (got, EXPECTED[name][i])
    assert wrong == {}


def test_staff_are_added_with_no_password_and_the_change_is_audited(admin_user, team) -> None:
    client = verified_login(Client(), admin_user)
    url = reverse("administration:staff_add")
    data = {
        "username": "sam.jones",
        "first_name": "Sam",
        "last_name": "Jones",
        "email": "sam.jones@example.gov.uk",
        "role": Role.CASE_OFFICER,
        "team": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Select a team: case officers and team managers work in one" in refused.content.decode()
    assert not User.objects.filter(username="sam.jones").exists()
    bad = client.post(url, {**data, "username": "a b", "team": team.pk, "email": "not-an-email"})
    page = bad.content.decode()
    assert (
        "Username must be 3 to 150" in page
        and "Enter an email address in the correct format" in page
    )
    response = client.post(url, {**data, "team": team.pk})
    sam = User.objects.get(username="sam.jones")
    assert response.status_code == 302 and response["Location"] == reverse(
        "administration:staff", args=[sam.pk]
    )
    assert not sam.has_usable_password() and sam.team == team
    assert AuditEntry.objects.filter(
        action="create", object_id=str(sam.pk), actor=admin_user
    ).exists()
    again = client.post(url, {**data, "username": "SAM.JONES", "team": team.pk})
    assert (
        "There is already a member of staff with the username SAM.JONES" in again.content.decode()
    )


def test_a_role_change_is_audited_and_an_administrator_cannot_lock_themselves_out(
    admin_user, officer, other_team
) -> None:
    client = verified_login(Client(), admin_user)
    form = {
        "first_name": officer.first_name,
        "last_name": officer.last_name or "Officer",
        "email": "o@example.gov.uk",
        "job_title": "",
        "role": Role.TEAM_MANAGER,
        "team": other_team.pk,
        "is_active": "on",
    }
    assert client.post(reverse("administration:staff", args=[officer.pk]), form).status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.TEAM_MANAGER and officer.team == other_team
    entries = AuditEntry.objects.filter(
        action="update", object_id=str(officer.pk), actor=admin_user
    )
    said = " ".join(entries.values_list("summary", flat=True))
    assert "role from" in said and "team from" in said  # accounts/signals.py
    assert "email: - to o@example.gov.uk" in said or "email:" in said  # the details, here

    me = {
        "first_name": "Ad",
        "last_name": "Min",
        "email": "a@example.gov.uk",
        "job_title": "",
        "role": Role.ADMINISTRATOR,
        "team": "",
    }  # "Can sign in" unticked
    page = client.post(reverse("administration:staff", args=[admin_user.pk]), me)
    assert (
        page.status_code == 400
        and "You cannot stop your own account from signing in" in page.content.decode()
    )
    with pytest.raises(actions.AdminRefused, match="your own administrator role"):
        actions.change_staff(admin_user, actor=admin_user, role=Role.CASE_OFFICER)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.role == Role.ADMINISTRATOR


def test_an_enrolment_code_is_shown_once_and_not_cached(admin_user, officer) -> None:
    client = verified_login(Client(), admin_user)
    response = client.post(reverse("administration:staff_code", args=[officer.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert EnrolmentCode.objects.filter(user=officer).count() == 1


def test_an_extra_holiday_moves_working_day_deadlines_of_open_cases(admin_user, officer) -> None:
    today = timezone.localdate()
    case = build_case(stage="requested", officer=officer, weeks_ago=10)
    told = today - dt.timedelta(days=1)
    record_decision_to_assess(
        case, decided_on=told - dt.timedelta(days=20), outcome="not_assess", actor=officer
    )
    record_mediation_decision(
        case,
        notice_on=told - dt.timedelta(days=20),
        decided_on=told,
        wants_mediation=False,
        actor=officer,
    )
    before = Deadline.objects.get(case=case, key="mediation_certificate").due
    closed = told + dt.timedelta(days=1)
    while closed.weekday() >= 5:
        closed += dt.timedelta(days=1)
    client = verified_login(Client(), admin_user)
    response = client.post(
        reverse("administration:holidays"),
        {
            "date_day": closed.day,
            "date_month": closed.month,
            "date_year": closed.year,
            "name": "Closure day",
        },
        follow=True,
    )
    assert "Closure day added: deadlines of" in response.content.decode()
    after = Deadline.objects.get(case=case, key="mediation_certificate").due
    assert after > before  # one working day fewer in the window
    again = client.post(
        reverse("administration:holidays"),
        {
            "date_day": closed.day,
            "date_month": closed.month,
            "date_year": closed.year,
            "name": "Twice",
        },
    )
    assert again.status_code == 400 and "is already an extra holiday" in again.content.decode()
    holiday = ExtraHoliday.objects.get()
    client.post(reverse("administration:holiday_remove", args=[holiday.pk]))
    assert Deadline.objects.get(case=case, key="mediation_certificate").due == before
    summaries = list(
        AuditEntry.objects.filter(summary__startswith="Extra holiday").values_list(
            "summary", flat=True
        )
    )
    assert len(summaries) == 2 and all("counted again" in s for s in summaries)


def test_a_local_target_can_be_turned_off_and_its_length_checked(admin_user) -> None:
    client = verified_login(Client(), admin_user)
    url = reverse("administration:target", args=["setting_consultation"])
    bad = client.post(url, {"enabled": "yes", "length_days": "0"})
    assert bad.status_code == 400 and "Length must be 1 day or more" in bad.content.decode()
    assert client.post(url, {"enabled": "no", "length_days": ""}).status_code == 302
    row = LocalTargetSetting.objects.get(key="setting_consultation")
    assert row.enabled is False
    assert (
        client.get(reverse("administration:target", args=["decision_to_assess"])).status_code == 404
    )
    warn = client.post(reverse("administration:targets"), {"days": "99"})
    assert warn.status_code == 400 and "Days must be 60 or fewer" in warn.content.decode()
    client.post(reverse("administration:targets"), {"days": "21"})
    assert LocalTargetSetting.objects.get(key="warning_window").warning_days == 21
    assert AuditEntry.objects.filter(object_type="core.localtargetsetting").count() == 2


def test_teams_are_added_and_renamed_without_clashes(admin_user, team) -> None:
    client = verified_login(Client(), admin_user)
    clash = client.post(reverse("administration:team_add"), {"name": team.name.upper(), "area": ""})
    assert clash.status_code == 400 and "There is already a team called" in clash.content.decode()
    client.post(reverse("administration:team_add"), {"name": "Post-16 team", "area": "Post-16"})
    new = Team.objects.get(name="Post-16 team")
    client.post(
        reverse("administration:team", args=[new.pk]),
        {"name": "Preparing for adulthood", "area": "16 to 25"},
    )
    new.refresh_from_db()
    assert new.name == "Preparing for adulthood"
    assert AuditEntry.objects.filter(object_type="accounts.team", actor=admin_user).count() == 2


def test_the_start_page_links_every_everyday_job_and_each_lets_an_administrator_in(
    admin_user,
) -> None:
    client = verified_login(Client(), admin_user)
    page = client.get(reverse("administration:index")).content.decode()
    jobs = {
        "administration:staff_list": "Staff",
        "administration:team_list": "Teams",
        "administration:holidays": "Extra holidays",
        "administration:targets": "Local targets and warnings",
        "casework:letters": "Letter wording",
        "placements:settings": "Settings register",
    }
    for name, words in jobs.items():
        assert f'href="{reverse(name)}">{words}</a>' in page, name
        assert client.get(reverse(name)).status_code == 200, name
