"""The portal's pages for schools and professional services on a large council (target: median
under 200 ms each).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_portal_work.py [--plans 20000]
(`make bench` runs it after bench_demo.py has built the council.)

It sets the work up through the real actions (`portal.work`): every educational psychology
advice request still waiting in the council sent to one service, a psychologist given a share of
them and the manager seeing them all; the busiest school's pupils with plans linked to its SENCO,
and consultations on being named sent to it. Pages go through Django's test Client in this
process (the portal session set as sign-in leaves it), so the time is the whole server side:
access, queries, templates and the audit writes. Prints median and 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import sys

from benchlib import ensure_council, plain_static, setup_django, timed_get

setup_django()

from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, OuterRef  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendcase.accounts.models import Role, User  # noqa: E402
from sendcase.casework.domain.errors import ActionError  # noqa: E402
from sendcase.casework.models import AdviceRequest, Case, Stage  # noqa: E402
from sendcase.core.codes import AdviceKind  # noqa: E402
from sendcase.placements.models import Setting  # noqa: E402
from sendcase.portal import actions, work  # noqa: E402
from sendcase.portal.models import (  # noqa: E402
    AdviceAssignment,
    CaseLink,
    Consultation,
    ExternalPerson,
    Membership,
    Organisation,
    Relationship,
)
from sendcase.portal.testing import portal_login  # noqa: E402

ISSUER = "https://bench.one-login.test"


def _person(name: str) -> ExternalPerson:
    person, _ = ExternalPerson.objects.get_or_create(
        issuer=ISSUER, subject=f"bench-{name}", defaults={"name": name.title()}
    )
    return person


def _member(org: Organisation, person: ExternalPerson, role: str, admin: User) -> Membership:
    current = Membership.objects.filter(organisation=org, person=person, ended_at=None).first()
    return current or actions.add_member(org, person, role=role, actor=admin)


def set_up(admin: User) -> dict[str, object]:
    service, _ = Organisation.objects.get_or_create(
        name="Bench educational psychology service", kind=Organisation.Kind.EP_SERVICE
    )
    manager = _member(service, _person("ep-manager"), "manager", admin)
    psychologists = [
        _member(service, _person(f"psychologist-{i}"), "member", admin) for i in range(8)
    ]
    waiting = (
        AdviceRequest.objects.filter(
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY, received_on__isnull=True
        )
        .exclude(Exists(AdviceAssignment.objects.filter(advice_request=OuterRef("pk"))))
        .select_related("case__child")
    )
    for n, advice in enumerate(waiting):
        assignment = work.send_advice_to_service(advice, service, actor=admin)
        work.assign_advice(assignment, psychologists[n % len(psychologists)], by=manager)

    setting = (
        Setting.objects.filter(
            placements__plan__case__stage=Stage.PLAN, placements__leaving_date__isnull=True
        )
        .annotate(pupils=Count("placements"))
        .order_by("-pupils", "name")
        .first()
    )
    assert setting is not None  # noqa: S101 - a demo council has settings
    school, _ = Organisation.objects.get_or_create(
        setting=setting, defaults={"name": setting.name, "kind": Organisation.Kind.SETTING}
    )
    senco = _member(school, _person("senco"), "administrator", admin)
    pupils = Case.objects.filter(
        stage=Stage.PLAN,
        plan__placements__setting=setting,
        plan__placements__leaving_date__isnull=True,
    ).distinct()
    linked = set(CaseLink.objects.filter(person=senco.person).values_list("case_id", flat=True))
    for case in pupils:
        if case.pk not in linked:
            actions.link_member_to_case(senco, case, relationship=Relationship.SETTING, actor=admin)
    if not Consultation.objects.filter(organisation=school).exists():
        for case in Case.objects.filter(stage__in=(Stage.DRAFT, Stage.ASSESSING))[:20]:
            try:
                work.consult_setting(case, school, consulted_on=timezone.localdate(), actor=admin)
            except ActionError:
                continue
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "service": service,
        "manager": manager,
        "psychologist": psychologists[0],
        "school": school,
        "senco": senco,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    ensure_council(args.plans)
    admin = User.objects.filter(role=Role.ADMINISTRATOR).first()
    if admin is None:
        raise SystemExit("No administrator in the demo council")
    print(
        f"Council: {Case.objects.count():,} cases, "
        f"{Case.objects.filter(stage=Stage.PLAN).count():,} plans maintained ({connection.vendor})"
    )
    w = set_up(admin)
    service, school = w["service"], w["school"]
    psychologist, manager, senco = w["psychologist"], w["manager"], w["senco"]
    mine = AdviceAssignment.objects.filter(assigned_to=psychologist)
    sent = AdviceAssignment.objects.filter(service=service).count()
    pupils = CaseLink.objects.filter(person=senco.person, ended_at=None).count()  # type: ignore[attr-defined]
    consultations = Consultation.objects.filter(organisation=school).count()
    print(
        f"Work: {sent} advice requests sent to the service, {mine.count()} given to one "
        f"psychologist; {pupils} pupils linked to the SENCO, {consultations} consultations"
    )
    first = mine.order_by("pk").first()
    consultation = Consultation.objects.filter(organisation=school).first()
    pupil = CaseLink.objects.filter(person=senco.person, ended_at=None).first()  # type: ignore[attr-defined]

    rows = []
    with plain_static():
        pc = portal_login(Client(), psychologist.person)  # type: ignore[attr-defined]
        mc = portal_login(Client(), manager.person)  # type: ignore[attr-defined]
        sc = portal_login(Client(), senco.person)  # type: ignore[attr-defined]
        pages = [
            (f"Psychologist: advice requests ({mine.count()})", pc, "/portal/advice/"),
            (
                f"Manager: every request to the service ({sent})",
                mc,
                f"/portal/services/{service.pk}/advice/",
            ),  # type: ignore[attr-defined]
            (f"SENCO: consultations and reviews ({pupils} pupils)", sc, "/portal/school/"),
        ]
        if first is not None:
            pages.append(("Psychologist: one advice request", pc, f"/portal/advice/{first.pk}/"))
            pages.append(
                (
                    "Manager: assign one request",
                    mc,
                    f"/portal/services/{service.pk}/advice/{first.pk}/assign/",
                )
            )  # type: ignore[attr-defined]
        if consultation is not None:
            pages.append(
                ("SENCO: one consultation", sc, f"/portal/school/consultations/{consultation.pk}/")
            )
        if pupil is not None:
            pages.append(("SENCO: one review", sc, f"/portal/school/reviews/{pupil.case_id}/"))
        for name, client, url in pages:
            median, p90, queries, _ = timed_get(client, url, args.requests)
            rows.append((name, median, p90, queries))

    print(f"\n{'Page':<58} {'median':>8} {'p90':>8} {'queries':>8}")
    worst = 0.0
    for name, median, p90, queries in rows:
        worst = max(worst, median)
        print(f"{name:<58} {median:7.1f}ms {p90:7.1f}ms {queries:8d}")
    print(
        f"\nTarget: median under 200 ms for every page. Worst median: {worst:.1f} ms "
        f"({'met' if worst < 200 else 'NOT met'}). {os.cpu_count()} cores."
    )
    return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
