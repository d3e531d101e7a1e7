"""One date-hint style on every date question in every form: GOV.UK's "For example, 27 3 2025"."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from django import forms

import sendcase
from sendcase.core.forms import GovukDateField

HINT = re.compile(r"^([^.]+\. )?For example, ([1-9]|[12]\d|3[01]) ([1-9]|1[0-2]) \d{4}$")


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for info in pkgutil.walk_packages(sendcase.__path__, "sendcase."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == info.name:
                found.append(cls)
    return found


def test_every_date_question_has_the_same_hint_style() -> None:
    dates = [
        (cls.__name__, name, str(field.help_text))
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, GovukDateField)
    ]
    assert len(dates) > 20  # the forms were found
    odd = [d for d in dates if not HINT.match(d[2])]
    assert not odd, odd
