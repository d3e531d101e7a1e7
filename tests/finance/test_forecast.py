"""The High Needs budget and forecast: every part shown and reconciling, scenarios, the XLSX."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendcase.accounts.testing import verified_login
from sendcase.casework.scenarios import build_case, make_child
from sendcase.core.actors import SystemActor
from sendcase.finance import actions
from sendcase.finance.costing import fy_cost
from sendcase.finance.forecast import PARTS, SCENARIOS, forecast
from sendcase.finance.models import BudgetLine, CostLine
from sendcase.finance.queries import as_lines
from sendcase.finance.summary import committed

ACTOR = SystemActor("test")
pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(officer: Any, costed: dict[str, Any]) -> list[Any]:
    """Two open requests, and a budget."""
    cases = [
        build_case(stage="assessing", officer=officer, weeks_ago=6, child=make_child(surname=s))
        for s in ("Open", "Pending")
    ]
    year = (
        timezone.localdate().year
        if timezone.localdate().month >= 4
        else timezone.localdate().year - 1
    )
    actions.add_budget_line(
        financial_year=year,
        category=BudgetLine.Category.SPECIAL,
        amount=Decimal(50000),
        actor=ACTOR,
    )
    actions.add_budget_line(
        financial_year=year, category=BudgetLine.Category.INDEPENDENT, amount=Decimal(40000),
        actor=ACTOR,
    )  # fmt: skip
    actions.add_budget_line(
        financial_year=year, category=BudgetLine.Category.BROUGHT_FORWARD,
        amount=Decimal(-250000), actor=ACTOR,
    )  # fmt: skip
    return cases


def test_the_forecast_is_its_parts_and_the_months_add_up(pipeline: list[Any]) -> None:
    today = timezone.localdate()
    base = forecast(today)[0]
    parts = {p: base.part(p) for p in PARTS}
    assert base.outturn == sum(parts.values())
    # Commitments are the whole year of the plans maintained today.
    active = [p.plan_id for p in committed(today).plans]
    lines = as_lines(CostLine.objects.filter(plan_id__in=active))
    assert parts["commitments"] == fy_cost(lines, base.year)  # the ledger agrees with costing
    assert parts["commitments"] > 0
    # Each open request counts at the council's conversion rate times a new plan's cost.
    a = base.assumptions
    assert a.open_cases == 2
    per_case = Decimal(a.new_plan_cost) * Decimal(str(a.conversion))
    for line in base.parts["pipeline"]:
        assert line.amount_for(base.year) == per_case
    months = base.months()
    assert len(months) == 12 and months[0][0] == "April"
    assert abs(sum(m for _, m in months) - base.outturn) <= Decimal("0.01") * 12 * sum(
        base.count(p) for p in PARTS
    )
    assert base.budget == Decimal(90000) and base.brought_forward == Decimal(-250000)
    assert base.variance == base.budget - base.outturn
    first = base.years[0]
    assert first["position"] == Decimal(-250000) + first["budget"] - first["spend"]
    assert [row["after_override"] for row in base.years].count(True) == sum(
        1 for row in base.years if row["year"] > 2027
    )


def test_scenarios_side_by_side(pipeline: list[Any]) -> None:
    forecasts = forecast(timezone.localdate())
    assert [f.scenario.name for f in forecasts] == [s.name for s in SCENARIOS]
    base, more = forecasts[0], forecasts[1]
    assert more.part("pipeline") == pytest.approx(base.part("pipeline") * Decimal("1.1"), abs=1)
    assert more.part("commitments") == base.part("commitments")
    costlier = forecasts[3]
    assert costlier.years[-1]["spend"] > base.years[-1]["spend"]


def test_the_budget_page_and_its_form(
    client: Client, finance: Any, head: Any, pipeline: Any
) -> None:
    verified_login(client, finance)
    url = reverse("finance:budget")
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("How the forecast is made up", "Scenarios side by side", "Month by month"):
        assert words in text
    bad = client.post(url, {"amount": "lots"})
    assert bad.status_code == 400
    assert "Select the placement category" in bad.content.decode()
    assert "must be an amount of money" in bad.content.decode()
    assert client.post(url, {"category": "1", "amount": "120000"}).status_code == 302
    assert BudgetLine.objects.filter(category="1").exists()
    verified_login(client, head)
    assert client.post(url, {"category": "1", "amount": "1"}).status_code == 404


def test_the_dsg_management_plan_export(client: Client, finance: Any, pipeline: Any) -> None:
    verified_login(client, finance)
    response = client.get(reverse("finance:budget_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Placements by age", "By primary need", "Forecast and scenarios"]
    rows = list(book["Placements by age"].iter_rows(values_only=True))
    assert [r[0][:2] for r in rows[1:]] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    total = Decimal(str(sum(r[-1] for r in rows[1:])))
    assert total == committed(timezone.localdate()).total
    assert sum(r[-2] for r in rows[1:]) == 3  # the three children's plans
    need_rows = list(book["By primary need"].iter_rows(values_only=True))[1:]
    assert Decimal(str(sum(r[2] for r in need_rows))) == total


def test_the_committee_report_has_the_money_section(
    client: Client, head: Any, pipeline: list[Any]
) -> None:
    verified_login(client, head)
    page = client.get(reverse("reporting:committee")).content.decode()
    assert "Money and workforce" in page
    base = forecast(timezone.localdate())[0]
    assert f"forecast outturn is £{base.outturn:,.0f}" in page
    assert "The cumulative DSG position" in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"category": "1", "amount": "NaN"}, "must be an amount of money"),
        ({"category": "1", "amount": "Infinity"}, "must be an amount of money"),
        ({"category": "1", "amount": "-5"}, "A budget must be £0 or more"),
        ({"category": "1", "amount": "1" * 14}, "must be less than"),
        ({"category": "1", "amount": "12.345"}, "pounds and pence"),
        ({"category": "9", "amount": "100"}, "Select the placement category"),
        ({"category": "1", "amount": "100", "description": "x" * 201}, "200 characters"),
        ({"category": "1", "amount": "\x00"}, "must be an amount of money"),
    ],
)
def test_the_budget_form_refuses_bad_input_in_plain_words(
    client: Client, finance: Any, pipeline: Any, data: dict[str, str], words: str
) -> None:
    verified_login(client, finance)
    before = BudgetLine.objects.count()
    response = client.post(reverse("finance:budget"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "govuk-error-summary" in text and words in text
    assert BudgetLine.objects.count() == before
