"""One date-hint style on every date question in every form: GOV.UK's "For example, 27 3 2025"."""

from __future__ import annotations

import re

from sendcase.core.forms import GovukDateField

HINT = re.compile(r"^([^.]+\. )?For example, ([1-9]|[12]\d|3[01]) ([1-9]|1[0-2]) \d{4}$")


def test_every_date_question_has_the_same_hint_style(form_classes) -> None:
    dates = [
        (cls.__name__, name, str(field.help_text))
        for cls in form_classes
        for name, field in cls.base_fields.items()
        if isinstance(field, GovukDateField)
    ]
    assert len(dates) > 20  # the forms were found
    odd = [d for d in dates if not HINT.match(d[2])]
    assert not odd, odd
