"""Annex A lists for area SEND inspections: List 1 (EHC plans) from casework, List 2 (SEN
support) from the imported school census extract, the inspectors' data checks, and the XLSX.

List 1 is one row per child with a plan maintained on the chosen date (reporting's
"active_plans" measure), built in a fixed number of queries whatever the council's size.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from sendcase.core import xlsx
from sendcase.core.actors import Actor
from sendcase.core.audit import audit_each
from sendcase.core.codes import Phase, SENSetting
from sendcase.inspection.models import CensusImport, CensusPupil
from sendcase.placements.models import Placement
from sendcase.plans.models import PlanVersion
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import Period
from sendcase.reviews.models import AnnualReview
from sendcase.statutory.dates import format_date

DASH = "\u2013"
LIST_1_COLUMNS = (
    "Unique ID",
    "UPN",
    "ULN",
    "Date of birth",
    "Gender",
    "Ethnicity",
    "Date initial EHC plan issued",
    "Date updated EHC plan issued",
    "Date EHC plan last reviewed",
    "SEN primary need",
    f"Main education establishment {DASH} URN",
    f"Main education establishment {DASH} phase",
    f"Subsidiary education establishment {DASH} phase (dual registration)",
    "Elective home education",
    "Suspensions",
    "Permanent exclusions",
    "Absence",
    "Pupil Premium",
    "Known to children's social care?",
    "Which children's social care team?",
    "Does the child or young person have a disability?",
)
PLAN_DATES = LIST_1_COLUMNS[6:9]
LIST_2_COLUMNS = tuple(c for c in LIST_1_COLUMNS if c not in PLAN_DATES)
CENSUS_COLUMNS = LIST_1_COLUMNS[14:18]
DATE_COLUMNS = ("Date of birth", *PLAN_DATES)


# SEN2 arrangements with no establishment (SENsetting) under which the child is educated: the
# check accepts them as the child's main provision. Not in education (NEET, NIEC, NIEO) is not.
EDUCATED_ELSEWHERE = frozenset({SENSetting.OLA, SENSetting.OPA, SENSetting.EYP, SENSetting.OTH})


@dataclass
class Row:
    values: dict[str, Any]
    child_id: int | None = None
    case_id: int | None = None
    arrangement: str = ""  # the SEN2 SENsetting of a main placement with no establishment


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based, as in the spreadsheet after the header (row 2 is the first child)
    unique_id: str
    column: str
    message: str
    error: bool
    fix_url: str


def unique_id(child_id: int) -> str:
    """The council's stable, non-identifying id for a child (never the UPN)."""
    return f"SC{child_id:08d}"


def _yn(value: Any) -> str:
    if value in (True, "Y", "y", "yes", "Yes"):
        return "Y"
    if value in (False, "N", "n", "no", "No"):
        return "N"
    return ""


def _gender(gender: str, sex: str) -> str:
    if gender:  # only where different from sex, in the child's own words
        return gender
    return {"M": "Male", "F": "Female"}.get(sex, "")


def census_loaded() -> CensusImport | None:
    return CensusImport.objects.first()


def _census(upns: Iterable[str]) -> dict[str, CensusPupil]:
    wanted = [u for u in set(upns) if u]
    out: dict[str, CensusPupil] = {}
    for start in range(0, len(wanted), 5000):
        for p in CensusPupil.objects.filter(upn__in=wanted[start : start + 5000]):
            out[p.upn] = p
    return out


def _census_values(p: CensusPupil | None) -> dict[str, Any]:
    if p is None:
        return dict.fromkeys(CENSUS_COLUMNS)
    return dict(
        zip(
            CENSUS_COLUMNS,
            (
                p.suspensions,
                p.permanent_exclusions,
                float(p.absence) if p.absence is not None else None,
                p.pupil_premium or None,
            ),  # fmt: skip
            strict=True,
        )
    )


_CHILD = ("upn", "uln", "date_of_birth", "gender", "sex", "ethnicity", "known_to_social_care", "social_care_team", "disability")  # fmt: skip


