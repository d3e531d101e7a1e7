"""Importing the school census and attendance extract (the CSV shape is in docs/inspection.md).

All or nothing: a file with any bad line is refused whole, with every problem listed by line.
A good file replaces the previous extract.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit
from sendcase.inspection.models import CensusImport, CensusPupil

COLUMNS = (
    "upn",
    "uln",
    "date_of_birth",
    "gender",
    "ethnicity",
    "sen_provision",
    "primary_need",
    "urn",
    "phase",
    "subsidiary_phase",
    "elective_home_education",
    "suspensions",
    "permanent_exclusions",
    "absence",
    "pupil_premium",
    "known_to_social_care",
    "social_care_team",
    "disability",
)
REQUIRED = ("date_of_birth",)
YN = ("elective_home_education", "pupil_premium", "known_to_social_care", "disability")


class CensusError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def _row(line: int, raw: dict[str, str], problems: list[str]) -> CensusPupil | None:
    values: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    start = len(problems)
    try:
        values["date_of_birth"] = dt.date.fromisoformat(values["date_of_birth"])
    except ValueError:
        problems.append(f"Line {line}: date_of_birth must be a date like 2015-03-14")
    if not (values["upn"] or values["uln"]):
        problems.append(f"Line {line}: enter a upn or a uln")
    if values["sen_provision"] not in ("", "E", "K", "N"):
        problems.append(f"Line {line}: sen_provision must be E, K, N or empty")
    for k in YN:
        values[k] = values[k].upper()[:1]
        if values[k] not in ("", "Y", "N"):
            problems.append(f"Line {line}: {k} must be Y, N or empty")
    for k in ("suspensions", "permanent_exclusions"):
        if values[k] == "":
            values[k] = None
        elif values[k].isdigit():
            values[k] = int(values[k])
        else:
            problems.append(f"Line {line}: {k} must be a whole number or empty")
    if values["absence"] == "":
        values["absence"] = None
    else:
        try:
            values["absence"] = Decimal(values["absence"]).quantize(Decimal("0.1"))
            if not 0 <= values["absence"] <= 100:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"Line {line}: absence must be a percentage from 0 to 100")
    for k, field in (("upn", 13), ("uln", 10), ("urn", 8), ("social_care_team", 120)):
        if len(values[k]) > field:
            problems.append(f"Line {line}: {k} must be {field} characters or fewer")
    return CensusPupil(**values) if len(problems) == start else None


def import_census(text: str, *, census_date: dt.date, file_name: str, actor: Actor) -> CensusImport:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CensusError([f"The header row is missing: {', '.join(missing)}"])
    problems: list[str] = []
    pupils = [p for line, raw in enumerate(reader, start=2) if (p := _row(line, raw, problems))]
    if problems:
        raise CensusError(problems)
    with transaction.atomic():
        CensusPupil.objects.all().delete()
        CensusPupil.objects.bulk_create(pupils, batch_size=2000)
        done = CensusImport.objects.create(
            census_date=census_date,
            file_name=file_name[:200],
            rows=len(pupils),
            imported_by=user_of(actor),
        )
        audit(actor, "import", done, f"Imported the school census extract {file_name} ({len(pupils)} pupils)")  # fmt: skip
    return done
