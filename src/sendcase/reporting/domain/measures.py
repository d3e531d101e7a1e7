"""Every performance measure SENDcase reports, each defined once.

A measure is a `Definition`: which rows it counts (requests, plans, reviews,
phase transfers, appeals), the date that places a row in a period, which rows
form the denominator and which of them the numerator. The same definition feeds
the dashboard, the drill-down lists, the committee report, the `report` command
and the exports, so a figure on the screen and the cases listed behind it can
never disagree.

Wherever DfE publishes the measure (Explore Education Statistics, "Education,
health and care plans", computed from SEN2) the definition is DfE's:

* decided within 6 weeks: decision date - request received date <= 42 days, of
  the requests received in the period that have a decision (assess or not);
* issued within 20 weeks: final plan issue date - request received date <= 140
  days, of the final plans first issued in the period; 20 to 52 weeks is 141 to
  364 days, after 52 weeks is 365 days or more;
* "excluding exceptions" removes every plan whose case has an exception to the
  20-week limit recorded (any reason but a missed appointment, not tied to
  other deadlines) from the numerator AND the denominator;
* decided not to issue within 16 weeks: <= 112 days from the request;
* review decision within 4 weeks: decision letter sent - review meeting <= 28
  days, of the plans maintained on the census date whose latest review meeting's
  letter had been sent by then (SEN2 module 5a: ReviewMeeting and LastReview),
  whatever year the meeting was: the published denominator is every plan with a
  review decision recorded (annual_reviews.csv: number_decsion_4weeks plus
  number_decision_gt_4weeks equals the decisions recorded in every year).

A calendar year's figures are as known on its SEN2 census date (`Period.as_at`,
see periods.with_census): a decision made after it counts in no figure for that
year. Operational variants (every review held in the period) have their own
keys and labels, never DfE's.

Local measures: reviews due in the period whose meeting was held by the due date
(12 months from the plan or the last meeting); final amended plans issued in the
period within 12 weeks (84 days) of the review meeting (Devon [2022]); phase
transfers due in the period named by 15 February (school) or 31 March (post-16).

Counts on a date (active plans, open cases) use the period's last day. Every
measure is computed with one aggregate query per period (or one for a whole
series), never by looping over cases in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from sendcase.accounts.models import Team, User
from sendcase.casework.models import Appeal, AssessmentRequest, Case, TimeLimitException
from sendcase.core.codes import CeaseReason, ExceptionReason, NeedType, SettingType
from sendcase.information.models import Complaint
from sendcase.placements.models import Placement
from sendcase.plans.checks import CRITERIA
from sendcase.plans.models import Plan, PlanVersion
from sendcase.reporting.domain.periods import Period, add_years
from sendcase.reviews.models import AnnualReview, PhaseTransfer
from sendcase.statutory.rules import length_days

# --- Scope: which cases a figure covers ---------------------------------------------------

# The six setting groups the committee report uses; DfE's early years and alternative
# provision fall into "other" here (the England comparison keeps DfE's own columns).
SETTING_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mainstream": ("Mainstream school", (SettingType.MAINSTREAM,)),
    "resourced": ("Resourced provision or SEN unit", (SettingType.RESOURCED,)),
    "maintained_special": ("Maintained special school", (SettingType.MAINTAINED_SPECIAL,)),
    "independent_special": (
        "Independent or non-maintained special school",
        (SettingType.INDEPENDENT_SPECIAL,),
    ),
    "further_education": ("Further education", (SettingType.FURTHER_EDUCATION,)),
    "other": (
        "Other (early years, alternative provision, other arrangements)",
        (SettingType.EARLY_YEARS, SettingType.ALTERNATIVE_PROVISION, SettingType.OTHER),
    ),
}
NO_PLACEMENT = "none"

# DfE's age bands (age on the last day of the period).
AGE_BANDS: tuple[tuple[str, str, int], ...] = (
    ("under_5", "Under 5", 5),
    ("5_10", "5 to 10", 11),
    ("11_15", "11 to 15", 16),
    ("16_19", "16 to 19", 20),
    ("20_25", "20 and over", 200),
)

AREAS = {
    "in": "In the council's area",
    "out": "Outside the council's area",
    "not_known": "Setting's council not recorded",
    "not_named": "No school or college named",
    NO_PLACEMENT: "No placement recorded",
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Filters on the cases behind a figure. Empty means the whole council."""

    team_id: int | None = None
    officer_id: int | None = None
    primary_need: str = ""
    setting: str = ""
    age: str = ""

    @property
    def is_whole_council(self) -> bool:
        return self == Scope()

    def as_params(self) -> dict[str, str]:
        out = {}
        if self.team_id:
            out["team"] = str(self.team_id)
        if self.officer_id:
            out["officer"] = str(self.officer_id)
        for key in ("primary_need", "setting", "age"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


WHOLE_COUNCIL = Scope()

# --- Definitions ----------------------------------------------------------------------------

# The versions judged for quality: the plans that go to the family as final (plans.checks).
QUALITY_KINDS = (PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED)


@dataclass(frozen=True, slots=True)
class DfE:
    """Where DfE publishes the same measure: table and columns of the EES release."""

    table: str
    value: str
    pc: str = ""
    denominator: str = ""
    census: bool = False  # an academic-year census table (January), not a calendar year


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    description: str
    model: type[models.Model]
    case: str  # lookup from the counted row to its case ("" when the row is the case)
    date: str = ""  # the date placing a row in a period
    where: Q = field(default_factory=Q)  # which rows count: the denominator
    within: Q | None = None  # the numerator; None for a plain count
    denominator_key: str = ""
    denominator_label: str = ""
    annotations: Callable[[], dict[str, Any]] = dict
    on_date: Callable[[dt.date], Q] | None = None  # counted on a date, not over a span
    # The rows known on a date (e.g. decisions made by then), for a period with `as_at`.
    known: Callable[[dt.date], Q] | None = None
    # The rows of the period still in a state on its count date (e.g. undecided after 6 weeks).
    pending: Callable[[dt.date], Q] | None = None
    columns: tuple[tuple[str, str], ...] = ()  # drill-down: (heading, lookup)
    dfe: DfE | None = None
    outside_label: str = ""  # what the rows outside the numerator are, e.g. "late"

    @property
    def is_ratio(self) -> bool:
        return self.within is not None

    @property
    def pc_key(self) -> str:
        return f"{self.key}_pc"

    def path(self, rest: str) -> str:
        return f"{self.case}__{rest}" if self.case else rest

    @property
    def case_id(self) -> str:
        return self.path("id")

    def in_period(self, period: Period) -> Q:
        if self.on_date is not None:
            return self.on_date(period.count_date)
        q = Q(**{f"{self.date}__gte": period.start, f"{self.date}__lte": period.end})
        if self.known is not None and period.as_at is not None:
            q &= self.known(period.as_at)
        if self.pending is not None:
            q &= self.pending(period.count_date)
        return q


def _days(later: str, earlier: str) -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _limit(rule: str) -> dt.timedelta:
    """A rule's period as DfE counts it, from the rules table: 20 weeks is 140 days."""
    return dt.timedelta(days=length_days(rule))


# DfE's band for plans issued after a year (SEN2: "over 52 weeks"): a reporting band, not a
# statutory period.
_OVER_A_YEAR = dt.timedelta(days=7 * 52)


# The reasons that excuse the 20-week limit (Reg 13(3)); a blank reason is an exception
# imported from a SEN2 return (Week20 = 1), which does not say which reason applied.
_TWENTY_WEEK_EXCEPTIONS = [
    r for r in ExceptionReason.values if r != ExceptionReason.MISSED_APPOINTMENT
] + [""]


def _plan_annotations() -> dict[str, Any]:
    return {
        "days_taken": _days("first_issued_on", "case__request__received_on"),
        "has_exception": Exists(
            TimeLimitException.objects.filter(
                case=OuterRef("case"),
                reason__in=_TWENTY_WEEK_EXCEPTIONS,
                applies_to__in=["", "final_plan"],
            )
        ),
    }


def _plan_active_on(day: dt.date) -> Q:
    return Q(first_issued_on__lte=day) & (Q(cease_date__isnull=True) | Q(cease_date__gt=day))


def _latest_review_decided_on(day: dt.date) -> Q:
    """DfE's annual review rows on a date (SEN2 module 5a, as the return gives them): for each
    plan maintained on the day, its latest review meeting held by then, if that review's decision
    letter had been sent by then."""
    later = AnnualReview.objects.filter(plan_id=OuterRef("plan_id"), meeting_on__lte=day).filter(
        Q(meeting_on__gt=OuterRef("meeting_on"))
        | Q(meeting_on=OuterRef("meeting_on"), pk__gt=OuterRef("pk"))
    )
    return (
        Q(plan__first_issued_on__lte=day)
        & (Q(plan__cease_date__isnull=True) | Q(plan__cease_date__gt=day))
        & Q(meeting_on__lte=day, decision_on__lte=day)
        & ~Q(decision="")
        & ~Q(Exists(later))
    )


def _undecided_past_6_weeks(day: dt.date) -> Q:
    """Requests with no decision whether to assess on the day, received more than 6 weeks (the
    rules table's period) before it, and neither withdrawn nor closed by then."""
    return (
        Q(received_on__lt=day - _limit("decision_to_assess"))
        & (Q(decision="") | Q(decision_on__isnull=True) | Q(decision_on__gt=day))
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        & (Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=day))
    )


