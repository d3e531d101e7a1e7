"""Casework forms: the work queue filters and one form per statutory step, in GOV.UK wording.

Step forms carry the case's version in a hidden field (optimistic locking); their field
names match the keyword arguments of the action functions, so an ActionError's `field`
lands on the field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from sendcase import statutory
from sendcase.accounts.models import Team, User
from sendcase.casework import search as search_children
from sendcase.casework.access import children_for_user
from sendcase.casework.domain import appeals as appeals_domain
from sendcase.casework.domain.assessment import CLOSE_REASONS
from sendcase.casework.domain.children import KNOWN_ELSEWHERE
from sendcase.casework.domain.deadlines import NOT_QUEUED
from sendcase.casework.domain.placements import find_setting
from sendcase.casework.models import (
    Appeal,
    AssessmentRequest,
    Ceasing,
    Child,
    ContactLogEntry,
    FamilyContact,
    Stage,
)
from sendcase.core import identity
from sendcase.core.codes import (
    AdviceKind,
    CeaseReason,
    Ethnicity,
    ExceptionReason,
    Language,
    NeedType,
    RequestSource,
    ReviewOutcome,
    SENSetting,
    SettingType,
    UPNUnknown,
)
from sendcase.core.forms import (
    EARLIEST,
    CheckedField,
    GovukDateField,
    PlainTextField,
    SeenField,
    VersionField,
)
from sendcase.documents.forms import LETTER_FIELDS, LetterChoiceMixin
from sendcase.finance.models import Band
from sendcase.plans.models import SECTIONS
from sendcase.reviews.models import PhaseTransfer
from sendcase.statutory.dates import format_date


class GovukForm(forms.Form):
    """Every casework form (settings.FORM_RENDERER finds the GOV.UK widget templates)."""


def DateField(**kwargs: Any) -> GovukDateField:  # noqa: N802 - reads like a field class
    """A date of the EHC process: not before Part 3 of the Act came into force, unless the
    caller says otherwise (a plan transferred in, a date of birth)."""
    kwargs.setdefault("earliest", statutory.EHC_START)
    return GovukDateField(**kwargs)


def check_age_at(
    form: forms.Form, born: dt.date | None, on: dt.date | None, event_subject: str
) -> None:
    """The child's date of birth fits the event: on or before it, and 0 to 25 on the day."""
    if born is None or on is None:
        return
    problem = identity.age_problem(born, on, event_subject)
    if problem:
        form.add_error("date_of_birth", problem)


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


# --- Finding a child -------------------------------------------------------------------------


class SearchForm(GovukForm):
    """The search page: one box (a name, UPN, ULN, NHS number, typed date of birth or case
    reference) and,
    to narrow a name, the date of birth as GOV.UK's three boxes."""

    q = forms.CharField(
        label="Name, UPN, ULN, NHS number, date of birth or case reference",
        help_text="For example, Alex Smith, A123456789012, 485 777 3457, 14/03/2015 or "
        "EHC-25-00012",
        max_length=100,
        required=False,
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        subject="the date of birth",
        help_text="For example, 27 3 2016",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["kind"], _match = search_children.child_match(
                data.get("q", ""), data.get("date_of_birth")
            )
        except search_children.SearchError as exc:
            self.add_error("q", str(exc))
        return data


# --- The work queue -------------------------------------------------------------------------


class QueueFilterForm(GovukForm):
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[
            ("open", "All open cases, and closed ones with an appeal running"),
            ("closed", "All closed cases with no appeal running"),
            ("all", "All cases"),
        ]
        + [(s.value, s.label) for s in Stage],
    )
    key = forms.ChoiceField(label="Next deadline", required=False)
    setting = forms.ChoiceField(
        label="Setting", required=False, choices=[("", "Any setting"), *SettingType.choices]
    )
    need = forms.ChoiceField(
        label="Primary need", required=False, choices=[("", "Any need"), *NeedType.choices]
    )
    officer = forms.ChoiceField(label="Officer", required=False)

    def __init__(self, *args: Any, officers: list[User], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key"]).choices = [("", "Any deadline")] + sorted(
            (
                (k, r.title)
                for k, r in statutory.DEADLINE_RULES.items()
                if k not in NOT_QUEUED  # the family's time: never a case's next deadline
            ),
            key=lambda kv: kv[1],
        )
        choices: list[tuple[str, str]] = [("", "Everyone"), ("me", "My cases")]
        choices += [(str(o.pk), str(o)) for o in officers if o.pk != user.pk]
        choices.append(("none", "Not assigned"))
        cast(forms.ChoiceField, self.fields["officer"]).choices = choices
        for f in self.fields.values():
            f.widget.attrs["class"] = "govuk-select"


# --- Step forms -------------------------------------------------------------------------------


class VersionedForm(GovukForm):
    """`version` is the case version the person saw when they opened the form, `seen` when."""

    version = VersionField()
    seen = SeenField()


class StepForm(VersionedForm):
    """A statutory step."""

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def action_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}


class DecisionToAssessForm(StepForm):
    decided_on = DateField(label="Date of the decision", subject="the date of the decision")
    outcome = forms.ChoiceField(
        label="Decision",
        choices=AssessmentRequest.Decision.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select whether the council will assess"),
    )
    panel = forms.CharField(
        label="Panel (optional)",
        required=False,
        max_length=120,
        help_text="For example, the SEND decision-making panel",
    )
    panel_date = DateField(
        label="Date of the panel (optional)", subject="the date of the panel", required=False
    )


