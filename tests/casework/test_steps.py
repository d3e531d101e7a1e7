"""Every statutory step through its form: it is offered, it saves, the deadlines move."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain import transfers
from sendcase.casework.domain.assessment import record_advice_requested
from sendcase.casework.domain.phase_and_cease import record_phase_transfer
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.models import Case, Stage
from sendcase.casework.scenarios import build_case, place
from sendcase.demo.plan_content import lawful_content, write_plan

TODAY = timezone.localdate


def _form_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _prep_advice(case, officer):
    record_advice_requested(
        case, kind="health", provider="Community paediatrics", requested_on=TODAY(), actor=officer
    )


def _prep_plan(case, officer):
    write_plan(case, officer, lawful_content(("SLCN",), child_views="Loves music"))


def _prep_final(case, officer):
    place(case, officer)  # section I of the final plan names the placement's setting
    write_plan(case, officer, lawful_content(("ASD",)))


def _prep_meeting(case, officer):
    record_review_meeting(case, meeting_on=TODAY(), actor=officer)


def _prep_amendment(case, officer):
    record_review_meeting(case, meeting_on=TODAY() - dt.timedelta(days=30), actor=officer)
    record_review_decision(
        case, decided_on=TODAY() - dt.timedelta(days=25), outcome="amend", actor=officer
    )
    record_amendment_notice(case, issued_on=TODAY() - dt.timedelta(days=20), actor=officer)


def _prep_phase(case, officer):
    record_phase_transfer(
        case, transfer_date=dt.date(TODAY().year + 1, 9, 1), kind="school", actor=officer
    )


def _prep_out(case, officer):
    transfers.record_transfer_out_learned(
        case,
        learned_on=TODAY() - dt.timedelta(days=5),
        move_date=TODAY(),
        to_la_code="850",
        to_la_name="Hampshire",
        actor=officer,
    )


def _prep_consider(case, officer, days_ago=0):
    from sendcase.casework.domain import phase_and_cease as pc

    pc.consider_ceasing(
        case,
        considered_on=TODAY() - dt.timedelta(days=days_ago),
        reason=2,
        grounds="Needs met at school",
        actor=officer,
    )


def _prep_consulted(case, officer, days_ago=0):
    from sendcase.casework.domain import phase_and_cease as pc

    _prep_consider(case, officer, days_ago)
    for party in ("family", "setting"):
        pc.record_cease_consultation(
            case,
            party=party,
            consulted_on=TODAY() - dt.timedelta(days=days_ago),
            views="Agrees",
            actor=officer,
        )


def _prep_decided(case, officer, days_ago=0):
    from sendcase.casework.domain import phase_and_cease as pc

    _prep_consulted(case, officer, days_ago)
    pc.decide_ceasing(
        case,
        decided_on=TODAY() - dt.timedelta(days=days_ago),
        decision="cease",
        reasons="Needs met",
        actor=officer,
    )


def _prep_notified_long_ago(case, officer):
    """A decision to cease sent 100 days ago: its 2-month appeal window has closed."""
    from sendcase.casework.domain import phase_and_cease as pc

    _prep_decided(case, officer, days_ago=100)
    pc.notify_cease_decision(
        case, notified_on=TODAY() - dt.timedelta(days=100), notify=False, actor=officer
    )


# slug, scenario stage, weeks ago, preparation, fields, date fields, check
STEPS = [
    (
        "decision-to-assess",
        "requested",
        3,
        None,
        {"outcome": "assess", "panel": "Weekly panel"},
        {"decided_on": 0},
        lambda c: (
            c.stage == Stage.ASSESSING and c.deadlines.get(key="decision_to_assess").status == "met"
        ),
    ),
    (
        "advice-requested",
        "assessing",
        8,
        None,
        {"kind": "health", "provider": "Community paediatrics"},
        {"requested_on": 0},
        lambda c: c.advice_requests.filter(kind="health").exists(),
    ),
    (
        "advice-received",
        "assessing",
        8,
        _prep_advice,
        {"advice_id": "health-1"},
        {"received_on": 0},
        lambda c: c.advice_requests.get(advice_id="health-1").received_on == TODAY(),
    ),
    (
        "exception",
        "assessing",
        8,
        None,
        {"reason": "exceptional_personal_circumstances", "why": "Family bereavement"},
        {"start": -7, "end": 0},
        lambda c: c.exceptions.count() == 1,
    ),
    (
        "draft-plan",
        "assessing",
        10,
        _prep_plan,
        {},
        {"issued_on": 0},
        lambda c: (
            c.stage == Stage.DRAFT
            and c.plan.primary_need == "SLCN"
            and c.plan.versions.get().child_views == "Loves music"
        ),
    ),
    (
        "decision-not-to-issue",
        "assessing",
        10,
        None,
        {},
        {"decided_on": 0},
        lambda c: c.stage == Stage.NOT_ISSUED and c.closed_on == TODAY(),
    ),
    # Overdue on the queue because it was not recorded; it went out on time 10 days ago.
    (
        "final-plan",
        "draft",
        21,
        _prep_final,
        {},
        {"issued_on": -10},
        lambda c: c.stage == Stage.PLAN and c.deadlines.get(key="final_plan").status == "met",
    ),
    (
        "review-meeting",
        "plan",
        60,
        None,
        {},
        {"meeting_on": 0},
        lambda c: c.plan.reviews.exclude(meeting_on=None).exists(),
    ),
    (
        "review-invitations",
        "plan",
        60,
        None,
        {},
        {"sent_on": 0},
        lambda c: (
            c.plan.reviews.filter(invitations_sent_on=TODAY()).exists()
            and c.events.filter(type="review_invitations_sent").exists()
        ),
    ),
    (
        "review-advice-circulated",
        "plan",
        60,
        None,
        {},
        {"sent_on": 0},
        lambda c: c.events.filter(type="review_advice_circulated").exists(),
    ),
    (
        "review-report",
        "plan",
        60,
        _prep_meeting,
        {},
        {"sent_on": 0},
        lambda c: (
            c.plan.reviews.filter(report_on=TODAY()).exists()
            and c.deadlines.filter(key="review_report", status="met").exists()
        ),
    ),
    (
        "review-decision",
        "plan",
        60,
        _prep_meeting,
        {"outcome": "maintain"},
        {"decided_on": 0},
        lambda c: c.plan.reviews.filter(decision="maintain").exists(),
    ),
    (
        "amendment-notice",
        "plan",
        60,
        None,
        # the form comes back with the plan's sections as they stand (C: lawful_content's)
        {
            "section_F": "Speech therapy weekly",
            "section_C": "Reviewed each year by the community paediatrician.",
        },
        {"issued_on": 0},
        lambda c: c.plan.versions.order_by("-number").first().kind == "proposed_amendment",
    ),
    (
        "final-amended-plan",
        "plan",
        80,
        _prep_amendment,
        {"section_C": "Reviewed each year by the community paediatrician."},  # as it stands
        {"issued_on": 0},
        lambda c: c.plan.versions.order_by("-number").first().kind == "amended",
    ),
    (
        "phase-transfer",
        "plan",
        60,
        None,
        {
            "kind": "school",
            "transfer_date_day": "1",
            "transfer_date_month": "9",
            "transfer_date_year": str(TODAY().year + 1),
        },
        {},
        lambda c: c.plan.phase_transfers.exists(),
    ),
    (
        "phase-transfer-named",
        "plan",
        60,
        _prep_phase,
        {},
        {"named_on": 0},
        lambda c: c.plan.phase_transfers.get().named_on == TODAY(),
    ),
    (
        "placement",
        "plan",
        60,
        None,
        {"sen_setting": "OLA", "rank": "1"},
        {"entry_date": 0},
        lambda c: c.plan.placements.get(leaving_date=None).sen_setting == "OLA",
    ),
    (
        "transfer-out",
        "plan",
        60,
        None,
        {"to_la_name": "Hampshire", "to_la_code": "850"},
        {"learned_on": 0, "move_date": 30},
        lambda c: (
            c.transfers.filter(direction="out").exists()
            and c.deadlines.filter(key="transfer_out").exists()
        ),
    ),
    (
        "plan-transferred-out",
        "plan",
        60,
        _prep_out,
        {},
        {"transferred_on": 0},
        lambda c: c.stage == Stage.TRANSFERRED_OUT and c.plan.cease_reason == 5,
    ),
    (
        "consider-ceasing",
        "plan",
        60,
        None,
        {"reason": "2", "grounds": "Needs met at school"},
        {"considered_on": 0},
        lambda c: c.ceasings.exists() and c.deadlines.filter(key="cease_consultation").exists(),
    ),
    (
        "cease-consultation",
        "plan",
        60,
        _prep_consider,
        {"party": "family", "views": "They agree"},
        {"consulted_on": 0},
        lambda c: c.ceasings.get().family_views == "They agree",
    ),
    (
        "cease-decision",
        "plan",
        60,
        _prep_consulted,
        {"decision": "not_cease", "reasons": "Still needed"},
        {"decided_on": 0},
        lambda c: c.ceasings.get().closed_on is not None and c.plan.status == "active",
    ),
    (
        "cease-notice",
        "plan",
        60,
        _prep_decided,
        {},
        {"notified_on": 0},
        lambda c: (
            c.plan.status == "active"
            and c.deadlines.filter(key="plan_maintained_pending_appeal").exists()
        ),
    ),
    (
        "cease",
        "plan",
        60,
        _prep_notified_long_ago,
        {"reason": "2"},
        {"cease_date": 0},
        lambda c: c.stage == Stage.CEASED and c.plan.cease_reason == 2,
    ),
]


@pytest.mark.parametrize(
    ("slug", "stage", "weeks", "prep", "fields", "date_fields", "check"),
    STEPS,
    ids=[s[0] for s in STEPS],
)
def test_step_is_offered_saves_and_moves_the_deadlines(
    client_for, officer, dates, slug, stage, weeks, prep, fields, date_fields, check
):
    case = build_case(stage=stage, officer=officer, weeks_ago=weeks)
    if prep:
        prep(case, officer)
    client = client_for(officer)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    url = reverse("casework:step", args=[case.pk, slug])
    assert f'href="{url}"' in page, f"{slug} is not offered at {case.stage}"
    form = client.get(url)
    assert form.status_code == 200
    data = {"version": _form_version(form.content.decode()), **fields}
    data.update(dates(**{k: TODAY() + dt.timedelta(days=v) for k, v in date_fields.items()}))
    before = {(d.key, d.instance): (d.status, d.due) for d in case.deadlines.all()}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("casework:case", args=[case.pk]), 302)], (
        response.content.decode()[:3000]
    )
    assert "govuk-notification-banner--success" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert check(case)
    after = {(d.key, d.instance): (d.status, d.due) for d in case.deadlines.all()}
    if slug not in (
        "exception",
        "placement",
        # Before the meeting is held there is no meeting date to count back from.
        "review-invitations",
        "review-advice-circulated",
        # Consulting, and the plan's end, write no clock event (the decision notice did).
        "cease-consultation",
        "cease",
    ):  # no clock change unless a deadline would be missed; placements are not statutory events
        assert after != before, "the deadlines did not move"


def test_steps_not_offered_at_the_wrong_stage_redirect_with_a_message(client_for, officer):
    case = build_case(stage="requested", officer=officer, weeks_ago=2)
    client = client_for(officer)
    response = client.get(reverse("casework:step", args=[case.pk, "final-plan"]), follow=True)
    assert "You cannot record the final plan at this stage" in response.content.decode()
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "steps/decision-to-assess/" in page
    assert "steps/final-plan/" not in page
    assert "steps/review-meeting/" not in page


def _errors(html: str) -> tuple[list[str], list[str]]:
    summary = re.findall(r'<a href="#[^"]+">([^<]+)</a></li>', html)
    fields = re.findall(
        r'class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]+)</p>',
        html,
    )
    return summary, fields


def test_final_plan_refused_inside_the_draft_window(client_for, officer, dates):
    case = build_case(stage="draft", officer=officer, weeks_ago=10)  # draft 14 days ago
    client = client_for(officer)
    url = reverse("casework:step", args=[case.pk, "final-plan"])
    data = {
        "version": str(case.version),
        **dates(issued_on=TODAY()),
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    summary, fields = _errors(html)
    assert summary and summary[0].startswith("The final plan cannot be issued before")
    assert fields == summary
    assert 'href="#id_issued_on_day"' in html
    assert Case.objects.get(pk=case.pk).stage == Stage.DRAFT


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Enter the date of the decision"),
        (
            {"decided_on_day": "31", "decided_on_month": "2", "decided_on_year": "2025"},
            "The date of the decision must be a real date",
        ),
        (
            {"decided_on_day": "1", "decided_on_year": "2025"},
            "The date of the decision must include a month",
        ),
        (
            "before_request",
            "The date of the decision must be the same as or after the date the request was received",
        ),
        ("future", "The date of the decision must be today or in the past"),
    ],
)
def test_decision_date_errors_in_govuk_wording(client_for, officer, dates, posted, message):
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    if posted == "before_request":
        posted = dates(decided_on=case.opened_on - dt.timedelta(days=1))
    elif posted == "future":
        posted = dates(decided_on=TODAY() + dt.timedelta(days=1))
    data = {"version": str(case.version), "outcome": "assess", **posted}
    html = (
        client_for(officer)
        .post(reverse("casework:step", args=[case.pk, "decision-to-assess"]), data)
        .content.decode()
    )
    summary, fields = _errors(html)
    assert any(s.startswith(message) for s in summary), summary
    assert any(f.startswith(message) for f in fields), fields


def test_missing_choice_is_reported_at_the_field(client_for, officer, dates):
    case = build_case(stage="requested", officer=officer, weeks_ago=3)
    data = {"version": str(case.version), **dates(decided_on=TODAY())}
    html = (
        client_for(officer)
        .post(reverse("casework:step", args=[case.pk, "decision-to-assess"]), data)
        .content.decode()
    )
    summary, fields = _errors(html)
    assert summary == ["Select whether the council will assess"] == fields
    # The summary's link leads to the first radio, which exists.
    assert 'href="#id_outcome_0"' in html and 'id="id_outcome_0"' in html


def test_second_officer_is_told_what_changed_and_keeps_their_input(
    client_for, officer, teammate, dates
):
    case = build_case(stage="assessing", officer=officer, weeks_ago=8)
    mine, theirs = client_for(officer), client_for(teammate)
    url = reverse("casework:step", args=[case.pk, "advice-requested"])
    my_form = mine.get(url).content.decode()
    their_form = theirs.get(url).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', their_form).group(1)
    # I save first.
    data = {
        "version": _form_version(my_form),
        "kind": "health",
        "provider": "Community paediatrics",
        **dates(requested_on=TODAY()),
    }
    assert mine.post(url, data).status_code == 302
    # My colleague saves the form they opened before my save.
    theirs_data = {
        "version": _form_version(their_form),
        "seen": seen,
        "kind": "social_care",
        "provider": "Children's social care, Hereford",
        **dates(requested_on=TODAY()),
    }
    response = theirs.post(url, theirs_data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this case while you were working on it" in html
    assert "Officer Tester" in html and "Health advice requested from Community paediatrics" in html
    assert "Children&#x27;s social care, Hereford" in html  # their typing is still there
    assert 'value="social_care" checked' in html
    # Saving again now succeeds, and nothing was lost.
    again = {**theirs_data, "version": _form_version(html)}
    assert theirs.post(url, again).status_code == 302
    assert set(Case.objects.get(pk=case.pk).advice_requests.values_list("kind", flat=True)) == {
        "health",
        "social_care",
    }


def test_notice_after_a_transfer_in_is_offered_and_meets_its_deadline(
    client_for, officer, child, dates
):
    case = record_transfer_in(
        child,
        transferred_on=TODAY() - dt.timedelta(days=20),
        last_review=TODAY() - dt.timedelta(days=200),
        from_la_code="850",
        from_la_name="Hampshire",
        actor=officer,
        officer=officer,
    )
    client = client_for(officer)
    url = reverse("casework:step", args=[case.pk, "transfer-in-notice"])
    assert f'href="{url}"' in client.get(reverse("casework:case", args=[case.pk])).content.decode()
    form = client.get(url).content.decode()
    response = client.post(
        url, {"version": _form_version(form), **dates(notice_on=TODAY())}, follow=True
    )
    assert "govuk-notification-banner--success" in response.content.decode()
    row = Case.objects.get(pk=case.pk).deadlines.get(key="transfer_in_notice")
    assert (row.completed_on, row.status) == (TODAY(), "met")
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert f'href="{url}"' not in page
