"""Building the SEN2 return from the live records, and writing it as a stream.

`people(collection)` yields one PersonRec per child in the return, reading the
database in chunks (a fixed number of queries per chunk, whatever its size);
`write_return` serialises them with lxml's incremental writer, so neither the
queries nor the file are ever held whole in memory.

What each item means (see docs/sen2.md): outcomes are as known on the reference
date; requests and assessments are those received, decided or still open in the
calendar year before it; the plan's placements (4b) are those on its start date;
placements, needs and review (5a-5c) are those of plans active on the reference date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from lxml import etree

from sendcase.casework.models import (
    Appeal,
    AssessmentRequest,
    Case,
    Child,
    Stage,
    TimeLimitException,
    Transfer,
)
from sendcase.core.actors import Actor, SystemActor
from sendcase.core.audit import audit, audit_each
from sendcase.core.codes import ExceptionReason
from sendcase.placements.models import Placement
from sendcase.plans.models import Need, PlanVersion
from sendcase.returns import elements as E
from sendcase.returns.checks import request_in_scope
from sendcase.returns.periods import Collection
from sendcase.returns.records import (
    ActiveRec,
    AssessmentRec,
    NeedRec,
    PersonRec,
    PlacementRec,
    PlanRec,
    RequestRec,
    to_element,
)
from sendcase.reviews.models import AnnualReview, PhaseTransfer

SOFTWARE_CODE = "SENDcase"
RELEASE = "0.1"
CHUNK = 500


def _rel(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _many(obj: Any, name: str) -> list[Any]:
    """A related list: as loaded for the chunk by _load (see people), else from the database."""
    loaded = getattr(obj, "_sen2_many", None)
    if loaded is not None and name in loaded:
        return loaded[name]  # type: ignore[no-any-return]
    return list(getattr(obj, name).all())


def _on(d: dt.date | None, ref: dt.date) -> bool:
    return d is not None and d <= ref


def case_scope(c: Collection) -> Q:
    """A superset of the cases in the return, as SQL; request_in_scope() makes the final call."""
    return (
        Q(opened_on__lte=c.reference_date)
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=c.start))
        & (Q(request__isnull=True) | Q(request__received_on__lte=c.end))
    )


def _placement(pl: Placement, with_dates: bool, ref: dt.date) -> PlacementRec:
    setting = pl.setting
    rec = PlacementRec(
        urn=(setting.urn or None) if setting else None,
        ukprn=(setting.ukprn or None) if setting else None,
        sen_setting=None if setting else (pl.sen_setting or None),
        sen_setting_other=(pl.sen_setting_other or None) if not setting else None,
        placement_rank=str(pl.rank),
        sen_unit=pl.sen_unit,
        resourced=pl.resourced_provision,
    )
    if with_dates:
        rec.entry_date = pl.entry_date
        # The return is the position on the reference date: a leaving date after it is not known
        # yet on that day (placements are those on the reference date, so never before it).
        rec.leaving_date = pl.leaving_date if _on(pl.leaving_date, ref) else None
        rec.res, rec.wbp = pl.residential, pl.work_based
    return rec


def _placements_on(plan: Any, day: dt.date, with_dates: bool) -> list[PlacementRec]:
    return [
        _placement(pl, with_dates, day)
        for pl in sorted(_many(plan, "placements"), key=lambda p: (p.rank, p.entry_date, p.pk))
        if pl.entry_date <= day and (pl.leaving_date is None or pl.leaving_date >= day)
    ]


def _appeal(case: Case, types: tuple[str, ...], what: str, ref: dt.date) -> bool:
    for a in _many(case, "appeals"):
        if a.decision_type not in types:
            continue
        if what == "mediation" and (
            _on(a.mediation_held_on, ref) or _on(a.mediation_requested_on, ref)
        ):
            return True
        if what == "tribunal" and _on(a.tribunal_registered_on, ref):
            return True
    return False


_NOT_ASSESS = (Appeal.DecisionType.NOT_ASSESS,)
_NOT_ISSUE = (Appeal.DecisionType.NOT_ISSUE,)
_OTHER = (Appeal.DecisionType.CONTENTS, Appeal.DecisionType.AMEND, Appeal.DecisionType.CEASE)


def _withdrawn_by(case: Case, req: AssessmentRequest, ref: dt.date) -> bool:
    return case.stage == Stage.WITHDRAWN and (req.withdrawn_on is None or req.withdrawn_on <= ref)


def _assessed_after_refusal(case: Case, plan: Any, ref: dt.date) -> bool:
    """Whether, by the reference date, the child was assessed after all following a decision not
    to assess: the council conceded or the tribunal ordered the assessment, or (for a case
    imported from a return, which gives no dates for that) the case went back to assessment."""
    if plan is not None and (_on(plan.draft_issued_on, ref) or _on(plan.first_issued_on, ref)):
        return True
    orders = [
        a
        for a in _many(case, "appeals")
        if a.decision_type == Appeal.DecisionType.NOT_ASSESS and a.order_kind == "assess"
    ]
    if orders:
        return any(_on(a.order_on, ref) for a in orders)
    return case.stage not in (Stage.NOT_ASSESSED, Stage.REQUESTED)


def request_record(case: Case, c: Collection) -> RequestRec | None:
    ref = c.reference_date
    req = _rel(case, "request")
    plan = _rel(case, "plan")
    facts = _rel(case, "sen2_facts")
    transfer_in = next(
        (t for t in _many(case, "transfers") if t.direction == Transfer.Direction.IN), None
    )
    r = RequestRec(case_id=case.pk)
    a = AssessmentRec()
    if req is None:
        if transfer_in is None or plan is None or not _on(plan.first_issued_on, ref):
            return None
        r.request_outcome = "H"
        a.assessment_outcome = "H"
    else:
        r.received_date = req.received_on
        r.request_source = None if facts and facts.source_unknown else str(req.source)
        r.rya = req.young_person_request
        if facts and facts.request_historical:
            r.request_outcome = "H"
        elif req.decision and _on(req.decision_on, ref):
            r.request_outcome = "Y" if req.decision == AssessmentRequest.Decision.ASSESS else "N"
            r.request_outcome_date = req.decision_on
        elif _withdrawn_by(case, req, ref):
            r.request_outcome = "W"
        else:
            r.request_outcome = "A"
        if r.request_outcome in ("Y", "N"):
            r.request_mediation = bool(facts and facts.request_mediation) or _appeal(
                case, _NOT_ASSESS, "mediation", ref
            )
            r.request_tribunal = bool(facts and facts.request_tribunal) or _appeal(
                case, _NOT_ASSESS, "tribunal", ref
            )
        r.exported = bool(facts and facts.exported)
        if r.request_outcome not in ("Y", "H") and not (
            r.request_outcome == "N" and _assessed_after_refusal(case, plan, ref)
        ):
            return r
        if facts and facts.assessment_historical:
            a.assessment_outcome = "H"
        elif _on(req.not_to_issue_on, ref):
            # The decision stands in the return even where a plan followed after mediation or
            # an appeal: the flags record the challenge (see docs/sen2.md).
            a.assessment_outcome, a.assessment_outcome_date = "N", req.not_to_issue_on
        elif plan is not None and _on(plan.first_issued_on, ref):
            a.assessment_outcome, a.assessment_outcome_date = "Y", plan.first_issued_on
        elif _withdrawn_by(case, req, ref):
            a.assessment_outcome = "W"
        elif (
            (plan is not None and _on(plan.draft_issued_on, ref))
            or _on(req.issue_decision_on, ref)
            or (facts and facts.assessment_agreed)
        ):
            a.assessment_outcome = "Y"
        else:
            a.assessment_outcome = "A"
    r.assessment = a
    if a.assessment_outcome in ("Y", "N", "H"):
        a.assessment_mediation = bool(facts and facts.assessment_mediation) or _appeal(
            case, _NOT_ISSUE, "mediation", ref
        )
        a.assessment_tribunal = bool(facts and facts.assessment_tribunal) or _appeal(
            case, _NOT_ISSUE, "tribunal", ref
        )
        a.other_mediation = bool(facts and facts.other_mediation) or _appeal(
            case, _OTHER, "mediation", ref
        )
        a.other_tribunal = bool(facts and facts.other_tribunal) or _appeal(
            case, _OTHER, "tribunal", ref
        )
    # A final plan issued by the reference date: after a decision to assess (Y), or after a
    # decision not to issue that mediation or an appeal overturned (N, with its plan).
    issued = (
        a.assessment_outcome in ("Y", "N")
        and a.assessment_outcome_date is not None
        and plan is not None
        and _on(plan.first_issued_on, ref)
    )
    if issued:
        a.week20 = any(
            e.applies_to in ("", "final_plan") and e.reason != ExceptionReason.MISSED_APPOINTMENT
            for e in _many(case, "exceptions")
        )
    if not (issued or a.assessment_outcome == "H") or plan is None:
        return r
    if not _on(plan.first_issued_on, ref):
        return r
    start = plan.first_issued_on
    a.plan = PlanRec(
        start_date=start,
        plan_res=plan.residential or None,
        plan_wbp=plan.work_based,
        pb=plan.personal_budget,
        oa=plan.organised_arrangements,
        dp=plan.direct_payments,
        details=_placements_on(plan, start, with_dates=False),
    )
    if _on(plan.cease_date, ref):
        a.plan.cease_date = plan.cease_date
        a.plan.cease_reason = str(plan.cease_reason) if plan.cease_reason else None
        return r
    r.active = _active(plan, transfer_in, facts, c)
    return r


def _active(plan: Any, transfer_in: Transfer | None, facts: Any, c: Collection) -> ActiveRec:
    ref = c.reference_date
    active = ActiveRec(transfer_la=(transfer_in.other_la_code or None) if transfer_in else None)
    met = [rv for rv in _many(plan, "reviews") if _on(rv.meeting_on, ref)]
    if met:
        review = max(met, key=lambda rv: (rv.meeting_on, rv.pk))
        active.review_meeting = review.meeting_on
        if review.decision and _on(review.decision_on, ref):
            active.review_outcome = E.REVIEW_OUTCOME_FOR[review.decision]
            active.last_review = review.decision_on
        if _on(review.amendment_notice_on, ref):
            active.review_draft = review.amendment_notice_on
    # The phase transfer due in the period (so never after the reference date), with the date
    # its amended plan was issued if that was by the reference date.
    transfers = [pt for pt in _many(plan, "phase_transfers") if c.start <= pt.due_on <= c.end]
    if transfers:
        pt = max(transfers, key=lambda t: (t.transfer_date, t.pk))
        active.phase_transfer_due = pt.due_on
        active.phase_transfer_final = pt.named_on if _on(pt.named_on, ref) else None
    elif (
        facts is not None
        and facts.phase_transfer_due is not None
        and c.start <= facts.phase_transfer_due <= c.end
    ):
        active.phase_transfer_due = facts.phase_transfer_due
        active.phase_transfer_final = (
            facts.phase_transfer_final if _on(facts.phase_transfer_final, ref) else None
        )
    active.placements = _placements_on(plan, ref, with_dates=True)
    versions = [v for v in _many(plan, "versions") if v.issued_on <= ref]
    if versions:
        latest = max(versions, key=lambda v: v.number)
        needs = sorted(_many(latest, "needs"), key=lambda n: n.rank)[:2]
        active.needs = [
            NeedRec(sen_type=n.code, sen_type_rank=str(i)) for i, n in enumerate(needs, start=1)
        ]
    return active


def person_record(child: Child, cases: list[Case], c: Collection) -> PersonRec:
    person = PersonRec(
        child_id=child.pk,
        surname=child.surname or None,
        forename=child.forename or None,
        birth_date=child.date_of_birth,
        sex=child.sex or None,
        ethnicity=child.ethnicity or None,
        postcode=child.postcode or None,
        upn=child.upn or None,
        uln=child.uln or None,
        upn_unknown=child.upn_unknown or None,
    )
    for case in sorted(cases, key=lambda k: (k.opened_on, k.pk)):
        rec = request_record(case, c)
        if rec is not None and request_in_scope(rec, c):
            person.requests.append(rec)
    return person


def _grouped(model: type[Model], fk: str, ids: list[int], *related: str) -> dict[int, list[Any]]:
    """Rows of model whose fk is in ids, grouped by it, in the model's usual order."""
    rows: dict[int, list[Any]] = defaultdict(list)
    if not ids:
        return rows
    query = model._default_manager.filter(**{f"{fk}__in": ids})
    if related:  # (select_related() with no names would follow every foreign key)
        query = query.select_related(*related)
    if not model._meta.ordering:
        query = query.order_by("pk")
    for row in query:
        rows[getattr(row, fk)].append(row)
    return rows


