"""Demo sign-in through the loopback OpenID Connect provider (`sendcase oidc-provider`).

`prepare` writes the provider's directory for the demo council: one member of staff per role
(the demo logins, signing in by single sign-on, with their role from a group), a leaver whose
account is disabled at the provider, and four people outside the council, each linked to demo
cases at interesting stages through the real actions: a parent and a young person by a linking
code sent to the family contact, a SENCO and an educational psychologist through their
organisation. It is safe to run again: what exists is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from sendcase.accounts.models import Role, User
from sendcase.casework.models import Case, Stage
from sendcase.demo import portal_work
from sendcase.demo.load import DEMO_PASSWORD, NOT_DEMO_MODE, NotADemoDatabase
from sendcase.placements.models import Setting
from sendcase.portal import actions
from sendcase.portal.models import (
    CaseLink,
    ExternalPerson,
    Membership,
    Organisation,
    Relationship,
)

# The groups the demo directory gives staff, and the role each maps to (Makefile:
# SENDCASE_SSO_ROLE_GROUPS). A council maps its own Entra group ids the same way.
ROLE_GROUPS = {
    "sendcase-case-officers": Role.CASE_OFFICER,
    "sendcase-team-managers": Role.TEAM_MANAGER,
    "sendcase-head-of-service": Role.HEAD_OF_SERVICE,
    "sendcase-finance": Role.FINANCE_OFFICER,
    "sendcase-data": Role.DATA_OFFICER,
    "sendcase-administrators": Role.ADMINISTRATOR,
    "sendcase-information-governance": Role.INFORMATION_GOVERNANCE,
}
GROUP_FOR_ROLE: dict[str, str] = {str(role): group for group, role in ROLE_GROUPS.items()}


def role_groups_setting() -> str:
    """SENDCASE_SSO_ROLE_GROUPS for the demo directory."""
    return ",".join(f"{group}={role}" for group, role in ROLE_GROUPS.items())


@dataclass
class DemoLogin:
    kind: str
    username: str
    what: str
    cases: list[str] = field(default_factory=list)


def _staff(logins: list[DemoLogin]) -> list[dict[str, Any]]:
    people = []
    for role in Role.values:
        user = User.objects.filter(is_demo=True, role=role).order_by("username").first()
        if user is None:
            continue
        people.append(
            {
                "sub": f"demo-staff-{user.pk}",
                "username": user.username,
                "password": DEMO_PASSWORD,
                "name": user.get_full_name(),
                "given_name": user.first_name,
                "family_name": user.last_name,
                "email": user.email,
                "groups": [GROUP_FOR_ROLE[role]],
                "mfa": True,
            }
        )
        team = f", {user.team}" if user.team else ""
        logins.append(DemoLogin("staff", user.username, f"{user.get_role_display()}{team}"))
    people.append(
        {
            "sub": "demo-staff-leaver",
            "username": "demo.leaver",
            "password": DEMO_PASSWORD,
            "name": "Lee Leaver",
            "groups": [GROUP_FOR_ROLE[Role.CASE_OFFICER]],
            "disabled": True,
            "mfa": True,
        }
    )
    logins.append(DemoLogin("staff", "demo.leaver", "Case officer who has left: refused"))
    return people


EXTERNAL = (
    ("parent", "demo.parent", "Sam Parent", "Parent or carer"),
    ("young-person", "demo.young.person", "Jordan Young", "Young person"),
    ("senco", "demo.senco", "Kim Senco", "SENCO"),
    ("psychologist", "demo.psychologist", "Ari Psychologist", "Educational psychologist"),
)


def _person(issuer: str, key: str, name: str) -> ExternalPerson:
    person, _ = ExternalPerson.objects.get_or_create(
        issuer=issuer,
        subject=f"demo-{key}",
        defaults={"name": name, "email": f"demo.{key}@example.org"},
    )
    return person


def _family_case(stage: str, *, adult: bool, exclude: list[int]) -> Case | None:
    """An open case at `stage` whose child has a contact with an email address or phone."""
    today = timezone.localdate()
    sixteen = today.replace(year=today.year - 16)
    cases = Case.objects.filter(stage=stage).exclude(pk__in=exclude).select_related("child")
    cases = cases.filter(
        Q(child__contacts__email__gt="") | Q(child__contacts__phone__gt="")
    ).filter(
        child__date_of_birth__lte=sixteen if adult else today,
        child__date_of_birth__gt=sixteen if not adult else dt.date(1900, 1, 1),
    )
    return cases.order_by("next_due", "pk").first()


def _link_family(person: ExternalPerson, case: Case, relationship: str) -> None:
    if CaseLink.objects.filter(person=person, case=case, ended_at__isnull=True).exists():
        return
    contact = case.child.contacts.exclude(email="", phone="").first()
    officer = case.officer or User.objects.filter(is_demo=True, role=Role.CASE_OFFICER).first()
    if contact is None or officer is None:  # _family_case chose a case with a contact
        return
    code = actions.issue_link_code(case, contact, relationship=relationship, actor=officer)
    actions.redeem_link_code(person, code)


def _family_portal(parent: ExternalPerson, used: list[int]) -> None:
    """The demo parent has a draft open for comments (the `draft_comments_window` deadline not
    yet passed) and a conversation with their case officer: one reply, one message waiting."""
    # Imported here: the family's actions import documents and casework, loaded only for this.
    from sendcase.portal import family_actions

    today = timezone.localdate()
    linked = Case.objects.filter(portal_links__person=parent, portal_links__ended_at__isnull=True)
    if not any(family_actions.open_draft(c, today)[0] for c in linked):
        window_open = Case.objects.filter(
            deadlines__key="draft_comments_window",
            deadlines__completed_on__isnull=True,
            deadlines__due__gte=today,
        ).values("pk")
        candidates = Case.objects.filter(stage=Stage.DRAFT, pk__in=window_open).exclude(pk__in=used)
        chosen = (
            candidates.filter(Q(child__contacts__email__gt="") | Q(child__contacts__phone__gt=""))
            .order_by("pk")
            .first()
        )
        if chosen is None:  # a small council may have none: serve one through the action
            chosen = _serve_a_draft(used, today)
        if chosen is not None:
            _link_family(parent, chosen, Relationship.PARENT_CARER)
            used.append(chosen.pk)
    first = linked.order_by("pk").first()
    if first is None or first.messages.exists():
        return
    officer = first.officer or User.objects.filter(is_demo=True, role=Role.CASE_OFFICER).first()
    family_actions.send_message(parent, first, body="Could you tell me who will write the advice?")
    if officer is not None:
        family_actions.reply_to_family(
            first,
            body="The educational psychologist and the school's SENCO. I will send you their "
            "advice when it arrives.",
            actor=officer,
        )
    family_actions.send_message(parent, first, body="Thank you. Can we meet before the draft?")


def _serve_a_draft(used: list[int], today: dt.date) -> Case | None:
    """A child in assessment whose draft plan is served today, through casework's action."""
    # Imported here: only this step of the demo writes a plan.
    from sendcase.casework.domain.errors import ActionError
    from sendcase.casework.domain.plan import record_draft_plan
    from sendcase.demo.plan_content import lawful_content

    officer = User.objects.filter(is_demo=True, role=Role.CASE_OFFICER).first()
    for _ in range(5):
        case = _family_case(Stage.ASSESSING, adult=False, exclude=used)
        if case is None or officer is None:
            return None
        used.append(case.pk)
        try:
            record_draft_plan(
                case,
                issued_on=today,
                actor=case.officer or officer,
                content=lawful_content(("ASD",)),
                today=today,
            )
        except ActionError:
            continue
        return Case.objects.get(pk=case.pk)
    return None


