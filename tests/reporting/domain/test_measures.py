"""Each measure against cases built with known answers, including the edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_decision_not_to_issue,
    record_decision_to_assess,
    record_withdrawal,
)
from sendcase.casework.domain.phase_and_cease import (
    record_phase_transfer,
    record_phase_transfer_named,
)
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_final_amended_plan,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.scenarios import cease_by_the_route
from sendcase.core.codes import CeaseReason
from sendcase.reporting.domain import measures as m
from sendcase.reporting.domain import report as rpt
from sendcase.reporting.domain.periods import Period, year

D = dt.date
TODAY = D(2026, 1, 31)
Y2024 = year("calendar", 2024)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("taken", "on_time"),
    [(139, True), (140, True), (141, False), (200, False)],
)
def test_plan_issued_on_day_140_is_on_time_and_day_141_is_not(
    officer: Any, build: Any, taken: int, on_time: bool
) -> None:
    received = D(2024, 2, 5)
    case = build.plan_case(officer, received, received + days(taken))
    r = m.measure("plans_issued_within_20_weeks", Y2024)
    assert (r.numerator, r.denominator) == (int(on_time), 1)
    assert r.denominator_ids == (case.pk,)
    assert r.numerator_ids == ((case.pk,) if on_time else ())
    assert r.pc == (100.0 if on_time else 0.0)


def test_exception_leaves_excluding_measure_numerator_and_denominator(
    officer: Any, build: Any
) -> None:
    received = D(2024, 3, 4)
    on_time = build.plan_case(officer, received, received + days(120))
    late = build.plan_case(officer, received, received + days(180))
    excused_late = build.plan_case(officer, received, received + days(190), exception=True)
    excused_on_time = build.plan_case(officer, received, received + days(100), exception=True)

    incl = m.measure("plans_issued_within_20_weeks", Y2024)
    assert (incl.numerator, incl.denominator, incl.pc) == (2, 4, 50.0)
    assert set(incl.numerator_ids) == {on_time.pk, excused_on_time.pk}

    excl = m.measure("plans_issued_within_20_weeks_excluding_exceptions", Y2024)
    assert (excl.numerator, excl.denominator, excl.pc) == (1, 2, 50.0)
    assert set(excl.denominator_ids) == {on_time.pk, late.pk}
    assert excused_late.pk not in excl.denominator_ids


def test_plans_in_20_to_52_weeks_and_after_a_year(officer: Any, build: Any) -> None:
    r = D(2023, 6, 1)
    build.plan_case(officer, r, r + days(140))  # 20 weeks: neither band
    build.plan_case(officer, r, r + days(141))  # just over 20 weeks
    build.plan_case(officer, r, r + days(364))  # 52 weeks exactly: still within 52 weeks
    build.plan_case(officer, r, r + days(365))  # after 52 weeks
    period = Period(D(2023, 1, 1), D(2024, 12, 31))
    band = m.measure("plans_issued_20_to_52_weeks", period)
    late = m.measure("plans_issued_after_52_weeks", period)
    assert (band.numerator, band.denominator) == (2, 4)
    assert (late.numerator, late.denominator) == (1, 4)


@pytest.mark.parametrize(("taken", "within"), [(42, True), (43, False)])
def test_decision_within_6_weeks(officer: Any, build: Any, taken: int, within: bool) -> None:
    received = D(2024, 5, 1)
    case = build.request(officer, received)
    record_decision_to_assess(
        case, decided_on=received + days(taken), outcome="not_assess", actor=officer, today=TODAY
    )
    build.request(officer, D(2024, 6, 1))  # undecided: not in the denominator
    r = m.measure("request_decisions_within_6_weeks", Y2024)
    assert (r.numerator, r.denominator) == (int(within), 1)
    assert m.measure("requests_received", Y2024).numerator == 2


def test_request_received_in_a_period_but_decided_in_the_next_counts_in_its_received_period(
    officer: Any, build: Any
) -> None:
    case = build.request(officer, D(2024, 12, 20))
    record_decision_to_assess(
        case, decided_on=D(2025, 1, 20), outcome="assess", actor=officer, today=TODAY
    )
    assert m.measure("request_decisions_within_6_weeks", Y2024).denominator == 1
    assert m.measure("request_decisions_within_6_weeks", year("calendar", 2025)).denominator == 0
    assert m.measure("request_decisions_within_6_weeks", year("calendar", 2025)).pc is None


def test_requests_undecided_after_6_weeks_are_counted_beside_the_6_week_figure(
    officer: Any, build: Any
) -> None:
    """On the count date: undecided and received more than 42 days before it. A part-year (to
    1 July 2024 here) counts only decided requests in its 6-week figure; these are the rest."""
    part_year = Period(D(2024, 1, 1), D(2024, 7, 1), as_at=D(2024, 7, 1))
    waiting = build.request(officer, D(2024, 5, 19))  # 43 days before 1 July: late
    build.request(officer, D(2024, 5, 20))  # 42 days: not yet late
    decided = build.request(officer, D(2024, 2, 1))
    record_decision_to_assess(
        decided, decided_on=D(2024, 3, 20), outcome="assess", actor=officer, today=TODAY
    )
    decided_later = build.request(officer, D(2024, 3, 1))  # decided after the count date
    record_decision_to_assess(
        decided_later, decided_on=D(2024, 8, 1), outcome="assess", actor=officer, today=TODAY
    )
    gone = build.request(officer, D(2024, 2, 1))
    record_withdrawal(
        gone, withdrawn_on=D(2024, 3, 1), reason="Family withdrew", actor=officer, today=TODAY
    )
    r = m.measure("requests_undecided_past_6_weeks", part_year)
    assert set(r.numerator_ids) == {waiting.pk, decided_later.pk}
    # the same through series (one query for several periods) and the drill-down
    (s,) = m.series("requests_undecided_past_6_weeks", [part_year])
    assert s.numerator == 2
    listed = {
        row["dd_case_id"] for row in m.drilldown("requests_undecided_past_6_weeks", part_year)
    }
    assert listed == {waiting.pk, decided_later.pk}
    # the 6-week figure itself counts only the decided one
    assert m.measure("request_decisions_within_6_weeks", part_year).denominator == 1


@pytest.mark.parametrize(("taken", "within"), [(112, True), (113, False)])
def test_decision_not_to_issue_within_16_weeks(
    officer: Any, build: Any, taken: int, within: bool
) -> None:
    received = D(2024, 1, 10)
    case = build.request(officer, received)
    record_decision_to_assess(
        case, decided_on=received + days(35), outcome="assess", actor=officer, today=TODAY
    )
    record_decision_not_to_issue(
        case, decided_on=received + days(taken), actor=officer, today=TODAY
    )
    r = m.measure("decisions_not_to_issue_within_16_weeks", Y2024)
    assert (r.numerator, r.denominator) == (int(within), 1)


def _reviewed(
    officer: Any,
    build: Any,
    meeting_after_due: int,
    decision_after: int | None,
    amend_after: int | None = None,
) -> Any:
    received = D(2022, 9, 1)
    case = build.plan_case(officer, received, received + days(130))
    review = case.plan.reviews.get()
    meeting = review.due_on + days(meeting_after_due)
    record_review_meeting(case, meeting_on=meeting, actor=officer, today=TODAY)
    if decision_after is not None:
        outcome = "amend" if amend_after is not None else "maintain"
        record_review_decision(
            case,
            decided_on=meeting + days(decision_after),
            outcome=outcome,
            actor=officer,
            today=TODAY,
        )
    if amend_after is not None:
        record_amendment_notice(
            case, issued_on=meeting + days(decision_after or 0), actor=officer, today=TODAY
        )
        record_final_amended_plan(
            case, issued_on=meeting + days(amend_after), actor=officer, today=TODAY
        )
    review.refresh_from_db()
    return review


@pytest.mark.parametrize(("after_due", "within"), [(-10, True), (0, True), (1, False)])
def test_review_held_within_12_months(
    officer: Any, build: Any, after_due: int, within: bool
) -> None:
    review = _reviewed(officer, build, after_due, None)
    period = Period(review.due_on - days(5), review.due_on + days(5))
    r = m.measure("reviews_held_within_12_months", period)
    assert (r.numerator, r.denominator) == (int(within), 1)


@pytest.mark.parametrize(("taken", "within"), [(28, True), (29, False)])
def test_review_decision_within_4_weeks(officer: Any, build: Any, taken: int, within: bool) -> None:
    review = _reviewed(officer, build, -20, taken)
    # DfE's measure counts the plans maintained on a date (the census) with their latest review
    # decided by then; the operational one counts the meetings held in the period.
    later = review.meeting_on + days(60)
    r = m.measure("review_decisions_within_4_weeks", Period(later, later))
    assert (r.numerator, r.denominator) == (int(within), 1)
    before = review.meeting_on + days(taken - 1)
    assert m.measure("review_decisions_within_4_weeks", Period(before, before)).denominator == 0
    period = Period(review.meeting_on, review.meeting_on)
    op = m.measure("review_decisions_in_period_within_4_weeks", period)
    assert (op.numerator, op.denominator) == (int(within), 1)


def test_review_without_a_decision_is_not_in_the_4_week_denominator(
    officer: Any, build: Any
) -> None:
    review = _reviewed(officer, build, -20, None)
    assert (
        m.measure(
            "review_decisions_within_4_weeks", Period(review.meeting_on, review.meeting_on)
        ).denominator
        == 0
    )


def test_request_decisions_count_as_known_on_the_census_date(officer: Any, build: Any) -> None:
    """A 2025 request decided after the census (15 January 2026) is not in 2025's SEN2 figure."""
    late = open_case_from_request(
        build.child(), received_on=D(2025, 12, 1), source=1, actor=officer, today=D(2026, 3, 1)
    )
    record_decision_to_assess(
        late, decided_on=D(2026, 2, 2), outcome="assess", actor=officer, today=D(2026, 3, 1)
    )
    calendar_2025 = year("calendar", 2025)
    by_default = rpt.summary(calendar_2025)
    assert by_default["as_at"] == "2026-01-15"  # the SEN2 census date
    assert (by_default["requests_received"], by_default["request_decisions"]) == (1, 0)
    later = rpt.summary(calendar_2025, D(2026, 3, 1))
    assert later["request_decisions"] == 1
    # a span that is not a calendar year counts on its last day
    assert rpt.summary(Period(D(2025, 4, 1), D(2026, 3, 31)))["as_at"] == "2026-03-31"


