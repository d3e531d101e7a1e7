"""Table-driven tests: every deadline key, its due date, completion and status."""

from __future__ import annotations

from typing import Any

import pytest

from sendcase.statutory import ClockConfig, ClockInputError, Event, LocalTarget

from .helpers import D, ev, one, run

REQ = ev("request_received", "2025-01-06")
ASSESS = ev("decision_to_assess", "2025-02-10", outcome="assess")
NOT_ASSESS = ev("decision_to_assess", "2025-02-10", outcome="not_assess")
FINAL = ev("final_issued", "2025-01-15")  # a case whose plan already exists

# (id, events, today, key, instance or None, due, completed_on, status)
CASES: list[tuple[str, list[Event], str, str, str | None, str | None, str | None, str]] = [
    # --- EHC needs assessment and the new plan
    (
        "dta met",
        [REQ, ASSESS],
        "2025-06-01",
        "decision_to_assess",
        "",
        "2025-02-17",
        "2025-02-10",
        "met",
    ),
    (
        "dta on the day",
        [REQ, ev("decision_to_assess", "2025-02-17", outcome="assess")],
        "2025-06-01",
        "decision_to_assess",
        "",
        "2025-02-17",
        "2025-02-17",
        "met",
    ),
    (
        "dta missed",
        [REQ, ev("decision_to_assess", "2025-02-18", outcome="not_assess")],
        "2025-06-01",
        "decision_to_assess",
        "",
        "2025-02-17",
        "2025-02-18",
        "missed",
    ),
    ("dta overdue", [REQ], "2025-02-20", "decision_to_assess", "", "2025-02-17", None, "overdue"),
    ("dta due soon", [REQ], "2025-02-10", "decision_to_assess", "", "2025-02-17", None, "due_soon"),
    (
        "dta due today",
        [REQ],
        "2025-02-17",
        "decision_to_assess",
        "",
        "2025-02-17",
        None,
        "due_soon",
    ),
    ("dta open", [REQ], "2025-01-10", "decision_to_assess", "", "2025-02-17", None, "open"),
    (
        "advice met",
        [
            REQ,
            ASSESS,
            ev("advice_requested", "2025-02-12", advice_id="ep1", kind="educational_psychology"),
            ev("advice_received", "2025-03-26", advice_id="ep1"),
        ],
        "2025-06-01",
        "advice_due",
        "ep1",
        "2025-03-26",
        "2025-03-26",
        "met",
    ),
    (
        "advice missed",
        [
            REQ,
            ASSESS,
            ev("advice_requested", "2025-02-12", advice_id="h1", kind="health"),
            ev("advice_received", "2025-03-27", advice_id="h1"),
        ],
        "2025-06-01",
        "advice_due",
        "h1",
        "2025-03-26",
        "2025-03-27",
        "missed",
    ),
    (
        "advice same day",
        [
            REQ,
            ASSESS,
            ev("advice_received", "2025-02-12", advice_id="s1"),
            ev("advice_requested", "2025-02-12", advice_id="s1", kind="social_care"),
        ],
        "2025-06-01",
        "advice_due",
        "s1",
        "2025-03-26",
        "2025-02-12",
        "met",
    ),
    (
        "dnti met",
        [REQ, ASSESS, ev("decision_not_to_issue", "2025-04-28")],
        "2025-06-01",
        "decision_not_to_issue",
        "",
        "2025-04-28",
        "2025-04-28",
        "met",
    ),
    (
        "dnti overdue",
        [REQ, ASSESS],
        "2025-05-01",
        "decision_not_to_issue",
        "",
        "2025-04-28",
        None,
        "overdue",
    ),
    (
        "dnti n/a plan issued",
        [REQ, ASSESS, ev("draft_issued", "2025-04-01"), ev("final_issued", "2025-05-20")],
        "2025-06-01",
        "decision_not_to_issue",
        "",
        "2025-04-28",
        None,
        "not_applicable",
    ),
    (
        "dnti n/a not assessed",
        [REQ, NOT_ASSESS],
        "2025-06-01",
        "decision_not_to_issue",
        "",
        "2025-04-28",
        None,
        "not_applicable",
    ),
    (
        "draft window met",
        [REQ, ASSESS, ev("draft_issued", "2025-03-03"), ev("final_issued", "2025-03-18")],
        "2025-06-01",
        "draft_comments_window",
        "2025-03-03",
        "2025-03-17",
        "2025-03-17",
        "met",
    ),
    (
        "draft window breached",
        [REQ, ASSESS, ev("draft_issued", "2025-03-03"), ev("final_issued", "2025-03-17")],
        "2025-06-01",
        "draft_comments_window",
        "2025-03-03",
        "2025-03-17",
        "2025-03-17",
        "missed",
    ),
    (
        "draft window running",
        [REQ, ASSESS, ev("draft_issued", "2025-03-03")],
        "2025-03-10",
        "draft_comments_window",
        "2025-03-03",
        "2025-03-17",
        None,
        "due_soon",
    ),
    (
        "setting consultation met",
        [FINAL, ev("setting_consulted", "2025-03-04"), ev("setting_responded", "2025-03-18")],
        "2025-06-01",
        "setting_consultation",
        "2025-03-04",
        "2025-03-18",
        "2025-03-18",
        "met",
    ),
    (
        "setting consultation missed",
        [
            FINAL,
            ev("setting_consulted", "2025-03-04", consultation_id="c1"),
            ev("setting_responded", "2025-03-19", consultation_id="c1"),
        ],
        "2025-06-01",
        "setting_consultation",
        "c1",
        "2025-03-18",
        "2025-03-19",
        "missed",
    ),
    (
        "final day 140 met",
        [REQ, ASSESS, ev("draft_issued", "2025-05-01"), ev("final_issued", "2025-05-26")],
        "2025-06-01",
        "final_plan",
        "",
        "2025-05-26",
        "2025-05-26",
        "met",
    ),
    (
        "final day 141 missed",
        [REQ, ASSESS, ev("draft_issued", "2025-05-01"), ev("final_issued", "2025-05-27")],
        "2025-06-01",
        "final_plan",
        "",
        "2025-05-26",
        "2025-05-27",
        "missed",
    ),
    ("final overdue", [REQ, ASSESS], "2025-06-01", "final_plan", "", "2025-05-26", None, "overdue"),
    (
        "final n/a not assessed",
        [REQ, NOT_ASSESS],
        "2025-06-01",
        "final_plan",
        "",
        "2025-05-26",
        None,
        "not_applicable",
    ),
    (
        "final n/a not issuing",
        [REQ, ASSESS, ev("decision_not_to_issue", "2025-04-20")],
        "2025-06-01",
        "final_plan",
        "",
        "2025-05-26",
        None,
        "not_applicable",
    ),
    (
        "reassessment met",
        [FINAL, ev("reassessment_notice", "2025-09-01"), ev("final_amended_plan", "2025-12-08")],
        "2026-01-01",
        "final_plan_reassessment",
        "2025-09-01",
        "2025-12-08",
        "2025-12-08",
        "met",
    ),
    # --- reviews and amendments
    (
        "first review from the plan (29 Feb)",
        [ev("final_issued", "2024-02-29"), ev("review_meeting", "2025-02-20")],
        "2025-06-01",
        "annual_review_meeting",
        "2024-02-29",
        "2025-02-28",
        "2025-02-20",
        "met",
    ),
    (
        "later review from previous meeting",
        [ev("final_issued", "2024-02-29"), ev("review_meeting", "2025-02-20")],
        "2026-03-01",
        "annual_review_meeting",
        "2025-02-20",
        "2026-02-20",
        None,
        "overdue",
    ),
    (
        "review from a month end",
        [ev("final_issued", "2025-01-31")],
        "2025-06-01",
        "annual_review_meeting",
        "2025-01-31",
        "2026-01-31",
        None,
        "open",
    ),
    (
        "review missed",
        [ev("final_issued", "2024-01-10"), ev("review_meeting", "2025-01-20")],
        "2025-06-01",
        "annual_review_meeting",
        "2024-01-10",
        "2025-01-10",
        "2025-01-20",
        "missed",
    ),
    (
        "early years review met",
        [ev("child_born", "2022-06-01"), FINAL, ev("review_meeting", "2025-07-10")],
        "2025-08-01",
        "early_years_review",
        "2025-01-15",
        "2025-07-15",
        "2025-07-10",
        "met",
    ),
    (
        "early years review overdue",
        [ev("child_born", "2022-06-01"), FINAL],
        "2025-08-01",
        "early_years_review",
        "2025-01-15",
        "2025-07-15",
        None,
        "overdue",
    ),
    (
        "invitations met",
        [FINAL, ev("review_invitations_sent", "2025-06-06"), ev("review_meeting", "2025-06-20")],
        "2025-08-01",
        "review_meeting_notice",
        "2025-06-20",
        "2025-06-06",
        "2025-06-06",
        "met",
    ),
    (
        "invitations missed",
        [FINAL, ev("review_invitations_sent", "2025-06-09"), ev("review_meeting", "2025-06-20")],
        "2025-08-01",
        "review_meeting_notice",
        "2025-06-20",
        "2025-06-06",
        "2025-06-09",
        "missed",
    ),
    (
        "invitations not recorded",
        [FINAL, ev("review_meeting", "2025-06-20")],
        "2025-06-10",
        "review_meeting_notice",
        "2025-06-20",
        "2025-06-06",
        None,
        "overdue",
    ),
    (
        "advice circulated met",
        [FINAL, ev("review_advice_circulated", "2025-06-01"), ev("review_meeting", "2025-06-20")],
        "2025-08-01",
        "review_advice_circulated",
        "2025-06-20",
        "2025-06-06",
        "2025-06-01",
        "met",
    ),
    (
        "review report met",
        [FINAL, ev("review_meeting", "2025-06-20"), ev("review_report", "2025-07-04")],
        "2025-08-01",
        "review_report",
        "2025-06-20",
        "2025-07-04",
        "2025-07-04",
        "met",
    ),
    (
        "review decision missed",
        [
            FINAL,
            ev("review_meeting", "2025-06-20"),
            ev("review_decision", "2025-07-21", outcome="maintain"),
        ],
        "2025-08-01",
        "review_decision",
        "2025-06-20",
        "2025-07-18",
        "2025-07-21",
        "missed",
    ),
    (
        "amendment window breached",
        [FINAL, ev("amendment_notice", "2025-07-18"), ev("final_amended_plan", "2025-07-30")],
        "2025-09-01",
        "amendment_comments_window",
        "2025-07-18",
        "2025-08-01",
        "2025-08-01",
        "missed",
    ),
    (
        "amendment window met",
        [FINAL, ev("amendment_notice", "2025-07-18"), ev("final_amended_plan", "2025-08-02")],
        "2025-09-01",
        "amendment_comments_window",
        "2025-07-18",
        "2025-08-01",
        "2025-08-01",
        "met",
    ),
    (
        "final amended plan met",
        [FINAL, ev("amendment_notice", "2025-07-18"), ev("final_amended_plan", "2025-09-12")],
        "2025-10-01",
        "final_amended_plan",
        "2025-07-18",
        "2025-09-12",
        "2025-09-12",
        "met",
    ),
    (
        "amended after review met",
        [
            FINAL,
            ev("review_meeting", "2025-06-20"),
            ev("review_decision", "2025-07-10", outcome="amend"),
            ev("final_amended_plan", "2025-09-10"),
        ],
        "2025-10-01",
        "final_amended_plan_after_review",
        "2025-06-20",
        "2025-09-12",
        "2025-09-10",
        "met",
    ),
    (
        "amended after review n/a",
        [
            FINAL,
            ev("review_meeting", "2025-06-20"),
            ev("review_decision", "2025-07-10", outcome="maintain"),
        ],
        "2025-10-01",
        "final_amended_plan_after_review",
        "2025-06-20",
        "2025-09-12",
        None,
        "not_applicable",
    ),
    (
        "phase transfer met (due on a Sunday)",
        [
            FINAL,
            ev("phase_transfer", "2026-09-01", kind="school"),
            ev("phase_transfer_named", "2026-02-10"),
        ],
        "2026-03-01",
        "phase_transfer",
        "2026-09-01",
        "2026-02-15",
        "2026-02-10",
        "met",
    ),
    (
        "post-16 transfer missed",
        [
            FINAL,
            ev("phase_transfer", "2026-09-01", kind="post16"),
            ev("phase_transfer_named", "2026-04-02"),
        ],
        "2026-05-01",
        "post16_transfer",
        "2026-09-01",
        "2026-03-31",
        "2026-04-02",
        "missed",
    ),
    (
        "post-16 move open",
        [FINAL, ev("phase_transfer", "2026-01-05", kind="post16_move")],
        "2025-06-01",
        "post16_institution_move",
        "2026-01-05",
        "2025-08-05",
        None,
        "open",
    ),
    (
        "preparing for adulthood met",
        [
            ev("child_born", "2010-10-01"),
            ev("final_issued", "2023-05-01"),
            ev("review_meeting", "2025-03-01", preparing_for_adulthood=True),
        ],
        "2025-06-01",
        "preparing_for_adulthood",
        "2025-03-01",
        None,
        "2025-03-01",
        "met",
    ),
    (
        "preparing for adulthood not recorded",
        [
            ev("child_born", "2010-10-01"),
            ev("final_issued", "2023-05-01"),
            ev("review_meeting", "2025-03-01"),
        ],
        "2025-06-01",
        "preparing_for_adulthood",
        "2025-03-01",
        None,
        None,
        "open",
    ),
    # --- ceasing and transfers
    (
        "cease consultation met",
        [FINAL, ev("cease_considered", "2025-05-01"), ev("cease_decision", "2025-06-01")],
        "2025-07-01",
        "cease_consultation",
        "2025-05-01",
        None,
        "2025-06-01",
        "met",
    ),
    (
        "cease consultation met by a decision not to cease",
        [
            FINAL,
            ev("cease_considered", "2025-05-01"),
            ev("cease_decision", "2025-06-01", outcome="not_cease"),
        ],
        "2025-07-01",
        "cease_consultation",
        "2025-05-01",
        None,
        "2025-06-01",
        "met",
    ),
    (
        "plan kept pending appeal",
        [FINAL, ev("cease_decision", "2025-06-01")],
        "2025-07-01",
        "plan_maintained_pending_appeal",
        "2025-06-01",
        "2025-08-01",
        None,
        "open",
    ),
    (
        "plan kept: certificate later",
        [FINAL, ev("cease_decision", "2025-06-01"), ev("mediation_certificate", "2025-07-20")],
        "2025-09-01",
        "plan_maintained_pending_appeal",
        "2025-06-01",
        "2025-08-20",
        "2025-08-20",
        "met",
    ),
    (
        "transfer out on the move",
        [
            FINAL,
            ev("transfer_out_learned", "2025-03-03", move_date="2025-04-01"),
            ev("plan_transferred_out", "2025-04-01"),
        ],
        "2025-06-01",
        "transfer_out",
        "2025-03-03",
        "2025-04-01",
        "2025-04-01",
        "met",
    ),
    (
        "transfer out told late",
        [FINAL, ev("transfer_out_learned", "2025-03-20", move_date="2025-03-28")],
        "2025-04-01",
        "transfer_out",
        "2025-03-20",
        "2025-04-10",
        None,
        "due_soon",
    ),
    (
        "transfer in notice",
        [
            ev("transfer_in", "2025-03-03", last_review="2024-11-10"),
            ev("transfer_in_notice", "2025-04-15"),
        ],
        "2025-06-01",
        "transfer_in_notice",
        "",
        "2025-04-14",
        "2025-04-15",
        "missed",
    ),
    (
        "transfer in review: 12 months",
        [ev("transfer_in", "2025-03-03", last_review="2024-11-10")],
        "2025-06-01",
        "transfer_in_review",
        "",
        "2025-11-10",
        None,
        "open",
    ),
    (
        "transfer in review: not needed once the plan ceased before it",
        [
            ev("transfer_in", "2019-08-11", last_review="2019-01-12"),
            ev("transfer_in_notice", "2019-08-25"),
            ev("cease_decision", "2020-08-04", reason=5),
        ],
        "2026-11-30",
        "transfer_in_review",
        "",
        "2020-01-12",
        None,
        "not_applicable",
    ),
    (
        "transfer in review: 3 months",
        [
            ev("transfer_in", "2025-03-03", last_review="2024-04-01"),
            ev("review_meeting", "2025-05-20"),
        ],
        "2025-07-01",
        "transfer_in_review",
        "",
        "2025-06-03",
        "2025-05-20",
        "met",
    ),
    # --- appeals, mediation and the tribunal
    (
        "appeal window 2 months",
        [FINAL, ev("decision_notice", "2025-03-03")],
        "2025-04-01",
        "appeal_window",
        "2025-03-03",
        "2025-05-03",
        None,
        "open",
    ),
    (
        "appeal window after certificate",
        [FINAL, ev("decision_notice", "2025-03-03"), ev("mediation_certificate", "2025-04-20")],
        "2025-06-01",
        "appeal_window",
        "2025-03-03",
        "2025-05-20",
        "2025-05-20",
        "met",
    ),
    (
        "appeal lodged late",
        [FINAL, ev("decision_notice", "2025-03-03"), ev("appeal_lodged", "2025-05-06")],
        "2025-06-01",
        "appeal_window",
        "2025-03-03",
        "2025-05-03",
        "2025-05-06",
        "missed",
    ),
    (
        "certificate after declining",
        [FINAL, ev("mediation_declined", "2025-03-05"), ev("mediation_certificate", "2025-03-10")],
        "2025-06-01",
        "mediation_certificate",
        "2025-03-05",
        "2025-03-10",
        "2025-03-10",
        "met",
    ),
    (
        "certificate over Easter",
        [FINAL, ev("mediation_declined", "2026-04-02")],
        "2026-04-08",
        "mediation_certificate",
        "2026-04-02",
        "2026-04-09",
        None,
        "due_soon",
    ),
    (
        "mediation held in 30 days",
        [FINAL, ev("mediation_requested", "2025-03-03"), ev("mediation_held", "2025-03-28")],
        "2025-06-01",
        "mediation_arranged",
        "2025-03-03",
        "2025-04-02",
        "2025-03-28",
        "met",
    ),
    (
        "certificate after mediation",
        [
            FINAL,
            ev("mediation_requested", "2025-03-03"),
            ev("mediation_held", "2025-03-28"),
            ev("mediation_certificate", "2025-04-03"),
        ],
        "2025-06-01",
        "mediation_certificate_after",
        "2025-03-03",
        "2025-04-02",
        "2025-04-03",
        "missed",
    ),
    (
        "certificate, not arranged",
        [FINAL, ev("mediation_requested", "2025-03-03")],
        "2025-04-10",
        "mediation_certificate_after",
        "2025-03-03",
        "2025-04-07",
        None,
        "overdue",
    ),
    (
        "order to assess: notify",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="assess"),
            ev("tribunal_order_complied", "2025-03-17", kind="assess", stage="notify"),
        ],
        "2025-04-01",
        "tribunal_order_assess",
        "2025-03-03/notify",
        "2025-03-17",
        "2025-03-17",
        "met",
    ),
    (
        "order to assess: no plan",
        [FINAL, ev("tribunal_order", "2025-03-03", kind="assess")],
        "2025-04-01",
        "tribunal_order_assess",
        "2025-03-03/decision_not_to_issue",
        "2025-05-12",
        None,
        "open",
    ),
    (
        "order to assess: final",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="assess"),
            ev("tribunal_order_complied", "2025-06-09", kind="assess", stage="final_plan"),
        ],
        "2025-07-01",
        "tribunal_order_assess",
        "2025-03-03/final_plan",
        "2025-06-09",
        "2025-06-09",
        "met",
    ),
    (
        "order to assess: alternative n/a",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="assess"),
            ev("tribunal_order_complied", "2025-06-09", kind="assess", stage="final_plan"),
        ],
        "2025-07-01",
        "tribunal_order_assess",
        "2025-03-03/decision_not_to_issue",
        "2025-05-12",
        None,
        "not_applicable",
    ),
    (
        "order to make a plan: draft",
        [FINAL, ev("tribunal_order", "2025-03-03", kind="make_plan")],
        "2025-04-01",
        "tribunal_order_make_plan",
        "2025-03-03/draft",
        "2025-04-07",
        None,
        "due_soon",
    ),
    (
        "order to make a plan: final",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="make_plan"),
            ev("tribunal_order_complied", "2025-05-20", kind="make_plan", stage="final"),
        ],
        "2025-06-01",
        "tribunal_order_make_plan",
        "2025-03-03/final",
        "2025-05-19",
        "2025-05-20",
        "missed",
    ),
    (
        "order to amend",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="amend"),
            ev("tribunal_order_complied", "2025-04-07", kind="amend"),
        ],
        "2025-06-01",
        "tribunal_order_amend",
        "2025-03-03",
        "2025-04-07",
        "2025-04-07",
        "met",
    ),
    (
        "order on setting",
        [FINAL, ev("tribunal_order", "2025-03-03", kind="setting")],
        "2025-03-20",
        "tribunal_order_setting",
        "2025-03-03",
        "2025-03-17",
        None,
        "overdue",
    ),
    (
        "order to continue",
        [
            FINAL,
            ev("tribunal_order", "2025-03-03", kind="continue"),
            ev("tribunal_order_complied", "2025-03-03", kind="continue"),
        ],
        "2025-03-20",
        "tribunal_order_continue",
        "2025-03-03",
        "2025-03-03",
        "2025-03-03",
        "met",
    ),
    (
        "unopposed: amend",
        [FINAL, ev("unopposed_appeal", "2025-03-03", kind="amend")],
        "2025-03-20",
        "unopposed_appeal",
        "2025-03-03/amended_plan",
        "2025-04-07",
        None,
        "open",
    ),
    (
        "unopposed: assess final",
        [
            FINAL,
            ev("unopposed_appeal", "2025-03-03", kind="assess"),
            ev("unopposed_appeal_complied", "2025-06-01", kind="assess", stage="final_plan"),
        ],
        "2025-07-01",
        "unopposed_appeal",
        "2025-03-03/final_plan",
        "2025-06-09",
        "2025-06-01",
        "met",
    ),
    # --- information rights and complaints
    (
        "SAR month end",
        [ev("sar_received", "2025-01-31"), ev("sar_responded", "2025-02-28")],
        "2025-06-01",
        "subject_access_request",
        "2025-01-31",
        "2025-02-28",
        "2025-02-28",
        "met",
    ),
    (
        "SAR lands on a bank holiday",
        [ev("sar_received", "2025-04-26")],
        "2025-05-20",
        "subject_access_request",
        "2025-04-26",
        "2025-05-27",
        None,
        "due_soon",
    ),
    (
        "SAR extended",
        [
            ev("sar_received", "2025-01-31"),
            ev("sar_extended", "2025-02-10"),
            ev("sar_responded", "2025-04-29"),
        ],
        "2025-06-01",
        "subject_access_request",
        "2025-01-31",
        "2025-04-30",
        "2025-04-29",
        "met",
    ),
    (
        "SAR extended too late",
        [
            ev("sar_received", "2025-01-31"),
            ev("sar_extended", "2025-03-05"),
            ev("sar_responded", "2025-04-29"),
        ],
        "2025-06-01",
        "subject_access_request",
        "2025-01-31",
        "2025-02-28",
        "2025-04-29",
        "missed",
    ),
    (
        "FOI over Christmas",
        [ev("foi_received", "2025-12-19"), ev("foi_responded", "2026-01-21")],
        "2026-02-01",
        "foi_request",
        "2025-12-19",
        "2026-01-21",
        "2026-01-21",
        "met",
    ),
    (
        "complaint stage 1",
        [ev("complaint_received", "2025-12-19"), ev("complaint_responded", "2026-01-08", stage=1)],
        "2026-02-01",
        "complaint_stage_1",
        "2025-12-19",
        "2026-01-07",
        "2026-01-08",
        "missed",
    ),
    (
        "complaint stage 2 over Easter",
        [
            ev("complaint_received", "2026-03-01"),
            ev("complaint_responded", "2026-03-10"),
            ev("complaint_escalated", "2026-03-27"),
        ],
        "2026-04-20",
        "complaint_stage_2",
        "2026-03-27",
        "2026-04-28",
        None,
        "due_soon",
    ),
]