def list_1(as_at: dt.date) -> list[Row]:
    """One row per child with a plan maintained on `as_at`, ordered by the Unique ID.

    Read as plain values, not model instances (at 20,000 plans, building the plans, cases,
    children, placements and settings as objects took most of the time)."""
    plans = list(
        m.rows(m.get("active_plans"), Period(as_at, as_at))
        .annotate(
            updated_on=Subquery(
                PlanVersion.objects.filter(
                    plan=OuterRef("pk"), kind=PlanVersion.Kind.AMENDED, issued_on__lte=as_at
                )
                .order_by("-issued_on", "-number")
                .values("issued_on")[:1]
            ),
            reviewed_on=Subquery(
                AnnualReview.objects.filter(plan=OuterRef("pk"), meeting_on__lte=as_at)
                .order_by("-meeting_on")
                .values("meeting_on")[:1]
            ),
        )
        .order_by("case__child_id")
        .values_list(
            "pk",
            "case_id",
            "first_issued_on",
            "primary_need",
            "updated_on",
            "reviewed_on",
            "case__child_id",
            *(f"case__child__{f}" for f in _CHILD),
        )  # fmt: skip
    )
    placements: dict[int, dict[int, tuple[str, str, str, int | None]]] = {}
    active = Q(entry_date__lte=as_at) & (Q(leaving_date__isnull=True) | Q(leaving_date__gte=as_at))
    ids = [p[0] for p in plans]
    for start in range(0, len(ids), 5000):
        for plan_id, rank, sen_setting, setting_id, urn, phase in (
            Placement.objects.filter(active, plan_id__in=ids[start : start + 5000])
            .order_by("plan_id", "rank", "-entry_date")
            .values_list(
                "plan_id", "rank", "sen_setting", "setting_id", "setting__urn", "setting__phase"
            )  # fmt: skip
        ):
            placements.setdefault(plan_id, {}).setdefault(rank, (sen_setting, urn, phase, setting_id))  # fmt: skip
    phases = dict(Phase.choices)
    census = _census(p[7] for p in plans)
    rows = []
    for plan_id, case_id, first, need, updated, reviewed, child_id, *rest in plans:
        child = dict(zip(_CHILD, rest, strict=True))
        held = placements.get(plan_id, {})
        main, second = held.get(1), held.get(2)
        values: dict[str, Any] = {
            "Unique ID": unique_id(child_id),
            "UPN": child["upn"] or None,
            "ULN": child["uln"] or None,
            "Date of birth": child["date_of_birth"],
            "Gender": _gender(child["gender"], child["sex"]) or None,
            "Ethnicity": child["ethnicity"] or None,
            "Date initial EHC plan issued": first,
            "Date updated EHC plan issued": updated,
            "Date EHC plan last reviewed": reviewed,
            "SEN primary need": need or None,
            LIST_1_COLUMNS[10]: main[1] if main and main[3] else None,
            LIST_1_COLUMNS[11]: phases.get(main[2], main[2]) if main and main[3] else None,
            LIST_1_COLUMNS[12]: phases.get(second[2], second[2]) if second and second[3] else None,
            "Elective home education": "Y" if main and main[0] == SENSetting.EHE else "N",
            **_census_values(census.get(child["upn"])),
            "Known to children's social care?": _yn(child["known_to_social_care"]) or None,
            "Which children's social care team?": child["social_care_team"] or None,
            "Does the child or young person have a disability?": _yn(child["disability"]) or None,
        }
        arrangement = main[0] if main and main[3] is None else ""
        rows.append(Row(values, child_id, case_id, arrangement))
    return rows


def list_2() -> list[Row]:
    """SEN support pupils (provision K) from the imported census extract."""
    rows = []
    for p in CensusPupil.objects.filter(sen_provision="K").order_by("pk"):
        values = {
            "Unique ID": f"CS{p.pk:08d}",
            "UPN": p.upn or None,
            "ULN": p.uln or None,
            "Date of birth": p.date_of_birth,
            "Gender": p.gender or None,
            "Ethnicity": p.ethnicity or None,
            "SEN primary need": p.primary_need or None,
            LIST_1_COLUMNS[10]: p.urn or None,
            LIST_1_COLUMNS[11]: p.phase or None,
            LIST_1_COLUMNS[12]: p.subsidiary_phase or None,
            "Elective home education": p.elective_home_education or None,
            **_census_values(p),
            "Known to children's social care?": p.known_to_social_care or None,
            "Which children's social care team?": p.social_care_team or None,
            "Does the child or young person have a disability?": p.disability or None,
        }
        rows.append(Row(values))
    return rows