def _case_open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


_CASE_COLUMNS = (("Officer", "officer_name"), ("Team", "team_name"))
_REQUEST_COLUMNS = (
    ("Request received", "received_on"),
    ("Decision", "decision_on"),
    ("Days", "days_taken"),
)
_PLAN_COLUMNS = (
    ("Request received", "case__request__received_on"),
    ("Final plan issued", "first_issued_on"),
    ("Days", "days_taken"),
    ("Exception", "has_exception"),
)
_REVIEW_COLUMNS = (
    ("Review due", "due_on"),
    ("Meeting", "meeting_on"),
    ("Decision sent", "decision_on"),
    ("Final amended plan", "final_amended_on"),
)

_plans_issued = dict(
    model=Plan,
    case="case",
    date="first_issued_on",
    denominator_key="plans_issued",
    denominator_label="Final plans issued",
    annotations=_plan_annotations,
    columns=_PLAN_COLUMNS,
)

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        key="requests_received",
        label="Requests for assessment received",
        description="Requests for an EHC needs assessment received in the period.",
        model=AssessmentRequest,
        case="case",
        date="received_on",
        columns=_REQUEST_COLUMNS,
        annotations=lambda: {"days_taken": _days("decision_on", "received_on")},
        dfe=DfE("requests", "requests_received_in_year"),
    ),
    Definition(
        key="request_decisions_within_6_weeks",
        label="Decisions whether to assess within 6 weeks",
        description=(
            "Of the requests received in the period that have a decision (to assess or not), "
            "those decided within 6 weeks (42 days) of the request."
        ),
        model=AssessmentRequest,
        case="case",
        date="received_on",
        where=~Q(decision="") & Q(decision_on__isnull=False),
        known=lambda day: Q(decision_on__lte=day),
        within=Q(days_taken__lte=_limit("decision_to_assess")),
        denominator_key="request_decisions",
        denominator_label="Requests decided",
        annotations=lambda: {"days_taken": _days("decision_on", "received_on")},
        columns=_REQUEST_COLUMNS,
        dfe=DfE("requests", "request_outcome_six_weeks", pc="request_outcome_six_weeks_pc"),
        outside_label="decided after 6 weeks",
    ),
    Definition(
        key="requests_undecided_past_6_weeks",
        label="Requests undecided after 6 weeks",
        description=(
            "Requests received in the period with no decision whether to assess yet (on the "
            "count date), more than 6 weeks after they arrived. The 6-week figure counts only "
            "decided requests, so these late ones are shown beside it: a part-year never flatters."
        ),
        model=AssessmentRequest,
        case="case",
        date="received_on",
        pending=_undecided_past_6_weeks,
        columns=(("Request received", "received_on"),),
    ),
    Definition(
        key="plans_issued_within_20_weeks",
        label="Plans issued within 20 weeks",
        description=(
            "Of the final EHC plans first issued in the period after a request to this council, "
            "those issued within 20 weeks (140 days) of the request, exceptions included."
        ),
        where=Q(case__request__isnull=False),
        within=Q(days_taken__lte=_limit("final_plan")),
        dfe=DfE(
            "timeliness_20_week",
            "plans_issued_within_20_weeks",
            pc="pc_plans_issued_within_20_weeks",
            denominator="plans_issued_den",
        ),
        outside_label="issued after 20 weeks",
        **_plans_issued,  # type: ignore[arg-type]
    ),
    Definition(
        key="plans_issued_within_20_weeks_excluding_exceptions",
        label="Plans issued within 20 weeks, excluding exceptions",
        description=(
            "As plans issued within 20 weeks, leaving out (from both counts) every plan whose case "
            "has an exception to the 20-week limit recorded."
        ),
        where=Q(case__request__isnull=False, has_exception=False),
        within=Q(days_taken__lte=_limit("final_plan")),
        dfe=DfE(
            "timeliness_20_week",
            "plans_issued_20_weeks_ex",
            pc="PC_plans_issued_20_weeks_ex",
            denominator="plans_issued_den_ex",
        ),
        outside_label="issued after 20 weeks",
        **{  # type: ignore[arg-type]
            **_plans_issued,
            "denominator_key": "plans_issued_excluding_exceptions",
            "denominator_label": "Final plans issued, excluding exceptions",
        },
    ),
    Definition(
        key="plans_issued_20_to_52_weeks",
        label="Plans issued in 20 to 52 weeks",
        description="Of the final plans issued in the period, those issued 141 to 364 days (over 20 weeks, up to 52) after the request.",
        where=Q(case__request__isnull=False),
        within=Q(days_taken__gt=_limit("final_plan"), days_taken__lte=_OVER_A_YEAR),
        dfe=DfE(
            "timeliness_20_week",
            "plans_issued_gt20weeks_ltYear",
            pc="pc_plans_issued_gt20weeks_ltYear",
            denominator="plans_issued_den",
        ),
        outside_label="not in 20 to 52 weeks",
        **_plans_issued,  # type: ignore[arg-type]
    ),
    Definition(
        key="plans_issued_after_52_weeks",
        label="Plans issued after 52 weeks",
        description="Of the final plans issued in the period, those issued more than 52 weeks (365 days or more) after the request.",
        where=Q(case__request__isnull=False),
        within=Q(days_taken__gt=_OVER_A_YEAR),
        dfe=DfE(
            "timeliness_20_week",
            "plans_issued_gt_1_year",
            pc="pc_plans_issued_gt_1_year",
            denominator="plans_issued_den",
        ),
        outside_label="issued within 52 weeks",
        **_plans_issued,  # type: ignore[arg-type]
    ),
    Definition(
        key="decisions_not_to_issue_within_16_weeks",
        label="Decisions not to issue a plan within 16 weeks",
        description=(
            "Of the decisions not to issue a plan after assessment made in the period, those "
            "notified within 16 weeks (112 days) of the request."
        ),
        model=AssessmentRequest,
        case="case",
        date="not_to_issue_on",
        within=Q(days_taken__lte=_limit("decision_not_to_issue")),
        denominator_key="decisions_not_to_issue",
        denominator_label="Decisions not to issue a plan",
        annotations=lambda: {"days_taken": _days("not_to_issue_on", "received_on")},
        columns=(
            ("Request received", "received_on"),
            ("Decided not to issue", "not_to_issue_on"),
            ("Days", "days_taken"),
        ),
        dfe=DfE(
            "assessments",
            "outcome_decision_within_time",
            pc="outcome_decision_within_time_pc",
            denominator="assess_not_issued",
        ),
        outside_label="decided after 16 weeks",
    ),
    Definition(
        key="reviews_held_within_12_months",
        label="Annual reviews held within 12 months",
        description=(
            "Of the annual reviews due in the period (12 months from the plan or the last review "
            "meeting), those whose meeting was held on or before the due date."
        ),
        model=AnnualReview,
        case="plan__case",
        date="due_on",
        within=Q(meeting_on__isnull=False, meeting_on__lte=F("due_on")),
        denominator_key="reviews_due",
        denominator_label="Annual reviews due",
        columns=_REVIEW_COLUMNS,
        outside_label="not held by the due date",
    ),
    Definition(
        key="review_decisions_within_4_weeks",
        label="Review decisions within 4 weeks",
        description=(
            "DfE's measure, from the SEN2 return: of the plans maintained on the date (the census "
            "date for a calendar year) whose latest review meeting's decision letter had been "
            "sent by then, those whose letter went within 4 weeks (28 days) of the meeting."
        ),
        model=AnnualReview,
        case="plan__case",
        on_date=_latest_review_decided_on,
        within=Q(days_taken__lte=_limit("review_decision")),
        denominator_key="review_decisions",
        denominator_label="Plans with a review decision sent",
        annotations=lambda: {"days_taken": _days("decision_on", "meeting_on")},
        columns=(*_REVIEW_COLUMNS, ("Days", "days_taken")),
        dfe=DfE("annual_reviews", "number_decsion_4weeks", pc="pc_decsion_4weeks"),
        outside_label="decided after 4 weeks",
    ),
    Definition(
        key="review_decisions_in_period_within_4_weeks",
        label="Review decisions within 4 weeks, every review held in the period (operational)",
        description=(
            "Not DfE's measure: of every annual review meeting held in the period whose decision "
            "letter has been sent (as known on the date, or today), those whose letter went within "
            "4 weeks (28 days) of the meeting, whatever happened to the plan since."
        ),
        model=AnnualReview,
        case="plan__case",
        date="meeting_on",
        where=Q(decision_on__isnull=False),
        known=lambda day: Q(decision_on__lte=day),
        within=Q(days_taken__lte=_limit("review_decision")),
        denominator_key="review_decisions_in_period",
        denominator_label="Review decisions sent for meetings held in the period (operational)",
        annotations=lambda: {"days_taken": _days("decision_on", "meeting_on")},
        columns=(*_REVIEW_COLUMNS, ("Days", "days_taken")),
        outside_label="decided after 4 weeks",
    ),
    Definition(
        key="amended_plans_within_12_weeks",
        label="Amended plans within 12 weeks of the review",
        description=(
            "Of the final amended plans issued in the period after a review, those issued within "
            "12 weeks (84 days) of the review meeting."
        ),
        model=AnnualReview,
        case="plan__case",
        date="final_amended_on",
        where=Q(meeting_on__isnull=False),
        within=Q(days_taken__lte=_limit("final_amended_plan_after_review")),
        denominator_key="amended_plans",
        denominator_label="Final amended plans issued after a review",
        annotations=lambda: {"days_taken": _days("final_amended_on", "meeting_on")},
        columns=(*_REVIEW_COLUMNS, ("Days", "days_taken")),
        outside_label="issued after 12 weeks",
    ),
    Definition(
        key="phase_transfers_named_by_15_february",
        label="School phase transfers named by 15 February",
        description=(
            "Of the school phase transfers due in the period (15 February before a September "
            "move), those whose amended plan named the new school by 15 February."
        ),
        model=PhaseTransfer,
        case="plan__case",
        date="due_on",
        where=Q(kind=PhaseTransfer.Kind.SCHOOL),
        within=Q(named_on__isnull=False, named_on__lte=F("due_on")),
        denominator_key="phase_transfers_school",
        denominator_label="School phase transfers due",
        columns=(("Move", "transfer_date"), ("Due", "due_on"), ("Named", "named_on")),
        outside_label="not named by 15 February",
    ),
    Definition(
        key="phase_transfers_named_by_31_march",
        label="Post-16 transfers named by 31 March",
        description=(
            "Of the moves from secondary school to post-16 education due in the period, those whose "
            "amended plan named the new setting by 31 March."
        ),
        model=PhaseTransfer,
        case="plan__case",
        date="due_on",
        where=Q(kind=PhaseTransfer.Kind.POST16),
        within=Q(named_on__isnull=False, named_on__lte=F("due_on")),
        denominator_key="phase_transfers_post16",
        denominator_label="Post-16 transfers due",
        columns=(("Move", "transfer_date"), ("Due", "due_on"), ("Named", "named_on")),
        outside_label="not named by 31 March",
    ),
    Definition(
        key="active_plans",
        label="Plans maintained",
        description=(
            "EHC plans maintained on the last day of the period: first issued (or transferred in) "
            "on or before it, and not ended before it."
        ),
        model=Plan,
        case="case",
        on_date=_plan_active_on,
        columns=(("Plan since", "first_issued_on"), ("Primary need", "primary_need")),
        dfe=DfE("caseload", "ehcplans", census=True),
    ),
    Definition(
        key="new_plans",
        label="New plans",
        description=(
            "Plans that started in the period: final plans first issued after an assessment, "
            "and plans transferred in from another council."
        ),
        model=Plan,
        case="case",
        date="first_issued_on",
        columns=(("Plan since", "first_issued_on"), ("Primary need", "primary_need")),
        dfe=DfE("newplans", "new_ehc_plans"),
    ),
    Definition(
        key="ceased_plans",
        label="Plans ceased",
        description="Plans that ended in the period (the date the plan actually ended).",
        model=Plan,
        case="case",
        date="cease_date",
        columns=(
            ("Plan since", "first_issued_on"),
            ("Ended", "cease_date"),
            ("Reason", "cease_reason"),
        ),
        dfe=DfE("ceased_plans", "total_ceased"),
    ),
    Definition(
        key="open_cases",
        label="Open cases",
        description=(
            "Cases open on the last day of the period, at any stage from request to plan: the "
            "caseload officers carry."
        ),
        model=Case,
        case="",
        on_date=_case_open_on,
        columns=(("Opened", "opened_on"), ("Stage", "stage")),
    ),
    Definition(
        key="plans_meeting_quality_criteria",
        label="Plans issued meeting every quality criterion",
        description=(
            "Of the final and final amended plans issued in the period (not those imported from "
            "another system, which hold no content to judge), those that meet every quality "
            "criterion when issued: the law's checks, plus provision that is specific and "
            "quantified (who, how often, for how long, with no vague wording such as 'access "
            "to' or 'as required')."
        ),
        model=PlanVersion,
        case="plan__case",
        date="issued_on",
        where=Q(kind__in=QUALITY_KINDS, quality_failures__isnull=False),
        within=Q(quality_failures=[]),
        denominator_key="plans_judged_for_quality",
        denominator_label="Plans issued and judged",
        columns=(
            ("Issued", "issued_on"),
            ("Version", "kind"),
            ("Criteria not met", "quality_failures"),
        ),
        outside_label="missing a criterion",
    ),
    Definition(
        key="mediations",
        label="Mediations requested",
        description="Appealable decisions where mediation was requested in the period.",
        model=Appeal,
        case="case",
        date="mediation_requested_on",
        columns=(("Decision", "decision_type"), ("Mediation requested", "mediation_requested_on")),
    ),
    Definition(
        key="tribunal_appeals",
        label="Tribunal appeals registered",
        description="Appeals to the SEND Tribunal registered in the period.",
        model=Appeal,
        case="case",
        date="tribunal_registered_on",
        columns=(
            ("Decision", "decision_type"),
            ("Registered", "tribunal_registered_on"),
            ("Outcome", "outcome"),
        ),
    ),
    Definition(
        key="complaints_received",
        label="Complaints received",
        description="Complaints about a case received (stage 1) in the period.",
        model=Complaint,
        case="case",
        date="received_on",
        columns=(("Complaint", "reference"), ("Received", "received_on")),
    ),
    Definition(
        key="complaint_responses_on_time",
        label="Stage 1 complaint responses within the local target",
        description=(
            "Of the stage 1 responses sent in the period, those sent by the council's local "
            "target (the clock's complaint_stage_1 rule, 10 working days unless set otherwise)."
        ),
        model=Complaint,
        case="case",
        date="stage_1_responded_on",
        within=Q(stage_1_responded_on__lte=F("stage_1_due")),
        denominator_key="complaint_responses",
        denominator_label="Stage 1 complaint responses",
        columns=(
            ("Complaint", "reference"),
            ("Due", "stage_1_due"),
            ("Responded", "stage_1_responded_on"),
        ),
        outside_label="late",
    ),
    Definition(
        key="complaints_escalated",
        label="Complaints escalated to stage 2",
        description="Complaints escalated to stage 2 in the period.",
        model=Complaint,
        case="case",
        date="escalated_on",
        columns=(("Complaint", "reference"), ("Escalated", "escalated_on")),
    ),
    Definition(
        key="ombudsman_referrals",
        label="Complaints referred to the Ombudsman",
        description="Complaints the family took to the Local Government and Social Care Ombudsman in the period.",
        model=Complaint,
        case="case",
        date="ombudsman_referred_on",
        columns=(("Complaint", "reference"), ("Referred", "ombudsman_referred_on")),
    ),
)

