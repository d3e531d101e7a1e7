"""The finance screens: who gets in, the totals reconciling, the drill-down, the forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sendcase.accounts.testing import verified_login
from sendcase.core.models import AuditEntry
from sendcase.finance.costing import annual_cost_on
from sendcase.finance.models import CostLine
from sendcase.finance.queries import as_lines
from sendcase.finance.summary import committed
from sendcase.plans.models import Plan

pytestmark = pytest.mark.django_db

PEOPLE = ("officer", "manager", "head", "admin_user", "data_officer", "finance", "anonymous")
# Expected GET status for each finance URL, in the order of PEOPLE.
#                          officer manager head admin data finance anonymous
EXPECTED = {
    "finance:overview": (404, 404, 200, 404, 404, 200, 302),
    "finance:placements": (404, 404, 200, 404, 404, 200, 302),
    "finance:uncosted": (404, 404, 200, 404, 404, 200, 302),
    "finance:history": (404, 404, 200, 404, 404, 200, 302),
    "finance:bands": (404, 404, 200, 404, 404, 200, 302),
    "finance:band_rate": (404, 404, 404, 404, 404, 200, 302),
    "finance:plan_costs": (404, 404, 200, 404, 404, 200, 302),
    "finance:budget": (404, 404, 200, 404, 404, 200, 302),
    "finance:budget_export": (404, 404, 200, 404, 404, 200, 302),
    "finance:demand": (404, 404, 200, 404, 404, 200, 302),
    "finance:workforce": (404, 404, 200, 404, 404, 200, 302),
}


def _client(request: Any, who: str) -> Client:
    if who == "anonymous":
        return Client()
    return verified_login(Client(), request.getfixturevalue(who))


def _finance_urls(costed: dict[str, Any], this_year: int) -> dict[str, str]:
    resolver = next(
        r
        for r in get_resolver().url_patterns
        if isinstance(r, URLResolver) and r.namespace == "finance"
    )
    values = {"pk": costed["placements"][0].plan.pk, "year": this_year}
    out = {}
    for p in resolver.url_patterns:
        assert isinstance(p, URLPattern)
        name = f"finance:{p.name}"
        if name == "finance:band_rate":
            values["pk"] = costed["lines"][0].band_id
        url = reverse(name, kwargs={a: values[a] for a in p.pattern.regex.groupindex})
        values["pk"] = costed["placements"][0].plan.pk
        out[name] = url + ("?by=area&value=In+the+council%27s+area" if "placements" in name else "")
    return out


def test_who_gets_in(request: Any, costed: dict[str, Any], this_year: int) -> None:
    urls = _finance_urls(costed, this_year)
    assert set(urls) == set(EXPECTED)  # every finance URL is in the table
    seen = {
        name: tuple(_client(request, who).get(url).status_code for who in PEOPLE)
        for name, url in urls.items()
    }
    assert seen == EXPECTED


def test_a_finance_officer_lands_on_the_finance_view(client: Client, finance: Any) -> None:
    verified_login(client, finance)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("finance:overview")


def test_the_total_equals_the_sum_of_placements(
    client: Client, head: Any, costed: dict[str, Any]
) -> None:
    today = timezone.localdate()
    by_placement = Decimal(0)
    for placement in costed["placements"]:
        lines = as_lines(CostLine.objects.filter(plan=placement.plan))
        by_placement += annual_cost_on(lines, today)
    # The fixture's figures: band C (10,000 + 14,500), a 52-week fee of 1,500 with 25% from
    # health, band B (6,500) and a 3,120 direct payment.
    assert by_placement == Decimal(24500 + 58500 + 6500 + 3120)
    result = committed(today)
    assert result.total == by_placement
    for totals in result.by.values():
        assert totals.total == by_placement
    verified_login(client, head)
    page = client.get(reverse("finance:overview")).content.decode()
    assert f'data-total="{by_placement:.2f}"' in page
    assert "£92,620" in page


def test_independent_and_out_of_area(costed: dict[str, Any]) -> None:
    result = committed(timezone.localdate())
    assert result.independent == (1, Decimal(58500))
    assert result.independent_share == pytest.approx(1 / 3)
    assert result.by["area"].amounts == {
        "In the council's area": Decimal(24500 + 6500 + 3120),
        "Outside the council's area": Decimal(58500),
    }


@pytest.mark.parametrize(("who", "shows_names"), [("head", True), ("finance", False)])
def test_drill_down_names_only_for_those_who_read_cases(
    request: Any, costed: dict[str, Any], who: str, shows_names: bool
) -> None:
    client = _client(request, who)
    url = (
        reverse("finance:placements")
        + "?by=setting_type&value=Independent+or+non-maintained+special+school"
    )
    page = client.get(url).content.decode()
    fee = costed["placements"][1]
    assert ("Sam Fee" in page) is shows_names
    assert (f"Case {fee.plan.case_id}" in page) is not shows_names
    assert "£58,500" in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_type="plans.plan", case_id=fee.plan.case_id
    ).exists()


def test_an_unknown_drill_down_is_404(client: Client, head: Any, costed: dict[str, Any]) -> None:
    verified_login(client, head)
    assert client.get(reverse("finance:placements") + "?by=nonsense&value=x").status_code == 404


def test_setting_a_band_rate(
    client: Client, finance: Any, costed: dict[str, Any], this_year: int
) -> None:
    verified_login(client, finance)
    band = costed["lines"][0].band
    url = reverse("finance:band_rate", args=[band.pk, this_year + 1])
    bad = client.post(url, {"place_funding": "ten", "top_up": "", "version": "0"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter the top-up" in text and "must be an amount of money" in text
    assert (
        client.post(url, {"place_funding": "10000", "top_up": "15000", "version": "0"}).status_code
        == 302
    )
    page = client.get(reverse("finance:bands") + f"?year={this_year + 1}").content.decode()
    assert "£25,000" in page


def test_recording_a_cost_on_the_plan_page(
    client: Client, finance: Any, head: Any, costed: dict[str, Any]
) -> None:
    placement = costed["placements"][0]
    url = reverse("finance:plan_costs", args=[placement.plan.pk])
    verified_login(client, finance)
    bad = client.post(url, {"kind": "fee", "per": "week", "starts_on_day": "1"})
    assert bad.status_code == 400
    text = bad.content.decode()
    for message in (
        "Enter the amount",
        "Enter the weeks a year",
        "must include a month and a year",
    ):
        assert message in text
    good = {
        "kind": "agreed", "placement": str(placement.pk), "amount": "2000", "per": "year",
        "starts_on_day": "1", "starts_on_month": "4", "starts_on_year": "2024",
    }  # fmt: skip
    assert client.post(url, good).status_code == 302
    assert CostLine.objects.filter(plan=placement.plan, kind="agreed").count() == 1
    # A head of service reads the costs but cannot record one.
    verified_login(client, head)
    assert client.get(url).status_code == 200
    assert "Record a cost" not in client.get(url).content.decode()
    assert client.post(url, good).status_code == 404


def test_the_finance_view_makes_the_same_queries_for_1_and_3_plans(
    client: Client, head: Any, costed: dict[str, Any]
) -> None:
    verified_login(client, head)
    url = reverse("finance:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    ended = [p.plan_id for p in costed["placements"][1:]]
    Plan.objects.filter(pk__in=ended).update(status=Plan.Status.CEASED)
    assert len(committed(timezone.localdate()).plans) == 1
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    assert len(one.captured_queries) == len(three.captured_queries)