@pytest.mark.parametrize(("taken", "within"), [(84, True), (85, False)])
def test_amended_plan_within_12_weeks_of_the_meeting(
    officer: Any, build: Any, taken: int, within: bool
) -> None:
    review = _reviewed(officer, build, -20, 20, amend_after=taken)
    period = Period(review.final_amended_on, review.final_amended_on)
    r = m.measure("amended_plans_within_12_weeks", period)
    assert (r.numerator, r.denominator) == (int(within), 1)


@pytest.mark.parametrize(("named", "within"), [(D(2025, 2, 15), True), (D(2025, 2, 16), False)])
def test_phase_transfer_named_by_15_february(
    officer: Any, build: Any, named: dt.date, within: bool
) -> None:
    case = build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 1))
    record_phase_transfer(
        case, transfer_date=D(2025, 9, 1), kind="school", actor=officer, today=TODAY
    )
    record_phase_transfer_named(case, named_on=named, actor=officer, today=TODAY)
    r = m.measure("phase_transfers_named_by_15_february", year("academic", 2024))
    assert (r.numerator, r.denominator) == (int(within), 1)
    assert m.measure("phase_transfers_named_by_31_march", year("academic", 2024)).denominator == 0


def test_active_plans_on_a_date_by_need_and_ceased_by_reason(officer: Any, build: Any) -> None:
    a = build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 1), need="ASD")
    b = build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 2), need="SEMH")
    c = build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 3), need="ASD")
    cease_by_the_route(
        c, cease_date=D(2024, 7, 31), reason=CeaseReason.NEEDS_MET, actor=officer, today=TODAY
    )
    on = lambda d: Period(d, d)  # noqa: E731
    assert m.measure("active_plans", on(D(2023, 4, 30))).numerator == 0
    assert m.measure("active_plans", on(D(2023, 5, 2))).numerator == 2
    assert set(m.measure("active_plans", on(D(2024, 7, 30))).numerator_ids) == {a.pk, b.pk, c.pk}
    # On the day a plan ends it is no longer maintained.
    assert set(m.measure("active_plans", on(D(2024, 7, 31))).numerator_ids) == {a.pk, b.pk}
    needs = m.breakdown("active_plans", on(D(2024, 7, 30)), "primary_need")
    assert [(r.value, r.numerator) for r in needs] == [("SEMH", 1), ("ASD", 2)]
    ceased = m.breakdown("ceased_plans", Y2024, "cease_reason")
    assert [(r.value, r.label, r.numerator) for r in ceased] == [
        ("2", "Needs met without a plan", 1)
    ]
    assert m.measure("new_plans", year("calendar", 2023)).numerator == 3


