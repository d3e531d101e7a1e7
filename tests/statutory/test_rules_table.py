"""Every key of the timescales specification is a rule, computed by the clock."""

from __future__ import annotations

import pathlib

from sendcase.statutory import DEADLINE_RULES, EVENT_TYPES, STATUSES

# The keys of docs/statutory-timescales.md, table by table.
SPEC_KEYS = {
    # assessment and the new plan
    "decision_to_assess",
    "advice_due",
    "decision_not_to_issue",
    "draft_comments_window",
    "setting_consultation",
    "final_plan",
    "final_plan_reassessment",
    # reviews and amendments
    "annual_review_meeting",
    "early_years_review",
    "review_meeting_notice",
    "review_advice_circulated",
    "review_report",
    "review_decision",
    "amendment_comments_window",
    "final_amended_plan",
    "final_amended_plan_after_review",
    "phase_transfer",
    "post16_transfer",
    "post16_institution_move",
    "preparing_for_adulthood",
    # ceasing and transfers
    "cease_consultation",
    "plan_maintained_pending_appeal",
    "transfer_out",
    "transfer_in_notice",
    "transfer_in_review",
    # disagreement resolution
    "appeal_window",
    "mediation_certificate",
    "mediation_arranged",
    "mediation_certificate_after",
    "tribunal_order_assess",
    "tribunal_order_make_plan",
    "tribunal_order_amend",
    "tribunal_order_setting",
    "tribunal_order_continue",
    "unopposed_appeal",
    # information rights and complaints
    "subject_access_request",
    "foi_request",
    "complaint_stage_1",
    "complaint_stage_2",
}
LOCAL_TARGETS = {
    "setting_consultation",
    "early_years_review",
    "complaint_stage_1",
    "complaint_stage_2",
}


def test_one_rule_per_spec_key() -> None:
    assert set(DEADLINE_RULES) == SPEC_KEYS


def test_rules_carry_their_own_key_and_a_source() -> None:
    for key, rule in DEADLINE_RULES.items():
        assert rule.key == key
        assert rule.title and rule.source and rule.unit


def test_local_targets_are_marked() -> None:
    assert {k for k, r in DEADLINE_RULES.items() if r.local_target} == LOCAL_TARGETS


def test_statuses_are_the_spec_vocabulary() -> None:
    assert STATUSES == (
        "open",
        "due_soon",
        "overdue",
        "met",
        "missed",
        "exception",
        "not_applicable",
    )


def test_docs_describe_every_key_and_event_type() -> None:
    doc = pathlib.Path(__file__).resolve().parents[2] / "docs" / "clock.md"
    text = doc.read_text(encoding="utf-8")
    for name in SPEC_KEYS | EVENT_TYPES | set(STATUSES):
        assert f"`{name}`" in text, name
