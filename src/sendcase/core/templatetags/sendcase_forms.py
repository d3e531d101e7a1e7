"""Template helpers that render Django form fields with GOV.UK Design System classes."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from sendcase.core.forms import first_error_id

register = template.Library()

_CLASSES = {
    "textinput": "govuk-input",
    "emailinput": "govuk-input",
    "numberinput": "govuk-input govuk-input--width-10",
    "passwordinput": "govuk-input govuk-input--width-20",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "dateinputwidget": "",
    "fileinput": "govuk-file-upload",
}


@register.filter
def widget_type(field: forms.BoundField) -> str:
    return type(field.field.widget).__name__.lower()


@register.simple_tag
def error_target(form: forms.Form, name: str) -> str:
    return first_error_id(form, name)


@register.simple_tag
def render_widget(field: forms.BoundField) -> SafeString:
    kind = widget_type(field)
    attrs: dict[str, Any] = {}
    css = _CLASSES.get(kind, "")
    if css:
        if field.errors:
            css += " govuk-input--error" if "input" in css else f" {css.split()[0]}--error"
        attrs["class"] = css
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        if kind == "dateinputwidget":
            attrs["aria_invalid"] = "true"
    if described and kind != "dateinputwidget":
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
