"""Forecasting demand (finance/demand.py, pure) and its backtest, on tables of figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sendcase.accounts.testing import verified_login
from sendcase.finance import demand
from sendcase.finance.demand_data import demand_forecast


def test_growth_forecasts_from_the_years_before_only() -> None:
    series = {2020: 100.0, 2021: 110.0, 2022: 121.0, 2023: 133.1, 2024: 999.0}
    # 10% a year: 2024 forecast 146.41, whatever 2024 turned out to be.
    assert demand.growth_point(series, 2024) == pytest.approx(146.41)
    assert demand.growth_point(series, 2020) is None


def test_the_backtest_sets_the_error_beside_each_forecast() -> None:
    series = {2019: 100.0, 2020: 110.0, 2021: 121.0, 2022: 140.0, 2023: 150.0}
    points = demand.backtest(series, [2021, 2022, 2023])
    assert [p.year for p in points] == [2021, 2022, 2023]
    assert points[0].forecast == pytest.approx(121.0) and points[0].error == pytest.approx(0)
    assert points[0].low is None  # no earlier backtest: no interval
    assert points[1].error == pytest.approx((133.1 - 140) / 140)
    # The third point's interval is as wide as the worst error before it.
    worst = abs(points[1].error)
    assert points[2].low == pytest.approx(points[2].forecast * (1 - worst))
    assert points[2].high == pytest.approx(points[2].forecast * (1 + worst))


def test_intervals_widen_with_each_year_ahead() -> None:
    series = {2020: 100.0, 2021: 110.0, 2022: 121.0}
    ahead = demand.forecast_years(series, 2023, 3, [0.05])
    widths = [p.high - p.low for p in ahead]  # type: ignore[operator]
    assert widths == sorted(widths) and widths[0] > 0


def test_month_shares_follow_the_terms() -> None:
    monthly = {(2023, m): (30.0 if m in (6, 7) else 10.0) for m in range(1, 13)}
    shares = demand.month_shares(monthly, [2023])
    assert shares[7] == pytest.approx(30 / 160) and sum(shares.values()) == pytest.approx(1)


def test_the_ageing_model_moves_plans_up_an_age() -> None:
    stock = {10: 100.0, 11: 50.0}
    ahead = demand.ageing(stock, {10: 0.9, 11: 0.8}, {4: 5.0}, 1.0, 2)
    assert ahead[0][11] == pytest.approx(90) and ahead[0][12] == pytest.approx(40)
    assert ahead[0][4] == pytest.approx(5) and ahead[1][5] == 0  # no continuation given at 4
    assert ahead[1][12] == pytest.approx(90 * 0.8)


@pytest.mark.django_db
def test_the_demand_page_shows_each_backtest(
    client: Any, head: Any, costed: dict[str, Any]
) -> None:
    result = demand_forecast(dt.date.today())  # noqa: DTZ011 - the page's own day
    assert len(result.monthly) == 12  # plans issued this year only: no yearly history yet
    verified_login(client, head)
    page = client.get(reverse("finance:demand")).content.decode()
    assert "How good the forecasts have been" in page
    assert "England: plans maintained" in page
