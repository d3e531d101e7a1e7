"""GOV.UK's "(optional)" on the label of every question a person may leave out, in every form
(walked as tests/core/test_forms_date_hints.py walks them)."""

from __future__ import annotations

from django import forms

# Forms that filter or choose what a page shows: every box starts with an answer ("All
# stages", this year), so none is a question a person leaves out.
FILTERS = {
    "QueueFilterForm",
    "SearchForm",
    "CommitteeForm",
    "ComparatorForm",
    "DashboardForm",
    "ScopeForm",
    "QuestionForm",
}
# Questions needed in some cases and not others: the form's own check asks for them when they
# are needed, and the hint or label says when. Marking them "(optional)" would mislead.
SOMETIMES_NEEDED = {
    ("ChildFields", "contact_relationship"): "needed when a parent or carer is named",
    ("NewRequestForm", "contact_relationship"): "needed when a parent or carer is named",
    ("TransferInForm", "contact_relationship"): "needed when a parent or carer is named",
    ("CloseCaseForm", "details"): "needed for another reason",
    ("ExceptionForm", "applies_to"): "starts as every time limit",
    ("PlacementForm", "setting"): "the URN or UKPRN, or else a setting code",
    ("LetterChoiceMixin", "letter_choice"): "starts on the letter to send",
    ("LetterChoiceMixin", "letter_sent_on"): "needed if the letter was already sent",
    ("LetterChoiceMixin", "letter_channel"): "needed if the letter was already sent",
    ("NewRequestForm", "letter_choice"): "starts on the letter to send",
    ("NewRequestForm", "letter_sent_on"): "needed if the letter was already sent",
    ("NewRequestForm", "letter_channel"): "needed if the letter was already sent",
    ("SendLetterForm", "letter_choice"): "starts on the letter to send",
    ("SendLetterForm", "letter_sent_on"): "needed if the letter was already sent",
    ("SendLetterForm", "letter_channel"): "needed if the letter was already sent",
    ("CostLineForm", "amount"): "needed for every kind of cost but a banded place",
    ("CostLineForm", "weeks"): "needed for a weekly fee",
    ("DecideRequestForm", "case_reference"): "left empty, it refuses the request",
    ("DecisionForm", "entry_date"): "needed when the panel names a setting",
    ("CorrectDecisionForm", "entry_date"): "needed when the panel names a setting",
}


def _shows_its_own_empty_answer(field: forms.Field) -> bool:
    """A select or radios whose "nothing" answer is one of the options shown ("Not recorded",
    "Not known or not asked"), or a single yes-or-no checkbox: the question always has an
    answer on screen."""
    if isinstance(field, forms.BooleanField):
        return True
    if isinstance(field, forms.ModelChoiceField):
        return field.empty_label is not None
    choices = getattr(field, "choices", None) or []
    return any(value == "" and label for value, label in choices)


def test_every_optional_question_says_optional(form_classes) -> None:
    optional = [
        (cls.__name__, name, field.label)
        for cls in form_classes
        if cls.__name__ not in FILTERS
        for name, field in cls.base_fields.items()
        if not field.required
        and not field.widget.is_hidden
        and not _shows_its_own_empty_answer(field)
        and (cls.__name__, name) not in SOMETIMES_NEEDED
    ]
    assert len(optional) > 30  # the forms were found
    unmarked = [f for f in optional if not str(f[2] or "").endswith("optional)")]
    assert not unmarked, "\n".join(map(repr, unmarked))


def test_the_exceptions_are_still_optional_fields(form_classes) -> None:
    """An exception for a field since made required, or renamed, is a stale exception."""
    fields = {(cls.__name__, n): f for cls in form_classes for n, f in cls.base_fields.items()}
    stale = [key for key in SOMETIMES_NEEDED if key not in fields or fields[key].required]
    assert not stale, stale
