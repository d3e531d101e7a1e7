"""Erasing a child's record: what goes, what stays, the audit log pseudonymised, and refusals."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendcase.casework.domain.children import details_stamp, update_child_details
from sendcase.casework.domain.contacts import record_contact
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.tasks import add_task
from sendcase.casework.models import (
    AssessmentRequest,
    CaseTask,
    Child,
    ContactLogEntry,
    Deadline,
    FamilyContact,
    StatutoryEvent,
)
from sendcase.casework.scenarios import build_case, cease_by_the_route
from sendcase.core.audit import audit
from sendcase.core.codes import CeaseReason
from sendcase.core.models import AuditEntry
from sendcase.plans.models import Need, Outcome, PlanVersion
from sendcase.retention.erasure import Redactor, clear_legal_hold, erase_child, set_legal_hold
from sendcase.retention.models import Erasure, LegalHold

from .helpers import TODAY

D = dt.date


def _audit_text(entries: Any) -> str:
    return "\n".join(f"{e.summary} {json.dumps(e.payload, ensure_ascii=False)}" for e in entries)


def _everything(child: Child) -> list[str]:
    """The personal data the test child was registered with (see conftest.make_child)."""
    return [
        child.forename,
        child.surname,
        child.upn,
        child.postcode,
        "Orchard Row",
        f"jo.{child.surname.lower()}@example.org",
        "07700 900123",
        child.date_of_birth.isoformat(),
    ]


@pytest.fixture
def planned_child(make_child: Callable[..., Child], manager: Any) -> Child:
    """A child with a plan (plan text, needs), a contact logged, a corrected surname; plan ceased."""
    child = make_child("Eluned", "Pryce-Jones", D(1990, 2, 20), upn="C223456789012")
    case = build_case(
        stage="plan", officer=manager, child=child, weeks_ago=40, today=D(2014, 12, 20)
    )
    record_contact(
        case,
        contact_on=D(2014, 12, 19),
        at_time=None,
        channel="phone",
        direction="in",
        party="Jo Pryce-Jones (mother)",
        summary="Eluned's mother asked about the plan",
        needs_response=False,
        response_due=None,
        actor=manager,
        today=D(2014, 12, 20),
    )
    add_task(case, title="Call Jo Pryce-Jones about Eluned", due_on=D(2014, 12, 22), actor=manager)
    fields = {
        f: getattr(child, f) for f in ("forename", "date_of_birth", "sex", "postcode", "upn", "uln")
    }
    update_child_details(
        child,
        actor=manager,
        case=case,
        seen=details_stamp(child),
        surname="Pryce Jones",
        today=D(2014, 12, 20),
        **fields,
    )
    cease_by_the_route(
        case,
        cease_date=D(2015, 3, 1),
        reason=CeaseReason.MAXIMUM_AGE,
        actor=manager,
        today=D(2015, 3, 2),
    )
    child.refresh_from_db()
    return child


@pytest.mark.django_db
def test_erasure_removes_personal_data_and_keeps_the_facts(
    planned_child: Child, data_officer: Any, manager: Any
) -> None:
    child = planned_child
    case = child.cases.get()
    before_events = list(StatutoryEvent.objects.filter(case=case).values_list("type", "date"))
    before_deadlines = list(Deadline.objects.filter(case=case).values_list("key", "due", "status"))
    before_needs = list(Need.objects.filter(version__plan__case=case).values_list("rank", "code"))
    assert PlanVersion.objects.filter(plan__case=case).exclude(child_views="").exists()
    audit_rows = AuditEntry.objects.count()

    erasure = erase_child(child, actor=data_officer, today=TODAY)

    child.refresh_from_db()
    assert child.full_name == erasure.pseudonym
    assert (child.preferred_name, child.address, child.postcode, child.upn, child.uln) == ("",) * 5
    assert child.date_of_birth == D(1990, 2, 1)  # month and year kept
    assert child.sex == "F"
    assert not FamilyContact.objects.filter(child=child).exists()
    assert AssessmentRequest.objects.get(case=case).requester_name == ""
    assert set(ContactLogEntry.objects.filter(case=case).values_list("party", "summary")) == {
        ("", "")
    }
    assert set(CaseTask.objects.filter(case=case).values_list("title", flat=True)) == {""}
    assert not PlanVersion.objects.filter(plan__case=case).exclude(sections={}).exists()
    # section A in the child's and the parents' words, and the outcomes' steps
    assert not PlanVersion.objects.filter(plan__case=case).exclude(child_views="").exists()
    assert not PlanVersion.objects.filter(plan__case=case).exclude(parent_views="").exists()
    assert not Outcome.objects.filter(version__plan__case=case).exclude(steps="").exists()
    assert not Need.objects.filter(version__plan__case=case).exclude(description="").exists()
    # The facts the figures count are all there.
    assert (
        list(StatutoryEvent.objects.filter(case=case).values_list("type", "date")) == before_events
    )
    assert (
        list(Deadline.objects.filter(case=case).values_list("key", "due", "status"))
        == before_deadlines
    )
    assert (
        list(Need.objects.filter(version__plan__case=case).values_list("rank", "code"))
        == before_needs
    )

    # The audit log keeps every row (plus the erasure's own), with the names replaced.
    assert AuditEntry.objects.count() == audit_rows + 1
    text = _audit_text(AuditEntry.objects.all())
    for personal in [
        *_everything(
            Child(
                forename="Eluned",
                surname="Pryce-Jones",
                upn="C223456789012",
                postcode="HR4 9ZZ",
                date_of_birth=D(1990, 2, 20),
            )
        ),
        "Pryce Jones",
        "Jo Pryce-Jones",
    ]:
        assert personal.lower() not in text.lower(), personal
    assert erasure.pseudonym in text
    about_child = AuditEntry.objects.filter(case=case)
    assert about_child.exists() and not about_child.filter(pseudonymised_at=None).exists()
    registered = AuditEntry.objects.get(
        object_type="casework.child", summary__startswith="Child's details corrected"
    )
    assert registered.payload["changed"]["surname"] == {
        "from": erasure.pseudonym,
        "to": erasure.pseudonym,
    }
    # The erasure itself is audited, without personal data.
    entry = AuditEntry.objects.get(action="delete", object_type="casework.child")
    assert entry.actor == data_officer and entry.pseudonymised_at is None
    assert entry.payload["pseudonym"] == erasure.pseudonym
    assert (
        entry.payload["due_on"] == "2021-03-01"
    )  # 6 years after the plan ceased and entry.payload["early"] is False
    assert entry.payload["removed"]["family contacts"] == 1


@pytest.mark.django_db
def test_rows_elsewhere_that_name_the_child_are_pseudonymised_and_others_left_alone(
    due_child: Child, young_child: Child, data_officer: Any, manager: Any
) -> None:
    search = audit(
        manager,
        "view",
        None,
        "Known-child check",
        payload={"upn": due_child.upn, "found": "Morwenna Trelawney"},
    )
    other = audit(
        manager, "view", young_child, "Viewed Perpetua Quigley", payload={"upn": young_child.upn}
    )
    erasure = erase_child(due_child, actor=data_officer, today=TODAY)
    search.refresh_from_db()
    other.refresh_from_db()
    assert search.payload == {"upn": "[removed]", "found": erasure.pseudonym}
    assert search.pseudonymised_at is not None
    assert other.summary == "Viewed Perpetua Quigley" and other.pseudonymised_at is None


@pytest.mark.django_db
def test_refused_under_legal_hold_until_lifted(
    due_child: Child, data_officer: Any, manager: Any
) -> None:
    set_legal_hold(due_child, reason="Claim for damages, ref 2025/17", actor=manager)
    with pytest.raises(ActionError, match="legal hold .Claim for damages"):
        erase_child(due_child, actor=data_officer, today=TODAY)
    with pytest.raises(ActionError, match="legal hold"):
        erase_child(
            due_child, actor=data_officer, override_reason="Asked by the person", today=TODAY
        )
    due_child.refresh_from_db()
    assert due_child.forename == "Morwenna" and not Erasure.objects.exists()
    clear_legal_hold(due_child, reason="Claim settled", actor=manager)
    erase_child(due_child, actor=data_officer, today=TODAY)
    assert Erasure.objects.filter(child=due_child).exists()


@pytest.mark.django_db
def test_legal_holds_are_audited_and_need_a_reason(due_child: Child, manager: Any) -> None:
    with pytest.raises(ActionError, match="Enter why the record must be kept"):
        set_legal_hold(due_child, reason="  ", actor=manager)
    set_legal_hold(due_child, reason="Ombudsman complaint 24 001 234", actor=manager)
    with pytest.raises(ActionError, match="already under a legal hold"):
        set_legal_hold(due_child, reason="Again", actor=manager)
    with pytest.raises(ActionError, match="Enter why the hold can be lifted"):
        clear_legal_hold(due_child, reason="", actor=manager)
    clear_legal_hold(due_child, reason="Complaint closed", actor=manager)
    with pytest.raises(ActionError, match="not under a legal hold"):
        clear_legal_hold(due_child, reason="Again", actor=manager)
    rows = AuditEntry.objects.filter(
        object_type="casework.child", object_id=str(due_child.pk)
    ).order_by("id")
    assert [(r.action, r.summary, r.actor) for r in rows] == [
        ("create", "Legal hold placed on the record", manager),
        ("delete", "Legal hold lifted from the record", manager),
    ]
    assert rows[0].payload == {"reason": "Ombudsman complaint 24 001 234"}
    assert rows[1].payload["reason"] == "Complaint closed"
    assert rows[1].payload["hold_reason"] == "Ombudsman complaint 24 001 234"
    assert not LegalHold.objects.exists()


@pytest.mark.django_db
def test_before_the_date_only_with_a_right_to_erasure_reason(
    young_child: Child, data_officer: Any
) -> None:
    with pytest.raises(ActionError, match="not due for erasure until 21 June 2031") as refused:
        erase_child(young_child, actor=data_officer, today=TODAY)
    assert refused.value.field == "override_reason"
    erasure = erase_child(
        young_child,
        actor=data_officer,
        override_reason="Perpetua Quigley asked for erasure (Art 17); DPO agreed, ref DP-88",
        today=TODAY,
    )
    assert (
        erasure.override_reason
        == f"{erasure.pseudonym} asked for erasure (Art 17); DPO agreed, ref DP-88"
    )
    entry = AuditEntry.objects.get(action="delete", object_id=str(young_child.pk))
    assert (
        entry.payload["early"] is True
        and entry.payload["override_reason"] == erasure.override_reason
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["officer", "manager", "admin_user", "finance", "head", "data_officer"]
)
def test_only_data_officers_and_the_head_of_service_erase(
    due_child: Child, request: Any, who: str
) -> None:
    actor = request.getfixturevalue(who)
    if who in ("head", "data_officer"):
        erase_child(due_child, actor=actor, today=TODAY)
        assert Erasure.objects.filter(child=due_child, erased_by=actor).exists()
    else:
        with pytest.raises(ActionError, match="Only a data officer or the head of service"):
            erase_child(due_child, actor=actor, today=TODAY)
        assert not Erasure.objects.exists()


@pytest.mark.django_db
def test_refused_with_an_open_case_and_when_already_erased(
    make_child: Callable[..., Child], manager: Any, data_officer: Any, due_child: Child
) -> None:
    open_child = make_child("Still", "Open", D(1990, 1, 10))
    build_case(stage="requested", officer=manager, child=open_child, today=D(2015, 1, 5))
    with pytest.raises(ActionError, match="open or has an appeal running"):
        erase_child(open_child, actor=data_officer, override_reason="Asked", today=TODAY)
    erase_child(due_child, actor=data_officer, today=TODAY)
    with pytest.raises(ActionError, match="already been erased"):
        erase_child(due_child, actor=data_officer, today=TODAY)
    with pytest.raises(ActionError, match="already been erased"):
        set_legal_hold(due_child, reason="Too late", actor=manager)


NAME = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéëïñøßABCDEFGHIJKLMNOPQRSTUVWXYZ'-"),
    min_size=2,
    max_size=12,
).filter(lambda s: any(c.isalpha() for c in s))


@given(forename=NAME, surname=NAME, before=st.text(max_size=30), after=st.text(max_size=30))
def test_redactor_leaves_no_name_as_a_word(
    forename: str, surname: str, before: str, after: str
) -> None:
    pseudonym = "Erased child 0A1B2C3D"
    redactor = Redactor(
        [(f"{forename} {surname}", pseudonym), (forename, pseudonym), (surname, pseudonym)]
    )
    out = redactor.text(f"{before} {forename}  {surname} said {surname.upper()}, {after}")
    rest = out.replace(pseudonym, " ")
    for name in (forename, surname):
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", rest, re.IGNORECASE), (name, out)
