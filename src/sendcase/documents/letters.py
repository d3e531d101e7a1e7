"""Every notice and letter of the EHC process (reference/ehc-plan.md, "Notices and letters"):
its default wording, the facts of the case merged into it, and the dates it states.

Wording is a council's to change (the Letters admin screen keeps each version, with who wrote
it). It is written in a safe template language: Jinja2's sandbox, given only strings, with
every unknown name an error. A letter's dates are never typed: each comes from the case's
stored Deadline rows (the clock), e.g. "comments by" is the `draft_comments_window` due date of
the draft it is about. A letter whose date the clock has not computed is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from sendcase.statutory.dates import format_date
from sendcase.statutory.rules import period

FAMILY = "family"
SETTING = "setting"
PROFESSIONAL = "professional"


class LetterError(Exception):
    """A letter cannot be made: its wording is not valid, or a date it needs is missing."""


@dataclass(frozen=True)
class LetterSpec:
    key: str
    title: str
    audience: str
    subject: str
    body: str
    # Names in the wording whose value is a Deadline row's due date: {name: deadline key}.
    dates: dict[str, str] = field(default_factory=dict)
    # Names the wording must keep (a date the law requires, the appeal rights).
    required: tuple[str, ...] = ()


def _w(key: str) -> str:
    return period(key).words


def appeal_rights(appeal_by: str, *, section_i_only_note: bool = True) -> str:
    """The rights of appeal and their time limits (CFA 2014 s51; SEND Regulations 2014 regs 32
    to 39), stated once for every appealable notice."""
    return (
        "## Your right to appeal\n\n"
        "You can appeal to the First-tier Tribunal (Special Educational Needs and Disability) "
        f"against this decision. You must appeal by {appeal_by}, which is "
        f"{_w('appeal_window')} from the date of this letter, or within "
        f"{period('appeal_window/after_certificate').words} of the date of a mediation certificate "
        "if that is later.\n\n"
        "Before you appeal you must contact a mediation adviser and consider mediation. The "
        "mediation adviser will give you a certificate, which you need to register an appeal"
        + (
            ", unless your appeal is only about the school or other institution named in the plan"
            if section_i_only_note
            else ""
        )
        + f". If you ask for mediation, it must take place within {_w('mediation_arranged')}.\n\n"
        "You can also use the council's disagreement resolution service at any time, and our "
        "SEND Information, Advice and Support Service can give you free, impartial advice."
    )


_SIGN_OFF = "Yours sincerely\n\n{{ officer_name }}\n{{ council }}"

LETTERS: dict[str, LetterSpec] = {
    s.key: s
    for s in (
        LetterSpec(
            "request_received",
            "Request for an assessment received",
            FAMILY,
            "We have received the request for an EHC needs assessment for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWe received the request for an education, health and "
            "care needs assessment for {{ child_name }} on {{ step_date }}.\n\nWe will tell you "
            "our decision whether to assess by {{ decision_by }}.\n\n" + _SIGN_OFF,
            {"decision_by": "decision_to_assess"},
            ("decision_by",),
        ),
        LetterSpec(
            "decision_not_to_assess",
            "Decision not to assess",
            FAMILY,
            "Our decision about an EHC needs assessment for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWe have decided not to carry out an education, health "
            "and care needs assessment for {{ child_name }}. We made this decision on "
            "{{ step_date }}.\n\n{{ reasons }}\n\n{{ appeal_rights }}\n\n" + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            ("appeal_rights",),
        ),
        LetterSpec(
            "decision_to_assess",
            "Decision to assess",
            FAMILY,
            "We will carry out an EHC needs assessment for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nOn {{ step_date }} we decided to carry out an "
            "education, health and care needs assessment for {{ child_name }}.\n\nWe are now "
            "asking for advice from the professionals who work with {{ child_name }}, and from "
            "you. If we decide to issue a plan, the final plan must be issued by "
            "{{ final_plan_by }}.\n\n" + _SIGN_OFF,
            {"final_plan_by": "final_plan"},
            ("final_plan_by",),
        ),
        LetterSpec(
            "advice_request",
            "Request for advice",
            PROFESSIONAL,
            "Request for advice: EHC needs assessment for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWe are carrying out an education, health and care "
            "needs assessment for {{ child_name }} (born {{ date_of_birth }}). Please send us "
            "your advice and information by {{ reply_by }}.\n\n" + _SIGN_OFF,
            {"reply_by": "advice_due"},
            ("reply_by",),
        ),
        LetterSpec(
            "decision_not_to_issue",
            "Decision not to issue a plan",
            FAMILY,
            "Our decision not to issue an EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nAfter the assessment, on {{ step_date }} we decided "
            "not to issue an education, health and care plan for {{ child_name }}.\n\n"
            "{{ reasons }}\n\n{{ appeal_rights }}\n\n" + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            ("appeal_rights",),
        ),
        LetterSpec(
            "draft_plan",
            "Draft plan",
            FAMILY,
            "The draft EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWith this letter is the draft education, health and "
            "care plan for {{ child_name }}, issued on {{ step_date }}, and the advice we "
            "gathered.\n\nYou may comment on the draft, and ask us to name a particular school "
            "or other institution in the final plan. Please send us your comments or request by "
            "{{ comments_by }}. You may also ask to meet an officer to discuss the draft.\n\n"
            "The draft does not name a school or other institution: the law does not allow it.\n\n"
            + _SIGN_OFF,
            {"comments_by": "draft_comments_window"},
            ("comments_by",),
        ),
        LetterSpec(
            "setting_consultation",
            "Consultation with a setting",
            SETTING,
            "Consultation: EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWe are considering naming your school or institution "
            "in the education, health and care plan for {{ child_name }}. With this letter are "
            "the draft plan and the advice. Please reply by {{ reply_by }}.\n\n" + _SIGN_OFF,
            {"reply_by": "setting_consultation"},
            ("reply_by",),
        ),
        LetterSpec(
            "final_plan",
            "Final plan",
            FAMILY,
            "The final EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWith this letter is the final education, health and "
            "care plan for {{ child_name }}, issued on {{ step_date }}. It names {{ setting }}."
            "\n\n{{ appeal_rights }}\n\n" + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            ("appeal_rights",),
        ),
        LetterSpec(
            "review_invitation",
            "Annual review invitation",
            FAMILY,
            "Annual review of the EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nYou are invited to the annual review of the education, "
            "health and care plan for {{ child_name }}. The review must be held by "
            "{{ review_by }}. We will send you the advice and information for the meeting at "
            "least two weeks before it.\n\n" + _SIGN_OFF,
            {"review_by": "annual_review_meeting"},
            ("review_by",),
        ),
        LetterSpec(
            "review_decision",
            "Review decision",
            FAMILY,
            "Our decision after the annual review for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nAfter the annual review of the plan for "
            "{{ child_name }}, on {{ step_date }} we decided to {{ decision }} the plan.\n\n"
            "{{ appeal_rights }}\n\n" + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            (),
        ),
        LetterSpec(
            "proposed_amendments",
            "Proposed amendments",
            FAMILY,
            "Proposed amendments to the EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWith this letter are the amendments we propose to the "
            "education, health and care plan for {{ child_name }}, and the evidence for them. "
            "Please send us your comments by {{ comments_by }}. You may ask to meet an officer "
            "and ask for a particular school or institution to be named.\n\n" + _SIGN_OFF,
            {"comments_by": "amendment_comments_window"},
            ("comments_by",),
        ),
        LetterSpec(
            "final_amended_plan",
            "Final amended plan",
            FAMILY,
            "The amended EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nWith this letter is the amended education, health and "
            "care plan for {{ child_name }}, issued on {{ step_date }}.\n\n{{ appeal_rights }}"
            "\n\n" + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            ("appeal_rights",),
        ),
        LetterSpec(
            "decision_to_cease",
            "Decision to cease the plan",
            FAMILY,
            "Our decision to cease the EHC plan for {{ child_name }}",
            "Dear {{ recipient_name }}\n\nAfter consulting you and the school or institution, on "
            "{{ step_date }} we decided to cease to maintain the education, health and care plan "
            "for {{ child_name }}.\n\n{{ reasons }}\n\nThe plan stays in force until the time "
            "to appeal has passed, or until any appeal is decided.\n\n{{ appeal_rights }}\n\n"
            + _SIGN_OFF,
            {"appeal_by": "appeal_window"},
            ("appeal_rights",),
        ),
        LetterSpec(
            "transfer",
            "Transfer of the plan",
            FAMILY,
            "The EHC plan for {{ child_name }} after your move",
            "Dear {{ recipient_name }}\n\nThe education, health and care plan for "
            "{{ child_name }} has transferred to {{ council }}. We will review the plan by "
            "{{ review_by }}.\n\n" + _SIGN_OFF,
            {"review_by": "transfer_in_review"},
            ("review_by",),
        ),
    )
}

# Every name a letter may use, with what it holds (shown on the admin screen).
NAMES: dict[str, str] = {
    "council": "The council's name",
    "child_name": "The child's or young person's full name",
    "date_of_birth": "Their date of birth",
    "case_reference": "The case reference",
    "recipient_name": "The name of the person the letter is to",
    "officer_name": "The name of the officer sending it",
    "letter_date": "The date of the letter",
    "step_date": "The date of the step the letter is about (the decision, the issue of the plan)",
    "setting": "The school or institution named in the plan (final plans)",
    "decision": "The review decision: maintain, amend or cease",
    "reasons": "The reasons for the decision, as the officer wrote them",
    "appeal_rights": "The rights of appeal, mediation and advice, with the date to appeal by",
    "appeal_by": "The last day to appeal (from the clock)",
    "comments_by": "The last day to comment (from the clock)",
    "decision_by": "The date of the decision whether to assess (from the clock)",
    "final_plan_by": "The date the final plan is due (from the clock)",
    "reply_by": "The date a reply is due (from the clock)",
    "review_by": "The date the review is due (from the clock)",
}

_env = SandboxedEnvironment(
    undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
)


def check_wording(spec: LetterSpec, subject: str, body: str) -> None:
    """Refuse wording that is not a valid template, uses a name SENDcase does not know, or drops
    a name the law needs (the date to comment by, the appeal rights)."""
    sample = {name: f"[{name}]" for name in NAMES}
    try:
        _env.from_string(subject).render(sample)
        rendered = _env.from_string(body).render(sample)
    except TemplateError as exc:
        raise LetterError(f"The wording is not valid: {exc.message or exc}") from exc
    for name in spec.required:
        if f"[{name}]" not in rendered:
            raise LetterError(f"The letter must include {{{{ {name} }}}}")


def render(subject: str, body: str, context: dict[str, str]) -> tuple[str, str]:
    """The subject and body with the case's facts merged in."""
    try:
        return _env.from_string(subject).render(context), _env.from_string(body).render(context)
    except TemplateError as exc:
        raise LetterError(f"The letter could not be made: {exc.message or exc}") from exc


