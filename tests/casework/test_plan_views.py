"""The plan editor: a working copy written section by section on a GOV.UK task list, saved as
the officer goes (locked and audited like every form), issued only when they choose and only
when it passes the checks; amendments start from the plan as it stands."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain.plan import PlanNotReady, record_draft_plan, working_copy
from sendcase.casework.domain.plan_editor import save_working_copy, start_working_copy
from sendcase.casework.models import Case, Stage
from sendcase.casework.scenarios import build_case, place
from sendcase.core.models import AuditEntry
from sendcase.demo.plan_content import lawful_content, write_plan
from sendcase.placements.models import Setting
from sendcase.plans.models import PlanVersion
from sendcase.plans.queries import content_of


def _version(client, url: str) -> str:
    return re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)


def _post(client, url: str, data: dict[str, str]):
    return client.post(url, {"version": _version(client, url), **data})


def _task_status(html: str, key: str) -> str:
    m = re.search(rf'id="task-{key}-status">(?:<strong[^>]*>)?([^<]+)<', html)
    assert m, key
    return m.group(1)


@pytest.fixture
def assessing(officer) -> Case:
    return build_case(stage="advice", officer=officer, weeks_ago=12)


def test_writing_a_plan_section_by_section(client_for, officer, assessing):
    client = client_for(officer)
    editor = reverse("casework:plan_editor", args=[assessing.pk])
    assert "Start writing the plan" in client.get(editor).content.decode()
    response = client.post(editor, {"version": str(Case.objects.get(pk=assessing.pk).version)})
    assert response.status_code == 302
    html = client.get(editor).content.decode()
    assert "Write the draft plan" in html
    assert _task_status(html, "A") == "Not started"
    # K is filled in from the advice received before anything is typed
    assert _task_status(html, "K") == "In progress"
    assert "own views in section A" in html  # what stops it being issued, linked to its section

    a = reverse("casework:plan_section", args=[assessing.pk, "A"])
    response = _post(
        client, a, {"child_views": "I like trains", "parent_views": "", "completed": "yes"}
    )
    assert response.status_code == 302
    assert _task_status(client.get(editor).content.decode(), "A") == "Completed"
    b_new = reverse("casework:plan_row_new", args=[assessing.pk, "B"])
    _post(client, b_new, {"code": "SLCN", "description": "Speech is hard to follow"})
    _post(client, b_new, {"code": "ASD", "description": "Routines matter", "primary": "on"})
    content = content_of(working_copy(assessing))
    assert [n.code for n in content.needs] == ["ASD", "SLCN"]  # the primary need is first
    e_new = reverse("casework:plan_row_new", args=[assessing.pk, "E"])
    _post(
        client,
        e_new,
        {"text": "Ask for help", "needs": ["0", "1"], "by_when": "July 2028", "steps": "Termly"},
    )
    f_new = reverse("casework:plan_row_new", args=[assessing.pk, "F"])
    _post(
        client,
        f_new,
        {
            "description": "Social communication group",
            "staff_role": "Speech and language therapist",
            "frequency": "Weekly",
            "duration": "45 minutes",
            "group_size": "4",
            "needs": ["0", "1"],
            "outcomes": ["0"],
        },
    )
    content = content_of(working_copy(assessing))
    assert content.outcomes[0].needs == [0, 1]
    assert content.provision[0].needs == [0, 1] and content.provision[0].outcomes == [0]
    # Removing a need drops it from the rows that served it
    remove = reverse("casework:plan_row_remove", args=[assessing.pk, "B", 1])
    client.post(remove, {"version": str(Case.objects.get(pk=assessing.pk).version)})
    content = content_of(working_copy(assessing))
    assert [n.code for n in content.needs] == ["ASD"]
    assert content.outcomes[0].needs == [0] and content.provision[0].needs == [0]
    saved = AuditEntry.objects.filter(case=assessing, summary__startswith="Plan section")
    assert saved.count() == 6  # A, two needs, an outcome, provision, a need removed
    # Nothing has been issued
    assert not PlanVersion.objects.filter(plan__case=assessing).exists()


def test_section_i_stays_empty_in_a_draft(client_for, officer, assessing):
    client = client_for(officer)
    start_working_copy(assessing, actor=officer)
    url = reverse("casework:plan_section", args=[assessing.pk, "I"])
    html = client.get(url).content.decode()
    assert "section 38(5)" in html
    _post(client, url, {"setting_type": "mainstream", "completed": "yes"})
    assert content_of(working_copy(assessing)).setting_type == ""


def test_section_k_lists_the_advice_and_cannot_be_typed(client_for, officer, assessing):
    client = client_for(officer)
    start_working_copy(assessing, actor=officer)
    html = client.get(reverse("casework:plan_section", args=[assessing.pk, "K"])).content.decode()
    advice = assessing.advice_requests.get()
    assert advice.provider in html
    assert "<textarea" not in html


def test_a_stale_section_is_refused_and_kept(client_for, officer, teammate, assessing):
    client = client_for(officer)
    start_working_copy(assessing, actor=officer)
    url = reverse("casework:plan_section", args=[assessing.pk, "A"])
    seen = _version(client, url)
    save_working_copy(
        Case.objects.get(pk=assessing.pk),
        section="C",
        content=lawful_content(),
        completed=True,
        actor=teammate,
    )
    response = client.post(url, {"version": seen, "child_views": "Mine", "completed": "no"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this case" in html
    assert "Mine" in html


def test_issuing_an_incomplete_plan_is_refused_with_links_to_each_section(
    client_for, officer, assessing, dates
):
    client = client_for(officer)
    start_working_copy(assessing, actor=officer)
    url = reverse("casework:step", args=[assessing.pk, "draft-plan"])
    response = _post(client, url, dates(issued_on=timezone.localdate()))
    html = response.content.decode()
    assert 'id="plan-problems"' in html
    links = re.findall(r'<li><a href="(/cases/\d+/plan/write/[A-K][12]?/#[\w-]+)">', html)
    assert {re.search(r"/write/(\w+)/", link).group(1) for link in links} >= {"A", "B", "E"}
    assert Case.objects.get(pk=assessing.pk).stage == Stage.ASSESSING
    with pytest.raises(PlanNotReady) as refused:
        record_draft_plan(assessing, issued_on=timezone.localdate(), actor=officer)
    assert any(p.section == "B" for p in refused.value.problems)


def test_draft_final_and_amendment_from_the_editor(client_for, officer, dates):
    case = build_case(stage="advice", officer=officer, weeks_ago=20)
    client = client_for(officer)
    write_plan(case, officer, lawful_content(("ASD",)))
    draft_on = timezone.localdate() - __import__("datetime").timedelta(days=20)
    response = _post(
        client, reverse("casework:step", args=[case.pk, "draft-plan"]), dates(issued_on=draft_on)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(pk=case.pk)
    draft = case.plan.versions.get()
    assert draft.kind == "draft" and draft.setting_type == "" and draft.setting_id is None
    assert content_of(draft).advice  # K: the advice received
    assert draft.quality_failures == []
    assert working_copy(case) is None

    # The final plan starts from the draft; section I from the register
    start_working_copy(case, actor=officer)
    copy = working_copy(case)
    assert copy.kind == "final" and content_of(copy).needs == content_of(draft).needs
    school = Setting.objects.create(
        name="Hill Primary", urn="100001", kind="academy", phase="primary"
    )
    i = reverse("casework:plan_section", args=[case.pk, "I"])
    assert _post(client, i, {"setting": "100001", "completed": "yes"}).status_code == 302
    # No current placement: refused, in the error summary, linked to section I
    refused = _post(
        client,
        reverse("casework:step", args=[case.pk, "final-plan"]),
        dates(issued_on=timezone.localdate()),
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in page
    assert f'<a href="{i}#setting">Record the child&#x27;s current placement' in page
    assert Case.objects.get(pk=case.pk).plan.versions.count() == 1  # nothing issued
    section_i = client.get(i).content.decode()
    assert "No current placement is recorded for the child" in section_i
    place(Case.objects.get(pk=case.pk), officer, setting=school)
    assert "current placement: Hill Primary" in client.get(i).content.decode()
    response = _post(
        client,
        reverse("casework:step", args=[case.pk, "final-plan"]),
        dates(issued_on=timezone.localdate()),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    final = Case.objects.get(pk=case.pk).plan.versions.get(number=2)
    assert final.setting == school

    compare = client.get(reverse("casework:plan_compare", args=[case.pk])).content.decode()
    assert re.search(r'data-section="I" data-status="added"', compare)
    assert re.search(r'data-section="B" data-status="unchanged"', compare)
    assert "Hill Primary" in compare

    # An amendment starts from the plan as it stands
    start_working_copy(Case.objects.get(pk=case.pk), actor=officer)
    copy = working_copy(case)
    assert copy.kind == "proposed_amendment"
    assert content_of(copy).setting_id is None  # proposed amendments name no setting, as a draft
    assert content_of(copy).provision == content_of(final).provision


def test_row_changes_show_row_by_row(client_for, officer):
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    client = client_for(officer)
    start_working_copy(case, actor=officer)
    content = content_of(working_copy(case))
    changed = content.provision[0].__class__(
        **{**content.provision[0].__dict__, "frequency": "Twice a week"}
    )
    from dataclasses import replace  # noqa: PLC0415

    save_working_copy(
        Case.objects.get(pk=case.pk),
        section="F",
        content=replace(content, provision=[changed, *content.provision[1:]]),
        completed=True,
        actor=officer,
    )
    from sendcase.casework.domain.reviews import (  # noqa: PLC0415
        record_amendment_notice,
        record_review_decision,
        record_review_meeting,
    )

    today = timezone.localdate()
    record_review_meeting(Case.objects.get(pk=case.pk), meeting_on=today, actor=officer)
    record_review_decision(
        Case.objects.get(pk=case.pk), decided_on=today, outcome="amend", actor=officer
    )
    record_amendment_notice(Case.objects.get(pk=case.pk), issued_on=today, actor=officer)
    html = client.get(reverse("casework:plan_compare", args=[case.pk])).content.decode()
    assert 'data-section="F" data-status="changed"' in html
    assert re.search(r'data-row="changed">.*Twice a week', html)
    assert 'data-section="A" data-status="unchanged"' in html


@pytest.mark.parametrize("n", [1, 3])
def test_section_page_queries_do_not_grow_with_rows(
    client_for, officer, assessing, django_assert_num_queries, n
):
    from dataclasses import replace  # noqa: PLC0415

    content = lawful_content(("ASD", "SLCN", "SEMH")[:n])
    content = replace(content, provision=content.provision[:n], outcomes=content.outcomes[:n])
    write_plan(assessing, officer, content)
    client = client_for(officer)
    url = reverse("casework:plan_section", args=[assessing.pk, "F"])
    client.get(url)  # warm the session
    with django_assert_num_queries(SECTION_QUERIES):
        assert client.get(url).status_code == 200


SECTION_QUERIES = 12  # the same for 1 and 3 rows: no query per row
