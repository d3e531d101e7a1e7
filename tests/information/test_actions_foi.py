"""FOI requests: the clock's 20 working days, assigning, answering from "count anything" with
disclosure control, and the response time."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.information.conftest import date_data

from sendcase.casework.domain.errors import ActionError
from sendcase.casework.scenarios import build_case
from sendcase.core.models import AuditEntry
from sendcase.information import actions
from sendcase.information.disclosure import FEWER
from sendcase.information.models import FoiRequest

TODAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2025, 12, 19), dt.date(2026, 1, 21)),  # 25, 26 December and 1 January skipped
        (dt.date(2026, 3, 2), dt.date(2026, 3, 30)),
        (dt.date(2025, 4, 10), dt.date(2025, 5, 13)),  # Easter and the May bank holiday skipped
    ],
)
def test_logging_gives_the_clocks_twenty_working_days(ig, received, due) -> None:
    foi = actions.log_foi(
        requester="A journalist", received_on=received, question="How many?", actor=ig, today=TODAY
    )
    assert foi.due_on == due
    assert foi.reference == f"FOI-{received.year}-0001"
    assert (
        AuditEntry.objects.filter(
            object_type="information.foirequest", object_id=str(foi.pk)
        ).count()
        == 1
    )


def test_a_future_receipt_date_is_refused(ig) -> None:
    with pytest.raises(ActionError, match="today or in the past"):
        actions.log_foi(
            requester="X",
            received_on=TODAY + dt.timedelta(days=1),
            question="Q",
            actor=ig,
            today=TODAY,
        )


def test_response_time_is_measured_in_working_days(ig) -> None:
    foi = actions.log_foi(
        requester="X", received_on=dt.date(2025, 12, 19), question="Q", actor=ig, today=TODAY
    )
    actions.answer_foi(
        foi,
        responded_on=dt.date(2026, 1, 22),
        answer="See table",
        table=None,
        actor=ig,
        today=TODAY,
    )
    foi.refresh_from_db()
    assert foi.working_days_taken == 21
    assert foi.on_time is False
    with pytest.raises(ActionError, match="already been answered"):
        actions.answer_foi(
            foi,
            responded_on=dt.date(2026, 1, 22),
            answer="Again",
            table=None,
            actor=ig,
            today=TODAY,
        )


def test_the_answer_screen_publishes_no_count_under_5(ig, officer, client_for) -> None:
    today = dt.date.today()
    build_case(stage="requested", officer=officer, weeks_ago=3, today=today)
    build_case(stage="requested", officer=officer, weeks_ago=2, today=today)
    foi = actions.log_foi(requester="X", received_on=today, question="Requests by year?", actor=ig)
    c = client_for(ig)
    query = f"count=requests_received&by=&kind=calendar&first={today.year - 1}&last={today.year}"
    page = c.get(f"/information/foi/{foi.pk}/answer/?{query}")
    assert page.status_code == 200
    body = page.content.decode()
    assert FEWER in body
    response = c.post(
        f"/information/foi/{foi.pk}/answer/?{query}",
        {**date_data("responded_on", today), "answer": "The figures are below."},
    )
    assert response.status_code == 302
    foi.refresh_from_db()
    assert foi.status == FoiRequest.Status.ANSWERED
    cells = [cell for row in foi.table["body"] for cell in row[1:]]
    # two requests this year, none last year: nothing under 5 is stored or shown as a number
    assert "2" not in cells and "0" not in cells
    assert FEWER in cells
    shown = client_for(ig).get(f"/information/foi/{foi.pk}/").content.decode()
    assert FEWER in shown and "working day" in shown


def test_assigning(ig, data_officer, client_for) -> None:
    foi = actions.log_foi(requester="X", received_on=TODAY, question="Q", actor=ig, today=TODAY)
    r = client_for(ig).post(f"/information/foi-assign/{foi.pk}/", {"to": data_officer.pk})
    assert r.status_code == 302
    foi.refresh_from_db()
    assert foi.assigned_to == data_officer


def test_logging_through_the_screen_and_its_errors(ig, client_for) -> None:
    c = client_for(ig)
    r = c.post("/information/foi/new/", {"requester": "", "question": ""})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Enter who asked" in body and "Enter the date the request was received" in body
    r = c.post(
        "/information/foi/new/",
        {"requester": "A parent", "question": "How many plans?", **date_data("received_on", TODAY)},
    )
    assert r.status_code == 302
    assert FoiRequest.objects.get().due_on == dt.date(2026, 3, 30)


def test_the_list_shows_the_median_response_time(ig, client_for) -> None:
    for received, answered in (
        (dt.date(2026, 1, 5), dt.date(2026, 1, 9)),
        (dt.date(2026, 1, 5), dt.date(2026, 1, 19)),
    ):
        foi = actions.log_foi(
            requester="X", received_on=received, question="Q", actor=ig, today=TODAY
        )
        actions.answer_foi(
            foi, responded_on=answered, answer="A", table=None, actor=ig, today=TODAY
        )
    body = client_for(ig).get("/information/foi/").content.decode()
    assert "Median response time: 7.0 working days" in body
