"""Recording a placement: the setting found in the register by name, URN or postcode and chosen,
with no JavaScript, instead of typing its URN."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.scenarios import build_case
from sendcase.placements.models import Setting
from sendcase.placements.queries import search_settings


def _setting(name: str, urn: str, postcode: str = "", ukprn: str = "") -> Setting:
    return Setting.objects.create(
        name=name,
        urn=urn,
        ukprn=ukprn,
        postcode=postcode,
        kind=Setting.Kind.MAINTAINED_SPECIAL,
        phase="all_through",
    )


@pytest.fixture
def register(db):
    return {
        "oak": _setting("Oakfield Special School", "100001", "HR1 2AB"),
        "oak_primary": _setting("Oak Tree Primary", "100002", "HR4 9ZZ"),
        "elm": _setting("Elm Academy", "200001", "WR1 1AA"),
        "college": _setting("Hereford College", "", "HR1 1LT", ukprn="10001234"),
        "no_id": _setting("Oak Nursery", "", "HR2 7QQ"),
    }


def _url(case) -> str:
    return reverse("casework:step", args=[case.pk, "placement"])


def _found(html: str) -> list[str]:
    table = html.split('id="setting-results"', 1)
    if len(table) == 1:
        return []
    body = table[1].split("</table>", 1)[0]
    return re.findall(r'<td class="govuk-table__cell">([^<]+)<br>', body)


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("oak", ["oak", "no_id", "oak_primary"]),
        ("oak special", ["oak"]),
        ("  OAKFIELD  ", ["oak"]),
        ("1000", ["oak", "oak_primary", "college"]),  # URNs and a UKPRN starting so
        ("200001", ["elm"]),
        ("10001234", ["college"]),
        ("hr1 2ab", ["oak"]),
        ("HR12AB", ["oak"]),
        ("willow", []),
        ("", []),
    ],
)
def test_search_the_register(register, typed, expect):
    assert [s.name for s in search_settings(typed)] == [
        s.name for s in sorted((register[k] for k in expect), key=lambda s: s.name)
    ]


def test_find_by_name_choose_and_record_without_javascript(client_for, officer, register, dates):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    client = client_for(officer)
    html = client.get(_url(case) + "?q=oakfield").content.decode()
    assert _found(html) == ["Oakfield Special School"]
    choose = "?q=oakfield&amp;setting=100001#id_setting"
    assert choose in html
    html = client.get(_url(case) + "?q=oakfield&setting=100001").content.decode()
    assert "Chosen: <strong>Oakfield Special School</strong>" in html
    assert re.search(r'name="setting"[^>]*value="100001"', html)
    version = case.version
    response = client.post(
        _url(case) + "?q=oakfield&setting=100001",
        {
            "version": version,
            "setting": "100001",
            "rank": 1,
            **dates(entry_date=timezone.localdate()),
        },
    )
    assert response.status_code == 302
    placement = case.plan.placements.get(leaving_date=None)  # the one recorded here
    assert placement.setting == register["oak"]


def test_a_setting_with_only_a_ukprn_is_chosen_by_it(client_for, officer, register):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    html = client_for(officer).get(_url(case) + "?q=college&setting=10001234").content.decode()
    assert "Chosen: <strong>Hereford College</strong>" in html and "Its UKPRN" in html
    assert re.search(r'name="setting"[^>]*value="10001234"', html)


def test_a_setting_with_no_identifier_cannot_be_chosen(client_for, officer, register):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    html = client_for(officer).get(_url(case) + "?q=nursery").content.decode()
    assert _found(html) == ["Oak Nursery"]
    assert "No URN or UKPRN: choose a setting code" in html
    assert "setting=&" not in html


def test_nothing_found_says_so_and_odd_input_is_harmless(client_for, officer, register):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    client = client_for(officer)
    html = client.get(_url(case) + "?q=willow").content.decode()
    assert "No setting in the register matches “willow”" in html
    response = client.get(_url(case) + "?q=%3Cscript%3E&setting=" + "9" * 50)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split('id="setting-finder"', 1)[1]


def test_other_steps_offer_no_search(client_for, officer, register):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    url = reverse("casework:step", args=[case.pk, "review-meeting"])
    assert 'id="setting-finder"' not in client_for(officer).get(url + "?q=oak").content.decode()


def test_people_who_may_not_record_get_no_search(client_for, head, outsider, officer, register):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    for who in (head, outsider):
        assert client_for(who).get(_url(case) + "?q=oak").status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_search_queries_do_not_grow_with_results(client_for, officer, django_assert_num_queries, n):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    for i in range(n):
        _setting(f"Willow School {i}", f"30000{i}")
    client = client_for(officer)
    url = _url(case) + "?q=willow&setting=300000"
    client.get(url)
    with django_assert_num_queries(FINDER_QUERIES):
        html = client.get(url).content.decode()
    assert len(_found(html)) == n


# The placement page's own queries, plus the matching settings and the chosen one.
FINDER_QUERIES = 17  # 15 without a search (the page audits that the form was opened; the
# step availability reads the case's ceasings; the form reads the banding matrix's bands)


def test_naming_the_new_setting_for_a_phase_transfer_offers_the_search_too(
    client_for, officer, register
):
    import datetime as dt

    from sendcase.casework.domain.phase_and_cease import record_phase_transfer

    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    today = timezone.localdate()
    record_phase_transfer(
        case, transfer_date=dt.date(today.year + 1, 9, 1), kind="school", actor=officer
    )
    url = reverse("casework:step", args=[case.pk, "phase-transfer-named"])
    html = client_for(officer).get(url + "?q=elm&setting=200001").content.decode()
    assert _found(html) == ["Elm Academy"]
    assert re.search(r'name="setting"[^>]*value="200001"', html)
