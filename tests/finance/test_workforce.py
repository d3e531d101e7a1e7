"""Officers needed for the caseload (finance/workforce.py, pure) and the workforce screen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from sendcase.accounts.testing import verified_login
from sendcase.core.models import AuditEntry
from sendcase.finance.models import WorkforceAssumption
from sendcase.finance.workforce import Assumptions, officers

A = Assumptions(250, Decimal(30), Decimal(4), Decimal(1300))


@pytest.mark.parametrize(
    ("plans", "assessments", "by_caseload", "by_hours", "needed"),
    [
        (2500, 0, 10.0, 2500 * 4 / 1300, 10.0),  # the caseload binds
        (500, 400, 2.0, (400 * 30 + 500 * 4) / 1300, (400 * 30 + 500 * 4) / 1300),  # hours bind
        (0, 0, 0.0, 0.0, 0.0),
    ],
    ids=["caseload-binds", "hours-bind", "nothing"],
)
def test_officers_needed(
    plans: float, assessments: float, by_caseload: float, by_hours: float, needed: float
) -> None:
    o = officers(2027, plans, assessments, A)
    assert (o.by_caseload, o.by_hours, o.needed) == pytest.approx((by_caseload, by_hours, needed))


@pytest.mark.django_db
def test_the_screen_asks_for_assumptions_then_shows_four_years(
    client: Any, head: Any, costed: dict[str, Any]
) -> None:
    verified_login(client, head)
    url = reverse("finance:workforce")
    assert "No assumptions have been set" in client.get(url).content.decode()
    bad = client.post(url, {"caseload_target": "0", "hours_per_assessment": "x"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Plans per case officer must be 1 or more" in text
    assert "Enter the hours for an assessment as a number" in text
    good = {
        "caseload_target": "250", "hours_per_assessment": "30", "hours_per_plan_year": "6",
        "hours_per_officer_year": "1300",
    }  # fmt: skip
    assert client.post(url, good).status_code == 302
    row = WorkforceAssumption.objects.get(team=None)
    assert AuditEntry.objects.filter(
        object_type="finance.workforceassumption", object_id=str(row.pk)
    ).exists()
    page = client.get(url).content.decode()
    assert "Officers needed" in page and page.count("By caseload") >= 1
