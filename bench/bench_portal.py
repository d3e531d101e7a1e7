"""The portal's family pages at 20,000 plans (target: median under 200 ms each).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/bench_portal.py [--plans 20000] [--requests 30]

A parent is linked to a case with a draft open for comments (with messages waiting and comments
sent) and to a case with a maintained plan; each of their pages is timed through Django's test
Client in this process against the real database: middleware, the link check, queries,
templates and the audit write. The portal session is made as the sign-in leaves it (the sign-in
itself is the provider's round trip, not timed here). Then the officer's side: the work queue
with messages waiting, the draft with the family's comments beside the sections, and the
messages page. Prints median and 90th percentile, and the queries one request makes.
"""

from __future__ import annotations

import argparse

from benchlib import ensure_council, plain_static, setup_django, signed_in, timed_get

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendcase.casework.models import Case, Deadline, Stage  # noqa: E402
from sendcase.plans.models import PlanVersion  # noqa: E402
from sendcase.portal import family_actions as fa  # noqa: E402
from sendcase.portal.models import CaseLink, ExternalPerson, Relationship  # noqa: E402
from sendcase.portal.testing import portal_login  # noqa: E402


def _parent() -> tuple[ExternalPerson, Case, Case]:
    today = timezone.localdate()
    open_window = Deadline.objects.filter(
        key="draft_comments_window", completed_on__isnull=True, due__gte=today
    ).values("case_id")
    draft = (
        Case.objects.filter(stage=Stage.DRAFT, pk__in=open_window, officer__isnull=False).first()
        or Case.objects.filter(stage=Stage.DRAFT, officer__isnull=False).first()
    )
    plan = Case.objects.filter(stage=Stage.PLAN, officer__isnull=False).order_by("-pk").first()
    if draft is None or plan is None:
        raise SystemExit("The council has no draft or no plan")
    person, _ = ExternalPerson.objects.get_or_create(
        issuer="https://bench.invalid", subject="bench-parent", defaults={"name": "Bench Parent"}
    )
    for case in (draft, plan):
        CaseLink.objects.get_or_create(
            case=case,
            person=person,
            ended_at=None,
            defaults={"relationship": Relationship.PARENT_CARER, "via": CaseLink.Via.COUNCIL},
        )
    if not draft.messages.exists():
        for n in range(3):
            fa.send_message(person, draft, body=f"Question {n + 1} about the draft")
        if fa.open_draft(draft, today)[0] is not None:
            fa.comment_on_draft(
                person, draft, comments={"F": "More speech therapy"}, meeting="Yes please"
            )
    return person, draft, plan


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    ensure_council(args.plans)
    plans = Case.objects.filter(stage=Stage.PLAN).count()
    print(
        f"Council: {Case.objects.count():,} cases, {plans:,} plans maintained ({connection.vendor})"
    )
    person, draft, plan = _parent()
    version = PlanVersion.objects.filter(plan__case=draft, kind="draft").order_by("-number").first()
    parent = portal_login(Client(), person)
    pages = [
        ("Portal: your cases", "/portal/cases/"),
        ("Portal: case (draft)", f"/portal/cases/{draft.pk}/"),
        ("Portal: ask for an assessment", "/portal/ask/"),
        ("Portal: comment on the draft", f"/portal/cases/{draft.pk}/draft/"),
        ("Portal: messages", f"/portal/cases/{draft.pk}/messages/"),
        ("Portal: views", f"/portal/cases/{plan.pk}/views/"),
        ("Portal: letters and documents", f"/portal/cases/{plan.pk}/documents/"),
        ("Portal: appeal and mediation", f"/portal/cases/{plan.pk}/rights/"),
    ]
    officer = draft.officer
    staff = [
        ("Staff: queue with messages waiting", "/cases/"),
        ("Staff: family messages", f"/online-access/cases/{draft.pk}/messages/"),
    ]
    if version is not None:
        staff.append(("Staff: draft with comments", f"/cases/{draft.pk}/plan/{version.number}/"))
    rows = []
    with plain_static():
        for name, url in pages:
            rows.append((name, *timed_get(parent, url, args.requests)[:3]))
        officer_client = signed_in(officer)
        for name, url in staff:
            rows.append((name, *timed_get(officer_client, url, args.requests)[:3]))
    width = max(len(r[0]) for r in rows)
    print(f"{'page':{width}}  median ms  p90 ms  queries  target")
    failed = 0
    for name, median, p90, queries in rows:
        ok = median < 200
        failed += not ok
        print(
            f"{name:{width}}  {median:9.1f}  {p90:6.1f}  {queries:7d}  {'met' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