def _load(c: Collection, child_ids: list[int]) -> list[Case]:
    """The cases in scope for these children, with every related row the export reads, in one
    query per table (Django's prefetch_related would build a queryset per row)."""
    cases = list(
        Case.objects.filter(case_scope(c), child_id__in=child_ids).select_related(
            "request", "plan", "sen2_facts"
        )
    )
    case_ids = [k.pk for k in cases]
    plans = [p for p in (_rel(k, "plan") for k in cases) if p is not None]
    plan_ids = [p.pk for p in plans]
    by_case = {
        name: _grouped(model, "case_id", case_ids)
        for name, model in (
            ("transfers", Transfer),
            ("exceptions", TimeLimitException),
            ("appeals", Appeal),
        )
    }
    by_plan = {
        "placements": _grouped(Placement, "plan_id", plan_ids, "setting"),
        "versions": _grouped(PlanVersion, "plan_id", plan_ids),
        "reviews": _grouped(AnnualReview, "plan_id", plan_ids),
        "phase_transfers": _grouped(PhaseTransfer, "plan_id", plan_ids),
    }
    version_ids = [v.pk for vs in by_plan["versions"].values() for v in vs]
    needs = _grouped(Need, "version_id", version_ids)
    for k in cases:
        k._sen2_many = {name: rows.get(k.pk, []) for name, rows in by_case.items()}  # type: ignore[attr-defined]
    for p in plans:
        p._sen2_many = {name: rows.get(p.pk, []) for name, rows in by_plan.items()}
        for v in p._sen2_many["versions"]:
            v._sen2_many = {"needs": needs.get(v.pk, [])}
    return cases


