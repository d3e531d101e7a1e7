"""The demo council's plans: structured content for each need type, every issued draft and final
plan passing the checks, and a few plans being written, each incomplete in its own way."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from sendcase.casework.domain.plan import facts_for, in_step_with_case
from sendcase.plans import checks
from sendcase.plans.models import PlanVersion, Provision
from sendcase.plans.queries import content_of

TODAY = "2025-11-24"


@pytest.mark.django_db
def test_demo_plans_have_structured_content_and_drafts_in_progress_show_the_checks() -> None:
    call_command(
        "demo", plans="40", seed="5", today=TODAY, stdout=io.StringIO(), stderr=io.StringIO()
    )
    issued = PlanVersion.objects.filter(kind__in=["draft", "final"], plan__isnull=False)
    assert issued.exists()
    # Every issued draft and final plan from the demo's own steps met every criterion
    judged = issued.exclude(quality_failures=None)
    assert judged.exists()
    assert all(v.quality_failures == [] for v in judged)
    for v in judged.select_related("plan")[:20]:
        content = content_of(v)
        assert content.needs and content.outcomes and content.provision
        assert all(n.description for n in content.needs)
        assert v.kind == "draft" or content.setting_type
    assert not Provision.objects.filter(version__in=judged, frequency="").exists()

    drafts = list(
        PlanVersion.objects.filter(working_copy_of__isnull=False).select_related(
            "working_copy_of__child"
        )
    )
    assert len(drafts) >= 2  # as many as the small council has open assessments, up to 4
    rules = []
    for copy in drafts:
        case = copy.working_copy_of
        content = in_step_with_case(content_of(copy), case, None, copy.kind)
        found = checks.problems(
            content, facts_for(case, None, copy.kind, dt.date.fromisoformat(TODAY))
        )
        assert found, "a demo draft in progress is deliberately incomplete"
        rules.append(frozenset(p.rule for p in found))
        assert copy.section_status["A"] == "completed"
    assert len(set(rules)) == len(rules)  # each incomplete in its own way