class AdviceRequestedForm(StepForm):
    kind = forms.ChoiceField(
        label="Kind of advice",
        choices=AdviceKind.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the kind of advice"),
    )
    provider = forms.CharField(
        label="Who was asked",
        max_length=200,
        help_text="For example, the educational psychology service",
        error_messages=_required("Enter who was asked for advice"),
    )
    provider_email = CheckedField(identity.clean_email, label="Their email address (optional)")
    requested_on = DateField(
        label="Date advice was requested", subject="the date advice was requested"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_email"].help_text = (
            "The request letter goes to this address. For a service that uses the portal, "
            "leave it blank and send the request to the service from the case"
        )


class AdviceReceivedForm(StepForm):
    advice_id = forms.ChoiceField(
        label="Advice received",
        widget=forms.RadioSelect,
        error_messages=_required("Select the advice request that was answered"),
    )
    received_on = DateField(
        label="Date the advice was received", subject="the date the advice was received"
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        outstanding = case.advice_requests.filter(received_on=None) if case else []
        cast(forms.ChoiceField, self.fields["advice_id"]).choices = [
            (
                a.advice_id,
                f"{a.get_kind_display()} from {a.provider}, requested {format_date(a.requested_on)}",
            )
            for a in outstanding
        ]


class ExceptionForm(StepForm):
    reason = forms.ChoiceField(
        label="Why the time limit cannot be met",
        choices=ExceptionReason.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the reason the time limit cannot be met"),
    )
    start = DateField(label="Start date", subject="the start date")
    end = DateField(label="End date", subject="the end date")
    applies_to = forms.ChoiceField(
        label="Applies to",
        required=False,
        help_text="Leave as every time limit unless it delays only one request for advice",
    )
    why = forms.CharField(
        label="Why the exception applies",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter why the exception applies"),
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        choices = [("", "Every time limit it may apply to")]
        if case is not None:
            choices += [
                (a.advice_id, f"{a.get_kind_display()} advice from {a.provider}")
                for a in case.advice_requests.all()
            ]
        cast(forms.ChoiceField, self.fields["applies_to"]).choices = choices


class _SectionsMixin(GovukForm):
    """Sections A to K of the plan, filled in from the latest version."""

    def add_sections(self, case: Any) -> None:
        latest = None
        plan = getattr(case, "plan", None) if case is not None else None
        if plan is not None:
            latest = plan.versions.order_by("-number").first()
        for key, title in SECTIONS.items():
            name = f"section_{key}"
            self.fields[name] = forms.CharField(
                label=f"Section {key}: {title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if latest is not None:
                self.fields[name].initial = (latest.sections or {}).get(key, "")

    def sections(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(f"section_{key}", "").strip()
            for key in SECTIONS
            if self.cleaned_data.get(f"section_{key}", "").strip()
        }


def _plan_step(label: str, subject: str) -> type[StepForm]:
    class PlanStepForm(StepForm, _SectionsMixin):
        issued_on = DateField(label=label, subject=subject)
        primary_need = forms.ChoiceField(
            label="Primary need (section B)",
            choices=[("", "Keep the needs as they are"), *NeedType.choices],
            required=False,
        )
        secondary_need = forms.ChoiceField(
            label="Secondary need (optional)",
            choices=[("", "None"), *NeedType.choices],
            required=False,
        )

        def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, case=case, **kwargs)
            self.add_sections(case)

        def action_kwargs(self) -> dict[str, Any]:
            needs = None
            primary = self.cleaned_data.get("primary_need")
            if primary:
                needs = [(primary, "")]
                secondary = self.cleaned_data.get("secondary_need")
                if secondary and secondary != primary:
                    needs.append((secondary, ""))
            return {
                "issued_on": self.cleaned_data["issued_on"],
                "sections": self.sections(),
                "needs": needs,
            }

    return PlanStepForm


class _IssuePlanForm(StepForm):
    """Issue the plan written in the editor (the case's working copy): only the date is asked."""

    def action_kwargs(self) -> dict[str, Any]:
        return {"issued_on": self.cleaned_data["issued_on"]}


class DraftPlanForm(_IssuePlanForm):
    issued_on = DateField(
        label="Date the draft plan was issued", subject="the date the draft plan was issued"
    )


class FinalPlanForm(_IssuePlanForm):
    issued_on = DateField(
        label="Date the final plan was issued", subject="the date the final plan was issued"
    )


AmendmentNoticeForm = _plan_step(
    "Date the proposed amendments were sent", "the date the proposed amendments were sent"
)
FinalAmendedPlanForm = _plan_step(
    "Date the final amended plan was issued", "the date the final amended plan was issued"
)


class DecisionNotToIssueForm(StepForm):
    decided_on = DateField(
        label="Date the family was told no plan will be issued", subject="the date of the decision"
    )


class ReviewMeetingForm(StepForm):
    meeting_on = DateField(
        label="Date of the review meeting", subject="the date of the review meeting"
    )


class ReviewInvitationsForm(StepForm):
    sent_on = DateField(
        label="Date the invitations were sent", subject="the date the invitations were sent"
    )


class ReviewAdviceCirculatedForm(StepForm):
    sent_on = DateField(
        label="Date the advice was circulated", subject="the date the advice was circulated"
    )


class ReviewReportForm(StepForm):
    sent_on = DateField(
        label="Date the report was sent",
        subject="the date the report was sent",
        help_text="To the council and everyone invited to the meeting",
    )


class TransferInNoticeForm(StepForm):
    notice_on = DateField(
        label="Date the family was told",
        subject="the date the family was told",
        help_text="Whether the council will review the plan or reassess",
    )


class ReviewDecisionForm(StepForm):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the decision: maintain, amend or cease the plan"),
    )
    decided_on = DateField(
        label="Date the decision letter was sent", subject="the date the decision was sent"
    )


class PhaseTransferForm(StepForm):
    kind = forms.ChoiceField(
        label="Kind of transfer",
        choices=PhaseTransfer.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the kind of phase transfer"),
    )
    transfer_date = DateField(
        label="Date of the move", subject="the date of the move", help_text="For example, 1 9 2026"
    )


class PhaseTransferNamedForm(StepForm):
    named_on = DateField(
        label="Date the amended plan named the new setting",
        subject="the date the amended plan named the new setting",
    )
    setting = forms.CharField(
        label="URN or UKPRN of the new setting (optional)", required=False, max_length=8
    )

    def clean_setting(self) -> Any:
        value = self.cleaned_data["setting"].strip()
        if not value:
            return None
        found = find_setting(value)
        if found is None:
            raise forms.ValidationError("Enter the URN or UKPRN of a setting in the register")
        return found


class ConsiderCeasingForm(StepForm):
    considered_on = DateField(
        label="Date the council began to consider ceasing the plan",
        subject="the date the council began to consider ceasing the plan",
    )
    reason = forms.TypedChoiceField(
        label="Why the council is considering ceasing the plan",
        coerce=int,
        choices=[
            (k, v)
            for k, v in CeaseReason.choices
            if k not in (CeaseReason.TRANSFERRED_LA, CeaseReason.DECEASED)
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Select why the council is considering ceasing the plan"),
    )
    grounds = forms.CharField(
        label="The grounds",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages=_required("Enter why the council is considering ceasing the plan"),
    )


class CeaseConsultationForm(StepForm):
    party = forms.ChoiceField(
        label="Who was consulted",
        choices=[
            ("family", "The child's parent or the young person"),
            ("setting", "The school or college named in the plan"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Select who was consulted"),
    )
    consulted_on = DateField(
        label="Date they were consulted", subject="the date they were consulted"
    )
    views = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages=_required("Enter what they said"),
    )


class CeaseDecisionForm(StepForm):
    decided_on = DateField(label="Date of the decision", subject="the date of the decision")
    decision = forms.ChoiceField(
        label="Decision",
        choices=Ceasing.Decision.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the decision: cease the plan or keep it"),
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages=_required("Enter the reasons for the decision"),
    )


class CeaseApprovalForm(StepForm):
    approved_on = DateField(label="Date of the approval", subject="the date of the approval")


class CeaseNoticeForm(StepForm):
    notified_on = DateField(
        label="Date the decision was sent", subject="the date the decision was sent"
    )


class CeaseForm(StepForm):
    reason = forms.TypedChoiceField(
        label="Why the plan ended",
        coerce=int,
        choices=CeaseReason.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select why the plan ended"),
    )
    cease_date = DateField(label="Date the plan ended", subject="the date the plan ended")


class TransferOutLearnedForm(StepForm):
    to_la_name = forms.CharField(
        label="New council",
        max_length=120,
        error_messages=_required("Enter the name of the new council"),
    )
    to_la_code = forms.CharField(
        label="New council's code (optional)",
        required=False,
        max_length=3,
        help_text="The 3-digit DfE code, for example 850",
    )
    learned_on = DateField(
        label="Date you learned of the move", subject="the date you learned of the move"
    )
    move_date = DateField(label="Date of the move", subject="the date of the move")


class PlanTransferredOutForm(StepForm):
    transferred_on = DateField(
        label="Date the plan was transferred", subject="the date the plan was transferred"
    )


class PlacementForm(StepForm):
    setting = forms.CharField(
        label="URN or UKPRN of the setting",
        required=False,
        max_length=8,
        help_text="Search the register above to find it by name or postcode. Leave blank if "
        "the setting has no URN or UKPRN and choose a setting code",
    )
    sen_setting = forms.ChoiceField(
        label="Setting code (only if there is no URN or UKPRN)",
        required=False,
        choices=[("", "Not needed"), *SENSetting.choices],
    )
    rank = forms.TypedChoiceField(
        label="Placement",
        coerce=int,
        choices=[(1, "Main placement"), (2, "Second placement (dual registration)")],
        widget=forms.RadioSelect,
        initial=1,
        error_messages=_required("Select main or second placement"),
    )
    entry_date = DateField(label="Start date", subject="the start date")
    resourced_provision = forms.BooleanField(label="In resourced provision", required=False)
    sen_unit = forms.BooleanField(label="In a SEN unit", required=False)
    residential = forms.BooleanField(label="Residential", required=False)
    need_level = forms.ChoiceField(
        label="Band in the council's banding matrix (optional)",
        required=False,
        choices=[("", "The child's current band")],
        help_text="The need level that sets the top-up. A fee at an independent, non-maintained "
        "or specialist post-16 setting is set by finance",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = Band.objects.order_by("code").values_list("code", flat=True).distinct()
        self.fields["need_level"].choices = [  # type: ignore[attr-defined]
            ("", "The child's current band"),
            *((code, f"Band {code}") for code in codes),
        ]

    def clean_setting(self) -> Any:
        value = self.cleaned_data["setting"].strip()
        if not value:
            return None
        found = find_setting(value)
        if found is None:
            raise forms.ValidationError("Enter the URN or UKPRN of a setting in the register")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("setting") and not data.get("sen_setting"):
            self.add_error("setting", "Enter the setting's URN or UKPRN, or select a setting code")
        return data


# --- Mediation and appeals -------------------------------------------------------------------------


def _appeal_rows(case: Any) -> tuple[list[Any], list[Any]]:
    """The case's appeals and its events of the kinds the appeal steps read."""
    if case is None:
        return [], []
    return list(case.appeals.all()), list(case.events.all())


def _notice_choices(case: Any, *, with_live: bool) -> list[tuple[str, str]]:
    """The decisions the family may still dispute, and (for registering an appeal) the decision
    of a live appeal not yet registered."""
    appeals, events = _appeal_rows(case)
    choices = [
        (d.isoformat(), appeals_domain.notice_label(d, kind))
        for d, kind in appeals_domain.open_notices(events, appeals, timezone.localdate())
    ]
    live = appeals_domain.live_appeal(appeals)
    if with_live and live is not None and live.tribunal_registered_on is None:
        choices.insert(
            0,
            (
                live.decision_notice_on.isoformat(),
                appeals_domain.notice_label(live.decision_notice_on, live.decision_type),
            ),
        )
    return choices


def _notice_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=dt.date.fromisoformat,
        widget=forms.RadioSelect,
        error_messages=_required("Select the decision the family disputes"),
    )


class MediationDecisionForm(StepForm):
    notice_on = _notice_field("Which decision")
    wants_mediation = forms.TypedChoiceField(
        label="Does the family want mediation?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes, they asked for mediation"), ("no", "No, they declined mediation")],
        widget=forms.RadioSelect,
        error_messages=_required("Select whether the family wants mediation"),
    )
    decided_on = DateField(
        label="Date the family told the council",
        subject="the date the family told the council",
        help_text="After speaking to the mediation adviser",
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        cast(forms.ChoiceField, self.fields["notice_on"]).choices = _notice_choices(
            case, with_live=False
        )


class MediationHeldForm(StepForm):
    held_on = DateField(label="Date mediation was held", subject="the date mediation was held")


class NoAppealForm(StepForm):
    decided_on = DateField(
        label="Date the family said they would not appeal, or the time to appeal ended",
        subject="the date",
    )


class MediationCertificateForm(StepForm):
    issued_on = DateField(
        label="Date the certificate was issued", subject="the date the certificate was issued"
    )


class AppealRegisteredForm(StepForm):
    notice_on = _notice_field("Which decision is appealed")
    registered_on = DateField(
        label="Date the tribunal registered the appeal",
        subject="the date the appeal was registered",
    )

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        choices = _notice_choices(case, with_live=True)
        cast(forms.ChoiceField, self.fields["notice_on"]).choices = choices
        if len(choices) == 1:
            self.fields["notice_on"].initial = choices[0][0]


class TribunalDecisionForm(StepForm):
    outcome = forms.ChoiceField(
        label="How the appeal ended",
        choices=[
            (o.value, o.label)
            for o in (
                Appeal.Outcome.UPHELD,
                Appeal.Outcome.CONCEDED,
                Appeal.Outcome.WITHDRAWN,
                Appeal.Outcome.DISMISSED,
            )
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Select how the appeal ended"),
    )
    order_kind = forms.ChoiceField(
        label="What the council must do",
        required=False,
        choices=[("", "Nothing for the council to do"), *appeals_domain.ORDER_KINDS.items()],
        widget=forms.RadioSelect,
        help_text=(
            "The tribunal's order; or, if the council conceded, to assess or to amend the plan"
        ),
    )
    decided_on = DateField(
        label="Date of the decision",
        subject="the date of the decision",
        help_text="The date of the tribunal's order, or of the council conceding or the family withdrawing",
    )


class OrderCompliedForm(StepForm):
    stage = forms.ChoiceField(
        label="What the council has done",
        widget=forms.RadioSelect,
        error_messages=_required("Select what the council has done"),
    )
    complied_on = DateField(label="Date the council did it", subject="the date the council did it")

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        appeals, events = _appeal_rows(case)
        live = appeals_domain.live_appeal(appeals)
        stages = (
            appeals_domain.stages_next(live, events) if live is not None and live.order_kind else []
        )
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (s, appeals_domain.STAGE_LABELS.get(s, s)) for s in stages
        ]
        if len(stages) == 1:
            self.fields["stage"].initial = stages[0]


# --- Contacts and reassignment --------------------------------------------------------------------


class ContactForm(GovukForm):
    channel = forms.ChoiceField(
        label="How",
        choices=ContactLogEntry.Channel.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select how the contact was made"),
    )
    direction = forms.ChoiceField(
        label="Received or sent",
        choices=ContactLogEntry.Direction.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select whether the contact was received or sent"),
    )
    party = forms.CharField(
        label="Who with",
        max_length=200,
        help_text="For example, the parent, the school SENCo, the community paediatrician",
        error_messages=_required("Enter who the contact was with"),
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter a summary of the contact"),
    )
    contact_on = DateField(label="Date of the contact", subject="the date of the contact")
    at_time = forms.TimeField(
        label="Time (optional)",
        required=False,
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"invalid": "Enter the time of the contact, for example 14:30"},
    )
    needs_response = forms.BooleanField(label="A response is needed", required=False)
    response_due = DateField(
        label="Response due (optional)",
        subject="the date the response is due",
        required=False,
    )

    def __init__(self, *args: Any, default_days: int = 10, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "response_due"
        ].help_text = f"Leave blank for {default_days} working days after the contact"
        self.fields["at_time"].widget.attrs["class"] = "govuk-input govuk-input--width-5"


class ContactResponseForm(GovukForm):
    responded_on = DateField(label="Date of the response", subject="the date of the response")


class TaskForm(GovukForm):
    title = forms.CharField(
        label="What needs doing",
        max_length=200,
        help_text="For example, chase the educational psychology advice, or call the parent",
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "What needs doing must be 200 characters or fewer",
        },
    )
    due_on = DateField(label="Due by", subject="the date it is due by")