def _organisation_member(
    person: ExternalPerson, organisation: Organisation, role: str, actor: User
) -> Membership:
    current = Membership.objects.filter(
        person=person, organisation=organisation, ended_at__isnull=True
    ).first()
    return current or actions.add_member(organisation, person, role=role, actor=actor)


def _links(person: ExternalPerson) -> list[str]:
    return [
        f"{link.case.reference} ({link.case.get_stage_display()})"
        for link in person.links.filter(ended_at__isnull=True).select_related("case")
    ]


def _external(issuer: str, logins: list[DemoLogin]) -> list[dict[str, Any]]:
    admin = User.objects.filter(is_demo=True, role=Role.ADMINISTRATOR).first()
    if admin is None:
        raise NotADemoDatabase("Load the demo council first: `sendcase demo`.")
    people = {key: _person(issuer, key, name) for key, _u, name, _w in EXTERNAL}
    used: list[int] = list(
        CaseLink.objects.filter(person__in=people.values()).values_list("case_id", flat=True)
    )
    if not people["parent"].links.exists():
        for stage in (Stage.DRAFT, Stage.ASSESSING):
            case = _family_case(stage, adult=False, exclude=used)
            if case is not None:
                _link_family(people["parent"], case, Relationship.PARENT_CARER)
                used.append(case.pk)
    _family_portal(people["parent"], used)
    if not people["young-person"].links.exists():
        case = _family_case(Stage.PLAN, adult=True, exclude=used)
        if case is not None:
            _link_family(people["young-person"], case, Relationship.YOUNG_PERSON)
            used.append(case.pk)
    # The SENCO runs the SEN side of a school several children with plans attend.
    setting = (
        Setting.objects.filter(
            placements__plan__case__stage=Stage.PLAN, placements__leaving_date__isnull=True
        )
        .annotate(pupils=Count("placements"))
        .order_by("-pupils", "name")
        .first()
    )
    if setting is not None:
        school, _ = Organisation.objects.get_or_create(
            setting=setting, defaults={"name": setting.name, "kind": Organisation.Kind.SETTING}
        )
        senco = _organisation_member(people["senco"], school, Membership.Role.ADMINISTRATOR, admin)
        if not people["senco"].links.exists():
            pupils = Case.objects.filter(
                stage=Stage.PLAN,
                plan__placements__setting=setting,
                plan__placements__leaving_date__isnull=True,
            ).distinct()[:3]
            for case in pupils:
                actions.link_member_to_case(
                    senco, case, relationship=Relationship.SETTING, actor=admin
                )
    service, _ = Organisation.objects.get_or_create(
        name=f"{settings.SENDCASE_COUNCIL_NAME} Educational Psychology Service",
        kind=Organisation.Kind.EP_SERVICE,
    )
    # The demo psychologist manages the service too: they give out requests and see the overdue.
    psychologist = _organisation_member(
        people["psychologist"], service, Membership.Role.MANAGER, admin
    )
    if not people["psychologist"].links.exists():
        for case in Case.objects.filter(stage=Stage.ASSESSING).exclude(pk__in=used)[:2]:
            actions.link_member_to_case(
                psychologist, case, relationship=Relationship.PROFESSIONAL, actor=admin
            )
    portal_work.advice_for_psychologist(psychologist, used)
    if setting is not None:
        portal_work.work_for_senco(senco, used)
    directory = []
    for key, username, name, what in EXTERNAL:
        person = people[key]
        directory.append(
            {
                "sub": person.subject,
                "username": username,
                "password": DEMO_PASSWORD,
                "name": name,
                "email": person.email,
                "mfa": True,
            }
        )
        logins.append(DemoLogin("portal", username, what, _links(person)))
    return directory


