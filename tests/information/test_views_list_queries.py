"""The lists make the same number of queries for 1 row as for 3 (no N+1)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sendcase.casework.scenarios import build_case
from sendcase.information import actions


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_do_not_grow_with_rows(ig, officer, data_officer, client_for) -> None:
    today = dt.date.today()
    c = client_for(ig)

    def add(n: int) -> None:
        for _ in range(n):
            case = build_case(stage="requested", officer=officer, weeks_ago=2, today=today)
            foi = actions.log_foi(requester="X", received_on=today, question="Q", actor=ig)
            actions.assign_foi(foi, to=data_officer, actor=ig)
            actions.log_complaint(case, complainant="Jo", summary="S", received_on=today, actor=officer)  # fmt: skip
            actions.log_sar(case.child, requester="Jo", relationship="Mother", received_on=today, actor=ig)  # fmt: skip

    urls = ("/information/foi/", "/information/complaints/", "/information/sar/")
    add(1)
    one = {u: _queries(c, u) for u in urls}
    add(2)
    three = {u: _queries(c, u) for u in urls}
    assert one == three