def deadline_dates(
    spec: LetterSpec, deadlines: list[Any], on: dt.date, instance: str = ""
) -> dict[str, str]:
    """The dates the letter states, each from the case's stored Deadline row for its rule: the
    row of the step's own instance where it has one (an advice request's id, a consultation's),
    else the row the step started (its trigger is the step's date), else the latest one of that
    rule started on or before the step (the annual review the invitations are for), else the
    latest one."""
    out: dict[str, str] = {}
    for name, key in spec.dates.items():
        rows = sorted(
            (d for d in deadlines if d.key == key and d.due is not None), key=lambda d: d.trigger
        )
        exact = (
            [d for d in rows if instance and d.instance == instance]
            or [d for d in rows if d.trigger == on]
            or [d for d in rows if d.trigger <= on]
        )
        row = (exact or rows)[-1] if rows else None
        if row is None:
            needed = name in spec.required or (
                name == "appeal_by" and "appeal_rights" in spec.required
            )
            if not needed:
                continue
            raise LetterError(
                f"The clock has no ‘{key.replace('_', ' ')}’ date for this case, so the "
                f"‘{spec.title.lower()}’ letter cannot give it"
            )
        out[name] = format_date(row.due)
    return out


def context_for(
    spec: LetterSpec,
    *,
    case: Any,
    deadlines: list[Any],
    on: dt.date,
    recipient_name: str,
    officer_name: str,
    letter_date: dt.date,
    extra: dict[str, str] | None = None,
    instance: str = "",
) -> dict[str, str]:
    child = case.child
    context = {name: "" for name in NAMES}
    context.update(
        council=settings.SENDCASE_COUNCIL_NAME,
        child_name=child.full_name,
        date_of_birth=format_date(child.date_of_birth),
        case_reference=case.reference,
        recipient_name=recipient_name,
        officer_name=officer_name or f"The SEND team, {settings.SENDCASE_COUNCIL_NAME}",
        letter_date=format_date(letter_date),
        step_date=format_date(on),
    )
    context.update(deadline_dates(spec, deadlines, on, instance))
    context.update(extra or {})
    if context.get("appeal_by"):
        context["appeal_rights"] = appeal_rights(context["appeal_by"])
    return context
