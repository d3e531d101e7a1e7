"""The figures the demo council is calibrated to, read from DfE's published releases.

DfE's "Education, health and care plans" release (Explore Education Statistics) is
computed from every council's SEN2 return. This module reads the yearly figures the
demo needs for England (the default) or one council (`--like`), from:

- the 2025 release (calendar years 2019 to 2024; January caseloads 2019 to 2025), and
- the 2022 release's `sen2_mi.csv` for requests, refusals and 20-week timeliness
  before 2019.

Calendar-year measures (requests, refusals, timeliness, new plans' needs, ceasings,
annual reviews) are keyed by the calendar year; snapshot measures (caseload, setting
mix, all plans' needs) by the year of the January census. Years outside the published
range reuse the nearest published year; `published` records which years were real.
All shares are fractions (0 to 1).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sendcase.core import ees
from sendcase.core.codes import CeaseReason, NeedType, SettingType

# DfE's published releases ship with SENDcase (Open Government Licence v3.0), so the demo
# builds on any machine; SENDCASE_EES_DIR points at newer releases.
EES_DIR = Path(os.environ.get("SENDCASE_EES_DIR", Path(__file__).resolve().parent / "data"))
RELEASE_2025 = "education-health-and-care-plans_2025.zip"
RELEASE_2022 = "education-health-and-care-plans_2022.zip"
ENGLAND = "England"

# Ages 0..25 as the published age bands; "20 and over" is spread over 20..25.
AGES = tuple(range(26))

NEED_COLUMNS = {
    NeedType.ASD: "number_asd",
    NeedType.HI: "number_hi",
    NeedType.MLD: "number_mld",
    NeedType.MSI: "number_msi",
    NeedType.OTH: "number_oth",
    NeedType.PD: "number_pd",
    NeedType.PMLD: "number_pmld",
    NeedType.SEMH: "number_semh",
    NeedType.SLCN: "number_slcn",
    NeedType.SLD: "number_sld",
    NeedType.SPLD: "number_spld",
    NeedType.VI: "number_vi",
}

# Caseload columns for each setting type, matching placements.models.setting_type_for.
SETTING_COLUMNS: dict[str, tuple[str, ...]] = {
    SettingType.MAINSTREAM: (
        "mainstream_la_maintained",
        "mainstream_academy",
        "mainstream_free_school",
        "mainstream_independent",
    ),
    SettingType.RESOURCED: (
        "mainstream_la_maintained_resourced_provision",
        "mainstream_la_maintained_senunit",
        "mainstream_academy_resourced_provision",
        "mainstream_academy_senunit",
        "mainstream_free_school_resourced_provision",
        "mainstream_free_school_senunit",
    ),
    SettingType.MAINTAINED_SPECIAL: ("special_la_maintained", "special_academy_free"),
    SettingType.INDEPENDENT_SPECIAL: (
        "special_independent",
        "special_non_maintained",
        "specialist_post_16_institutions",
    ),
    SettingType.ALTERNATIVE_PROVISION: ("ap_pru_total",),
    SettingType.FURTHER_EDUCATION: ("general_fe_tertiary_colleges", "ukrlp_provider"),
    SettingType.EARLY_YEARS: ("nm_early_years",),
    # SettingType.OTHER is the rest of the caseload (educated elsewhere, other, unknown).
}

CEASE_COLUMNS = {
    CeaseReason.MAXIMUM_AGE: ("max_age",),
    CeaseReason.NEEDS_MET: ("needs_met",),
    CeaseReason.HIGHER_EDUCATION: ("he",),
    CeaseReason.EMPLOYMENT: ("employ",),
    CeaseReason.TRANSFERRED_LA: ("transfer",),
    CeaseReason.NOT_ENGAGING: ("no_engage",),
    CeaseReason.MOVED_OUTSIDE_ENGLAND: ("moved_outside_eng",),
    CeaseReason.DECEASED: ("deceased",),
    CeaseReason.OTHER: ("other", "not_rec"),
}


class UnknownCouncil(ValueError):
    """`--like` names no council in the published figures (the message lists close matches)."""


@dataclass
class Calibration:
    """Published yearly figures for one area. Dicts are keyed by year; see the module docstring."""

    area: str
    la_code: str
    # Calendar-year measures
    requests_per_plan: dict[int, float] = field(default_factory=dict)
    not_assess_share: dict[int, float] = field(default_factory=dict)  # of requests received
    not_issued_share: dict[int, float] = field(default_factory=dict)  # of assessments decided
    within_20_weeks: dict[int, float] = field(default_factory=dict)  # including exceptions
    within_20_weeks_ex: dict[int, float] = field(default_factory=dict)  # excluding exceptions
    exception_share: dict[int, float] = field(default_factory=dict)  # plans issued with one
    decisions_6_weeks: dict[int, float] = field(default_factory=dict)
    not_issue_16_weeks: dict[int, float] = field(default_factory=dict)
    need_mix_new: dict[int, dict[str, float]] = field(default_factory=dict)
    review_4_weeks: dict[int, float] = field(default_factory=dict)
    review_outcomes: dict[int, dict[str, float]] = field(default_factory=dict)
    cease_mix: dict[int, dict[int, float]] = field(default_factory=dict)
    cease_rate: dict[int, float] = field(default_factory=dict)  # ceased in year / Jan caseload
    request_ages: dict[int, dict[int, float]] = field(default_factory=dict)
    # January-census measures
    caseload: dict[int, float] = field(default_factory=dict)
    setting_mix: dict[int, dict[str, float]] = field(default_factory=dict)
    setting_mix_by_age: dict[int, dict[int, dict[str, float]]] = field(default_factory=dict)
    caseload_ages: dict[int, dict[int, float]] = field(default_factory=dict)
    need_mix_all: dict[int, dict[str, float]] = field(default_factory=dict)
    # Relative ceasing hazard by age (England's shape: ceased by age / caseload by age).
    cease_hazard_by_age: dict[int, float] = field(default_factory=dict)

    def at(self, measure: str, year: int):  # type: ignore[no-untyped-def]
        """The figure for `year`, or for the nearest published year (later years reuse the latest)."""
        series = getattr(self, measure)
        if not series:
            raise KeyError(f"No published figures for {measure} in {self.area}")
        if year in series:
            return series[year]
        years = sorted(series)
        nearest = years[-1] if year > years[-1] else years[0] if year < years[0] else None
        if nearest is None:
            nearest = min(years, key=lambda y: (abs(y - year), -y))
        return series[nearest]

    def published(self, measure: str) -> list[int]:
        return sorted(getattr(self, measure))


def _area_rows(path: Path, table: str, area: str) -> Iterator[dict[str, str]]:
    for row in _cached_rows(str(path), table):
        if area == ENGLAND:
            if row["geographic_level"] == "National":
                yield row
        elif row["geographic_level"] == "Local authority" and row["la_name"] == area:
            yield row


@lru_cache(maxsize=32)
def _cached_rows(path: str, table: str) -> tuple[dict[str, str], ...]:
    keep = {"All", "Child or young persons age", "Age plan ceased"}
    out = []
    for row in ees.rows(path, table):
        if row.get("geographic_level") not in ("National", "Local authority"):
            continue
        topic = row.get("breakdown_topic", "All")
        if topic.startswith("All") or topic in keep:
            out.append(row)
    return tuple(out)


def _num(row: dict[str, str], *columns: str) -> float | None:
    values = [ees.number(row.get(c)) for c in columns]
    if all(v is None for v in values):
        return None
    return sum(v or 0.0 for v in values)


def _year(period: str) -> int:
    """'2024' -> 2024 (calendar year); '202425' -> 2025 (the January census in 2024/25)."""
    return int(period[:4]) + 1 if len(period) == 6 else int(period)


# How a published age band is spread over single years (a modelling assumption).
_BAND_WEIGHTS = {
    (0, 2): (0.15, 0.3, 0.55),
    (20, 25): (0.32, 0.24, 0.18, 0.13, 0.09, 0.04),
}


def _age(breakdown: str) -> tuple[int, int] | None:
    """'age 7' -> (7, 7); 'age 2 and under' or 'under 3' -> (0, 2); 'age 20 and over' -> (20, 25)."""
    text = breakdown.lower()
    m = re.search(r"(\d+)", text)
    if "unknown" in text or m is None:
        return None
    n = int(m.group(1))
    if "and under" in text:
        return (0, n)
    if text.startswith("under"):
        return (0, n - 1)
    if "and over" in text:
        return (n, 25)
    return (n, n)


def _spread_ages(counts: dict[tuple[int, int], float]) -> dict[int, float]:
    """Counts by published age band as shares by single year of age 0..25."""
    out = {a: 0.0 for a in AGES}
    for (lo, hi), n in counts.items():
        weights = _BAND_WEIGHTS.get((lo, hi)) or tuple(
            1.0 / (hi - lo + 1) for _ in range(lo, hi + 1)
        )
        for a, w in zip(range(lo, hi + 1), weights, strict=True):
            if a in out:
                out[a] += n * w
    total = sum(out.values())
    return {a: v / total for a, v in out.items()} if total else {}


def _shares(counts: dict, floor: float = 0.0) -> dict:  # type: ignore[type-arg]
    total = sum(counts.values())
    if not total:
        return {}
    return {k: v / total for k, v in counts.items() if v / total >= floor}


def council_names(release: Path | None = None) -> list[str]:
    path = release or EES_DIR / RELEASE_2025
    return sorted(
        {r["la_name"] for r in _cached_rows(str(path), "caseload") if r["la_name"]},
    )


def match_council(name: str, release: Path | None = None) -> str:
    """The published la_name for `name` (case-insensitive; 'Herefordshire' finds
    'Herefordshire, County of'), or UnknownCouncil listing close matches."""
    names = council_names(release)
    wanted = name.strip().casefold()
    exact = [n for n in names if n.casefold() == wanted]
    if exact:
        return exact[0]
    before_comma = [n for n in names if n.split(",")[0].strip().casefold() == wanted]
    if len(before_comma) == 1:
        return before_comma[0]
    prefix = [n for n in names if n.casefold().startswith(wanted)] if wanted else []
    if len(prefix) == 1:
        return prefix[0]
    short = {n.split(",")[0].strip().casefold(): n for n in names}
    close = prefix or [
        short[m] for m in difflib.get_close_matches(wanted, list(short), n=5, cutoff=0.75)
    ]
    if not close:
        close = [n for n in names if wanted and wanted in n.casefold()][:5]
    hint = f" Did you mean: {'; '.join(close)}?" if close else ""
    raise UnknownCouncil(f"No council called ‘{name}’ in DfE's published figures.{hint}")


def load(like: str | None = None, *, ees_dir: Path | None = None) -> Calibration:
    """Read the calibration for England, or for the council `like` names."""
    folder = ees_dir or EES_DIR
    r25, r22 = folder / RELEASE_2025, folder / RELEASE_2022
    area = ENGLAND if like is None else match_council(like, r25)
    cal = Calibration(area=area, la_code="")
    _read_caseload(cal, r25, area)
    _read_requests(cal, r25, r22, area)
    _read_assessments(cal, r25, r22, area)
    _read_timeliness(cal, r25, r22, area)
    _read_needs(cal, r25, area)
    _read_reviews(cal, r25, area)
    _read_ceased(cal, r25, area)
    if area != ENGLAND:
        _smooth_with(cal, load(None, ees_dir=folder))
    return cal


def _read_caseload(cal: Calibration, path: Path, area: str) -> None:
    ages: dict[int, dict[tuple[int, int], float]] = {}
    by_age: dict[int, dict[tuple[int, int], dict[str, float]]] = {}
    for row in _area_rows(path, "caseload", area):
        year = _year(row["time_period"])
        total = _num(row, "ehcplans")
        if total is None or total <= 0:
            continue
        counts = {t: _num(row, *cols) or 0.0 for t, cols in SETTING_COLUMNS.items()}
        counts[SettingType.OTHER] = max(0.0, total - sum(counts.values()))
        if row["breakdown_topic"].startswith("All"):
            cal.la_code = row.get("old_la_code", "") or cal.la_code
            cal.caseload[year] = total
            cal.setting_mix[year] = _shares(counts)
        elif row["breakdown_topic"] == "Child or young persons age":
            age = _age(row["breakdown"])
            if age is None:
                continue
            ages.setdefault(year, {})[age] = total
            by_age.setdefault(year, {})[age] = _shares(counts)
    for year, by_band in ages.items():
        cal.caseload_ages[year] = _spread_ages(by_band)
        spread: dict[int, dict[str, float]] = {}
        for (lo, hi), mix in by_age[year].items():
            for a in range(lo, hi + 1):
                spread[a] = mix
        cal.setting_mix_by_age[year] = spread


def _read_requests(cal: Calibration, r25: Path, r22: Path, area: str) -> None:
    received: dict[int, float] = {}
    ages: dict[int, dict[tuple[int, int], float]] = {}
    for row in _area_rows(r25, "requests", area):
        year = _year(row["time_period"])
        if row["breakdown_topic"] == "Child or young persons age":
            age = _age(row["breakdown"])
            n = _num(row, "requests_received_in_year")
            if age is not None and n is not None:
                ages.setdefault(year, {})[age] = n
            continue
        if not row["breakdown_topic"].startswith("All"):
            continue
        n = _num(row, "requests_received_in_year")
        refused = _num(row, "requests_decided_not_to_assess")
        if n:
            received[year] = n
            if refused is not None:
                cal.not_assess_share[year] = refused / n
        six = _num(row, "request_outcome_six_weeks")
        over = _num(row, "request_outcome_over_6_weeks")
        if six is not None and over is not None and six + over > 0:
            cal.decisions_6_weeks[year] = six / (six + over)
    for row in _area_rows(r22, "sen2_mi", area):
        year = _year(row["time_period"])
        n = _num(row, "InreqEHC")
        refused = _num(row, "AssRefusedEHC")
        if year in received or not n:
            continue
        received[year] = n
        if refused is not None:
            cal.not_assess_share[year] = refused / n
    for year, n in received.items():
        plans = cal.caseload.get(year)
        if plans:
            cal.requests_per_plan[year] = n / plans
    cal.request_ages = {y: _spread_ages(c) for y, c in ages.items()}


def _read_assessments(cal: Calibration, r25: Path, r22: Path, area: str) -> None:
    for row in _area_rows(r25, "assessments", area):
        if not row["breakdown_topic"].startswith("All"):
            continue
        year = _year(row["time_period"])
        issued = _num(row, "assess_issued")
        not_issued = _num(row, "assess_not_issued")
        if issued is not None and not_issued is not None and issued + not_issued > 0:
            cal.not_issued_share[year] = not_issued / (issued + not_issued)
        within = _num(row, "outcome_decision_within_time")
        over = _num(row, "outcome_decision_over_time")
        if within is not None and over is not None and within + over > 0:
            cal.not_issue_16_weeks[year] = within / (within + over)
    for row in _area_rows(r22, "sen2_mi", area):
        year = _year(row["time_period"])
        issued = _num(row, "NewallEHC")
        not_issued = _num(row, "AssnoneEHC")
        if year in cal.not_issued_share or not issued or not_issued is None:
            continue
        cal.not_issued_share[year] = not_issued / (issued + not_issued)


def _read_timeliness(cal: Calibration, r25: Path, r22: Path, area: str) -> None:
    def put(
        year: int, den: float | None, den_ex: float | None, w: float | None, w_ex: float | None
    ) -> None:
        if not den or den_ex is None or w is None or w_ex is None or not den_ex:
            return
        cal.within_20_weeks[year] = w / den
        cal.within_20_weeks_ex[year] = w_ex / den_ex
        cal.exception_share[year] = max(0.0, (den - den_ex) / den)

    for row in _area_rows(r25, "timeliness_20_week", area):
        if not row["breakdown_topic"].startswith("All"):
            continue
        put(
            _year(row["time_period"]),
            _num(row, "plans_issued_den"),
            _num(row, "plans_issued_den_ex"),
            _num(row, "plans_issued_within_20_weeks"),
            _num(row, "plans_issued_20_weeks_ex"),
        )
    for row in _area_rows(r22, "sen2_mi", area):
        year = _year(row["time_period"])
        if year in cal.within_20_weeks or year < 2015:
            continue
        put(
            year,
            _num(row, "TotIncExcEHC"),
            _num(row, "TotNoExcEHC"),
            _num(row, "IncExc20weekEHC"),
            _num(row, "NoExc20weekEHC"),
        )


def _need_mix(row: dict[str, str]) -> dict[str, float]:
    return _shares({code: _num(row, col) or 0.0 for code, col in NEED_COLUMNS.items()})


def _read_needs(cal: Calibration, path: Path, area: str) -> None:
    for row in _area_rows(path, "sen_need_newplans", area):
        if row["breakdown_topic"].startswith("All"):
            cal.need_mix_new[_year(row["time_period"])] = _need_mix(row)
    for row in _area_rows(path, "sen_needs_all_plans", area):
        if row["breakdown_topic"].startswith("All"):
            cal.need_mix_all[_year(row["time_period"])] = _need_mix(row)


def _read_reviews(cal: Calibration, path: Path, area: str) -> None:
    for row in _area_rows(path, "annual_reviews", area):
        if not row["breakdown_topic"].startswith("All"):
            continue
        year = _year(row["time_period"])
        within = _num(row, "number_decsion_4weeks")
        over = _num(row, "number_decision_gt_4weeks")
        if within is not None and over is not None and within + over > 0:
            cal.review_4_weeks[year] = within / (within + over)
        outcomes = {
            "amend": _num(row, "outcome_amend") or 0.0,
            "maintain": _num(row, "outcome_maintan") or 0.0,
            "cease": _num(row, "outcome_cease") or 0.0,
        }
        if sum(outcomes.values()):
            cal.review_outcomes[year] = _shares(outcomes)


def _read_ceased(cal: Calibration, path: Path, area: str) -> None:
    by_age: dict[tuple[int, int], float] = {}
    for row in _area_rows(path, "ceased_plans", area):
        year = _year(row["time_period"])
        if row["breakdown_topic"] == "Age plan ceased":
            age = _age(row["breakdown"])
            n = _num(row, "total_ceased")
            if age is not None and n is not None and year == max(cal.caseload_ages) - 1:
                by_age[age] = n
            continue
        counts = {int(r): _num(row, *cols) or 0.0 for r, cols in CEASE_COLUMNS.items()}
        if sum(counts.values()):
            cal.cease_mix[year] = _shares(counts)
        total = _num(row, "total_ceased")
        plans = cal.caseload.get(year)
        if total is not None and plans:
            cal.cease_rate[year] = total / plans
    if by_age and cal.caseload_ages:
        ceased = _spread_ages(by_age)
        latest = cal.caseload_ages[max(cal.caseload_ages)]
        hazard = {a: (ceased[a] / latest[a]) if latest.get(a) else 0.0 for a in AGES}
        # Very few plans cease under 5 and the bands there are coarse: use age 5's hazard.
        cal.cease_hazard_by_age = {a: hazard[max(a, 5)] for a in AGES}


def _smooth_with(cal: Calibration, england: Calibration) -> None:
    """Fill what a small council's figures lack (suppressed cells, age shapes) from England's."""
    for name in ("request_ages", "caseload_ages", "setting_mix_by_age"):
        mine = getattr(cal, name)
        if not mine:
            setattr(cal, name, dict(getattr(england, name)))
    # Age-specific setting mixes are noisy for one council: blend 50:50 with England's shape.
    for year, ages in cal.setting_mix_by_age.items():
        eng = england.at("setting_mix_by_age", year)
        for a in AGES:
            mine_a, eng_a = ages.get(a, {}), eng.get(a, {})
            keys = set(mine_a) | set(eng_a)
            ages[a] = {k: 0.5 * mine_a.get(k, 0.0) + 0.5 * eng_a.get(k, 0.0) for k in keys}
    if not cal.cease_hazard_by_age or sum(cal.cease_hazard_by_age.values()) == 0:
        cal.cease_hazard_by_age = dict(england.cease_hazard_by_age)
    else:
        # a council's own ceasing by single year of age is sparse: use England's shape
        cal.cease_hazard_by_age = dict(england.cease_hazard_by_age)
    for name in ("review_outcomes", "not_issue_16_weeks", "decisions_6_weeks"):
        if not getattr(cal, name):
            setattr(cal, name, dict(getattr(england, name)))
