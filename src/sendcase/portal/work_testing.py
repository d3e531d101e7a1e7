"""For tests and the benchmark: a world for the work of schools and professional services: an
educational psychology service (a manager and two psychologists), a school (its SENCO), a case in assessment whose advice request
was sent to the service, a case at the draft stage on which the school is consulted, and a pupil
whose review meeting was held last week and whose report is waiting (`another_pupil`: one whose
review meeting is still to be held)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sendcase.accounts.models import User
from sendcase.casework.domain.assessment import record_advice_requested
from sendcase.casework.domain.reviews import record_review_meeting
from sendcase.casework.models import AdviceRequest, Case
from sendcase.casework.scenarios import build_case
from sendcase.placements.models import Setting
from sendcase.portal import actions, work
from sendcase.portal.models import (
    AdviceAssignment,
    CaseLink,
    Consultation,
    ExternalPerson,
    Organisation,
    Relationship,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Work:
    people: dict[str, ExternalPerson]
    service: Organisation
    school: Organisation
    assessing: Case
    advice: AdviceRequest
    assignment: AdviceAssignment
    draft: Case
    consultation: Consultation
    pupil: Case


def build_work(officer: User, *, assign: bool = True) -> Work:
    today = timezone.localdate()
    names = ("manager", "psychologist", "colleague", "senco", "parent", "young_person", "unlinked")
    people = {
        n: ExternalPerson.objects.create(
            issuer="https://one-login.test",
            subject=f"w-{n}",
            name=n.title(),
            email=f"{n}@example.org",
        )
        for n in names
    }
    service = Organisation.objects.create(name="EP service", kind=Organisation.Kind.EP_SERVICE)
    school = Organisation.objects.create(
        name="Hill School",
        kind=Organisation.Kind.SETTING,
        setting=Setting.objects.create(name="Hill School", kind="academy", phase="primary"),
    )
    manager = actions.add_member(service, people["manager"], role="manager", actor=officer)
    psychologist = actions.add_member(service, people["psychologist"], role="member", actor=officer)
    actions.add_member(service, people["colleague"], role="member", actor=officer)
    senco = actions.add_member(school, people["senco"], role="administrator", actor=officer)

    assessing = build_case(stage="assessing", officer=officer, weeks_ago=6)
    advice = record_advice_requested(
        assessing,
        kind="educational_psychology",
        provider="EP service",
        requested_on=today - dt.timedelta(days=10),
        actor=officer,
    )
    assignment = work.send_advice_to_service(advice, service, actor=officer)
    if assign:
        work.assign_advice(assignment, psychologist, by=manager)

    draft = build_case(stage="draft", officer=officer, weeks_ago=18)
    consultation = work.consult_setting(
        draft, school, consulted_on=today - dt.timedelta(days=2), actor=officer
    )

    pupil = build_case(stage="plan", officer=officer, weeks_ago=40)
    record_review_meeting(pupil, meeting_on=today - dt.timedelta(days=5), actor=officer)
    actions.link_member_to_case(senco, pupil, relationship=Relationship.SETTING, actor=officer)

    for name, case, relationship in (
        ("parent", assessing, Relationship.PARENT_CARER),
        ("young_person", pupil, Relationship.YOUNG_PERSON),
    ):
        CaseLink.objects.create(
            case=case, person=people[name], relationship=relationship, via=CaseLink.Via.COUNCIL
        )
    assignment.refresh_from_db()
    return Work(people, service, school, assessing, advice, assignment, draft, consultation, pupil)


def another_pupil(world: Work, officer: User) -> Case:
    """A pupil of the world's school with a plan whose annual review meeting is still to be
    held, linked to its SENCO."""
    pupil = build_case(stage="plan", officer=officer, weeks_ago=40)
    senco = world.people["senco"].memberships.get(organisation=world.school)
    actions.link_member_to_case(senco, pupil, relationship=Relationship.SETTING, actor=officer)
    return pupil
