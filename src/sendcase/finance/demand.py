"""Forecasting demand, and how good the forecast is: pure Python, no Django.

Two models, both fitted only on the years before the one they forecast:

- **Growth** for a yearly series (requests a year, plans maintained): next year is the last
  year times the mean yearly growth over the last `window` years. Requests a month are the
  year's forecast times each month's average share of its year (term dates make the shape).
- **Ageing** for plans maintained by age: the plans at age a next year are those at age a-1
  this year that continued (the average continuation rate at that age over the fitted years),
  plus the new plans at age a (the average, grown at the series' growth). Needs, settings and
  age groups follow from the stock by age and the latest mix at each age.

An interval is honest only if it comes from how wrong the model has been: each forecast's
interval is the point times (1 +/- the largest one-year-ahead error the same model made in
the backtests before it). With no earlier backtest there is no interval, and the screen says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

WINDOW = 3


@dataclass(frozen=True)
class Point:
    year: int
    forecast: float
    low: float | None
    high: float | None
    actual: float | None = None

    @property
    def error(self) -> float | None:
        """The forecast's error as a fraction of what happened (positive: too high)."""
        if self.actual is None or not self.actual:
            return None
        return (self.forecast - self.actual) / self.actual


def growth_point(series: Mapping[int, float], year: int, window: int = WINDOW) -> float | None:
    """The growth model's forecast for `year` from the years before it, or None."""
    past = sorted(y for y in series if y < year and series[y])
    if not past:
        return None
    last = past[-1]
    rates = [series[y] / series[y - 1] for y in past[-window:] if y - 1 in series and series[y - 1]]
    growth = sum(rates) / len(rates) if rates else 1.0
    return series[last] * growth ** (year - last)


def backtest(series: Mapping[int, float], years: list[int], window: int = WINDOW) -> list[Point]:
    """Fit on the years before each of `years`, forecast it, and set what happened beside it.
    Each point's interval comes from the errors of the backtests before it."""
    out: list[Point] = []
    for year in sorted(years):
        point = growth_point(series, year, window)
        if point is None:
            continue
        low, high = interval(point, [p.error for p in out if p.error is not None])
        out.append(Point(year, point, low, high, series.get(year)))
    return out


def interval(point: float, errors: list[float]) -> tuple[float | None, float | None]:
    if not errors:
        return None, None
    worst = max(abs(e) for e in errors)
    return point * (1 - worst), point * (1 + worst)


def forecast_years(
    series: Mapping[int, float], first: int, years: int, errors: list[float]
) -> list[Point]:
    """Forecasts for `first` and the years after, each k years ahead with the error widened
    by k (an error a year compounds)."""
    out = []
    for k in range(years):
        point = growth_point(series, first + k)
        if point is None:
            break
        low, high = interval(point, [e * (k + 1) for e in errors])
        out.append(Point(first + k, point, low, high))
    return out


def month_shares(monthly: Mapping[tuple[int, int], float], years: list[int]) -> dict[int, float]:
    """Each calendar month's average share of its year's total, over `years`."""
    shares: dict[int, list[float]] = {m: [] for m in range(1, 13)}
    for year in years:
        total = sum(monthly.get((year, m), 0.0) for m in range(1, 13))
        if total:
            for m in range(1, 13):
                shares[m].append(monthly.get((year, m), 0.0) / total)
    return {m: (sum(v) / len(v) if v else 1 / 12) for m, v in shares.items()}


def ageing(
    stock: Mapping[int, float],
    continuing: Mapping[int, float],
    new: Mapping[int, float],
    growth: float,
    years: int,
    max_age: int = 25,
) -> list[dict[int, float]]:
    """Plans by age for each of the next `years` years (an ageing and transition model)."""
    out = []
    current = dict(stock)
    for k in range(1, years + 1):
        nxt = {}
        for age in range(0, max_age + 1):
            carried = current.get(age - 1, 0.0) * continuing.get(age - 1, 0.0)
            nxt[age] = carried + new.get(age, 0.0) * growth**k
        out.append(nxt)
        current = nxt
    return out
