"""The settings register screens: who may use them, the form's errors, saving, the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sendcase.accounts.models import User
from sendcase.accounts.testing import verified_login
from sendcase.core.codes import SettingType
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Placement, Setting

GOOD = {
    "name": "Oakfield Special School",
    "kind": Setting.Kind.MAINTAINED_SPECIAL,
    "phase": "all_through",
    "la_code": "884",
    "postcode": "hr1 2ab",
    "version": "0",  # the version the form was opened at (optimistic locking)
}


def _edit_url(setting: Setting) -> str:
    return reverse("placements:edit_setting", args=[setting.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("data_officer", "change"),
        ("admin_user", "change"),
        ("head", "read"),  # the SEN2 screens' people read it (returns/access.py)
        ("manager", "read"),
        ("officer", None),
        ("outsider", None),
        ("finance", None),
        ("superuser_officer", None),
    ],
)
def test_who_may_use_the_register(
    client: Any, request: Any, placeholder: Setting, who: str, allowed: str | None
) -> None:
    verified_login(client, request.getfixturevalue(who))
    pages = [
        client.get(reverse("placements:settings")),
        client.get(_edit_url(placeholder)),
        client.post(_edit_url(placeholder), GOOD),
    ]
    if allowed == "change":
        assert [r.status_code for r in pages] == [200, 200, 302]
    elif allowed == "read":
        assert [r.status_code for r in pages] == [200, 404, 404]
        assert _edit_url(placeholder) not in pages[0].content.decode()
        placeholder.refresh_from_db()
        assert placeholder.placeholder
    else:
        assert [r.status_code for r in pages] == [404, 404, 404]
        placeholder.refresh_from_db()
        assert placeholder.placeholder and placeholder.name.startswith("Setting with URN")
        assert not AuditEntry.objects.filter(object_type="placements.setting").exists()


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client: Any, placeholder: Setting) -> None:
    for url in (reverse("placements:settings"), _edit_url(placeholder)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_a_setting_that_does_not_exist_is_404(client: Any, data_officer: User) -> None:
    verified_login(client, data_officer)
    assert client.get(reverse("placements:edit_setting", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_list_puts_placeholders_first_and_is_audited(
    client: Any, data_officer: User, placeholder: Setting
) -> None:
    known = Setting.objects.create(
        name="Abbey Primary", urn="100001", kind=Setting.Kind.ACADEMY, phase="primary"
    )
    verified_login(client, data_officer)
    page = client.get(reverse("placements:settings")).content.decode()
    assert page.index(placeholder.name) < page.index("Abbey Primary")
    assert _edit_url(placeholder) in page and _edit_url(known) in page
    assert "1 setting added by a SEN2 import needs completing" in page
    entry = AuditEntry.objects.get(action="view", summary__startswith="Settings register")
    assert entry.actor == data_officer
    assert entry.payload == {"page": 1, "settings": [placeholder.pk, known.pk]}


@pytest.mark.django_db
def test_the_list_is_paginated(client: Any, data_officer: User) -> None:
    Setting.objects.bulk_create(
        Setting(name=f"School {i:03}", kind=Setting.Kind.ACADEMY, phase="primary")
        for i in range(60)
    )
    verified_login(client, data_officer)
    first = client.get(reverse("placements:settings")).content.decode()
    assert "School 049" in first and "School 050" not in first and "Page 1 of 2" in first
    second = client.get(reverse("placements:settings"), {"page": "2"}).content.decode()
    assert "School 050" in second and "School 059" in second and "School 000" not in second


LIST_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 3])
def test_list_queries_do_not_grow_with_rows(
    client: Any,
    data_officer: User,
    make_placeholder: Any,
    place: Any,
    django_assert_num_queries: Any,
    n: int,
) -> None:
    for i in range(n):
        place(make_placeholder(f"20000{i}"))
    verified_login(client, data_officer)
    client.get(reverse("placements:settings"))  # warm the session
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("placements:settings"))
    assert response.content.decode().count("To complete</strong>") == n


@pytest.mark.django_db
def test_a_placeholder_starts_with_a_blank_name_type_and_phase(
    client: Any, data_officer: User, placeholder: Setting
) -> None:
    verified_login(client, data_officer)
    page = client.get(_edit_url(placeholder)).content.decode()
    assert "Complete the setting" in page and "URN 123456" in page
    assert 'name="name"' in page and 'value="Setting with URN' not in page
    assert " checked" not in page  # no type or phase chosen for the officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {},
            [
                "Enter the name of the setting",
                "Select the type of setting",
                "Select the phase of education",
            ],
        ),
        ({**GOOD, "name": "   "}, ["Enter the name of the setting"]),
        ({**GOOD, "kind": "castle"}, ["Select the type of setting"]),
        ({**GOOD, "la_code": "88A"}, ["Council code must be 3 numbers"]),
        ({**GOOD, "la_code": "88"}, ["Council code must be 3 numbers"]),
        ({**GOOD, "postcode": "not a postcode"}, ["Enter a real postcode"]),
        ({**GOOD, "la_code": "000"}, ["Council code must be an English council"]),
        ({**GOOD, "la_code": "998"}, ["Council code must be an English council"]),
        (
            {**GOOD, "kind": Setting.Kind.EARLY_YEARS, "phase": "secondary"},
            ["An early-years provider&#x27;s phase must be early years"],
        ),
        (
            {**GOOD, "kind": Setting.Kind.FE_COLLEGE, "phase": "primary"},
            ["A college or post-16 institution&#x27;s phase must be post-16"],
        ),
    ],
)
def test_a_bad_form_gives_govuk_errors_and_changes_nothing(
    client: Any,
    data_officer: User,
    placeholder: Setting,
    place: Any,
    data: dict[str, str],
    errors: list[str],
) -> None:
    placement = place(placeholder)
    verified_login(client, data_officer)
    response = client.post(_edit_url(placeholder), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "<title>Error: " in page
    for message in errors:
        assert page.count(message) == 2, message  # in the summary and by the field
    placeholder.refresh_from_db()
    assert placeholder.placeholder and placeholder.name.startswith("Setting with URN")
    placement.refresh_from_db()
    assert placement.setting_type == SettingType.OTHER
    # (the placements recorded when the case was built are audited too: nothing by this form)
    assert not AuditEntry.objects.filter(
        object_type__startswith="placements.", actor=data_officer
    ).exists()


@pytest.mark.django_db
def test_radio_errors_link_to_the_first_radio(
    client: Any, data_officer: User, placeholder: Setting
) -> None:
    verified_login(client, data_officer)
    page = client.post(_edit_url(placeholder), {**GOOD, "kind": ""}).content.decode()
    assert 'href="#id_kind_0"' in page and 'id="id_kind_0"' in page


@pytest.mark.django_db
def test_saving_completes_the_setting_and_retypes_its_placements(
    client: Any, data_officer: User, placeholder: Setting, make_placeholder: Any, place: Any
) -> None:
    plain = place(placeholder)
    resourced = place(placeholder, resourced=True)
    unit = place(placeholder, unit=True)
    other = make_placeholder("654321")
    elsewhere = place(other)
    verified_login(client, data_officer)
    response = client.post(_edit_url(placeholder), GOOD, follow=True)
    assert response.redirect_chain[-1][0] == reverse("placements:settings")
    page = response.content.decode()
    assert "Oakfield Special School saved: the setting type of 1 placement updated" in page

    placeholder.refresh_from_db()
    assert not placeholder.placeholder
    assert placeholder.name == "Oakfield Special School"
    assert placeholder.kind == Setting.Kind.MAINTAINED_SPECIAL
    assert placeholder.phase == "all_through"
    assert (placeholder.la_code, placeholder.postcode) == ("884", "HR1 2AB")
    assert placeholder.urn == "123456"  # identifiers are not edited
    types = dict(Placement.objects.values_list("pk", "setting_type"))
    assert types[plain.pk] == SettingType.MAINTAINED_SPECIAL
    assert types[resourced.pk] == SettingType.RESOURCED
    assert types[unit.pk] == SettingType.RESOURCED
    assert types[elsewhere.pk] == SettingType.OTHER  # another setting is left alone
    other.refresh_from_db()
    assert other.placeholder


@pytest.mark.django_db
def test_a_save_is_audited_for_the_setting_and_each_childs_case(
    client: Any, data_officer: User, placeholder: Setting, place: Any
) -> None:
    plain = place(placeholder)
    resourced = place(placeholder, resourced=True)  # already "resourced": not changed
    verified_login(client, data_officer)
    client.post(_edit_url(placeholder), {**GOOD, "has_sen_unit": "on"})

    entry = AuditEntry.objects.get(action="update", object_type="placements.setting")
    assert entry.actor == data_officer and entry.object_id == str(placeholder.pk)
    assert entry.summary == "Setting completed: Oakfield Special School"
    assert entry.payload["was_placeholder"] is True
    assert entry.payload["placements_retyped"] == [plain.pk]
    changed = entry.payload["changed"]
    assert changed["name"] == ["Setting with URN 123456 (not in the register)", GOOD["name"]]
    assert changed["kind"] == ["maintained_mainstream", "maintained_special"]
    assert changed["has_sen_unit"] == [False, True]
    assert "phase" not in changed  # all-through before and after

    per_case = AuditEntry.objects.get(action="update", object_type="placements.placement")
    assert per_case.case_id == plain.plan.case_id and per_case.actor == data_officer
    assert per_case.payload == {
        "setting": placeholder.pk,
        "placements": [[plain.pk, "other", "maintained_special"]],
    }
    assert not AuditEntry.objects.filter(
        case_id=resourced.plan.case_id, object_type="placements.placement", action="update"
    ).exists()

    placeholder.refresh_from_db()
    assert placeholder.has_sen_unit and not placeholder.has_resourced_provision


@pytest.mark.django_db
def test_changing_a_complete_setting_retypes_its_placements_again(
    client: Any, admin_user: User, place: Any
) -> None:
    setting = Setting.objects.create(
        name="Riverside College",
        ukprn="10001234",
        kind=Setting.Kind.SIXTH_FORM,
        phase="post_16",
    )
    placement = place(setting)
    Placement.objects.filter(pk=placement.pk).update(setting_type=SettingType.FURTHER_EDUCATION)
    verified_login(client, admin_user)
    page = client.get(_edit_url(setting)).content.decode()
    assert "Change Riverside College" in page and 'value="Riverside College"' in page
    client.post(
        _edit_url(setting),
        {
            "name": "Riverside Academy",
            "kind": Setting.Kind.ACADEMY,
            "phase": "secondary",
            "version": 0,
        },
    )
    placement.refresh_from_db()
    assert placement.setting_type == SettingType.MAINSTREAM
    entry = AuditEntry.objects.get(action="update", object_type="placements.setting")
    assert entry.summary == "Setting changed: Riverside Academy"
    assert entry.payload["was_placeholder"] is False


@pytest.mark.django_db
def test_records_to_fix_links_each_placeholder_to_its_edit_page(
    client: Any, data_officer: User, placeholder: Setting
) -> None:
    verified_login(client, data_officer)
    page = client.get(reverse("returns:quality")).content.decode()
    assert f'href="{_edit_url(placeholder)}">{placeholder.name}</a>' in page


@pytest.mark.django_db
def test_the_header_links_the_register_for_those_who_may_use_it(
    client: Any, data_officer: User, officer: User
) -> None:
    verified_login(client, data_officer)
    page = client.get(reverse("returns:index")).content.decode()
    assert f'href="{reverse("placements:settings")}"' in page
    verified_login(client, officer)
    page = client.get(reverse("casework:queue")).content.decode()
    assert f'href="{reverse("placements:settings")}"' not in page


@pytest.mark.django_db
def test_a_concurrent_save_is_refused_with_the_other_change_then_goes_through(
    client: Any, data_officer: User, admin_user: User, placeholder: Setting
) -> None:
    """Two people open the setting; the second save is refused, showing what the first saved and
    keeping what the second typed; saving again from that page goes through."""
    other = verified_login(type(client)(), admin_user)
    verified_login(client, data_officer)
    for person in (client, other):
        assert 'name="version" value="0"' in person.get(_edit_url(placeholder)).content.decode()
    assert client.post(_edit_url(placeholder), GOOD).status_code == 302

    theirs = {**GOOD, "name": "Oakfield School", "postcode": "HR4 9ZZ"}
    refused = other.post(_edit_url(placeholder), theirs)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Someone else saved this setting while you were changing it" in page
    assert f"{data_officer} at " in page and "name: Oakfield Special School" in page
    assert 'value="Oakfield School"' in page and 'value="HR4 9ZZ"' in page  # kept
    assert 'name="version" value="1"' in page
    placeholder.refresh_from_db()
    assert (placeholder.name, placeholder.version) == ("Oakfield Special School", 1)

    assert other.post(_edit_url(placeholder), {**theirs, "version": "1"}).status_code == 302
    placeholder.refresh_from_db()
    assert (placeholder.name, placeholder.postcode, placeholder.version) == (
        "Oakfield School",
        "HR4 9ZZ",
        2,
    )