def people(c: Collection, *, chunk: int = CHUNK) -> Iterator[PersonRec]:
    """Every child in the return, in the order of their records, built chunk by chunk."""
    child_ids = sorted(set(Case.objects.filter(case_scope(c)).values_list("child_id", flat=True)))
    index = 0
    for start in range(0, len(child_ids), chunk):
        ids = child_ids[start : start + chunk]
        children = Child.objects.in_bulk(ids)
        by_child: dict[int, list[Case]] = defaultdict(list)
        for case in _load(c, ids):
            by_child[case.child_id].append(case)
        for child_id in ids:
            person = person_record(children[child_id], by_child[child_id], c)
            if person.requests:
                index += 1
                person.index = index
                yield person


def header_element(c: Collection, *, serial: int, now: dt.datetime) -> Any:
    header = etree.Element(E.name("header"))
    details = etree.SubElement(header, E.name("collection_details"))
    for key, value in (
        ("collection", "SEN2"),
        ("year", str(c.year)),
        ("reference_date", c.reference_date.isoformat()),
    ):
        etree.SubElement(details, E.name(key)).text = value
    source = etree.SubElement(header, E.name("source"))
    for key, value in (
        ("source_level", "L"),
        ("lea", settings.SENDCASE_LA_CODE),
        ("software_code", SOFTWARE_CODE),
        ("release", RELEASE),
        ("serial_no", str(serial)),
        ("datetime", now.strftime("%Y-%m-%dT%H:%M:%S")),
    ):
        etree.SubElement(source, E.name(key)).text = value
    return header


