"""Consulting a setting on being named and its answer: the casework steps the portal uses, with
the clock's `setting_consultation` row opened and met through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sendcase.casework.domain.consultation import record_setting_consulted, record_setting_response
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Deadline
from sendcase.casework.scenarios import build_case


@pytest.fixture
def draft(officer):
    return build_case(stage="draft", officer=officer, weeks_ago=18)


def test_a_consultation_opens_the_row_and_its_answer_meets_it(draft, officer):
    today = timezone.localdate()
    sent = today - dt.timedelta(days=3)
    record_setting_consulted(
        draft, consultation_id="c1", setting_name="Hill School", consulted_on=sent, actor=officer
    )
    row = Deadline.objects.get(case=draft, key="setting_consultation", instance="c1")
    assert row.trigger == sent and row.completed_on is None
    with pytest.raises(ActionError, match="already been recorded"):
        record_setting_consulted(
            draft,
            consultation_id="c1",
            setting_name="Hill School",
            consulted_on=sent,
            actor=officer,
        )
    with pytest.raises(ActionError, match="Select the consultation"):
        record_setting_response(
            draft, consultation_id="c2", responded_on=today, can_meet_needs=True, actor=officer
        )
    with pytest.raises(ActionError, match="must be the same as or after"):
        record_setting_response(
            draft,
            consultation_id="c1",
            responded_on=sent - dt.timedelta(days=1),
            can_meet_needs=True,
            actor=officer,
        )
    record_setting_response(
        draft, consultation_id="c1", responded_on=today, can_meet_needs=False, actor=officer
    )
    row = Deadline.objects.get(case=draft, key="setting_consultation", instance="c1")
    assert row.completed_on == today and row.status == "met"
    with pytest.raises(ActionError, match="already answered"):
        record_setting_response(
            draft, consultation_id="c1", responded_on=today, can_meet_needs=True, actor=officer
        )


def test_a_consultation_dated_in_the_future_is_refused(draft, officer):
    with pytest.raises(ActionError, match="today or in the past"):
        record_setting_consulted(
            draft,
            consultation_id="c1",
            setting_name="Hill School",
            consulted_on=timezone.localdate() + dt.timedelta(days=1),
            actor=officer,
        )
    assert not Deadline.objects.filter(case=draft, key="setting_consultation").exists()
