"""The table of deadline rules: one row per key in docs/statutory-timescales.md.

Units:
  weeks          trigger + 7*length days (never moved)
  months         same day-of-month `length` months later, clamped to the month end
  days           a period of `length` days beginning with the trigger day
                 (ends trigger + length - 1; "at least 15 days")
  calendar_days  trigger + length days ("within 30 days of")
  working_days   the length-th working day after the trigger (trigger is day 0)
  sar_month      1 month, then rolled forward to the next working day
  weeks_before   length weeks before the trigger (the review meeting)
  months_before  length months before the trigger (the move)
  fixed_date     a fixed day of the year of the trigger (length unused)
  immediate      due on the trigger day
  later_of       the later of two periods (see transfer_in_review_due and PARTS)
  none           no numeric limit, or a content check: due is None
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sendcase.statutory.dates import (
    MONTH_NAMES,
    Calendar,
    Remembered,
    add_months,
    default_calendar,
)

__all__ = [
    "CALENDAR_UNITS",
    "DEADLINE_RULES",
    "EHC_AGE_LIMIT_YEARS",
    "EHC_START",
    "PARTS",
    "STAGES",
    "Period",
    "Rule",
    "period",
    "period_end",
    "period_ends",
    "length_days",
    "transfer_in_review_due",
]

REGS = "SEND Regulations 2014"
CFA = "Children and Families Act 2014"
COP = "SEND Code of Practice 0-25 (2015)"
DEVON = "R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)"

# Part 3 of the Children and Families Act 2014 came into force on 1 September 2014: no EHC
# request, assessment or plan is dated before it (a plan transferred in may carry older dates).
EHC_START = date(2014, 9, 1)
# A plan may be maintained until the end of the academic year in which the young person turns 25
# (CFA s.46), so a child is under 26 at every event of a case.
EHC_AGE_LIMIT_YEARS = 26


Ends = Remembered[date]


@dataclass(frozen=True, slots=True)
class Period:
    """A length of time in one of the units above. `fixed` is (month, day) for fixed_date."""

    unit: str
    length: int | None
    fixed: tuple[int, int] | None = None

    @property
    def words(self) -> str:
        """'6 weeks', '15 days', '1 month', '15 working days', '2 weeks' (before), '15 February'."""
        n = self.length
        if self.unit == "fixed_date" and self.fixed is not None:
            return f"{self.fixed[1]} {MONTH_NAMES[self.fixed[0]]}"
        if n is None or self.unit in ("none", "later_of"):
            return ""
        if self.unit == "immediate":
            return "immediately"
        word = _WORDS[self.unit]
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    @property
    def days(self) -> int:
        """The length in days of a weeks, days or calendar_days period (as DfE counts it)."""
        if self.length is None or self.unit not in ("weeks", "days", "calendar_days"):
            raise ValueError(f"a {self.unit} period has no fixed length in days")
        return self.length * 7 if self.unit == "weeks" else self.length

    def end(self, trigger: date, calendar: Calendar | None = None) -> date:
        """The last day of this period counted from `trigger` (see the units above)."""
        unit, n, fixed = self.unit, self.length, self.fixed
        if n is not None:
            if unit == "weeks":
                return trigger + timedelta(days=7 * n)  # never moved for weekends or bank holidays
            if unit == "months":
                return add_months(trigger, n)
            if unit == "days":  # a period beginning with (and including) the trigger
                return trigger + timedelta(days=n - 1)
            if unit == "calendar_days":
                return trigger + timedelta(days=n)
            if unit == "working_days":
                return (calendar or default_calendar()).add_working_days(trigger, n)
            if unit == "sar_month":
                return (calendar or default_calendar()).next_working_day(add_months(trigger, n))
            if unit == "weeks_before":
                return trigger - timedelta(days=7 * n)
            if unit == "months_before":
                return add_months(trigger, -n)
        if unit == "fixed_date" and fixed is not None:
            return date(trigger.year, fixed[0], fixed[1])
        if unit == "immediate":
            return trigger
        raise ValueError(f"a {unit} period has no end of its own (length {n})")

    def ends(self) -> Ends:
        """trigger -> `end(trigger)`, as a mapping that remembers its answers (the clock
        counts the same periods from the same dates many times, and a look-up is cheaper than
        a call). Not for working days, which depend on the council's calendar: call `end`."""
        if self.unit in CALENDAR_UNITS:
            raise ValueError(f"a {self.unit} period needs the council's calendar: use end()")
        return Remembered(self.end)