def test_scope_by_team_officer_need_and_age(officer: Any, outsider: Any, build: Any) -> None:
    mine = build.plan_case(officer, D(2024, 1, 8), D(2024, 5, 1), need="ASD", born=D(2020, 6, 1))
    theirs = build.plan_case(
        outsider, D(2024, 1, 8), D(2024, 7, 1), need="SLCN", born=D(2010, 6, 1)
    )
    r = m.measure("plans_issued_within_20_weeks", Y2024, m.Scope(team_id=officer.team_id))
    assert r.denominator_ids == (mine.pk,)
    assert m.measure(
        "plans_issued_within_20_weeks", Y2024, m.Scope(officer_id=outsider.pk)
    ).denominator_ids == (theirs.pk,)
    assert m.measure(
        "plans_issued_within_20_weeks", Y2024, m.Scope(primary_need="SLCN")
    ).denominator_ids == (theirs.pk,)
    # Ages on 31 December 2024: 4 (under 5) and 14 (11 to 15).
    assert m.measure(
        "plans_issued_within_20_weeks", Y2024, m.Scope(age="under_5")
    ).denominator_ids == (mine.pk,)
    assert m.measure(
        "plans_issued_within_20_weeks", Y2024, m.Scope(age="11_15")
    ).denominator_ids == (theirs.pk,)
    by_team = m.breakdown("plans_issued_within_20_weeks", Y2024, "team")
    assert {(r.label, r.numerator, r.denominator) for r in by_team} == {
        ("North team", 1, 1),
        ("South team", 0, 1),
    }