def prepare(
    *, issuer: str, staff_secret: str, portal_key_pem: str, portal_url: str, sendcase_url: str
) -> tuple[dict[str, Any], list[DemoLogin]]:
    """The demo directory (JSON-ready) and the logins to print."""
    if not settings.SENDCASE_DEMO:
        raise NotADemoDatabase(NOT_DEMO_MODE)
    from joserfc.jwk import RSAKey  # slow import, needed only here

    public = RSAKey.import_key(portal_key_pem).as_dict(private=False)
    logins: list[DemoLogin] = []
    people = _staff(logins) + _external(issuer, logins)
    hosts = sorted({sendcase_url.rstrip("/"), "http://127.0.0.1", "http://localhost"})
    directory = {
        "clients": [
            {
                "client_id": "sendcase-staff",
                "client_secret": staff_secret,
                "token_endpoint_auth_method": "client_secret_post",
                "redirect_uris": [f"{h}/accounts/sso/callback/" for h in hosts],
                "post_logout_redirect_uris": [f"{h}/accounts/sign-in/" for h in hosts],
            },
            {
                "client_id": "sendcase-portal",
                "jwks": {"keys": [{**public, "use": "sig", "alg": "RS256"}]},
                "token_endpoint_auth_method": "private_key_jwt",
                "redirect_uris": [f"{h}/portal/signed-in/" for h in hosts],
                "post_logout_redirect_uris": [f"{h}/portal/signed-out/" for h in hosts]
                + [portal_url.rstrip("/") + "/signed-out/"],
            },
        ],
        "people": people,
    }
    return directory, logins


def write(path: Path, directory: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(directory, indent=2), encoding="utf-8")