CALENDAR_UNITS = frozenset({"working_days", "sar_month"})


_WORDS = {
    "weeks": "week",
    "months": "month",
    "days": "day",
    "calendar_days": "day",
    "working_days": "working day",
    "sar_month": "month",
    "weeks_before": "week",
    "months_before": "month",
}


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    title: str
    source: str
    unit: str
    length: int | None
    local_target: bool = False
    fixed: tuple[int, int] | None = None  # (month, day) of a fixed_date rule

    @property
    def period(self) -> Period:
        return Period(self.unit, self.length, self.fixed)


_RULES = (
    # EHC needs assessment and the new plan
    Rule(
        "decision_to_assess",
        "Decision whether to assess",
        f"{REGS}, regs 4, 5(1) and 5(3); {CFA}, s36",
        "weeks",
        6,
    ),
    Rule("advice_due", "Advice", f"{REGS}, reg 8(1)", "weeks", 6),
    Rule(
        "decision_not_to_issue",
        "Decision whether to issue a plan (if not, notify by week 16)",
        f"{REGS}, reg 10(1) and 10(3)",
        "weeks",
        16,
    ),
    Rule(
        "draft_comments_window",
        "Comments on the draft plan",
        f"{REGS}, reg 13(1); {COP}, para 9.77",
        "days",
        15,
    ),
    Rule(
        "setting_consultation",
        "Setting's response to consultation",
        f"{CFA}, s39(3) and s40(3); {COP}, para 9.83 (guidance)",
        "days",
        15,
        True,
    ),
    Rule("final_plan", "Final plan", f"{REGS}, reg 13(2)", "weeks", 20),
    Rule(
        "final_plan_reassessment",
        "Final plan after re-assessment",
        f"{REGS}, reg 27(2)-(3)",
        "weeks",
        14,
    ),
    # Reviews and amendments
    Rule(
        "annual_review_meeting",
        "Annual review meeting",
        f"{CFA}, s44(1); {REGS}, reg 18; {COP}, para 9.166",
        "months",
        12,
    ),
    Rule(
        "early_years_review",
        "Early years review",
        f"{COP}, para 9.178 (guidance)",
        "months",
        6,
        True,
    ),
    Rule(
        "review_meeting_notice",
        "Review meeting invitations",
        f"{REGS}, reg 20(3)",
        "weeks_before",
        2,
    ),
    Rule(
        "review_advice_circulated",
        "Review advice circulated",
        f"{REGS}, reg 20(4)",
        "weeks_before",
        2,
    ),
    Rule("review_report", "Review report", f"{REGS}, reg 20(7)", "weeks", 2),
    Rule("review_decision", "Review decision", f"{REGS}, reg 20(10); {DEVON}", "weeks", 4),
    Rule(
        "amendment_comments_window",
        "Comments on proposed amendments",
        f"{REGS}, reg 22(2)(c)",
        "days",
        15,
    ),
    Rule("final_amended_plan", "Final amended plan", f"{REGS}, reg 22(3)", "weeks", 8),
    Rule("final_amended_plan_after_review", "Final amended plan after review", DEVON, "weeks", 12),
    Rule(
        "phase_transfer",
        "Phase transfer review",
        f"{REGS}, reg 18(1)(a) and reg 2(1)",
        "fixed_date",
        None,
        fixed=(2, 15),
    ),
    Rule(
        "post16_transfer",
        "Transfer to post-16 education",
        f"{REGS}, reg 18(1)(b)",
        "fixed_date",
        None,
        fixed=(3, 31),
    ),
    Rule(
        "post16_institution_move",
        "Move between post-16 institutions",
        f"{REGS}, reg 18(1)(b)",
        "months_before",
        5,
    ),
    Rule(
        "preparing_for_adulthood",
        "Preparing for adulthood in the review",
        f"{REGS}, regs 20(6) and 21(6)",
        "none",
        None,
    ),
    # Ceasing and moving between local authorities
    Rule(
        "cease_consultation",
        "Consultation before ceasing",
        f"{REGS}, reg 31; {CFA}, s45",
        "none",
        None,
    ),
    Rule(
        "plan_maintained_pending_appeal",
        "Plan maintained pending appeal",
        f"{CFA}, s45(3)-(4)",
        "months",
        2,
    ),
    Rule(
        "transfer_out",
        "Transfer of the plan to the new authority",
        f"{REGS}, reg 15(2)",
        "working_days",
        15,
    ),
    Rule("transfer_in_notice", "Notice after transfer in", f"{REGS}, reg 15(4)", "weeks", 6),
    # the later of two periods: see PARTS["transfer_in_review/..."]
    Rule("transfer_in_review", "Review after transfer in", f"{REGS}, reg 15(5)", "later_of", None),
    # Disagreement resolution, mediation and the tribunal
    Rule(
        "appeal_window",
        "Appeal window",
        "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care Chamber) Rules 2008, r20(1)",
        "months",
        2,
    ),
    Rule("mediation_certificate", "Mediation certificate", f"{REGS}, reg 34", "working_days", 3),
    Rule("mediation_arranged", "Mediation held", f"{REGS}, reg 37", "calendar_days", 30),
    Rule(
        "mediation_certificate_after",
        "Mediation certificate after mediation",
        f"{REGS}, reg 39",
        "working_days",
        3,
    ),
    Rule("tribunal_order_assess", "Tribunal order to assess", f"{REGS}, reg 44(2)(b)", "weeks", 14),
    Rule(
        "tribunal_order_make_plan",
        "Tribunal order to make a plan",
        f"{REGS}, reg 44(2)(c)",
        "weeks",
        11,
    ),
    Rule(
        "tribunal_order_amend",
        "Tribunal order to amend the plan",
        f"{REGS}, reg 44(2)(d)",
        "weeks",
        5,
    ),
    Rule(
        "tribunal_order_setting",
        "Tribunal order to change the named setting",
        f"{REGS}, reg 44(2)(e)",
        "weeks",
        2,
    ),
    Rule(
        "tribunal_order_continue",
        "Tribunal order to continue the plan",
        f"{REGS}, reg 44(2)(f)",
        "immediate",
        0,
    ),
    Rule(
        "unopposed_appeal", "Unopposed appeal", f"{REGS}, reg 45 (as substituted 2015)", "weeks", 14
    ),
    # Information rights and complaints
    Rule(
        "subject_access_request",
        "Subject access request",
        "UK GDPR, Article 12(3); ICO guidance",
        "sar_month",
        1,
    ),
    Rule(
        "foi_request",
        "Freedom of information request",
        "Freedom of Information Act 2000, s10(1)",
        "working_days",
        20,
    ),
    Rule(
        "complaint_stage_1",
        "Complaint response (stage 1)",
        "Local complaints policy",
        "working_days",
        10,
        True,
    ),
    Rule(
        "complaint_stage_2",
        "Complaint response (stage 2)",
        "Local complaints policy",
        "working_days",
        20,
        True,
    ),
)

