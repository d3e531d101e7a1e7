"""The plan editor's forms: one per section, and one per kind of row (need, outcome, provision).

Each form knows how to fill itself from a plan's content (`initial_for`) and how to put its
answers back into it (`apply`), so the view hands the whole edited content to
`plan_editor.save_working_copy`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

from django import forms

from sendcase.casework.domain.placements import find_setting
from sendcase.casework.forms import VersionedForm
from sendcase.core.codes import NeedType, SettingType
from sendcase.placements.models import setting_type_for
from sendcase.plans.content import (
    OUTCOME_FIELDS,
    PROVISION_FIELDS,
    NeedRow,
    OutcomeRow,
    PlanContent,
    ProvisionRow,
    keep_needs,
    own_fields,
)

YES_NO = [("yes", "Yes, I've completed this section"), ("no", "No, I'll come back to it later")]


class SectionForm(VersionedForm):
    """A section of the plan, with GOV.UK's "Have you completed this section?" question."""

    completed = forms.ChoiceField(
        label="Have you completed this section?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you've completed this section",
            "invalid_choice": "Select whether you've completed this section",
        },
    )

    def __init__(self, *args: Any, content: PlanContent, **kwargs: Any) -> None:
        self.content = content
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {}

    def apply(self, content: PlanContent) -> PlanContent:
        return content

    def is_completed(self) -> bool:
        return bool(self.cleaned_data["completed"] == "yes")


def _text(label: str, hint: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ViewsForm(SectionForm):
    child_views = _text(
        "The child's or young person's views, in their own words",
        "What they said, wrote or showed about themselves, what they enjoy and hope for",
    )
    parent_views = _text(
        "The parents' views (optional for a young person)",
        "The parents' or carers' views, interests and aspirations, kept apart from the child's",
    )

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {"child_views": content.child_views, "parent_views": content.parent_views}

    def apply(self, content: PlanContent) -> PlanContent:
        return replace(
            content,
            child_views=self.cleaned_data["child_views"].strip(),
            parent_views=self.cleaned_data["parent_views"].strip(),
        )


class HealthForm(SectionForm):
    text = _text("Health needs which relate to their special educational needs")
    none = forms.BooleanField(label="No health needs identified", required=False)

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {"text": content.health_needs, "none": content.no_health_needs}

    def apply(self, content: PlanContent) -> PlanContent:
        return replace(
            content,
            health_needs=self.cleaned_data["text"].strip(),
            no_health_needs=self.cleaned_data["none"],
        )


class SocialCareForm(SectionForm):
    text = _text("Social care needs which relate to their special educational needs or disability")
    none = forms.BooleanField(label="No social care needs identified", required=False)

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {"text": content.social_care_needs, "none": content.no_social_care_needs}

    def apply(self, content: PlanContent) -> PlanContent:
        return replace(
            content,
            social_care_needs=self.cleaned_data["text"].strip(),
            no_social_care_needs=self.cleaned_data["none"],
        )


class SettingForm(SectionForm):
    setting = forms.CharField(
        label="The setting's URN or UKPRN",
        help_text="From the register of settings. Leave blank to name a type of setting only",
        required=False,
        max_length=8,
    )
    setting_type = forms.ChoiceField(
        label="Or the type of setting only",
        choices=[("", "Not chosen"), *SettingType.choices],
        required=False,
    )

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {"setting_type": "" if content.setting_id else content.setting_type}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        identifier = (data.get("setting") or "").strip()
        self.found = find_setting(identifier) if identifier else None
        if identifier and self.found is None:
            self.add_error("setting", "Enter the URN or UKPRN of a setting in the register")
        return data

    def apply(self, content: PlanContent) -> PlanContent:
        if self.found is not None:
            return replace(
                content,
                setting_id=self.found.pk,
                setting_name=str(self.found),
                setting_type=setting_type_for(self.found.kind),
            )
        return replace(
            content,
            setting_id=None,
            setting_name="",
            setting_type=self.cleaned_data.get("setting_type", ""),
        )


class BudgetForm(SectionForm):
    text = _text(
        "What the personal budget or direct payment secures",
        "The needs and outcomes it meets and the provision it secures",
    )
    amount = forms.DecimalField(
        label="Amount a year, in pounds",
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "Enter the amount in pounds, like 1250.00"},
    )

    @classmethod
    def initial_for(cls, content: PlanContent) -> dict[str, Any]:
        return {"text": content.personal_budget, "amount": content.personal_budget_amount}

    def apply(self, content: PlanContent) -> PlanContent:
        return replace(
            content,
            personal_budget=self.cleaned_data["text"].strip(),
            personal_budget_amount=self.cleaned_data["amount"],
        )


# Sections whose form holds the text itself; the others list rows (B, E, F, G, H1, H2) or are
# filled from the case (K).
SECTION_FORMS: dict[str, type[SectionForm]] = {
    "A": ViewsForm,
    "C": HealthForm,
    "D": SocialCareForm,
    "I": SettingForm,
    "J": BudgetForm,
}


# --- Rows --------------------------------------------------------------------------------------


class RowForm(VersionedForm):
    """A row of section B, E, F, G, H1 or H2: `put` it into the content at `i` (None: a new row)."""

    def __init__(self, *args: Any, content: PlanContent, **kwargs: Any) -> None:
        self.content = content
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_row(content: PlanContent, i: int) -> dict[str, Any]:
        raise NotImplementedError

    def put(self, content: PlanContent, i: int | None) -> PlanContent:
        raise NotImplementedError


def _links(label: str) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )


def need_choices(content: PlanContent) -> list[tuple[int, str]]:
    return [
        (i, f"{NeedType(n.code).label if n.code in NeedType.values else n.code}")
        for i, n in enumerate(content.needs)
    ]


class NeedForm(RowForm):
    code = forms.ChoiceField(
        label="Type of need (as SEN2 records it)",
        choices=[("", "Select the type of need"), *NeedType.choices],
        error_messages={"required": "Select the type of need"},
    )
    description = _text("Describe the need", "What the child finds difficult, and how it shows")
    primary = forms.BooleanField(label="This is the primary need", required=False)

    def clean_description(self) -> str:
        text = str(self.cleaned_data["description"]).strip()
        if not text:
            raise forms.ValidationError("Describe the need")
        return text

    @staticmethod
    def initial_row(content: PlanContent, i: int) -> dict[str, Any]:
        n = content.needs[i]
        return {"code": n.code, "description": n.description, "primary": i == 0}

    def put(self, content: PlanContent, i: int | None) -> PlanContent:
        row = NeedRow(self.cleaned_data["code"], self.cleaned_data["description"])
        needs = list(content.needs)
        if i is None:
            needs.append(row)
            i = len(needs) - 1
        else:
            needs[i] = row
        content = replace(content, needs=needs)
        order = list(range(len(needs)))
        if self.cleaned_data["primary"] or len(needs) == 1:
            order.remove(i)
            order.insert(0, i)
        elif i == 0 and len(needs) > 1:  # no longer the primary: the next need becomes it
            order = [*order[1:2], 0, *order[2:]]
        return keep_needs(content, order)


class OutcomeForm(RowForm):
    text = _text(
        "The outcome sought", "The difference the provision will make, specific and measurable", 3
    )
    needs = _links("The needs it addresses")
    by_when = forms.CharField(
        label="To be achieved by",
        help_text="For example, the end of Key Stage 2 (July 2028)",
        max_length=60,
        required=False,
    )
    steps = _text("Shorter-term steps towards it", "", 3)
    preparing_for_adulthood = forms.BooleanField(
        label="Prepares for adulthood (employment, independent living, community, health)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["needs"]).choices = need_choices(self.content)

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Enter the outcome sought")
        return text

    @staticmethod
    def initial_row(content: PlanContent, i: int) -> dict[str, Any]:
        o = content.outcomes[i]
        return {**own_fields(o, OUTCOME_FIELDS), "needs": o.needs}

    def put(self, content: PlanContent, i: int | None) -> PlanContent:
        d = self.cleaned_data
        row = OutcomeRow(
            d["text"],
            list(d["needs"]),
            d["by_when"].strip(),
            d["steps"].strip(),
            d["preparing_for_adulthood"],
        )
        outcomes = list(content.outcomes)
        if i is None:
            outcomes.append(row)
        else:
            outcomes[i] = row
        return replace(content, outcomes=outcomes)


class ProvisionForm(RowForm):
    description = _text("What is provided", "The support itself, specific: what is done and how", 3)
    staff_role = forms.CharField(
        label="Who provides it",
        help_text="Their role and expertise, for example a speech and language therapist (HCPC registered)",
        max_length=200,
        required=False,
    )
    frequency = forms.CharField(
        label="How often", help_text="For example, 3 times a week", max_length=120, required=False
    )
    duration = forms.CharField(
        label="For how long each time",
        help_text="For example, 30 minutes",
        max_length=120,
        required=False,
    )
    group_size = forms.CharField(
        label="Group size",
        help_text="For example, 1:1 or a group of 4",
        max_length=60,
        required=False,
    )
    provider = forms.CharField(
        label="Service providing it (optional)", max_length=200, required=False
    )
    annual_cost = forms.DecimalField(
        label="Cost a year in pounds, where known",
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={"invalid": "Enter the cost in pounds, like 1250.00"},
    )
    needs = _links("The needs it serves")
    outcomes = _links("The outcomes it serves")
    preparing_for_adulthood = forms.BooleanField(label="Prepares for adulthood", required=False)

    def __init__(self, *args: Any, section: str, **kwargs: Any) -> None:
        self.section = section
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["needs"]).choices = need_choices(self.content)
        cast(forms.ChoiceField, self.fields["outcomes"]).choices = [
            (i, o.text[:80]) for i, o in enumerate(self.content.outcomes)
        ]

    def clean_description(self) -> str:
        text = str(self.cleaned_data["description"]).strip()
        if not text:
            raise forms.ValidationError("Enter what is provided")
        return text

    @staticmethod
    def initial_row(content: PlanContent, i: int) -> dict[str, Any]:
        p = content.provision[i]
        return {**own_fields(p, PROVISION_FIELDS), "needs": p.needs, "outcomes": p.outcomes}

    def put(self, content: PlanContent, i: int | None) -> PlanContent:
        d = self.cleaned_data
        section = content.provision[i].section if i is not None else self.section
        row = ProvisionRow(
            section,
            d["description"],
            staff_role=d["staff_role"].strip(),
            frequency=d["frequency"].strip(),
            duration=d["duration"].strip(),
            group_size=d["group_size"].strip(),
            provider=d["provider"].strip(),
            annual_cost=d["annual_cost"],
            preparing_for_adulthood=d["preparing_for_adulthood"],
            needs=list(d["needs"]),
            outcomes=list(d["outcomes"]),
        )
        provision = list(content.provision)
        if i is None:
            provision.append(row)
        else:
            provision[i] = row
        return replace(content, provision=provision)