@pytest.mark.parametrize(
    ("events", "today", "key", "instance", "due", "done", "status"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_deadline(
    events: list[Event],
    today: str,
    key: str,
    instance: str | None,
    due: str | None,
    done: str | None,
    status: str,
) -> None:
    row = one(run(events, today), key, instance)
    assert (row.due, row.completed_on, row.status) == (
        D(due) if due else None,
        D(done) if done else None,
        status,
    ), row.explanation
    assert row.source and row.explanation


def test_every_key_and_status_is_covered_by_the_table() -> None:
    from sendcase.statutory import DEADLINE_RULES, STATUSES

    assert {c[3] for c in CASES} == set(DEADLINE_RULES)
    assert {c[7] for c in CASES} >= set(STATUSES) - {
        "exception"
    }  # exceptions: test_engine_exceptions.py


def test_explanation_reads_like_the_issue() -> None:
    row = one(run([REQ, ASSESS], "2025-06-01"), "final_plan")
    assert row.explanation.startswith(
        "Final plan due 26 May 2025: 20 weeks from the request received on 6 January 2025 "
        "(SEND Regulations 2014, reg 13(2))."
    )
    assert row.source == "SEND Regulations 2014, reg 13(2)"


def test_draft_breach_is_explained() -> None:
    row = one(
        run(
            [REQ, ASSESS, ev("draft_issued", "2025-03-03"), ev("final_issued", "2025-03-10")],
            "2025-06-01",
        ),
        "draft_comments_window",
    )
    assert row.status == "missed"
    assert "final plan was issued on 10 March 2025, inside the window" in row.explanation


def test_reviews_chain_from_the_first_plan_then_each_meeting() -> None:
    events = [
        ev("final_issued", "2023-03-15"),
        ev("final_issued", "2023-09-01"),  # a re-issued plan does not restart the cycle
        ev("review_meeting", "2024-03-01"),
        ev("review_meeting", "2025-02-20"),
    ]
    rows = [d for d in run(events, "2025-06-01") if d.key == "annual_review_meeting"]
    assert [(d.trigger, d.due, d.completed_on, d.status) for d in rows] == [
        (D("2023-03-15"), D("2024-03-15"), D("2024-03-01"), "met"),
        (D("2024-03-01"), D("2025-03-01"), D("2025-02-20"), "met"),
        (D("2025-02-20"), D("2026-02-20"), None, "open"),
    ]


def test_ceased_plan_has_no_next_review() -> None:
    events = [
        FINAL,
        ev("review_meeting", "2025-06-20"),
        ev("review_decision", "2025-07-10", outcome="cease"),
    ]
    rows = run(events, "2025-08-01")
    assert one(rows, "annual_review_meeting", "2025-06-20").status == "not_applicable"
    assert one(rows, "plan_maintained_pending_appeal").due == D("2025-09-10")


def test_early_years_rows_only_under_five() -> None:
    rows = run(
        [ev("child_born", "2019-06-01"), FINAL, ev("review_meeting", "2025-06-10")], "2025-07-01"
    )
    assert [d.instance for d in rows if d.key == "early_years_review"] == []
    rows = run(
        [ev("child_born", "2020-03-01"), FINAL, ev("review_meeting", "2025-06-10")], "2025-07-01"
    )
    assert [d.instance for d in rows if d.key == "early_years_review"] == ["2025-01-15"]


def test_no_preparing_for_adulthood_before_year_9() -> None:
    rows = run(
        [
            ev("child_born", "2012-10-01"),
            ev("final_issued", "2023-05-01"),
            ev("review_meeting", "2025-03-01"),
        ],
        "2025-06-01",
    )
    assert not [d for d in rows if d.key == "preparing_for_adulthood"]
    # born 1 September 2011: Year 8 in 2024/25; born 31 August 2011: Year 9
    rows = run(
        [
            ev("child_born", "2011-09-01"),
            ev("final_issued", "2023-05-01"),
            ev("review_meeting", "2024-09-10"),
        ],
        "2025-06-01",
    )
    assert not [d for d in rows if d.key == "preparing_for_adulthood"]
    rows = run(
        [
            ev("child_born", "2011-08-31"),
            ev("final_issued", "2023-05-01"),
            ev("review_meeting", "2024-09-10"),
        ],
        "2025-06-01",
    )
    assert "Year 9" in one(rows, "preparing_for_adulthood").explanation


@pytest.mark.parametrize(
    ("target", "key", "events", "due"),
    [
        (
            LocalTarget(length_days=5),
            "complaint_stage_1",
            [ev("complaint_received", "2025-12-19")],
            "2025-12-30",
        ),
        (
            LocalTarget(length_days=10),
            "setting_consultation",
            [ev("setting_consulted", "2025-03-04")],
            "2025-03-13",
        ),
        (
            LocalTarget(length_days=90),
            "early_years_review",
            [ev("child_born", "2022-06-01"), FINAL],
            "2025-04-15",
        ),
        (
            LocalTarget(length_days=30),
            "complaint_stage_2",
            [ev("complaint_escalated", "2026-03-27")],
            "2026-05-13",
        ),  # Early May bank holiday
    ],
)
def test_local_targets_can_be_changed(
    target: LocalTarget, key: str, events: list[Event], due: str
) -> None:
    assert one(run(events, "2025-01-01", ClockConfig(local_targets={key: target})), key).due == D(
        due
    )


@pytest.mark.parametrize(
    ("key", "events"),
    [
        ("complaint_stage_1", [ev("complaint_received", "2025-12-19")]),
        ("setting_consultation", [ev("setting_consulted", "2025-03-04")]),
        ("early_years_review", [ev("child_born", "2022-06-01"), FINAL]),
    ],
)
def test_local_targets_can_be_switched_off(key: str, events: list[Event]) -> None:
    config = ClockConfig(local_targets={key: LocalTarget(enabled=False)})
    assert not [d for d in run(events, "2025-01-01", config) if d.key == key]
    assert [d for d in run(events, "2025-01-01") if d.key == key]


def test_warning_window_is_configurable() -> None:
    assert one(run([REQ], "2025-02-05"), "decision_to_assess").status == "due_soon"
    assert (
        one(run([REQ], "2025-02-05", ClockConfig(warning_days=7)), "decision_to_assess").status
        == "open"
    )


def test_output_is_sorted_and_unique() -> None:
    events = [
        REQ,
        ASSESS,
        *[ev("advice_requested", "2025-02-12", advice_id=f"a{i}", kind="other") for i in range(3)],
    ]
    rows = run(events, "2025-03-01")
    keys = [(d.due, d.key, d.instance) for d in rows]
    assert keys == sorted(keys)
    assert len({(d.key, d.instance) for d in rows}) == len(rows)


def test_to_json() -> None:
    rows = run(
        [
            REQ,
            ASSESS,
            ev("advice_requested", "2025-02-12", advice_id="ep1", kind="educational_psychology"),
        ],
        "2025-03-01",
    )
    dta: dict[str, Any] = one(rows, "decision_to_assess").to_json()
    assert dta == {
        "key": "decision_to_assess",
        "trigger": "2025-01-06",
        "due": "2025-02-17",
        "completed_on": "2025-02-10",
        "status": "met",
        "source": "SEND Regulations 2014, regs 4, 5(1) and 5(3); Children and Families Act 2014, s36",
        "explanation": dta["explanation"],
    }
    advice = one(rows, "advice_due").to_json()
    assert advice["advice_id"] == "ep1" and advice["instance"] == "ep1"


def test_a_decision_not_to_cease_starts_no_window_and_other_outcomes_are_refused() -> None:
    kept = [
        FINAL,
        ev("cease_considered", "2025-05-01"),
        ev("cease_decision", "2025-06-01", outcome="not_cease"),
    ]
    assert "plan_maintained_pending_appeal" not in {d.key for d in run(kept, "2025-07-01")}
    with pytest.raises(ClockInputError, match="outcome 'maybe' is not allowed"):
        ev("cease_decision", "2025-06-01", outcome="maybe")
