"""Who may open every new page (information and inspection): one row per address, one column
per role. 200 where the role's work needs it; 404 (as for a page that does not exist) where not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.accounts.models import Role, User
from sendcase.casework.scenarios import build_case
from sendcase.core.actors import SystemActor
from sendcase.information import actions
from sendcase.inspection.models import Strategy, StrategyAction, StrategyOutcome, Workstream
from sendcase.inspection.strategy import save_record

ROLES = ("officer", "outsider", "manager", "head", "data_officer", "finance", "admin_user", "ig")
Y, N = 200, 404

# address -> expected status for each role in ROLES, in that order
MATRIX: dict[str, tuple[int, ...]] = {
    #                                   off out man head data fin adm ig
    "/information/foi/":                 (N, N, N, Y, Y, N, Y, Y),
    "/information/foi/new/":             (N, N, N, Y, N, N, Y, Y),
    "/information/foi/{foi}/":           (N, N, N, Y, Y, N, Y, Y),
    "/information/foi/{foi}/answer/":    (N, N, N, Y, Y, N, Y, Y),
    "/information/foi-assign/{foi}/":    (N, N, N, Y, N, N, Y, Y),
    "/information/complaints/":          (N, N, N, Y, N, N, Y, Y),
    "/information/complaints/new/{case}/": (Y, N, Y, Y, N, N, Y, Y),
    "/information/complaints/{complaint}/": (Y, N, Y, Y, N, N, Y, Y),
    "/information/complaint-respond/{complaint}/": (Y, N, Y, Y, N, N, Y, Y),
    "/information/complaint-escalate/{complaint}/": (Y, N, Y, Y, N, N, Y, Y),
    "/information/complaint-ombudsman/{complaint}/": (Y, N, Y, Y, N, N, Y, Y),
    "/information/sar/":                 (N, N, N, N, N, N, Y, Y),
    "/information/sar/new/":             (N, N, N, N, N, N, Y, Y),
    "/information/sar/{sar}/":           (N, N, N, N, N, N, Y, Y),
    "/information/sar/{sar}/bundle.zip": (N, N, N, N, N, N, Y, Y),
    "/information/sar-verify/{sar}/":    (N, N, N, N, N, N, Y, Y),
    "/information/sar-extend/{sar}/":    (N, N, N, N, N, N, Y, Y),
    "/information/sar-review/{sar}/":    (N, N, N, N, N, N, Y, Y),
    "/information/sar-release/{sar}/":   (N, N, N, N, N, N, Y, Y),
    "/inspection/children/{child}/chronology/": (Y, N, Y, Y, Y, N, Y, N),
    "/inspection/children/{child}/chronology.pdf": (Y, N, Y, Y, Y, N, Y, N),
    "/inspection/annex-a/":              (N, N, N, Y, Y, N, Y, N),
    "/inspection/annex-a/check/":        (N, N, N, Y, Y, N, Y, N),
    "/inspection/annex-a/annex-a.xlsx":  (N, N, N, Y, Y, N, Y, N),
    "/inspection/annex-a/census/":       (N, N, N, Y, Y, N, Y, N),
    "/inspection/strategy/":             (N, N, Y, Y, Y, Y, Y, N),
    "/inspection/strategy/change/":      (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/outcomes/new/": (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/outcomes/{outcome}/": (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/workstreams/new/": (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/workstreams/{workstream}/": (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/actions/new/?workstream={workstream}": (N, N, N, Y, N, N, Y, N),
    "/inspection/strategy/actions/{action}/": (N, N, N, Y, N, N, Y, N),
    "/inspection/bulletin/":             (N, N, Y, Y, Y, Y, Y, N),
    "/inspection/bulletin/bulletin.pdf": (N, N, Y, Y, Y, Y, Y, N),
    "/inspection/bulletin/commentary/":  (N, N, N, Y, N, N, Y, N),
}  # fmt: skip


@pytest.fixture
def ig(db: None) -> User:
    return User.objects.create_user(username="ig", password="x", role=Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def records(officer: Any, ig: User) -> dict[str, int]:
    today = dt.date.today()
    case = build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    foi = actions.log_foi(requester="X", received_on=today, question="Q", actor=ig)
    complaint = actions.log_complaint(case, complainant="Jo", summary="S", received_on=today, actor=officer)  # fmt: skip
    sar = actions.log_sar(case.child, requester="Jo", relationship="Mother", received_on=today, actor=ig)  # fmt: skip
    actions.verify_sar_identity(sar, verified_on=today, evidence="Passport", actor=ig)
    system = SystemActor("test")
    strategy = save_record(Strategy(), {"title": "S"}, actor=system, expected_version=0)
    outcome = save_record(StrategyOutcome(strategy=strategy), {"number": 1, "title": "O"}, actor=system, expected_version=0)  # fmt: skip
    stream = save_record(Workstream(strategy=strategy), {"outcome": outcome, "title": "W", "lead": "L"}, actor=system, expected_version=0)  # fmt: skip
    action = save_record(StrategyAction(workstream=stream), {"title": "A", "owner": "O", "due_on": today, "status": "green"}, actor=system, expected_version=0)  # fmt: skip
    return {"case": case.pk, "child": case.child_id, "foi": foi.pk, "complaint": complaint.pk, "sar": sar.pk, "outcome": outcome.pk, "workstream": stream.pk, "action": action.pk}  # fmt: skip


def test_every_row_names_every_role() -> None:
    assert all(len(row) == len(ROLES) for row in MATRIX.values())


@pytest.mark.parametrize("role", ROLES)
def test_the_access_matrix(
    role: str, records: dict[str, int], request: Any, client_for: Any
) -> None:
    user = request.getfixturevalue(role)
    c = client_for(user)
    got = {url: c.get(url.format(**records)).status_code for url in MATRIX}
    want = {url: row[ROLES.index(role)] for url, row in MATRIX.items()}
    assert got == want


def test_signed_out_is_sent_to_sign_in(records: dict[str, int], client: Any) -> None:
    for url in MATRIX:
        assert client.get(url.format(**records)).status_code == 302
