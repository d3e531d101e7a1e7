"""Loading DfE's published "Education, health and care plans" release into our own tables.

Only the "all plans" rows (no breakdown) for England, each region and each council
are kept, and only the columns of measures SENDcase computes too (listed in TABLES).
The whole release is read and checked before anything is written; the write is one
transaction, so a bad file leaves the database as it was. A release already imported
(same SHA-256) is not imported again; a newer release updates the figures it
republishes (one row per table, year, area and measure).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendcase.core import ees
from sendcase.core.actors import Actor, user_of
from sendcase.reporting.models import EESArea, EESFigure, EESRelease
from sendcase.statutory.dates import format_date

_RESOURCED = (
    "mainstream_la_maintained_resourced_provision",
    "mainstream_la_maintained_senunit",
    "mainstream_academy_resourced_provision",
    "mainstream_academy_senunit",
    "mainstream_free_school_resourced_provision",
    "mainstream_free_school_senunit",
)
_NEEDS = tuple(
    f"number_{n}"
    for n in ("asd", "hi", "mld", "msi", "oth", "pd", "pmld", "semh", "slcn", "sld", "spld", "vi")
) + ("number_need_unknown",)

# table -> the columns we keep (every one must be present in the release).
TABLES: dict[str, tuple[str, ...]] = {
    "requests": (
        "requests_received_in_year",
        "request_outcome_six_weeks",
        "request_outcome_over_6_weeks",
        "request_outcome_six_weeks_pc",
    ),
    "timeliness_20_week": (
        "plans_issued_den",
        "plans_issued_den_ex",
        "plans_issued_within_20_weeks",
        "plans_issued_20_weeks_ex",
        "pc_plans_issued_within_20_weeks",
        "PC_plans_issued_20_weeks_ex",
        "plans_issued_gt20weeks_ltYear",
        "pc_plans_issued_gt20weeks_ltYear",
        "plans_issued_gt_1_year",
        "pc_plans_issued_gt_1_year",
    ),
    "assessments": (
        "assess_not_issued",
        "outcome_decision_within_time",
        "outcome_decision_within_time_pc",
    ),
    "annual_reviews": ("number_decsion_4weeks", "number_decision_gt_4weeks", "pc_decsion_4weeks"),
    "caseload": (
        "ehcplans",
        "mainstream_total",
        *_RESOURCED,
        "special_la_maintained",
        "special_academy_free",
        "special_independent",
        "special_non_maintained",
        "fe_total",
        "ap_pru_total",
        "nm_early_years",
    ),
    "sen_needs_all_plans": ("ehc_plans", *_NEEDS),
    "newplans": ("new_ehc_plans",),
    "ceased_plans": (
        "max_age",
        "needs_met",
        "he",
        "employ",
        "transfer",
        "no_engage",
        "moved_outside_eng",
        "deceased",
        "other",
        "total_ceased",
    ),
}
RESOURCED_COLUMNS = _RESOURCED
NEED_COLUMNS = _NEEDS

_LEVELS = {
    "National": EESArea.Level.NATIONAL,
    "Regional": EESArea.Level.REGIONAL,
    "Local authority": EESArea.Level.LOCAL,
}
_KEYS = ("time_period", "geographic_level", "breakdown_topic", "breakdown")


class ReleaseError(Exception):
    """The file cannot be imported; the message says why in plain words."""


@dataclass(frozen=True)
class Outcome:
    release: EESRelease
    created: bool
    figures: int
    areas: int

    def message(self) -> str:
        if not self.created:
            return (
                f"{self.release.filename} was already imported on "
                f"{format_date(timezone.localtime(self.release.imported_at).date())}: nothing changed."
            )
        return f"Imported {self.figures:,} figures for {self.areas:,} areas from {self.release.filename}."


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _area(row: dict[str, str]) -> tuple[str, dict[str, str]] | None:
    level = _LEVELS.get(row.get("geographic_level", "").strip())
    if level is None:
        return None
    if level == EESArea.Level.NATIONAL:
        code, name, la = row.get("country_code", ""), row.get("country_name", ""), ""
    elif level == EESArea.Level.REGIONAL:
        code, name, la = row.get("region_code", ""), row.get("region_name", ""), ""
    else:
        code, name, la = (
            row.get("new_la_code", ""),
            row.get("la_name", ""),
            row.get("old_la_code", ""),
        )
    code, name = code.strip(), name.strip()
    if not code or not name:
        return None
    return code, {
        "level": level,
        "name": name,
        "la_code": la.strip(),
        "region_code": row.get("region_code", "").strip() if level == "local" else "",
    }


def read_release(path: Path) -> tuple[dict[str, dict[str, str]], list[dict[str, Any]]]:
    """Read and check the whole release: (areas by code, figures). Raises ReleaseError."""
    try:
        present = set(ees.tables(path))
    except ees.EESFormatError as exc:
        raise ReleaseError(f"{path.name} is not a zip file DfE published: {exc}") from exc
    missing = [t for t in TABLES if t not in present]
    if missing:
        raise ReleaseError(
            f"{path.name} is not DfE's 'Education, health and care plans' release "
            f"(2023 or later): it has no {', '.join(missing)} table"
            f"{'s' if len(missing) > 1 else ''}."
        )
    areas: dict[str, dict[str, str]] = {}
    figures: dict[tuple[str, str, str, str], float | None] = {}
    for table, columns in TABLES.items():
        seen_header = False
        try:
            for line, row in enumerate(ees.rows(path, table), start=2):
                if not seen_header:
                    absent = [c for c in (*_KEYS, *columns) if c not in row]
                    if absent:
                        raise ReleaseError(
                            f"{path.name}: the {table} table has no column "
                            f"{', '.join(absent[:3])}{' and more' if len(absent) > 3 else ''}."
                        )
                    seen_header = True
                if row["breakdown_topic"].strip() != row["breakdown"].strip():
                    continue
                period = row["time_period"].strip()
                if not period.isdigit() or len(period) not in (4, 6):
                    raise ReleaseError(
                        f"{path.name}: line {line} of the {table} table has the year {period!r}, "
                        "which is not a year such as 2024 or 202425."
                    )
                found = _area(row)
                if found is None:
                    continue
                code, area = found
                areas.setdefault(code, area)
                for column in columns:
                    figures[(table, period, code, column)] = ees.number(row[column])
        except ees.EESFormatError as exc:
            raise ReleaseError(f"{path.name}: {exc}") from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise ReleaseError(f"{path.name}: the {table} table cannot be read ({exc}).") from exc
        if not seen_header:
            raise ReleaseError(f"{path.name}: the {table} table is empty.")
    if not figures:
        raise ReleaseError(f"{path.name} has no figures for England, a region or a council.")
    rows = [
        {"table": t, "time_period": p, "area_code": a, "measure": m, "value": v}
        for (t, p, a, m), v in figures.items()
    ]
    return areas, rows


def import_release(path: str | Path, *, actor: Actor | None = None) -> Outcome:
    """Import a release zip (idempotent). Raises ReleaseError with a plain message, writing nothing."""
    path = Path(path)
    if not path.is_file():
        raise ReleaseError(f"There is no file at {path}.")
    sha = _sha256(path)
    existing = EESRelease.objects.filter(sha256=sha).first()
    if existing is not None:
        return Outcome(existing, False, 0, 0)
    areas, rows = read_release(path)
    with transaction.atomic():
        release = EESRelease.objects.create(
            filename=path.name,
            sha256=sha,
            imported_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
            figures=len(rows),
        )
        EESArea.objects.bulk_create(
            [EESArea(code=code, **fields) for code, fields in areas.items()],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["level", "name", "la_code", "region_code"],
        )
        EESFigure.objects.bulk_create(
            [EESFigure(release=release, **row) for row in rows],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["table", "time_period", "area_code", "measure"],
            update_fields=["value", "release"],
        )
    return Outcome(release, True, len(rows), len(areas))