@dataclass
class ExportSummary:
    year: int
    persons: int = 0
    requests: int = 0
    plans: int = 0
    active_plans: int = 0


SEN2_EXPORT = SystemActor("SEN2 export")  # the actor of an export run by no signed-in person


def write_return(
    c: Collection,
    out: IO[bytes],
    *,
    actor: Actor = SEN2_EXPORT,
    serial: int = 1,
    now: dt.datetime | None = None,
    destination: str = "",
    via: str = "",
) -> ExportSummary:
    """Write the whole return for a collection to `out` (a binary file), and audit the export."""
    now = timezone.localtime(now or timezone.now())
    summary = ExportSummary(year=c.year)
    exported: list[tuple[int | None, int | None]] = []
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(E.name("message")):
            xf.write("\n")
            xf.write(header_element(c, serial=serial, now=now), pretty_print=True)
            with xf.element(E.name("persons")):
                xf.write("\n")
                for person in people(c):
                    summary.persons += 1
                    exported.append((person.child_id, person.requests[-1].case_id))
                    summary.requests += len(person.requests)
                    summary.plans += sum(1 for r in person.requests if r.plan is not None)
                    summary.active_plans += sum(1 for r in person.requests if r.active is not None)
                    xf.write(to_element(person, "person"), pretty_print=True)
            xf.write("\n")
    with transaction.atomic():
        entry = audit(
            actor,
            "export",
            None,
            f"SEN2 {c.year} return exported: {summary.persons} children",
            payload={
                **({"via": via} if via else {}),
                "year": c.year,
                "persons": summary.persons,
                "requests": summary.requests,
                "plans": summary.plans,
                "active_plans": summary.active_plans,
                "destination": destination,
            },
        )
        # One row per child in the file, on their latest case in it, so each child's audit
        # shows who took their data away (bulk insert: a whole council is one statement).
        audit_each(
            actor,
            "export",
            "casework.child",
            exported,
            f"In the SEN2 {c.year} return exported",
            payload={"export": entry.pk, "year": c.year, "destination": destination},
        )
    return summary
