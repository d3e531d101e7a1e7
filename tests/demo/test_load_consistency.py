"""The demo council is internally consistent: a small council, built once for the module."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from sendcase.casework.domain.appeals import is_live
from sendcase.casework.domain.deadlines import compute_for_case
from sendcase.casework.domain.refresh import refresh_cases
from sendcase.casework.models import (
    Appeal,
    AssessmentRequest,
    Case,
    Deadline,
    Stage,
    StatutoryEvent,
)
from sendcase.core.models import AuditEntry
from sendcase.placements.models import Placement
from sendcase.plans.models import Need, Plan, PlanVersion
from sendcase.reviews.models import AnnualReview

TODAY = dt.date(2025, 11, 24)  # a Monday


@pytest.fixture(scope="module")
def council(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), override_settings(SENDCASE_DEMO=True):
        out = io.StringIO()
        call_command(
            "demo", plans="150", seed="5", today=TODAY.isoformat(), stdout=out, stderr=io.StringIO()
        )
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@pytest.mark.django_db
def test_about_the_asked_number_of_active_plans(council: str) -> None:
    active = Plan.objects.filter(status=Plan.Status.ACTIVE).count()
    assert 135 <= active <= 165
    assert "demo.head" in council and "sendcase-demo" in council


@pytest.mark.django_db
def test_no_plan_before_its_request(council: str) -> None:
    plans = Plan.objects.select_related("case__request").exclude(case__request=None)
    assert plans.exists()
    for plan in plans:
        received = plan.case.request.received_on
        for day in (plan.draft_issued_on, plan.first_issued_on):
            assert day is None or day >= received, plan.case.reference
        assert plan.case.request.decision_on is None or plan.case.request.decision_on >= received


@pytest.mark.django_db
def test_no_review_before_its_plan(council: str) -> None:
    reviews = AnnualReview.objects.select_related("plan").exclude(meeting_on=None)
    assert reviews.count() > 100
    for review in reviews:
        assert review.meeting_on >= review.plan.first_issued_on
        assert review.decision_on is None or review.decision_on >= review.meeting_on


@pytest.mark.django_db
def test_ages_0_to_25_at_every_event(council: str) -> None:
    dobs = dict(Case.objects.values_list("pk", "child__date_of_birth"))
    count = 0
    for case_id, day in StatutoryEvent.objects.values_list("case_id", "date"):
        assert 0 <= _age(dobs[case_id], day) <= 25, (case_id, day)
        count += 1
    assert count > 1000


@pytest.mark.django_db
def test_no_plan_is_active_past_the_26th_birthday(council: str) -> None:
    plans = Plan.objects.exclude(first_issued_on=None).values_list(
        "case__child__date_of_birth", "cease_date"
    )
    assert plans
    for dob, cease in plans:
        assert _age(dob, cease or TODAY) <= 25, (dob, cease)


@pytest.mark.django_db
def test_identifiers_are_unique_and_well_formed(council: str) -> None:
    from sendcase.casework.models import Child
    from sendcase.placements.models import Setting

    upns = [u for u in Child.objects.values_list("upn", flat=True) if u]
    assert upns and len(upns) == len(set(upns))
    ukprns = [u for u in Setting.objects.values_list("ukprn", flat=True) if u]
    assert ukprns and all(len(u) == 8 and u.startswith("1") and u.isdigit() for u in ukprns)


@pytest.mark.django_db
def test_the_whole_person_is_recorded_as_annex_a_and_sen2_ask(council: str) -> None:
    """Every demo child has what Annex A checks for (ethnicity, disability, social care) and
    identifiers and contacts that pass the checks every form makes (sendcase.core.identity)."""
    from sendcase.casework.models import Child, FamilyContact
    from sendcase.core import identity
    from sendcase.core.codes import Ethnicity, Language

    children = list(Child.objects.all())
    for c in children:
        assert c.ethnicity in Ethnicity.values and c.first_language in Language.values, c.pk
        assert c.disability in ("Y", "N") and c.known_to_social_care in ("Y", "N"), c.pk
        assert bool(c.social_care_team) == (c.known_to_social_care == "Y"), c.pk
        assert identity.is_upn(c.upn) and identity.is_nhs_number(c.nhs_number), c.pk
        assert identity.clean_postcode(c.postcode) == c.postcode, c.pk
    nhs = [c.nhs_number for c in children]
    assert len(nhs) == len(set(nhs))
    # A mix, not one value: several ethnicities and languages, both answers to each question.
    assert len({c.ethnicity for c in children}) >= 8
    assert len({c.first_language for c in children}) >= 3
    assert {c.disability for c in children} == {"Y", "N"}
    assert {c.known_to_social_care for c in children} == {"Y", "N"}
    for contact in FamilyContact.objects.all():
        assert contact.parental_responsibility is True and contact.preferred_contact
        assert identity.clean_phone(contact.phone) == contact.phone
        assert identity.clean_email(contact.email) == contact.email


@pytest.mark.django_db
def test_exactly_one_primary_need_per_plan(council: str) -> None:
    rank1: Counter[int] = Counter(Need.objects.filter(rank=1).values_list("version_id", flat=True))
    latest: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.order_by("plan_id", "number"):
        latest[version.plan_id] = version
        assert rank1[version.pk] == 1, f"version {version.pk} has {rank1[version.pk]} rank-1 needs"
    for plan in Plan.objects.all():
        assert plan.pk in latest, f"plan {plan.pk} has no version"
        primary = Need.objects.get(version=latest[plan.pk], rank=1)
        assert plan.primary_need == primary.code


@pytest.mark.django_db
def test_placements_within_plan_dates(council: str) -> None:
    placements = Placement.objects.select_related("plan")
    assert placements.count() > 100
    per_plan: dict[int, list[Placement]] = defaultdict(list)
    for p in placements:
        plan = p.plan
        assert p.entry_date >= plan.first_issued_on
        assert p.leaving_date is None or p.leaving_date >= p.entry_date
        if plan.cease_date is not None:
            assert p.leaving_date is not None and p.leaving_date <= plan.cease_date
        per_plan[plan.pk].append(p)
    for rows in per_plan.values():  # one placement at a time
        rows.sort(key=lambda p: p.entry_date)
        for a, b in zip(rows, rows[1:], strict=False):
            assert a.leaving_date is not None and a.leaving_date < b.entry_date


@pytest.mark.django_db
def test_stored_deadlines_equal_the_clock(council: str) -> None:
    ids = sorted(Case.objects.values_list("pk", flat=True))
    for pk in random.Random(1).sample(ids, 40):
        case = Case.objects.get(pk=pk)
        computed = {
            (d.key, d.instance): (d.trigger, d.due, d.completed_on, d.status, d.explanation)
            for d in compute_for_case(case, today=TODAY)
        }
        stored = {
            (d.key, d.instance): (d.trigger, d.due, d.completed_on, d.status, d.explanation)
            for d in case.deadlines.all()
        }
        assert stored == computed, case.reference


@pytest.mark.django_db
def test_refresh_after_the_load_changes_nothing(council: str) -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        return sorted(
            Deadline.objects.values_list(
                "case_id",
                "key",
                "instance",
                "trigger",
                "due",
                "completed_on",
                "status",
                "explanation",
            )
        ) + sorted(Case.objects.values_list("pk", "next_due", "next_key", "overdue_count"))

    before = snapshot()
    refresh_cases(sorted(Case.objects.values_list("pk", flat=True)), today=TODAY)
    assert snapshot() == before


@pytest.mark.django_db
def test_today_looks_like_a_working_monday(council: str) -> None:
    stages = Counter(Case.objects.values_list("stage", flat=True))
    assert stages[Stage.REQUESTED] > 0  # requests waiting for a decision
    assert stages[Stage.ASSESSING] > 0  # assessments in progress
    statuses = Counter(
        Deadline.objects.filter(
            case__stage__in=(Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT, Stage.PLAN)
        ).values_list("status", flat=True)
    )
    assert statuses["overdue"] > 0 and statuses["due_soon"] > 0 and statuses["open"] > 0
    assert Case.objects.exclude(next_due=None).filter(stage=Stage.PLAN).exists()
    assert AssessmentRequest.objects.filter(decision="not_assess").exists()
    assert Plan.objects.filter(status=Plan.Status.CEASED).exists()


@pytest.mark.django_db
def test_a_case_is_disputed_exactly_while_it_has_a_live_appeal(council: str) -> None:
    appeals = list(Appeal.objects.all())
    assert len(appeals) >= 10
    live = {a.case_id for a in appeals if is_live(a)}  # a small council may have none today
    assert set(Case.objects.filter(disputed=True).values_list("pk", flat=True)) == live


@pytest.mark.django_db
def test_one_import_entry_records_the_load(council: str) -> None:
    entries = AuditEntry.objects.filter(action="import", object_type="demo.council")
    assert entries.count() == 1
    assert entries.get().payload["seed"] == 5
