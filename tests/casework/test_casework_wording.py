"""Words an officer reads, not codes: the timeline's event details and the queue's filters."""

from __future__ import annotations

from sendcase.casework.domain.deadlines import NOT_QUEUED
from sendcase.casework.forms import QueueFilterForm
from sendcase.casework.queries import _event_detail


def test_event_details_are_in_words() -> None:
    assert _event_detail({"outcome": "not_assess"}) == "outcome: not to assess"
    assert _event_detail({"kind": "make_plan"}) == "kind: make a plan"
    assert _event_detail({"reason": 3}) == "reason: Moved on to higher education"
    assert _event_detail({"kind": "assess", "stage": "final_plan"}) == (
        "kind: carry out an assessment; stage: final plan"
    )
    # an advice id is shown as recorded, as on the deadlines table
    assert _event_detail({"advice_id": "social_care-3"}) == "advice id: social_care-3"


def test_the_queue_offers_only_deadlines_a_case_can_be_next_due_for(officer) -> None:
    form = QueueFilterForm(officers=[officer], user=officer)
    keys = {k for k, _ in form.fields["key"].choices}
    assert keys and not (keys & NOT_QUEUED)


def test_deadline_instances_read_as_words() -> None:
    from sendcase.casework.queries import instance_words

    assert instance_words("2026-09-26") == "26 September 2026"
    assert instance_words("2026-10-01/notify") == "1 October 2026, notify the decision to assess"
    assert instance_words("educational_psychology-1") == "educational_psychology-1"
    assert instance_words("") == ""
