"""Every form's hidden fields, fuzzed: whatever comes back in them, no page answers with a 500.

The pages are read as a browser would: each form's inputs are filled with what the page offers
(today for a date, the first choice of a radio or select, the text already in a box), then the
hidden fields (the case's `version` and `seen`, the settings register's and the commentary's
`version`, the register's `known`, sign-in's `next`) are replaced with anything hypothesis finds.
The suite runs on SQLite and PostgreSQL, so this does too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendcase.accounts.testing import verified_login
from sendcase.casework.scenarios import build_case
from sendcase.casework.steps import available_steps, load_case_state
from sendcase.placements.models import Setting

CRAFTED = [
    "",
    "0",
    "-1",
    "1e5",
    "NaN",
    "9223372036854775808",
    "99999999999999999999",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "2020-01-01T00:00:00",
    "2020-01-01",
    "\x00",
    "٣",
    "new",
    "https://evil.example/",
    "//evil.example",
    "x" * 5000,
]
OFFSETS = [dt.timezone(dt.timedelta(minutes=m)) for m in (-1439, -300, 0, 60, 330, 1439)]
HIDDEN = st.one_of(
    st.sampled_from(CRAFTED),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),  # noqa: DTZ001 - made aware by the offsets
        max_value=dt.datetime(9999, 12, 30),  # noqa: DTZ001
        timezones=st.sampled_from(OFFSETS),
    ).map(dt.datetime.isoformat),
)


@dataclass
class Form:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    visible: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The POST forms on a page, each with its hidden fields and a browser's default input."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.forms.append(Form(a.get("action") or self.url))
            return
        if not self.forms or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        form, name = self.forms[-1], a["name"]
        kind = a.get("type", "text")
        if tag == "input" and kind == "hidden":
            form.hidden[name] = a.get("value", "")
        elif tag == "input" and kind == "radio":
            form.visible.setdefault(name, a.get("value", ""))
        elif tag == "input" and kind not in ("checkbox", "submit", "file"):
            form.visible[name] = a.get("value", "") or _today_part(name)
        elif tag == "textarea":
            self._textarea = name
            form.visible[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            form.visible.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].visible[self._textarea] += data


def _today_part(name: str) -> str:
    today = timezone.localdate()
    for part in ("day", "month", "year"):
        if name.endswith(f"_{part}"):
            return str(getattr(today, part))
    return ""


def _forms_on(client: Client, url: str) -> list[Form]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Forms(url)
    parser.feed(response.content.decode())
    return [f for f in parser.forms if f.hidden]


@pytest.fixture
def targets(
    officer: Any, manager: Any, head: Any, data_officer: Any, db: None
) -> list[tuple[Client, Form]]:
    """(who, form) for every form with hidden fields, signed in as someone who may use it."""
    as_officer = verified_login(Client(), officer)
    pages: list[tuple[Client, str]] = []
    for stage, weeks in (("requested", 3), ("assessing", 10), ("draft", 18), ("plan", 60)):
        case = build_case(stage=stage, officer=officer, weeks_ago=weeks)
        pages += [
            (as_officer, reverse("casework:step", args=[case.pk, s.slug]))
            for s in available_steps(load_case_state(case))
        ]
    pages += [
        (as_officer, reverse("casework:child_details", args=[case.pk])),
        (verified_login(Client(), manager), reverse("casework:reassign", args=[case.pk])),
        (as_officer, reverse("casework:new_request")),
        (as_officer, reverse("casework:transfer_in")),
        (
            verified_login(Client(), head),
            reverse("reporting:committee") + "?kind=calendar&first=2023&last=2024",
        ),
    ]
    setting = Setting.objects.create(
        name="Oak Lane Primary", urn="100001", kind="academy", phase="primary"
    )
    pages.append(
        (
            verified_login(Client(), data_officer),
            reverse("placements:edit_setting", args=[setting.pk]),
        )
    )
    pages.append((Client(), reverse("accounts:login") + "?next=/cases/"))
    found = [(client, form) for client, url in pages for form in _forms_on(client, url)]
    hidden = {name for _client, form in found for name in form.hidden}
    assert {"version", "seen", "known", "next"} <= hidden, hidden
    return found


@pytest.mark.django_db
@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_hidden_value_gives_a_server_error(
    targets: list[tuple[Client, Form]], data: Any
) -> None:
    client, form = data.draw(st.sampled_from(targets))
    hidden = {
        name: data.draw(st.one_of(st.just(value), HIDDEN), label=name)
        for name, value in form.hidden.items()
    }
    response = client.post(form.action, {**form.visible, **hidden})
    assert response.status_code < 500
