"""Plan quality as a measure: the share of plans issued in the period meeting every criterion,
which criteria fail most, and the plans behind the figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from sendcase.casework.domain.assessment import open_case_from_request, record_decision_to_assess
from sendcase.casework.domain.plan import record_final_plan
from sendcase.demo.plan_content import lawful_content
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain.periods import Period

D = dt.date
KEY = "plans_meeting_quality_criteria"
YEAR = Period(D(2024, 1, 1), D(2024, 12, 31))


def cases_url(part: str = "all") -> str:
    query = {"measure": KEY, "part": part, "from": "2024-01-01", "to": "2024-12-31"}
    return reverse("reporting:cases") + "?" + urlencode(query)


def _vague() -> Any:
    c = lawful_content(("ASD",))
    return replace(
        c,
        provision=[replace(c.provision[0], description="Access to a speech therapist as required")]
        + c.provision[1:],
    )


def _plans(officer: Any, build: Any) -> dict[str, Any]:
    received = D(2024, 2, 5)
    good = build.plan_case(officer, received, received + dt.timedelta(days=100))
    vague = build.plan_case(
        officer, received, received + dt.timedelta(days=110), final_content=_vague()
    )
    earlier = build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 1), final_content=_vague())
    imported = open_case_from_request(
        build.child(), received_on=received, source=1, actor=officer, today=D(2026, 1, 31)
    )
    record_decision_to_assess(
        imported, decided_on=D(2024, 3, 1), outcome="assess", actor=officer, today=D(2026, 1, 31)
    )
    record_final_plan(
        imported,
        issued_on=D(2024, 6, 3),
        actor=officer,
        today=D(2026, 1, 31),
        import_mode=True,
        notify=False,
        needs=[("ASD", "")],
    )
    return {"good": good, "vague": vague, "earlier": earlier, "imported": imported}


def test_share_of_plans_meeting_every_criterion(officer: Any, build: Any) -> None:
    plans = _plans(officer, build)
    result = m.measure(KEY, YEAR)
    # the plan imported from another system has no content to judge: not counted
    assert (result.numerator, result.denominator) == (1, 2)
    assert set(result.numerator_ids) == {plans["good"].pk}
    assert set(result.denominator_ids) == {plans["good"].pk, plans["vague"].pk}
    assert result.pc == 50.0
    failing = m.failing_criteria(YEAR)
    assert failing[0][:1] == ("specific_wording",) and failing[0][2] == 1
    assert len(failing) == len(m.CRITERIA) and all(n == 0 for _c, _l, n in failing[1:])


def test_the_drilldown_lists_the_plans_and_the_criteria_they_miss(
    officer: Any, head: Any, build: Any, client_for: Any
) -> None:
    plans = _plans(officer, build)
    html = client_for(head).get(cases_url("outside")).content.decode()
    assert plans["vague"].reference in html and plans["good"].reference not in html
    assert "no vague wording" in html
    assert 'id="failing-criteria"' in html
    assert 'data-criterion="specific_wording"' in html