class ReassignForm(VersionedForm):
    officer = forms.ModelChoiceField(
        label="Give this case to",
        queryset=User.objects.none(),
        empty_label="Select an officer",
        error_messages=_required("Select the officer to give this case to"),
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["officer"]).queryset = officers


class CaseVersionsField(forms.Field):
    """The cases ticked in the work queue, each as "id-version" (the version the person saw):
    cleaned to {case id: version}."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: Any) -> dict[int, int]:
        out: dict[int, int] = {}
        for raw in value or []:
            pk, _, version = str(raw).partition("-")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError("Select the cases to reassign from the list")
            out[int(pk)] = int(version)
        return out

    def validate(self, value: Any) -> None:
        if not value:
            raise forms.ValidationError("Select the cases to reassign")


class BulkReassignForm(GovukForm):
    cases = CaseVersionsField(label="Cases")
    officer = forms.ModelChoiceField(
        label="Give the selected cases to",
        queryset=User.objects.none(),
        empty_label="Select an officer",
        error_messages=_required("Select the officer to give the cases to"),
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        # Its own ids: the queue's filter form above it has an "officer" field too.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["officer"]).queryset = officers

    def ticked(self) -> set[int]:
        """The cases ticked, as posted (to tick them again when the page comes back)."""
        posted = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        return {int(pk) for pk, _, _ in (str(v).partition("-") for v in posted) if pk.isdigit()}


class _OfficerWithTeam(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.team})" if obj.team_id else str(obj)


class MoveTeamForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    team = forms.ModelChoiceField(
        label="Move this case to",
        queryset=Team.objects.order_by("name"),
        empty_label="Select a team",
        error_messages=_required("Select the team to move this case to"),
    )
    officer = _OfficerWithTeam(
        label="Officer in that team (optional)",
        help_text="Leave this as nobody to let the new team's manager assign it.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet",
        error_messages=_required("Select an officer in the new team, or nobody"),
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["officer"]).queryset = officers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, officer = data.get("team"), data.get("officer")
        if team is not None and officer is not None and officer.team_id != team.pk:
            self.add_error("officer", f"Select an officer in {team}, or nobody")
        return data


# --- Registering a child: a new request, or a plan transferred in ---------------------------------


class _ChildIdentity(GovukForm):
    """Who the child is: the fields registering a child and correcting their details share."""

    forename = forms.CharField(
        label="First name", max_length=100, error_messages=_required("Enter the child's first name")
    )
    surname = forms.CharField(
        label="Last name", max_length=100, error_messages=_required("Enter the child's last name")
    )
    date_of_birth = DateField(
        label="Date of birth",
        subject="the child's date of birth",
        help_text="For example, 27 3 2016",
        earliest=EARLIEST,
        past=True,
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Child.Sex.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the child's sex, or not known"),
    )


# The answer to "Do they have parental responsibility?": "" is not known, or not asked.
PR_ANSWER = {"yes": True, "no": False}


def postcode_field(label: str = "Postcode (optional)") -> CheckedField:
    return CheckedField(identity.clean_postcode, label=label, help_text="For example, HR1 1AA")


def upn_field(label: str = "Unique pupil number (UPN, optional)") -> CheckedField:
    return CheckedField(
        identity.clean_upn, label=label, help_text="13 characters, for example H801200001001"
    )


def email_field(label: str) -> CheckedField:
    return CheckedField(identity.clean_email, label=label)


def phone_field(label: str) -> CheckedField:
    return CheckedField(
        identity.clean_phone,
        label=label,
        help_text="For international numbers include the country code",
    )


class ChildFields(_ChildIdentity):
    postcode = postcode_field()
    upn = upn_field()
    contact_name = PlainTextField(
        label="Parent or carer's name (optional)", subject="the name", max_length=200
    )
    contact_relationship = PlainTextField(
        label="Relationship to the child", subject="the relationship", max_length=60
    )
    contact_email = email_field("Parent or carer's email (optional)")
    contact_phone = phone_field("Parent or carer's phone (optional)")
    contact_parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for the child?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known or not asked")],
        widget=forms.RadioSelect,
        required=False,
    )
    officer = forms.ModelChoiceField(
        label="Case officer",
        queryset=User.objects.none(),
        empty_label="Select an officer",
        error_messages=_required("Select the case officer"),
    )
    # Shown only when the child may already be known (see clean): one of them, or "new".
    known = forms.CharField(required=False, widget=forms.HiddenInput)
    # The event the child's age is checked at: (field, how messages name it).
    age_event: tuple[str, str]

    def __init__(self, *args: Any, officers: QuerySet[User], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["officer"]).queryset = officers
        if officers.filter(pk=user.pk).exists():
            self.fields["officer"].initial = user.pk
        self.user = user
        self.known_child: Child | None = None
        self.possible_duplicates: list[Child] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event, event_subject = self.age_event
        check_age_at(self, data.get("date_of_birth"), data.get(event), event_subject)
        if data.get("contact_name") and not data.get("contact_relationship"):
            self.add_error(
                "contact_relationship", "Enter the parent or carer's relationship to the child"
            )
        elif not data.get("contact_name") and (
            data.get("contact_email") or data.get("contact_phone")
        ):
            self.add_error(
                "contact_name",
                "Enter the parent or carer's name, or remove their email and phone number",
            )
        if data.get("surname") and data.get("date_of_birth"):
            self._check_known(data)
        return data

    def _check_known(self, data: dict[str, Any]) -> None:
        """A child with the same UPN, or the same last name and date of birth, may be this child:
        the officer says which, or that this is a different child (a second record for one child
        splits their history). Only children the person may attach a request to are named; of
        any other match the form says only that the council knows the child (rules.py)."""
        upn = (data.get("upn") or "").strip()
        same = Q(surname__iexact=data["surname"].strip(), date_of_birth=data["date_of_birth"])
        if upn:
            same |= Q(upn=upn)
        mine = children_for_user(self.user, attach=True)
        found = list(mine.filter(same).order_by("pk")[:10])
        elsewhere = Child.objects.filter(same).exclude(pk__in=mine.values("pk")).exists()
        self.possible_duplicates = found
        if not found and not elsewhere:
            return
        if not found:
            self.add_error(None, KNOWN_ELSEWHERE)
            return
        choices = [(str(c.pk), _child_label(c)) for c in found]
        if not elsewhere:
            choices.append(
                ("new", "None of these: a different child, not yet known to the service")
            )
        self.fields["known"] = forms.ChoiceField(
            label="This child may already be known to the service. Is it one of these children?",
            choices=choices,
            widget=forms.RadioSelect,
            required=False,
            help_text=KNOWN_ELSEWHERE if elsewhere else "",
        )
        self._bound_fields_cache.pop("known", None)  # type: ignore[attr-defined]  # now a question
        answer = (data.get("known") or "").strip()
        same_upn = [c for c in found if upn and c.upn == upn]
        if answer == "new" and elsewhere:
            self.add_error("known", KNOWN_ELSEWHERE)
        elif answer == "new" and same_upn:
            self.add_error(
                "known",
                f"UPN {upn} is already recorded for {_child_label(same_upn[0])}: choose them, or "
                "correct the UPN",
            )
        elif answer == "new":
            data["known"] = "new"
        elif answer in {str(c.pk) for c in found}:
            self.known_child = next(c for c in found if str(c.pk) == answer)
        else:
            self.add_error(
                "known",
                "Select the child this request is for, or say it is a different child",
            )

    def child_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "forename": d["forename"].strip(),
            "surname": d["surname"].strip(),
            "date_of_birth": d["date_of_birth"],
            "sex": d["sex"],
            "postcode": d.get("postcode", ""),
            "upn": d.get("upn", ""),
        }

    def contact_fields(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not any(d.get(f"contact_{f}") for f in ("name", "email", "phone")):
            return None
        return {
            "name": d["contact_name"].strip(),
            "relationship": d.get("contact_relationship", "").strip(),
            "email": d.get("contact_email", ""),
            "phone": d.get("contact_phone", ""),
            "parental_responsibility": PR_ANSWER.get(d.get("contact_parental_responsibility", "")),
        }


def address_lines(text: str) -> str:
    """An address as typed, one line per line, spaces tidied and empty lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