# --- The inspectors' data checks ------------------------------------------------------------


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def compulsory_school_age(born: dt.date, on: dt.date) -> bool:
    """Year 1 to Year 11 in the school year containing `on` (age 5 to 15 on the 31 August
    before it starts). A Reception child who has turned 5 is not asked for (a simplification)."""
    year_start = dt.date(on.year if on.month >= 9 else on.year - 1, 8, 31)
    return 5 <= age_on(born, year_start) <= 15


def check(
    rows: Sequence[Row], as_at: dt.date, columns: Sequence[str] = LIST_1_COLUMNS
) -> list[Problem]:
    """Every row the inspectors' data checks (annex-a.md) would flag: errors and queries."""
    problems: list[Problem] = []
    upns = Counter(r.values.get("UPN") for r in rows if r.values.get("UPN"))
    for n, r in enumerate(rows, start=2):
        v = r.values
        # The links are made only for a flagged row (reversing two URLs for each of 20,000
        # rows took seconds).
        child_url, case_url = ("casework:child_details", r.case_id), ("casework:case", r.case_id)

        def flag(column: str, message: str, *, error: bool = True, url: tuple[str, int | None] = child_url, v: Any = v, n: int = n) -> None:  # fmt: skip
            link = reverse(url[0], args=[url[1]]) if url[1] else ""
            problems.append(Problem(n, v["Unique ID"], column, message, error, link))

        for column in ("Date of birth", "Gender", "Ethnicity"):
            if not v.get(column):
                flag(column, f"{column} is missing")
        if not v.get("SEN primary need"):
            flag("SEN primary need", "SEN primary need is missing", url=case_url)
        if not v.get(columns[-1]):
            flag(columns[-1], "Disability status is missing")
        born = v.get("Date of birth")
        for column in DATE_COLUMNS:
            if column in columns and v.get(column) and v[column] > as_at:
                flag(column, f"{column} is in the future", url=child_url if column == "Date of birth" else case_url)  # fmt: skip
        if born:
            age = age_on(born, as_at)
            if age >= 26:
                flag("Date of birth", f"Aged {age}: a plan cannot be maintained at 26 or over")
            elif age == 25:
                flag("Date of birth", "Aged 25: check the plan is still needed", error=False)
            if age >= 6 and not (v.get("UPN") or v.get("ULN")):
                flag("UPN", f"Aged {age}: needs a UPN or a ULN")
            main = v.get(columns[10]) or v.get(columns[11]) or r.arrangement in EDUCATED_ELSEWHERE
            if (
                compulsory_school_age(born, as_at)
                and not main
                and v.get("Elective home education") != "Y"
            ):
                flag(columns[10], "Of compulsory school age with no main establishment (or elective home education)", url=case_url)  # fmt: skip
        initial = v.get("Date initial EHC plan issued")
        if initial:
            for later in ("Date updated EHC plan issued", "Date EHC plan last reviewed"):
                if v.get(later) and initial > v[later]:
                    flag(later, f"The initial plan date is after the {later[5:].lower()} date", url=case_url)  # fmt: skip
        if v.get("UPN") and upns[v["UPN"]] > 1:
            flag("UPN", "This UPN appears more than once")
    return problems


# --- The workbook -------------------------------------------------------------------------------


def _sheet(title: str, columns: Sequence[str], rows: Sequence[Row]) -> tuple[str, Sequence[str], Iterable[list[Any]]]:  # fmt: skip
    return title, columns, ([r.values.get(c) for c in columns] for r in rows)


def workbook(
    as_at: dt.date, lists: Sequence[int] = (1,), *, actor: Actor | None = None
) -> tuple[bytes, list[Row]]:
    """The XLSX (List_1, and List_2 when asked and a census extract is loaded), audited per child."""
    sheets = []
    rows: list[Row] = []
    if 1 in lists:
        rows = list_1(as_at)
        sheets.append(_sheet("List_1", LIST_1_COLUMNS, rows))
    if 2 in lists:
        sheets.append(_sheet("List_2", LIST_2_COLUMNS, list_2()))
    if actor is not None and rows:
        audit_each(
            actor,
            "export",
            "casework.child",
            ((r.child_id, r.case_id) for r in rows),
            f"Annex A List 1 as at {format_date(as_at)}",
        )
    return xlsx.workbook(sheets), rows
