"""plans.queries: a version's content read back from its rows, one version or many at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain.plan import fill_fields, write_rows
from sendcase.casework.models import Case, Child
from sendcase.demo.plan_content import lawful_content
from sendcase.placements.models import Setting
from sendcase.plans.content import PlanContent
from sendcase.plans.models import Plan, PlanVersion
from sendcase.plans.queries import content_of, contents_of

ISSUED = dt.date(2025, 3, 3)


def stored(plan: Plan, number: int, content: PlanContent) -> PlanVersion:
    """A version of the plan holding `content`, written as the actions write one."""
    version = PlanVersion(plan=plan, number=number, kind="final", issued_on=ISSUED)
    fill_fields(version, content)
    version.save()
    write_rows(version, content)
    return version


@pytest.fixture
def plan(child: Child) -> Plan:
    case = Case.objects.create(reference="EHC-25-00001", child=child, opened_on=ISSUED)
    return Plan.objects.create(case=case)


@pytest.mark.django_db
def test_many_versions_read_at_once_are_each_as_written(
    plan: Plan, django_assert_num_queries: Any
) -> None:
    school = Setting.objects.create(name="Hill Primary School")
    written = [
        lawful_content(("ASD",)),
        lawful_content(("SLCN", "MLD", "SEMH"), setting_id=school.pk),
        PlanContent(child_views="Nothing else written yet."),  # no needs, outcomes or provision
    ]
    versions = [stored(plan, n, content) for n, content in enumerate(written, start=1)]
    expected = [
        written[0],
        # section I reads the setting's name from the register
        PlanContent(**{**vars(written[1]), "setting_name": "Hill Primary School"}),
        written[2],
    ]
    assert (
        written[0].outcomes and written[1].provision[0].needs and written[1].provision[0].outcomes
    )
    fresh = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    # needs, outcomes, provision and their three kinds of link, and the settings named
    with django_assert_num_queries(7):
        found = contents_of(fresh)
    assert found == {v.pk: content for v, content in zip(versions, expected, strict=True)}
    assert [content_of(v) for v in fresh] == expected


@pytest.mark.django_db
def test_a_version_without_outcomes_or_provision_reads_no_links(
    plan: Plan, django_assert_num_queries: Any
) -> None:
    version = stored(plan, 1, PlanContent(parent_views="We asked for an assessment."))
    with django_assert_num_queries(3):  # needs, outcomes, provision
        assert content_of(version) == PlanContent(parent_views="We asked for an assessment.")


@pytest.mark.django_db
def test_no_versions_no_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert contents_of([]) == {}
