"""Done when: the demo council's List 1 passes every inspectors' check with zero errors."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import override_settings

from sendcase.inspection import annex_a

TODAY = dt.date(2026, 1, 31)


@pytest.fixture(scope="module")
def demo_council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        call_command("demo", plans="150", seed="1", today=TODAY.isoformat(), stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_councils_list_1_has_no_errors(demo_council: Any, tmp_path: Any) -> None:
    rows = annex_a.list_1(TODAY)
    assert len(rows) >= 100
    problems = annex_a.check(rows, TODAY)
    errors = [p for p in problems if p.error]
    assert errors == [], errors[:10]
    out = tmp_path / "a.xlsx"
    call_command("annex-a", "--as-at", TODAY.isoformat(), "--out", str(out), stdout=io.StringIO())
    ws = openpyxl.load_workbook(out)["List_1"]
    assert ws.max_row == len(rows) + 1


@pytest.mark.django_db
def test_a_demo_childs_sar_bundle_holds_every_event_and_record(demo_council: Any) -> None:
    """Done when: the bundle for a demo child holds every event, plan version, placement,
    review and contact its record shows."""
    import csv
    import zipfile

    from django.db.models import Count

    from sendcase.accounts.models import User
    from sendcase.casework.models import Case, Child, ContactLogEntry, StatutoryEvent
    from sendcase.information import actions, bundle
    from sendcase.placements.models import Placement
    from sendcase.plans.models import PlanVersion
    from sendcase.reviews.models import AnnualReview

    child_id = Case.objects.values("child_id").annotate(n=Count("events")).order_by("-n")[0]["child_id"]  # fmt: skip
    child = Child.objects.get(pk=child_id)
    ig = User.objects.get(username="demo.ig")
    sar = actions.log_sar(child, requester="Parent", relationship="Mother", received_on=TODAY, actor=ig, today=TODAY)  # fmt: skip
    z = zipfile.ZipFile(io.BytesIO(bundle.build(sar)))

    def ids(name: str) -> set[str]:
        if name not in z.namelist():
            return set()
        return {r["id"] for r in csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig")))}

    for name, model, lookup in (
        ("record/casework-statutoryevent.csv", StatutoryEvent, "case__child"),
        ("record/plans-planversion.csv", PlanVersion, "plan__case__child"),
        ("record/placements-placement.csv", Placement, "plan__case__child"),
        ("record/reviews-annualreview.csv", AnnualReview, "plan__case__child"),
        ("record/casework-contactlogentry.csv", ContactLogEntry, "case__child"),
    ):
        held = {str(pk) for pk in model.objects.filter(**{lookup: child}).values_list("pk", flat=True)}  # fmt: skip
        assert ids(name) == held, name
    assert StatutoryEvent.objects.filter(case__child=child).count() > 5
