"""What a family reads about their case: the stage and the next steps in plain words, with the
dates from the stored Deadline rows (the clock's answer), never counted again here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendcase.casework.models import Case, Deadline, Stage
from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import DEADLINE_RULES

STAGE_WORDS: dict[str, str] = {
    Stage.REQUESTED: "The council has your request for an EHC needs assessment and is deciding "
    "whether to carry one out.",
    Stage.ASSESSING: "The council is carrying out an EHC needs assessment: it is asking "
    "professionals for their advice.",
    Stage.DRAFT: "The council has sent you a draft EHC plan to comment on.",
    Stage.PLAN: "Your child has an EHC plan. It is reviewed at least once a year.",
    Stage.NOT_ASSESSED: "The council decided not to carry out an assessment.",
    Stage.NOT_ISSUED: "The council decided not to issue an EHC plan.",
    Stage.WITHDRAWN: "The request was withdrawn.",
    Stage.CEASED: "The EHC plan has ended.",
    Stage.TRANSFERRED_OUT: "The plan has moved to another council.",
}

# The step each deadline stands for, as a family would say it; others use the rule's title.
NEXT_STEP_WORDS: dict[str, str] = {
    "decision_to_assess": "The council tells you whether it will carry out an assessment",
    "advice_due": "Professionals send the council their advice",
    "decision_not_to_issue": "The council tells you if it decides not to issue a plan",
    "draft_comments_window": "You can send your comments on the draft plan",
    "setting_consultation": "The school or college you asked for answers the council",
    "final_plan": "The council sends you the final EHC plan",
    "annual_review_meeting": "The annual review meeting takes place",
    "review_report": "The school or college sends the council the review report",
    "review_decision": "The council tells you what it decided after the review",
    "amendment_comments_window": "You can send your comments on the proposed changes",
    "final_amended_plan": "The council sends you the amended plan",
}


@dataclass(frozen=True)
class NextStep:
    words: str
    due: dt.date
    late: bool

    @property
    def by_when(self) -> str:
        return format_date(self.due)


def stage_words(case: Case) -> str:
    return STAGE_WORDS.get(case.stage, case.get_stage_display())


def next_steps(deadlines: list[Deadline]) -> list[NextStep]:
    """The open deadlines (not yet met), soonest first."""
    steps = []
    for d in sorted(deadlines, key=lambda d: (d.due or dt.date.max, d.key)):
        if d.completed_on is not None or d.due is None:
            continue
        rule = DEADLINE_RULES.get(d.key)
        words = NEXT_STEP_WORDS.get(d.key) or (rule.title if rule else d.key.replace("_", " "))
        steps.append(NextStep(words=words, due=d.due, late=d.status == "overdue"))
    return steps