DEADLINE_RULES: dict[str, Rule] = {r.key: r for r in _RULES}

# Deadlines with more than one stage: (stage, weeks, plain words). Each stage is its own
# Deadline row with instance "<trigger ISO date>/<stage>".
STAGES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "tribunal_order_assess": (
        ("notify", 2, "notify the decision to assess"),
        ("decision_not_to_issue", 10, "notify a decision not to issue a plan"),
        ("final_plan", 14, "issue the final plan"),
    ),
    "tribunal_order_make_plan": (
        ("draft", 5, "issue the draft plan"),
        ("final", 11, "issue the final plan"),
    ),
    "tribunal_order_amend": (("amended_plan", 5, "issue the amended plan"),),
    "tribunal_order_setting": (("amended_plan", 2, "issue the amended plan"),),
    "tribunal_order_continue": (("continue", 0, "continue the plan"),),
    # Reg 45: the LA concedes an appeal (kind assess or amend)
    "unopposed_appeal/assess": (
        ("notify", 2, "notify the decision to assess"),
        ("decision_not_to_issue", 10, "notify a decision not to issue a plan"),
        ("final_plan", 14, "issue the final plan"),
    ),
    "unopposed_appeal/amend": (("amended_plan", 5, "issue the amended plan"),),
}

# Stages that are alternatives: once one is done, the other no longer applies.
ALTERNATIVE_STAGES = {"decision_not_to_issue": "final_plan", "final_plan": "decision_not_to_issue"}

