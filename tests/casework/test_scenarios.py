import pytest

from sendcase.casework.models import Stage
from sendcase.casework.scenarios import build_case


@pytest.mark.parametrize(
    ("stage", "weeks", "expected"),
    [
        ("requested", 2, Stage.REQUESTED),
        ("assessing", 8, Stage.ASSESSING),
        ("advice", 10, Stage.ASSESSING),
        ("draft", 24, Stage.DRAFT),
        ("plan", 30, Stage.PLAN),
        ("reviewed", 90, Stage.PLAN),
    ],
)
def test_scenarios_reach_their_stage(officer, stage, weeks, expected):
    case = build_case(stage=stage, officer=officer, weeks_ago=weeks)
    assert case.stage == expected
    assert case.deadlines.exists()


def test_overdue_draft_case_is_overdue(officer):
    case = build_case(stage="draft", officer=officer, weeks_ago=24)
    assert case.overdue_count >= 1
    assert case.deadlines.get(key="final_plan").status == "overdue"