BY_KEY: dict[str, Definition] = {d.key: d for d in DEFINITIONS}


def failing_criteria(period: Period, scope: Scope = WHOLE_COUNCIL) -> list[tuple[str, str, int]]:
    """Which quality criteria the plans issued in the period fail, most often first: (code,
    what it means, how many plans fail it), every criterion listed. One query."""
    counts: Counter[str] = Counter()
    for failed in rows(BY_KEY["plans_meeting_quality_criteria"], period, scope).values_list(
        "quality_failures", flat=True
    ):
        counts.update(failed or [])
    order = list(CRITERIA)
    return sorted(
        ((code, label, counts[code]) for code, label in CRITERIA.items()),
        key=lambda row: (-row[2], order.index(row[0])),
    )


# Lookups by denominator key too, so "plans_issued" finds its definition.
for _d in DEFINITIONS:
    if _d.denominator_key:
        BY_KEY.setdefault(_d.denominator_key, _d)


def get(key: str) -> Definition:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"There is no measure called {key!r}") from None


# --- Results ------------------------------------------------------------------------------


def percent(numerator: int, denominator: int | None) -> float | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, 1)


@dataclass(frozen=True)
class Result:
    definition: Definition
    period: Period
    numerator: int
    denominator: int | None
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return self.definition.key

    @property
    def pc(self) -> float | None:
        return percent(self.numerator, self.denominator) if self.definition.is_ratio else None

    @property
    def outside(self) -> int | None:
        return None if self.denominator is None else self.denominator - self.numerator