def test_series_agrees_with_each_period(officer: Any, build: Any) -> None:
    for i, (received, taken) in enumerate(
        [(D(2022, 3, 1), 120), (D(2023, 3, 1), 150), (D(2023, 4, 1), 100), (D(2024, 6, 1), 141)]
    ):
        build.plan_case(officer, received, received + days(taken), need="ASD" if i % 2 else "MLD")
    periods = [year("calendar", y) for y in (2022, 2023, 2024)]
    for key in (
        "plans_issued_within_20_weeks",
        "requests_received",
        "active_plans",
        "request_decisions_within_6_weeks",
    ):
        got = m.series(key, periods)
        one_by_one = [m.measure(key, p) for p in periods]
        assert [(r.numerator, r.denominator) for r in got] == [
            (r.numerator, r.denominator) for r in one_by_one
        ]
        scoped = m.series(key, periods, m.Scope(age="5_10"))
        assert [(r.numerator, r.denominator) for r in scoped] == [
            (r.numerator, r.denominator)
            for r in (m.measure(key, p, m.Scope(age="5_10")) for p in periods)
        ]


def test_drilldown_lists_the_late_plans(officer: Any, build: Any) -> None:
    on_time = build.plan_case(officer, D(2024, 2, 5), D(2024, 2, 5) + days(140))
    late = build.plan_case(officer, D(2024, 2, 5), D(2024, 2, 5) + days(141))
    outside = list(m.drilldown("plans_issued_within_20_weeks", Y2024, "outside"))
    assert [r["dd_case_id"] for r in outside] == [late.pk]
    assert outside[0]["days_taken"] == days(141)
    within = list(m.drilldown("plans_issued_within_20_weeks", Y2024, "within"))
    assert [r["dd_reference"] for r in within] == [on_time.reference]


def test_percent_is_one_decimal_place_and_none_without_a_denominator() -> None:
    assert m.percent(1, 3) == 33.3
    assert m.percent(2, 3) == 66.7
    assert m.percent(0, 0) is None
