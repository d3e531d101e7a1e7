"""Mediation and appeal steps through their forms: offered only when they apply, saved through the
appeal actions, shown on the case page, and a disputed closed case kept on the work queue."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from sendcase.casework.domain import appeals
from sendcase.casework.domain.assessment import record_decision_to_assess
from sendcase.casework.models import Appeal, Case, Stage
from sendcase.casework.scenarios import build_case, place
from sendcase.demo.plan_content import lawful_content, write_plan

APPEAL_STEPS = (
    "mediation-decision",
    "mediation-held",
    "mediation-certificate",
    "appeal-registered",
    "no-appeal",
    "tribunal-decision",
    "order-complied",
)


def _today() -> dt.date:
    return timezone.localdate()


def _ago(days: int) -> dt.date:
    return _today() - dt.timedelta(days=days)


def _refused(officer, days_ago: int = 40) -> Case:
    """A request refused `days_ago` days ago: closed, with a decision letter that can be appealed."""
    case = build_case(stage="requested", officer=officer, weeks_ago=10)
    record_decision_to_assess(case, decided_on=_ago(days_ago), outcome="not_assess", actor=officer)
    return Case.objects.get(pk=case.pk)


def _offered(client, case: Case) -> set[str]:
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    return {s for s in APPEAL_STEPS if f"/steps/{s}/" in page}


def _version(client, url: str) -> str:
    return re.search(r'name="version" value="(\d+)"', client.get(url).content.decode()).group(1)


def _save(client, case: Case, slug: str, data: dict[str, str]):
    url = reverse("casework:step", args=[case.pk, slug])
    response = client.post(url, {"version": _version(client, url), **data}, follow=True)
    assert response.redirect_chain == [(reverse("casework:case", args=[case.pk]), 302)], (
        response.content.decode()[:3000]
    )
    return response.content.decode()


def test_the_whole_appeal_through_the_forms(client_for, officer, dates):
    case = _refused(officer)
    client = client_for(officer)
    assert _offered(client, case) == {"mediation-decision", "appeal-registered"}
    notice = _ago(40).isoformat()
    form = client.get(reverse("casework:step", args=[case.pk, "mediation-decision"])).content
    assert "Decision not to assess, notified" in form.decode()

    html = _save(
        client,
        case,
        "mediation-decision",
        {"notice_on": notice, "wants_mediation": "yes", **dates(decided_on=_ago(35))},
    )
    assert "Request for mediation recorded" in html
    assert "Appeal in progress" in html and 'id="appeals"' in html
    # The tribunal registers an appeal only with a mediation certificate.
    assert _offered(client, case) == {"mediation-held", "mediation-certificate", "no-appeal"}
    _save(client, case, "mediation-held", dates(held_on=_ago(30)))
    assert _offered(client, case) == {"mediation-certificate", "no-appeal"}
    _save(client, case, "mediation-certificate", dates(issued_on=_ago(28)))
    assert _offered(client, case) == {"appeal-registered", "no-appeal"}
    _save(
        client,
        case,
        "appeal-registered",
        {"notice_on": notice, **dates(registered_on=_ago(20))},
    )
    assert _offered(client, case) == {"tribunal-decision"}
    html = _save(
        client,
        case,
        "tribunal-decision",
        {"outcome": "upheld", "order_kind": "assess", **dates(decided_on=_ago(10))},
    )
    assert "the council&#x27;s deadlines to comply are on the case" in html
    assert 'data-key="tribunal_order_assess"' in html
    assert _offered(client, case) == {"order-complied"}
    form = client.get(reverse("casework:step", args=[case.pk, "order-complied"])).content.decode()
    # one stage at a time: the assessment is notified before its outcome
    assert "Notified the decision to assess" in form and "Issued the final plan" not in form
    _save(client, case, "order-complied", {"stage": "notify", **dates(complied_on=_ago(5))})
    assert _offered(client, case) == {"order-complied"}
    form = client.get(reverse("casework:step", args=[case.pk, "order-complied"])).content.decode()
    assert "Notified the decision to assess" not in form and "Issued the final plan" in form
    html = _save(
        client, case, "order-complied", {"stage": "final_plan", **dates(complied_on=_ago(1))}
    )
    assert "complied with in full" in html and "Appeal in progress" not in html
    assert _offered(client, case) == set()
    appeal = Appeal.objects.get(case=case)
    assert (appeal.outcome, appeal.order_kind, appeal.complied_on) == ("upheld", "assess", _ago(1))
    assert not Case.objects.get(pk=case.pk).disputed


def test_a_disputed_closed_case_stays_on_the_queue_until_the_appeal_ends(client_for, officer):
    case = _refused(officer, days_ago=20)
    client = client_for(officer)
    queue = reverse("casework:queue")
    assert case.reference not in client.get(queue).content.decode()
    appeals.record_appeal_registered(
        case, registered_on=_ago(10), notice_on=_ago(20), actor=officer
    )
    assert f'data-case="{case.reference}"' in client.get(queue).content.decode()
    assert case.stage == Stage.NOT_ASSESSED
    appeals.record_tribunal_decision(case, decided_on=_ago(1), outcome="dismissed", actor=officer)
    assert case.reference not in client.get(queue).content.decode()
    assert case.reference in client.get(queue + "?stage=closed").content.decode()


def test_appeal_steps_are_offered_only_when_they_apply(client_for, officer):
    client = client_for(officer)
    old_plan = build_case(stage="plan", officer=officer, weeks_ago=60)  # plan issued long ago
    assert _offered(client, old_plan) == set()
    response = client.get(
        reverse("casework:step", args=[old_plan.pk, "mediation-decision"]), follow=True
    )
    assert (
        "You cannot record the family&#x27;s decision about mediation at this stage"
        in response.content.decode()
    )
    new_plan = build_case(stage="plan", officer=officer, weeks_ago=22)  # final plan this month
    assert _offered(client, new_plan) == {"mediation-decision", "appeal-registered"}
    declined = _refused(officer, days_ago=12)
    appeals.record_mediation_decision(
        declined, notice_on=_ago(12), decided_on=_ago(8), wants_mediation=False, actor=officer
    )
    assert _offered(client, declined) == {"mediation-certificate", "no-appeal"}
    # The exception step stays available on a closed case while its appeal runs (reg 44).
    page = client.get(reverse("casework:case", args=[declined.pk])).content.decode()
    assert "/steps/exception/" in page


def test_errors_are_shown_at_the_field_and_a_stale_form_is_refused(
    client_for, officer, teammate, dates
):
    case = _refused(officer, days_ago=30)
    mine, theirs = client_for(officer), client_for(teammate)
    url = reverse("casework:step", args=[case.pk, "mediation-decision"])
    notice = _ago(30).isoformat()
    html = mine.post(
        url,
        {
            "version": _version(mine, url),
            "notice_on": notice,
            "wants_mediation": "no",
            **dates(decided_on=_ago(31)),
        },
    ).content.decode()
    assert "must be the same as or after the decision letter" in html
    assert 'href="#id_decided_on_day"' in html
    html = mine.post(
        url, {"version": _version(mine, url), **dates(decided_on=_ago(2))}
    ).content.decode()
    assert "Select the decision the family disputes" in html
    assert "Select whether the family wants mediation" in html

    their_version = _version(theirs, url)
    _save(
        mine,
        case,
        "mediation-decision",
        {"notice_on": notice, "wants_mediation": "no", **dates(decided_on=_ago(2))},
    )
    registered = reverse("casework:step", args=[case.pk, "appeal-registered"])
    # My colleague's form was opened before my save: their save is refused, not lost.
    html = theirs.post(
        registered,
        {"version": their_version, "notice_on": notice, **dates(registered_on=_ago(1))},
    ).content.decode()
    assert "Someone else saved this case while you were working on it" in html
    assert Appeal.objects.get(case=case).tribunal_registered_on is None


def test_two_tabs_on_the_same_step_the_second_is_told_someone_saved(
    client_for, officer, teammate, dates
):
    # Both open "the family's decision about mediation"; the first save takes the only decision
    # letter open to dispute, so the second form's choice no longer exists. The second person is
    # told the case was saved by someone else (with the change), not that they chose nothing.
    case = _refused(officer, days_ago=30)
    mine, theirs = client_for(officer), client_for(teammate)
    url = reverse("casework:step", args=[case.pk, "mediation-decision"])
    notice = _ago(30).isoformat()
    their_version = _version(theirs, url)
    _save(
        mine,
        case,
        "mediation-decision",
        {"notice_on": notice, "wants_mediation": "yes", **dates(decided_on=_ago(2))},
    )
    html = theirs.post(
        url,
        {
            "version": their_version,
            "notice_on": notice,
            "wants_mediation": "no",
            **dates(decided_on=_ago(1)),
        },
    ).content.decode()
    assert "Someone else saved this case while you were working on it" in html
    assert "Family asked for mediation on" in html  # their change is listed
    assert Appeal.objects.get(case=case).mediation_declined_on is None


def _offers(client, case: Case, slug: str) -> bool:
    return (
        f"/steps/{slug}/" in client.get(reverse("casework:case", args=[case.pk])).content.decode()
    )


def test_after_an_order_to_assess_the_assessment_steps_are_offered_and_work(
    client_for, officer, dates
):
    case = _refused(officer, days_ago=60)
    client = client_for(officer)
    assert not _offers(client, case, "draft-plan")
    appeals.record_appeal_registered(
        case, registered_on=_ago(55), notice_on=_ago(60), actor=officer
    )
    html = _save(
        client,
        case,
        "tribunal-decision",
        {"outcome": "upheld", "order_kind": "assess", **dates(decided_on=_ago(50))},
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSESSING
    for slug in ("advice-requested", "draft-plan", "decision-not-to-issue", "order-complied"):
        assert _offers(client, case, slug), slug
    _save(client, case, "order-complied", {"stage": "notify", **dates(complied_on=_ago(45))})
    _save(
        client,
        case,
        "advice-requested",
        {"kind": "health", "provider": "Community paediatrics", **dates(requested_on=_ago(44))},
    )
    write_plan(case, officer, lawful_content(("SLCN",)))
    _save(client, case, "draft-plan", dates(issued_on=_ago(35)))
    place(case, officer, _ago(40))  # section I of the final plan names the placement's setting
    write_plan(case, officer, lawful_content(("SLCN",)))
    assert _offers(client, case, "final-plan")
    _save(client, case, "final-plan", dates(issued_on=_ago(10)))
    html = _save(
        client, case, "order-complied", {"stage": "final_plan", **dates(complied_on=_ago(10))}
    )
    assert "complied with in full" in html
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.PLAN and not case.disputed and case.closed_on is None
    assert (case.plan.status, case.plan.first_issued_on) == ("active", _ago(10))
    assert (
        case.deadlines.get(key="tribunal_order_assess", instance__endswith="/final_plan").status
        == "met"
    )
    assert _offers(client, case, "review-meeting")


def test_a_family_that_did_not_appeal_is_shown_so(client_for, officer, dates):
    case = _refused(officer, days_ago=40)
    client = client_for(officer)
    notice = _ago(40).isoformat()
    _save(
        client,
        case,
        "mediation-decision",
        {"notice_on": notice, "wants_mediation": "no", **dates(decided_on=_ago(35))},
    )
    html = _save(client, case, "no-appeal", dates(decided_on=_ago(2)))
    assert "Recorded that the family did not appeal" in html
    assert "The family did not appeal" in html and "Appeal in progress" not in html
    assert not Case.objects.get(pk=case.pk).disputed


def test_a_step_page_title_names_the_child_and_the_case(client_for, officer):
    case = _refused(officer)
    page = client_for(officer).get(reverse("casework:step", args=[case.pk, "mediation-decision"]))
    title = re.search(r"<title>(.*?)</title>", page.content.decode(), re.S).group(1)
    assert f"{case.child.full_name} ({case.reference})" in title
    assert title.index(case.reference) < title.index("SENDcase")
