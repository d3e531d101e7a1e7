"""Complaints: stage 1 and 2 by the council's local targets, the Ombudsman, linked to the
case, and counted in the committee report."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.information.conftest import date_data

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.scenarios import build_case
from sendcase.core.models import LocalTargetSetting
from sendcase.information import actions
from sendcase.information.models import Complaint
from sendcase.reporting.domain import report as rpt
from sendcase.reporting.domain.periods import year

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def case(officer):
    return build_case(stage="requested", officer=officer, weeks_ago=10, today=TODAY)


def test_stage_1_then_2_then_the_ombudsman(case, officer) -> None:
    c = actions.log_complaint(case, complainant="Jo", summary="Slow", received_on=dt.date(2026, 1, 5), actor=officer, today=TODAY)  # fmt: skip
    assert c.stage_1_due == dt.date(2026, 1, 19)  # 10 working days
    actions.respond_to_complaint(c, responded_on=dt.date(2026, 1, 20), outcome="not_upheld", actor=officer, today=TODAY)  # fmt: skip
    actions.escalate_complaint(c, escalated_on=dt.date(2026, 1, 26), actor=officer, today=TODAY)
    assert c.stage == Complaint.Stage.STAGE_2
    assert c.stage_2_due == dt.date(2026, 2, 23)  # 20 working days
    actions.respond_to_complaint(c, responded_on=dt.date(2026, 2, 20), outcome="partly", actor=officer, today=TODAY)  # fmt: skip
    with pytest.raises(ActionError, match="already had its response"):
        actions.respond_to_complaint(c, responded_on=dt.date(2026, 2, 21), outcome="upheld", actor=officer, today=TODAY)  # fmt: skip
    actions.refer_to_ombudsman(c, referred_on=dt.date(2026, 2, 27), reference="25 012 345", actor=officer, today=TODAY)  # fmt: skip
    c.refresh_from_db()
    assert (c.stage, c.stage_2_outcome, c.ombudsman_reference) == ("closed", "partly", "25 012 345")


def test_the_councils_local_target_sets_the_due_date(case, officer) -> None:
    LocalTargetSetting.objects.create(key="complaint_stage_1", enabled=True, length_days=15)
    c = actions.log_complaint(case, complainant="Jo", summary="Slow", received_on=dt.date(2026, 1, 5), actor=officer, today=TODAY)  # fmt: skip
    assert c.stage_1_due == dt.date(2026, 1, 26)


def test_an_escalation_before_receipt_is_refused(case, officer) -> None:
    c = actions.log_complaint(case, complainant="Jo", summary="Slow", received_on=dt.date(2026, 1, 5), actor=officer, today=TODAY)  # fmt: skip
    with pytest.raises(ActionError, match="same as or after"):
        actions.escalate_complaint(c, escalated_on=dt.date(2026, 1, 2), actor=officer, today=TODAY)


def test_counted_in_the_committee_report(case, officer) -> None:
    on_time = actions.log_complaint(case, complainant="A", summary="x", received_on=dt.date(2025, 3, 3), actor=officer, today=TODAY)  # fmt: skip
    late = actions.log_complaint(case, complainant="B", summary="y", received_on=dt.date(2025, 3, 3), actor=officer, today=TODAY)  # fmt: skip
    actions.respond_to_complaint(on_time, responded_on=dt.date(2025, 3, 10), outcome="upheld", actor=officer, today=TODAY)  # fmt: skip
    actions.respond_to_complaint(late, responded_on=dt.date(2025, 4, 10), outcome="upheld", actor=officer, today=TODAY)  # fmt: skip
    actions.escalate_complaint(late, escalated_on=dt.date(2025, 4, 20), actor=officer, today=TODAY)
    report = rpt.committee("calendar", [year("calendar", 2025)], TODAY)
    got = {k: (r.numerator, r.denominator) for k, r in report.extra.items()}
    assert got["complaints_received"] == (2, None)
    assert got["complaint_responses_on_time"] == (1, 2)
    assert got["complaints_escalated"] == (1, None)
    assert got["ombudsman_referrals"] == (0, None)


def test_screens_for_the_officer_of_the_case(case, officer, outsider, client_for) -> None:
    c = client_for(officer)
    r = c.post(f"/information/complaints/new/{case.pk}/", {"complainant": "Jo", "summary": "Slow", **date_data("received_on", dt.date.today())})  # fmt: skip
    assert r.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.case == case
    page = c.get(f"/information/complaints/{complaint.pk}/")
    assert page.status_code == 200 and "Stage 1" in page.content.decode()
    r = c.post(f"/information/complaint-respond/{complaint.pk}/", {"outcome": "", **date_data("responded_on", dt.date.today())})  # fmt: skip
    assert "Select the outcome" in r.content.decode()
    assert client_for(outsider).get(f"/information/complaints/{complaint.pk}/").status_code == 404
    assert client_for(outsider).get(f"/information/complaints/new/{case.pk}/").status_code == 404
    assert c.get("/information/complaints/").status_code == 404  # the list is the complaints team's


def test_the_case_page_shows_each_complaints_response_deadline(officer, client_for) -> None:
    import datetime as dt

    from sendcase.casework.scenarios import build_case
    from sendcase.information import actions as information_actions

    today = dt.date.today()
    case = build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    old = information_actions.log_complaint(case, complainant="Jo", summary="Slow", received_on=today - dt.timedelta(days=60), actor=officer)  # fmt: skip
    page = client_for(officer).get(f"/cases/{case.pk}/").content.decode()
    assert f"Complaint {old.reference}: stage 1 response" in page
    assert 'data-status="overdue"' in page  # no response 60 days on
    assert f"{old.stage_1_due.day} {old.stage_1_due:%b %Y}" in page
