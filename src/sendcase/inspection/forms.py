from __future__ import annotations

from django import forms

from sendcase.casework.forms import GovukForm
from sendcase.core.forms import GovukDateField


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