# --- Building the queries -------------------------------------------------------------------


def _setting_group_case() -> SqlCase:
    return SqlCase(
        *[
            When(setting_type__in=list(types), then=Value(group))
            for group, (_label, types) in SETTING_GROUPS.items()
        ],
        default=Value("other"),
    )


def _primary_placement(defn: Definition, on: dt.date) -> models.QuerySet[Placement]:
    """The case's primary placement on a date, correlated with the outer row (a subquery)."""
    if defn.model is Plan:
        match = Q(plan_id=OuterRef("pk"))  # no join back through the case
    else:
        match = Q(plan__case_id=OuterRef(defn.path("id") if defn.case else "id"))
    return (
        Placement.objects.filter(match, rank=1, entry_date__lte=on)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
        .order_by("-entry_date", "-id")
    )


def setting_expression(defn: Definition, on: dt.date) -> Any:
    """The setting group of the case's primary placement on a date ("none" if it has none)."""
    sub = _primary_placement(defn, on).annotate(group=_setting_group_case()).values("group")[:1]
    return Coalesce(Subquery(sub), Value(NO_PLACEMENT))


def area_expression(defn: Definition, on: dt.date) -> Any:
    """Whether the primary placement on a date is in this council's area."""
    council = settings.SENDCASE_LA_CODE
    sub = (
        _primary_placement(defn, on)
        .annotate(
            area=SqlCase(
                When(setting__isnull=True, then=Value("not_named")),
                When(setting__la_code="", then=Value("not_known")),
                When(setting__la_code=council, then=Value("in")),
                default=Value("out"),
            )
        )
        .values("area")[:1]
    )
    return Coalesce(Subquery(sub), Value(NO_PLACEMENT))


