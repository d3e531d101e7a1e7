from __future__ import annotations

from typing import Any

from django import forms

from sendcase.casework.forms import GovukForm
from sendcase.core.forms import GovukDateField, VersionField, text_field, textarea_field
from sendcase.inspection.models import Rag, Strategy, StrategyOutcome, Workstream
from sendcase.inspection.strategy import measure_choices


class AsAtForm(GovukForm):
    as_at = GovukDateField(label="The date the list is for", subject="the date the list is for")


class CensusForm(GovukForm):
    census_date = GovukDateField(
        label="Census date of the extract", subject="the census date of the extract"
    )
    file = forms.FileField(
        label="The extract (CSV)",
        error_messages={
            "required": "Select the census extract",
            "empty": "The selected file is empty",
        },
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv"}),
    )


# --- The strategy tracker ---------------------------------------------------------------------


def _measures(hint: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Measures that show progress (optional)",
        required=False,
        help_text=hint,
        choices=measure_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select measures from the list"},
    )


class StrategyForm(GovukForm):
    title = text_field("Title", "the strategy's title", max_length=200, help_text="For example, SEND strategy 2023 to 2026")  # fmt: skip
    vision = textarea_field("Vision (optional)", required=False)
    neighbours = forms.MultipleChoiceField(
        label="Statistical neighbours (optional)",
        required=False,
        help_text="The councils the bulletin compares with (up to 10), from DfE's published figures.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select councils from the list"},
    )
    version = VersionField()

    def __init__(self, *args: Any, councils: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbours"].choices = councils  # type: ignore[attr-defined]

    def clean_neighbours(self) -> list[str]:
        picked = self.cleaned_data.get("neighbours") or []
        if len(picked) > 10:
            raise forms.ValidationError("Choose 10 statistical neighbours or fewer")
        return list(picked)


class OutcomeForm(GovukForm):
    number = forms.IntegerField(
        label="Outcome number",
        min_value=1,
        max_value=99,
        error_messages={
            "required": "Enter the outcome's number",
            "invalid": "The outcome's number must be a whole number, like 3",
            "min_value": "The outcome's number must be between 1 and 99",
            "max_value": "The outcome's number must be between 1 and 99",
        },
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),  # fmt: skip
    )
    title = text_field("Outcome", "the outcome", max_length=300, help_text="For example, Your needs are identified and assessed in a timely and effective way")  # fmt: skip
    measures = _measures("The bulletin shows each against the previous term, England and the neighbours.")  # fmt: skip
    version = VersionField()

    def __init__(self, *args: Any, outcome: StrategyOutcome, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome = outcome

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        others = StrategyOutcome.objects.filter(strategy_id=self.outcome.strategy_id, number=number)
        if others.exclude(pk=self.outcome.pk).exists():
            raise forms.ValidationError(f"Another outcome is already number {number}")
        return int(number)


class WorkstreamForm(GovukForm):
    title = text_field("Workstream", "the workstream's name", max_length=200)
    lead = text_field("Lead", "who leads the workstream", max_length=120, help_text="A person, a role or a partner, for example Head of SEND")  # fmt: skip
    outcome = forms.ModelChoiceField(
        label="The outcome it serves",
        queryset=StrategyOutcome.objects.none(),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={
            "required": "Select the outcome it serves",
            "invalid_choice": "Select the outcome it serves",
        },  # fmt: skip
    )
    version = VersionField()

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = strategy.outcomes.all()  # type: ignore[attr-defined]


class ActionForm(GovukForm):
    title = text_field("Action", "the action", max_length=300)
    owner = text_field("Owner", "who owns the action", max_length=120, help_text="A person, a role or a partner")  # fmt: skip
    due_on = GovukDateField(label="Due date", subject="the due date")
    status = forms.ChoiceField(
        label="Status",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status", "invalid_choice": "Select the status"},
    )
    measures = _measures("Optional: the measures this action should move.")
    note = textarea_field(
        "Progress note (optional)",
        required=False,
        help_text="What has been done, and what is next.",
    )
    version = VersionField()


class TermForm(GovukForm):
    term = forms.ChoiceField(
        label="Period",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Select the period", "invalid_choice": "Select the period"},
    )

    def __init__(self, *args: Any, terms: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = terms  # type: ignore[attr-defined]


class CommentaryForm(GovukForm):
    summary = textarea_field("Headlines and what we will do next (optional)", required=False, help_text="The council's commentary on the period.")  # fmt: skip
    version = VersionField()

    def __init__(self, *args: Any, workstreams: list[Workstream], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for w in workstreams:
            self.fields[f"ws_{w.pk}"] = textarea_field(
                f"{w.title}: progress this period", required=False
            )