YES_NO_UNKNOWN = [("Y", "Yes"), ("N", "No"), ("", "Not known or not asked")]


def _code_choice(label: str, choices: list[tuple[str, str]], empty: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[("", empty), *choices], required=False, widget=forms.Select
    )


class ChildDetailsForm(_ChildIdentity):
    """Correct and complete a child's details; `seen` is what the person saw when they opened
    the form. Field names are the Child's (casework.domain.children.CHILD_DETAILS)."""

    gender = PlainTextField(
        label="Gender, if different from sex (optional)",
        subject="gender",
        max_length=60,
        help_text="In the child or young person's own words",
    )
    ethnicity = _code_choice("Ethnicity", Ethnicity.choices, "Not recorded")
    first_language = _code_choice("First language", Language.choices, "Not recorded")
    interpreter_needed = forms.BooleanField(
        label="The child or young person needs an interpreter", required=False
    )
    address = forms.CharField(
        label="Address for letters (optional)",
        help_text="Do not include the postcode",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = postcode_field()
    upn = upn_field()
    upn_unknown = _code_choice(
        "If there is no UPN, why not", UPNUnknown.choices, "Not applicable: the UPN is recorded"
    )
    uln = CheckedField(
        identity.clean_uln,
        label="Unique learner number (ULN, optional)",
        help_text="10 numbers, for a young person in further education or training",
    )
    nhs_number = CheckedField(
        identity.clean_nhs_number,
        label="NHS number (optional)",
        help_text="10 numbers, for example 485 777 3457",
    )
    disability = forms.ChoiceField(
        label="Does the child or young person have a disability?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    known_to_social_care = forms.ChoiceField(
        label="Is the child or young person known to children's social care?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    social_care_team = PlainTextField(
        label="Which children's social care team (optional)",
        subject="the social care team",
        max_length=100,
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, opened_on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when = f"the date this case began, {format_date(self.opened_on)}"
        check_age_at(self, data.get("date_of_birth"), self.opened_on, when)
        if data.get("upn") and data.get("upn_unknown"):
            self.add_error(
                "upn_unknown", "Remove the reason the UPN is not known: a UPN is recorded"
            )
        if data.get("social_care_team") and data.get("known_to_social_care") != "Y":
            self.add_error(
                "known_to_social_care",
                "Select yes if the child is known to social care, or remove the team",
            )
        return data

    def clean_forename(self) -> str:
        return " ".join(self.cleaned_data["forename"].split())

    def clean_surname(self) -> str:
        return " ".join(self.cleaned_data["surname"].split())

    def clean_address(self) -> str:
        return address_lines(self.cleaned_data["address"])

    def clean_gender(self) -> str:
        return " ".join(self.cleaned_data["gender"].split())

    def clean_social_care_team(self) -> str:
        return " ".join(self.cleaned_data["social_care_team"].split())


def _child_label(child: Child) -> str:
    born = child.date_of_birth
    upn = f", UPN {child.upn}" if child.upn else ""
    return f"{child.forename} {child.surname}, born {format_date(born)}{upn}"


class NewRequestForm(ChildFields, LetterChoiceMixin):
    """A new request, and what happens to the family's acknowledgement (sent now when the
    request is dated today, unless the officer chooses otherwise)."""

    age_event = ("received_on", "the date the request was received")
    received_on = DateField(
        label="Date the request was received", subject="the date the request was received"
    )
    source = forms.TypedChoiceField(
        label="Who made the request",
        coerce=int,
        choices=RequestSource.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select who made the request"),
    )
    requester_name = forms.CharField(
        label="Name of the person who asked (optional)", max_length=200, required=False
    )
    young_person_request = forms.BooleanField(
        label="The young person asked for the assessment themselves", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The acknowledgement's choice comes last, after the request it is about.
        self.order_fields([n for n in self.fields if n not in LETTER_FIELDS] + list(LETTER_FIELDS))
        self.fields["letter_choice"].label = "The acknowledgement to the family"


class TransferInForm(ChildFields):
    age_event = ("transferred_on", "the date the plan was transferred")
    from_la_name = forms.CharField(
        label="Council the plan came from",
        max_length=120,
        error_messages=_required("Enter the council the plan came from"),
    )
    from_la_code = forms.CharField(
        label="That council's code (optional)", max_length=3, required=False
    )
    # A plan transferred in may carry dates from before this council's records began.
    transferred_on = DateField(
        label="Date the plan was transferred",
        subject="the date the plan was transferred",
        earliest=EARLIEST,
    )
    last_review = DateField(
        label="Date the plan was last issued or reviewed",
        subject="the date the plan was last issued or reviewed",
        earliest=EARLIEST,
    )


# --- Family contacts -------------------------------------------------------------------------


class FamilyContactForm(GovukForm):
    """Add or change a family contact. Field names are FamilyContact's
    (casework.domain.contacts.FAMILY_CONTACT_FIELDS); `seen` is what the person saw."""

    name = PlainTextField(
        label="Full name",
        subject="the name",
        max_length=200,
        required=True,
        error_messages={"required": "Enter the contact's full name"},
    )
    relationship = PlainTextField(
        label="Relationship to the child",
        subject="the relationship",
        max_length=60,
        required=True,
        help_text="For example, mother, father, foster carer, grandparent",
        error_messages={"required": "Enter the contact's relationship to the child"},
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for the child?",
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not known or not asked")],
        widget=forms.RadioSelect,
        required=False,
    )
    email = email_field("Email address (optional)")
    phone = phone_field("Phone number (optional)")
    address = forms.CharField(
        label="Address (optional)",
        help_text="Do not include the postcode",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = postcode_field()
    withhold_address = forms.BooleanField(
        label="Do not share this address",
        help_text="For safeguarding: it will not appear in letters or documents sent to anyone "
        "else, including the child's other parent",
        required=False,
    )
    preferred_contact = forms.ChoiceField(
        label="How do they prefer to be contacted?",
        choices=[*FamilyContact.ContactMethod.choices, ("", "Not known or not asked")],
        widget=forms.RadioSelect,
        required=False,
    )
    language = _code_choice("Language they prefer to use", Language.choices, "Not recorded")
    interpreter_needed = forms.BooleanField(label="They need an interpreter", required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_parental_responsibility(self) -> bool | None:
        return PR_ANSWER.get(self.cleaned_data["parental_responsibility"])

    def clean_address(self) -> str:
        return address_lines(self.cleaned_data["address"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        how = data.get("preferred_contact")
        needs = {
            "email": ("email", "Enter an email address, or choose another way to contact them"),
            "text": ("phone", "Enter a mobile number, or choose another way to contact them"),
            "phone": ("phone", "Enter a phone number, or choose another way to contact them"),
            "letter": ("postcode", "Enter an address and postcode, or choose another way"),
        }
        if how in needs and not self.errors:
            field, message = needs[how]
            if not data.get(field) or (how == "letter" and not data.get("address")):
                self.add_error(field if how != "letter" else "address", message)
            elif how == "text" and not identity.is_mobile(data["phone"]):
                self.add_error("phone", "Enter a mobile number to send text messages to")
        if data.get("withhold_address") and not data.get("address"):
            self.add_error("address", "Enter the address that must not be shared")
        return data


class EndFamilyContactForm(GovukForm):
    ended_on = DateField(
        label="Date they stopped being a contact for the child",
        subject="the date they stopped being a contact",
        help_text="For example, 27 3 2026",
        earliest=EARLIEST,
    )
    reason = PlainTextField(
        label="Why",
        subject="the reason",
        max_length=500,
        required=True,
        help_text="For example, moved away, or no longer caring for the child",
        error_messages={"required": "Enter why they are no longer a contact"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Correcting the record, withdrawing, closing ---------------------------------------------


def _reason_field(label: str, message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(message),
    )


class CorrectStepForm(VersionedForm):
    """The step's date, and the details it has (corrections.DETAILS), each shown as recorded."""

    date = DateField(label="The correct date", subject="the correct date")
    reason = _reason_field(
        "Why the step is being corrected", "Enter why the step is being corrected"
    )

    def __init__(self, *args: Any, event_type: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        if event_type == "advice_requested":
            fields["kind"] = forms.ChoiceField(
                label="Kind of advice",
                choices=AdviceKind.choices,
                error_messages=_required("Select the kind of advice"),
            )
        elif event_type == "exception":
            del self.fields["date"]  # an exception's date is its start
            fields["exception_reason"] = forms.ChoiceField(
                label="Reason the time limit cannot be met",
                choices=ExceptionReason.choices,
                error_messages=_required("Select the reason the time limit cannot be met"),
            )
            fields["start"] = DateField(label="Start of the exception", subject="the start")
            fields["end"] = DateField(label="End of the exception", subject="the end")
        elif event_type == "review_decision":
            fields["outcome"] = forms.ChoiceField(
                label="The decision",
                choices=[(v, label) for v, label in ReviewOutcome.choices],
                widget=forms.RadioSelect,
                help_text="A decision to cease is not changed here: strike the decision out and "
                "record the right one",
                error_messages=_required("Select the decision"),
            )
        elif event_type == "phase_transfer":
            fields["kind"] = forms.ChoiceField(
                label="Kind of transfer",
                choices=PhaseTransfer.Kind.choices,
                error_messages=_required("Select the kind of transfer"),
            )
        else:
            fields.update(_more_detail_fields(event_type))
        reason = self.fields.pop("reason")
        self.fields.update(fields)
        self.fields["reason"] = reason


def _more_detail_fields(event_type: str) -> dict[str, forms.Field]:
    """The details of the other steps that can be corrected (corrections.DETAILS)."""
    # The order kinds live with the appeal actions; forms come after the domain (no cycle).
    from sendcase.casework.domain.appeals import ORDER_KINDS  # noqa: PLC0415  (one place only)

    radio = forms.RadioSelect
    if event_type == "decision_to_assess":
        return {
            "outcome": forms.ChoiceField(
                label="The decision",
                choices=[("assess", "Assess"), ("not_assess", "Not assess")],
                widget=radio,
                error_messages=_required("Select whether the council will assess"),
            )
        }
    if event_type == "setting_consulted":
        return {
            "setting": PlainTextField(
                label="School or college consulted", subject="the school or college", max_length=200
            )
        }
    if event_type == "setting_responded":
        return {
            "can_meet_needs": forms.ChoiceField(
                label="Can the setting meet the child's needs?",
                choices=[("yes", "Yes"), ("no", "No")],
                widget=radio,
                error_messages=_required("Select whether the setting can meet the needs"),
            )
        }
    if event_type in ("tribunal_order", "unopposed_appeal"):
        return {
            "kind": forms.ChoiceField(
                label="What the council must do",
                choices=list(ORDER_KINDS.items()),
                error_messages=_required("Select what the council must do"),
            )
        }
    if event_type == "transfer_out_learned":
        return {"move_date": DateField(label="Date of the move", subject="the date of the move")}
    if event_type == "transfer_in":
        return {
            "last_review": DateField(
                label="Its last review (or when it was made)", subject="the last review"
            )
        }
    return {}


class StrikeOutForm(VersionedForm):
    reason = _reason_field(
        "Why the step is being struck out", "Enter why the step is being struck out"
    )


class WithdrawRequestForm(VersionedForm):
    withdrawn_on = DateField(
        label="Date the request was withdrawn", subject="the date the request was withdrawn"
    )
    reason = _reason_field("Why the request was withdrawn", "Enter why the request was withdrawn")


class CloseCaseForm(VersionedForm):
    closed_on = DateField(label="Date the case closed", subject="the date the case closed")
    why = forms.ChoiceField(
        label="Why the case is being closed",
        choices=list(CLOSE_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages=_required("Select why the case is being closed"),
    )
    details = forms.CharField(
        label="Details",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if you selected another reason",
    )