def age_expression(defn: Definition, on: dt.date) -> SqlCase:
    """The child's age band on a date, from the date of birth (one SQL CASE)."""
    dob = defn.path("child__date_of_birth")
    whens = [
        When(**{f"{dob}__gt": add_years(on, -upper)}, then=Value(key))
        for key, _label, upper in AGE_BANDS[:-1]
    ]
    return SqlCase(*whens, default=Value(AGE_BANDS[-1][0]))


def _apply_scope(
    qs: models.QuerySet[models.Model], defn: Definition, scope: Scope, on: dt.date
) -> models.QuerySet[models.Model]:
    if scope.team_id:
        qs = qs.filter(**{defn.path("team_id"): scope.team_id})
    if scope.officer_id:
        qs = qs.filter(**{defn.path("officer_id"): scope.officer_id})
    if scope.primary_need:
        need = "primary_need" if defn.model is Plan else defn.path("plan__primary_need")
        qs = qs.filter(**{need: scope.primary_need})
    if scope.setting:
        qs = qs.annotate(scope_setting=setting_expression(defn, on)).filter(
            scope_setting=scope.setting
        )
    if scope.age:
        qs = qs.annotate(scope_age=age_expression(defn, on)).filter(scope_age=scope.age)
    return qs


def _base(defn: Definition, scope: Scope, on: dt.date) -> Any:
    qs = defn.model._default_manager.all()
    annotations = defn.annotations()
    if annotations:
        qs = qs.annotate(**annotations)
    return _apply_scope(qs.filter(defn.where), defn, scope, on)


