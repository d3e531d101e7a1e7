"""Work waiting in the portal for the demo's SENCO and educational psychologist, made through the
real actions (`portal.work`): an advice request sent to the psychologist's service and given to
them, a consultation on being named sent to the SENCO's school, and the SENCO linked to the pupil
whose annual review is due soonest. Safe to run again: what exists is kept."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from sendcase.accounts.models import User
from sendcase.casework.domain.assessment import record_advice_requested
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import AdviceRequest, Case, Deadline, Stage
from sendcase.core.codes import AdviceKind
from sendcase.portal import actions, work
from sendcase.portal.models import (
    AdviceAssignment,
    CaseLink,
    Consultation,
    Membership,
    Organisation,
    Relationship,
)


def advice_for_psychologist(psychologist: Membership, exclude: list[int]) -> None:
    """An educational psychology request, not yet answered, given to the demo psychologist (who
    manages the demo service, so they see its overdue list too)."""
    service = psychologist.organisation
    if AdviceAssignment.objects.filter(assigned_to=psychologist).exists():
        return
    waiting = (
        AdviceRequest.objects.filter(
            case__stage=Stage.ASSESSING,
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            received_on__isnull=True,
        )
        .exclude(case_id__in=exclude)
        .exclude(Exists(AdviceAssignment.objects.filter(advice_request=OuterRef("pk"))))
        .select_related("case")
        .order_by("-requested_on", "pk")
    )
    officer_of = User.objects.filter(is_demo=True, role="case_officer").first()
    if officer_of is None:
        return
    given = 0
    for advice in list(waiting[:2]):
        assignment = work.send_advice_to_service(
            advice, service, actor=advice.case.officer or officer_of
        )
        work.assign_advice(assignment, psychologist, by=psychologist)
        given += 1
    if given:
        return
    # No request waiting in the demo council: ask for one today on a case in assessment.
    case = Case.objects.filter(stage=Stage.ASSESSING).exclude(pk__in=exclude).first()
    if case is None:
        return
    advice = record_advice_requested(
        case,
        kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
        provider=service.name,
        requested_on=timezone.localdate(),
        actor=case.officer or officer_of,
        notify=False,  # the demo sends no letters
    )
    assignment = work.send_advice_to_service(advice, service, actor=case.officer or officer_of)
    work.assign_advice(assignment, psychologist, by=psychologist)


def work_for_senco(senco: Membership, exclude: list[int]) -> None:
    """A consultation on being named, and a link to the pupil at the
    school whose annual review is due soonest."""
    school: Organisation = senco.organisation
    anyone = User.objects.filter(is_demo=True).order_by("pk").first()
    if anyone is None:
        return
    if not Consultation.objects.filter(organisation=school).exists():
        # A case with a draft plan; else one late in its assessment (a small demo may have none).
        drafts = list(Case.objects.filter(stage=Stage.DRAFT).exclude(pk__in=exclude)[:5])
        late = Case.objects.filter(stage=Stage.ASSESSING).exclude(pk__in=exclude)
        for case in drafts + list(late.order_by("opened_on", "pk")[:5]):
            try:
                work.consult_setting(
                    case,
                    school,
                    consulted_on=timezone.localdate(),
                    actor=case.officer or anyone,
                    notify=False,  # the demo sends no letters
                )
            except ActionError:
                continue
            break
    due_soonest = (
        Deadline.objects.filter(
            key="annual_review_meeting",
            completed_on__isnull=True,
            case__stage=Stage.PLAN,
            case__plan__placements__setting=school.setting,
            case__plan__placements__leaving_date__isnull=True,
        )
        .order_by("due", "case_id")
        .values_list("case_id", flat=True)
        .first()
    )
    if due_soonest is None:
        return
    linked = CaseLink.objects.filter(person=senco.person, case_id=due_soonest, ended_at=None)
    if not linked.exists():
        admin = User.objects.filter(is_demo=True, role="administrator").first()
        actions.link_member_to_case(
            senco,
            Case.objects.get(pk=due_soonest),
            relationship=Relationship.SETTING,
            actor=admin or anyone,
        )
