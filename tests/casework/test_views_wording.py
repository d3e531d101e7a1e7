"""Words an officer reads, not codes: the timeline's event details, the queue's filters, advice
and audit records named in words (never "educational_psychology-1" or "casework.case 1604"), and a
transferred-in plan's start."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain.deadlines import NOT_QUEUED
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.forms import QueueFilterForm
from sendcase.casework.models import AdviceRequest
from sendcase.casework.queries import event_detail
from sendcase.casework.scenarios import build_case


def test_event_details_are_in_words() -> None:
    assert event_detail({"outcome": "not_assess"}) == "outcome: not to assess"
    assert event_detail({"kind": "make_plan"}) == "kind: make a plan"
    assert event_detail({"reason": 3}) == "reason: Moved on to higher education"
    assert event_detail({"kind": "assess", "stage": "final_plan"}) == (
        "kind: carry out an assessment; stage: final plan"
    )
    # an advice id reads as the advice it names, never as the id
    assert event_detail({"advice_id": "social_care-3"}) == "advice: social care advice"
    assert event_detail({"advice_id": "odd id"}) == "advice: advice"


def test_the_queue_offers_only_deadlines_a_case_can_be_next_due_for(officer) -> None:
    form = QueueFilterForm(officers=[officer], user=officer)
    keys = {k for k, _ in form.fields["key"].choices}
    assert keys and not (keys & NOT_QUEUED)


def test_deadline_instances_read_as_words() -> None:
    from sendcase.casework.queries import instance_words

    assert instance_words("2026-09-26") == "26 September 2026"
    assert instance_words("2026-10-01/notify") == "1 October 2026, notify the decision to assess"
    assert instance_words("educational_psychology-1") == "educational psychology advice"
    assert instance_words("") == ""


def _text(html: str) -> str:
    """What a person (or a screen reader) reads: the page without its tags and attributes."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_case_page_names_advice_in_words(client_for, officer) -> None:
    case = build_case(stage="advice", officer=officer, weeks_ago=12)
    advice = AdviceRequest.objects.filter(case=case)
    assert advice.exists()
    page = _text(client_for(officer).get(reverse("casework:case", args=[case.pk])).content.decode())
    for a in advice:
        assert a.advice_id not in page
        assert f"{a.get_kind_display().lower()} advice from {a.provider}" in page


def test_the_audit_log_names_records_in_words(client_for, manager, officer) -> None:
    case = build_case(stage="advice", officer=officer, weeks_ago=12)
    page = _text(
        client_for(manager).get(reverse("casework:audit", args=[case.pk])).content.decode()
    )
    assert "casework." not in page and "plans." not in page
    assert not re.search(r"\b(Case|Advice request) \d+\b", page)
    assert "Advice request" in page and "Case" in page


def test_a_transferred_in_plan_says_when_it_came(client_for, officer, child) -> None:
    came = timezone.localdate() - dt.timedelta(days=20)
    case = record_transfer_in(
        child,
        transferred_on=came,
        last_review=came - dt.timedelta(days=180),
        from_la_code="850",
        from_la_name="Hampshire",
        actor=officer,
        officer=officer,
    )
    page = _text(client_for(officer).get(reverse("casework:case", args=[case.pk])).content.decode())
    assert f"Transferred in on {came.day} {came:%B %Y}" in page
    assert "First issued" not in page


def test_a_plan_made_here_says_first_issued(client_for, officer) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    page = _text(client_for(officer).get(reverse("casework:case", args=[case.pk])).content.decode())
    assert "First issued" in page and "Transferred in on" not in page