def rows(defn: Definition, period: Period, scope: Scope = WHOLE_COUNCIL) -> Any:
    """The counted rows of a measure in a period (a queryset, nothing fetched yet)."""
    return _base(defn, scope, period.end).filter(defn.in_period(period))


def _within_flag(defn: Definition) -> Any:
    if defn.within is None:
        raise KeyError(f"{defn.label} is a count, not a share")
    return SqlCase(
        When(defn.within, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# --- Computing ------------------------------------------------------------------------------


def measure(defn: Definition | str, period: Period, scope: Scope = WHOLE_COUNCIL) -> Result:
    """A measure for a period: numerator, denominator and the case ids behind each (one query)."""
    defn = get(defn) if isinstance(defn, str) else defn
    qs = rows(defn, period, scope)
    if not defn.is_ratio:
        ids = tuple(qs.values_list(defn.case_id, flat=True))
        return Result(defn, period, len(ids), None, ids, ids)
    pairs = list(
        qs.annotate(in_numerator=_within_flag(defn)).values_list(defn.case_id, "in_numerator")
    )
    num_ids = tuple(case_id for case_id, ok in pairs if ok)
    den_ids = tuple(case_id for case_id, _ok in pairs)
    return Result(defn, period, len(num_ids), len(den_ids), num_ids, den_ids)


def series(
    defn: Definition | str, periods: Sequence[Period], scope: Scope = WHOLE_COUNCIL
) -> list[Result]:
    """A measure over several periods, counted in SQL (no case ids): one query, or one per
    period for a measure counted on a date or a scope by setting or age."""
    defn = get(defn) if isinstance(defn, str) else defn
    if not periods:
        return []
    if scope.setting or scope.age or defn.on_date is not None:
        # Setting and age depend on each period's end date: one query per period. So does a
        # measure counted on a date: in a WHERE clause PostgreSQL plans its NOT EXISTS (the latest
        # review by then) as one anti-join, where a FILTER clause per period would probe the
        # index once per row and period (6.6 s against 0.3 s on the 20,000-plan bench).
        return [_counts(defn, p, scope) for p in periods]
    qs = _base(defn, scope, periods[-1].end)
    as_known = defn.known is not None and any(p.as_at for p in periods)
    if defn.pending is None and not as_known and _disjoint(periods):
        return _bucketed(defn, qs, periods)
    qs = qs.filter(
        **{
            f"{defn.date}__gte": min(p.start for p in periods),
            f"{defn.date}__lte": max(p.end for p in periods),
        }
    )
    aggregates: dict[str, Any] = {}
    for i, p in enumerate(periods):
        aggregates[f"d{i}"] = Count("pk", filter=defn.in_period(p))
        if defn.within is not None:
            aggregates[f"n{i}"] = Count("pk", filter=defn.in_period(p) & defn.within)
    got = qs.aggregate(**aggregates)
    out = []
    for i, p in enumerate(periods):
        if defn.is_ratio:
            out.append(Result(defn, p, got[f"n{i}"], got[f"d{i}"]))
        else:
            out.append(Result(defn, p, got[f"d{i}"], None))
    return out


def _disjoint(periods: Sequence[Period]) -> bool:
    ordered = sorted(periods, key=lambda p: p.start)
    return all(a.end < b.start for a, b in zip(ordered, ordered[1:], strict=False))


def _bucketed(defn: Definition, qs: Any, periods: Sequence[Period]) -> list[Result]:
    """Periods that do not overlap: label each row with its period once, then GROUP BY it."""
    bucket = SqlCase(
        *[
            When(**{f"{defn.date}__gte": p.start, f"{defn.date}__lte": p.end}, then=Value(i))
            for i, p in enumerate(periods)
        ],
        default=None,
        output_field=models.IntegerField(),
    )
    qs = qs.filter(
        **{
            f"{defn.date}__gte": min(p.start for p in periods),
            f"{defn.date}__lte": max(p.end for p in periods),
        }
    ).annotate(bucket=bucket)
    aggregates: dict[str, Any] = {"d": Count("pk")}
    if defn.within is not None:
        aggregates["n"] = Count("pk", filter=defn.within)
    got = {row["bucket"]: row for row in qs.values("bucket").annotate(**aggregates).order_by()}
    out = []
    for i, p in enumerate(periods):
        row = got.get(i, {"d": 0, "n": 0})
        if defn.is_ratio:
            out.append(Result(defn, p, row["n"], row["d"]))
        else:
            out.append(Result(defn, p, row["d"], None))
    return out


def _counts(defn: Definition, period: Period, scope: Scope) -> Result:
    qs = rows(defn, period, scope)
    if defn.within is None:
        return Result(defn, period, qs.count(), None)
    got = qs.aggregate(d=Count("pk"), n=Count("pk", filter=defn.within))
    return Result(defn, period, got["n"], got["d"])


# --- Breakdowns -----------------------------------------------------------------------------

DIMENSIONS: dict[str, str] = {
    "team": "Team",
    "officer": "Officer",
    "primary_need": "Primary need",
    "setting": "Setting type",
    "age": "Age",
    "area": "In or out of area",
    "cease_reason": "Reason the plan ended",
}


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    label: str
    numerator: int
    denominator: int | None

    @property
    def pc(self) -> float | None:
        return percent(self.numerator, self.denominator) if self.denominator is not None else None


def _dimension(defn: Definition, by: str, on: dt.date) -> Any:
    if by == "team":
        return F(defn.path("team_id"))
    if by == "officer":
        return F(defn.path("officer_id"))
    if by == "primary_need":
        return F("primary_need") if defn.model is Plan else F(defn.path("plan__primary_need"))
    if by == "setting":
        return setting_expression(defn, on)
    if by == "age":
        return age_expression(defn, on)
    if by == "area":
        return area_expression(defn, on)
    if by == "cease_reason" and defn.model is Plan:
        return F("cease_reason")
    raise KeyError(f"{defn.label} cannot be broken down by {by}")


def dimension_labels(by: str, values: Iterable[Any]) -> dict[Any, str]:
    """Readable labels for the values of a dimension (one query for teams or officers)."""
    values = [v for v in values if v not in (None, "")]
    labels: dict[Any, str]
    if by == "team":
        labels = {t.pk: t.name for t in Team.objects.filter(pk__in=values)}
    elif by == "officer":
        labels = {
            u.pk: (u.get_full_name() or u.username) for u in User.objects.filter(pk__in=values)
        }
    elif by == "primary_need":
        labels = dict(NeedType.choices)
    elif by == "setting":
        labels = {k: v[0] for k, v in SETTING_GROUPS.items()} | {NO_PLACEMENT: AREAS[NO_PLACEMENT]}
    elif by == "age":
        labels = {k: label for k, label, _ in AGE_BANDS}
    elif by == "area":
        labels = dict(AREAS)
    elif by == "cease_reason":
        labels = dict(CeaseReason.choices)
    else:
        labels = {}
    return {v: labels.get(v, str(v)) for v in values} | {None: "Not recorded", "": "Not recorded"}


def dimension_order(by: str) -> list[Any]:
    """The natural order of a dimension's values (need codes as SEN2 lists them, ages rising)."""
    if by == "setting":
        return [*SETTING_GROUPS, NO_PLACEMENT]
    if by == "age":
        return [k for k, _l, _u in AGE_BANDS]
    if by == "area":
        return list(AREAS)
    if by == "primary_need":
        return list(NeedType.values)
    return []


def breakdown(
    defn: Definition | str, period: Period, by: str, scope: Scope = WHOLE_COUNCIL
) -> list[BreakdownRow]:
    """A measure split by team, officer, primary need, setting type, age or area (one query)."""
    defn = get(defn) if isinstance(defn, str) else defn
    qs = rows(defn, period, scope).annotate(dim=_dimension(defn, by, period.end))
    aggregates: dict[str, Any] = {"d": Count("pk")}
    if defn.within is not None:
        aggregates["n"] = Count("pk", filter=defn.within)
    got = {row["dim"]: row for row in qs.values("dim").annotate(**aggregates).order_by()}
    labels = dimension_labels(by, got)
    order = dimension_order(by)
    keys = sorted(
        got,
        key=lambda v: (
            order.index(v) if v in order else len(order),
            labels.get(v, "") if v not in (None, "") else "~",
        ),
    )
    out = []
    for value in keys:
        row = got[value]
        if defn.is_ratio:
            out.append(BreakdownRow(_s(value), labels[value], row["n"], row["d"]))
        else:
            out.append(BreakdownRow(_s(value), labels[value], row["d"], None))
    return out


def _s(value: Any) -> str:
    return "" if value is None else str(value)


# --- Drill-down -----------------------------------------------------------------------------

PARTS = {"all": "all", "within": "within", "outside": "outside"}


def drilldown(
    defn: Definition | str, period: Period, part: str = "all", scope: Scope = WHOLE_COUNCIL
) -> Any:
    """The rows behind a figure, with the case, the child and the dates that decide it (one query).

    part is "all" (the denominator, or every row of a count), "within" (the numerator)
    or "outside" (the denominator less the numerator: the late ones).
    """
    defn = get(defn) if isinstance(defn, str) else defn
    qs = rows(defn, period, scope)
    if part != "all":
        if defn.within is None:
            raise KeyError(f"{defn.label} is a count: there is nothing {part} it")
        qs = qs.filter(defn.within) if part == "within" else qs.exclude(defn.within)
    fields = {
        "dd_case_id": F(defn.case_id),
        "dd_reference": F(defn.path("reference")),
        "dd_forename": F(defn.path("child__forename")),
        "dd_surname": F(defn.path("child__surname")),
        "dd_officer_first": F(defn.path("officer__first_name")),
        "dd_officer_last": F(defn.path("officer__last_name")),
        "dd_team": F(defn.path("team__name")),
    }
    lookups = [lookup for _h, lookup in defn.columns if lookup not in ("officer_name", "team_name")]
    return qs.values(*lookups, **fields).order_by("dd_reference", "pk")


def drilldown_columns(defn: Definition) -> list[tuple[str, str]]:
    return list(defn.columns)


def ratio_definitions() -> list[Definition]:
    return [d for d in DEFINITIONS if d.is_ratio]


def values_by(rows_: Iterable[BreakdownRow]) -> dict[str, int]:
    return {r.value or "not_recorded": r.numerator for r in rows_}
