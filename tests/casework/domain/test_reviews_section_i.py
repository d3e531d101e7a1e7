"""Section I kept in step with the placement: an issued plan is not rewritten when the child
moves, so the case page warns that section I and the current placement differ, and the next
amended plan names the current placement (proposed amendments name none, as a draft)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.models import Case
from sendcase.casework.scenarios import build_case, place
from sendcase.placements.models import Setting

WARNING = 'id="section-i-out-of-step"'


def test_the_case_page_warns_and_the_next_amended_plan_takes_the_placement(
    client_for: Any, officer: Any
) -> None:
    today = timezone.localdate()
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    client = client_for(officer)
    url = reverse("casework:case", args=[case.pk])
    assert WARNING not in client.get(url).content.decode()  # the plan names its placement

    school = Setting.objects.create(
        name="Hill Primary", urn="100001", kind="academy", phase="primary"
    )
    place(case, officer, today - dt.timedelta(days=30), setting=school)
    page = client.get(url).content.decode()
    assert WARNING in page
    warning = re.search(r'id="section-i-out-of-step".*?</div>', page, re.S)
    assert warning is not None
    assert "names only a type of setting (Other)" in warning.group(0)
    assert "current placement is Hill Primary" in warning.group(0)

    record_review_meeting(case, meeting_on=today - dt.timedelta(days=30), actor=officer)
    record_review_decision(
        case, decided_on=today - dt.timedelta(days=25), outcome="amend", actor=officer
    )
    proposed = record_amendment_notice(case, issued_on=today - dt.timedelta(days=20), actor=officer)
    assert proposed.setting_id is None and proposed.setting_type == ""  # as a draft
    amended = record_final_amended_plan(case, issued_on=today, actor=officer)
    assert amended.setting_id == school.pk and amended.setting_type == "mainstream"
    assert WARNING not in client.get(url).content.decode()
    assert Case.objects.get(pk=case.pk).plan.versions.count() == 4


def test_a_final_amended_plan_with_no_current_placement_is_refused(officer: Any) -> None:
    import pytest

    from sendcase.casework.domain.plan import PlanNotReady

    today = timezone.localdate()
    case = build_case(stage="plan", officer=officer, weeks_ago=60)
    case.plan.placements.update(leaving_date=today - dt.timedelta(days=40))  # left, none since
    record_review_meeting(case, meeting_on=today - dt.timedelta(days=30), actor=officer)
    record_review_decision(
        case, decided_on=today - dt.timedelta(days=25), outcome="amend", actor=officer
    )
    record_amendment_notice(case, issued_on=today - dt.timedelta(days=20), actor=officer)
    with pytest.raises(PlanNotReady) as refused:
        record_final_amended_plan(case, issued_on=today, actor=officer)
    assert [(p.section, p.anchor) for p in refused.value.problems] == [("I", "setting")]
    assert Case.objects.get(pk=case.pk).plan.versions.count() == 3  # nothing issued