# The other numbers of the law that the rules above need: the second period of a rule, and
# the spans of the exceptions. Keys are "<rule or topic>/<part>".
PARTS: dict[str, Period] = {
    # r20(1): or 1 month from a mediation certificate, if that is later
    "appeal_window/after_certificate": Period("months", 1),
    # UK GDPR Art 12(3): extended by 2 further months, so 3 months from the request
    "subject_access_request/extended": Period("sar_month", 3),
    # Reg 15(5): the later of 12 months from the last review (or making) and 3 months from
    # the transfer
    "transfer_in_review/after_last_review": Period("months", 12),
    "transfer_in_review/after_transfer": Period("months", 3),
    # CoP 9.178: the early years review is for a child under 5 (60 months from birth)
    "early_years_review/until_age": Period("months", 60),
    # Regs 5(4), 8(2), 10(4), 13(3): a closure counts from 1 week before it closed until 1
    # week before it reopened, and a closure or an absence must last at least 4 weeks
    "exception/closure_lead": Period("weeks_before", 1),
    "exception/least_span": Period("weeks", 4),
    # Reg 44: an absence excuses a tribunal order's deadline if it lasts at least 2 weeks
    "exception/least_span_tribunal": Period("weeks", 2),
}


def period(key: str, stage: str | None = None) -> Period:
    """The period of a rule key, a stage of a rule (STAGES), or a PARTS key."""
    if stage is not None:
        for name, weeks, _words in STAGES[key]:
            if name == stage:
                return Period("weeks", weeks)
        raise KeyError(f"{key} has no stage {stage!r}")
    rule = DEADLINE_RULES.get(key)
    if rule is not None:
        return rule.period
    return PARTS[key]


_ENDS: dict[tuple[str, str | None], Ends] = {}


def period_ends(key: str, stage: str | None = None) -> Ends:
    """`period_end` for one key as a mapping trigger -> end: ends[trigger]. For the clock's
    inner loop. Not for periods in working days (they need the council's calendar)."""
    found = _ENDS.get((key, stage))
    if found is None:
        found = _ENDS[(key, stage)] = period(key, stage).ends()
    return found


def period_end(
    key: str, trigger: date, calendar: Calendar | None = None, *, stage: str | None = None
) -> date:
    """The end of the period of `key` (a rule, a PARTS key, or a rule's `stage`) counted from
    `trigger`, in the rule's unit (see the top of this module). Working days count with the
    council's `calendar` (default: England's bank holidays). A rule with no numeric limit
    (unit none, or later_of: see transfer_in_review_due) raises ValueError.

    The one place a statutory period is counted: the clock, the actions, the demo and the
    reports all ask here.
    """
    found = _ENDS.get((key, stage))
    if found is not None:
        return found[trigger]
    p = period(key, stage)
    if p.unit in CALENDAR_UNITS:
        return p.end(trigger, calendar)
    return period_ends(key, stage)[trigger]


def transfer_in_review_due(transferred_on: date, last_review: date) -> date:
    """Reg 15(5): the later of 12 months from the last review (or the making of the plan)
    and 3 months from the transfer in."""
    return max(
        period_end("transfer_in_review/after_last_review", last_review),
        period_end("transfer_in_review/after_transfer", transferred_on),
    )


def length_days(key: str) -> int:
    """A weeks or days rule's length in days (20 weeks -> 140), as DfE's measures count."""
    return period(key).days
