"""Officers' tasks on a case: added with a due date, done and undone, audited, and shown in the
work queue beside the statutory deadlines with the overdue ones counted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.tasks import add_task, set_task_done
from sendcase.casework.models import Case, CaseTask
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry


def _today() -> dt.date:
    return timezone.localdate()


def test_add_a_task_on_the_case_page_audited(client_for, officer, dates):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    version = case.version
    client = client_for(officer)
    due = _today() + dt.timedelta(days=3)
    response = client.post(
        reverse("casework:task_new", args=[case.pk]),
        {"title": "Chase the EP advice", **dates(due_on=due)},
    )
    assert response.status_code == 302
    task = CaseTask.objects.get(case=case)
    assert (task.title, task.due_on, task.done_on, task.created_by) == (
        "Chase the EP advice",
        due,
        None,
        officer,
    )
    entry = AuditEntry.objects.get(case=case, object_type="casework.casetask")
    assert entry.action == "create" and entry.actor == officer
    assert Case.objects.get(pk=case.pk).version == version  # not a statutory change
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "Chase the EP advice" in page and "To do" in page and "Mark as done" in page


def test_task_form_errors_in_govuk_words(client_for, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    response = client_for(officer).post(
        reverse("casework:task_new", args=[case.pk]), {"title": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter what needs doing" in html and "There is a problem" in html
    assert not CaseTask.objects.exists()


def test_done_and_undone_from_the_case_page(client_for, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    task = add_task(case, title="Call the parent", due_on=_today(), actor=officer)
    client = client_for(officer)
    url = reverse("casework:task_done", args=[case.pk, task.pk])
    assert client.post(url, {"done": "yes"}).status_code == 302
    task.refresh_from_db()
    assert task.done_on == _today()
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "Task done: Call the parent" in page and "Mark as not done" in page
    client.post(url, {"done": "no"})
    task.refresh_from_db()
    assert task.done_on is None
    summaries = list(
        AuditEntry.objects.filter(object_type="casework.casetask", action="update")
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries == ["Task done: Call the parent", "Task marked as not done: Call the parent"]


def test_marking_twice_changes_nothing(officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    task = add_task(case, title="Call the parent", due_on=_today(), actor=officer)
    set_task_done(task, done=True, actor=officer)
    with pytest.raises(ActionError, match="already marked as done"):
        set_task_done(task, done=True, actor=officer)
    assert AuditEntry.objects.filter(object_type="casework.casetask").count() == 2


@pytest.mark.parametrize("who", ["head", "outsider", "data_officer", "finance"])
def test_only_those_who_may_change_the_case_touch_its_tasks(request, client_for, officer, who):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    task = add_task(case, title="Call the parent", due_on=_today(), actor=officer)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("casework:task_new", args=[case.pk])).status_code == 404
    done = reverse("casework:task_done", args=[case.pk, task.pk])
    assert client.post(done, {"done": "yes"}).status_code == 404
    task.refresh_from_db()
    assert task.done_on is None


def test_a_task_of_another_case_is_not_found(client_for, officer):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    other = build_case(stage="assessing", officer=officer, weeks_ago=8)
    task = add_task(other, title="Call the parent", due_on=_today(), actor=officer)
    url = reverse("casework:task_done", args=[case.pk, task.pk])
    assert client_for(officer).post(url, {"done": "yes"}).status_code == 404


def test_the_queue_shows_each_cases_next_task_and_counts_the_overdue(client_for, officer):
    today = _today()
    late = build_case(stage="assessing", officer=officer, weeks_ago=8)
    calm = build_case(stage="assessing", officer=officer, weeks_ago=9)
    add_task(late, title="Chase the EP advice", due_on=today - dt.timedelta(days=2), actor=officer)
    add_task(late, title="Call the parent", due_on=today - dt.timedelta(days=1), actor=officer)
    add_task(late, title="Send the draft", due_on=today + dt.timedelta(days=5), actor=officer)
    done = add_task(calm, title="Old task", due_on=today - dt.timedelta(days=9), actor=officer)
    set_task_done(done, done=True, actor=officer)
    add_task(calm, title="Visit the school", due_on=today + dt.timedelta(days=1), actor=officer)
    html = client_for(officer).get(reverse("casework:queue")).content.decode()
    assert re.search(r'id="count-overdue-tasks">[^<]*<strong>2</strong>', html)
    rows = dict(re.findall(r'data-case="([^"]+)".*?app-task">(.*?)</td>', html, re.S))
    assert "Chase the EP advice" in rows[late.reference] and "2 overdue" in rows[late.reference]
    assert "Visit the school" in rows[calm.reference] and "overdue" not in rows[calm.reference]
