"""The live data checked the way a return is checked: problems to fix before the census.

`live_problems` builds each child's SEN2 record from the database (as the export does),
writes it and reads it back, so every problem has the same wording as for an uploaded
file, and links to the case it belongs to. `record_problems` adds the checks only live
data allows: settings added as placeholders, exceptions imported without a reason, maintained
plans with no primary need in section B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from lxml import etree

from sendcase.casework.models import Case, TimeLimitException
from sendcase.placements.models import Setting
from sendcase.plans.models import Plan
from sendcase.returns.checks import Identifiers, check_person
from sendcase.returns.exporter import people
from sendcase.returns.periods import Collection
from sendcase.returns.records import PersonRec, Problem, parse, to_element


def _reread(person: PersonRec) -> PersonRec:
    """The record as a file would give it: the same values, with line numbers within the person."""
    el = etree.fromstring(etree.tostring(to_element(person, "person"), pretty_print=True))
    again = parse(el, "person", [])
    assert isinstance(again, PersonRec)  # noqa: S101
    again.index, again.child_id = person.index, person.child_id
    for mine, theirs in zip(again.requests, person.requests, strict=True):
        mine.case_id = theirs.case_id
    return again


def live_problems(c: Collection) -> tuple[int, list[Problem]]:
    """(children in the return, their problems), each problem linked to its child and case."""
    out: list[Problem] = []
    count = 0
    identifiers = Identifiers()
    for person in people(c):
        count += 1
        rec = _reread(person)
        starts = [(r.line or 0, r.case_id) for r in rec.requests]
        for problem in [*check_person(rec, c), *identifiers.check(rec)]:
            problem.child_id = rec.child_id
            problem.case_id = next(
                (case for line, case in reversed(starts) if (problem.line or 0) >= line),
                starts[0][1] if starts else None,
            )
            problem.line = None  # lines within a person mean nothing to a data officer
            out.append(problem)
    return count, out


@dataclass
class RecordProblems:
    placeholders: list[Setting] = field(default_factory=list)
    unexplained_exceptions: list[TimeLimitException] = field(default_factory=list)
    # Maintained plans whose section B has no primary need (SEN2 needs exactly one).
    no_primary_need: list[Plan] = field(default_factory=list)


def record_problems() -> RecordProblems:
    return RecordProblems(
        placeholders=list(Setting.objects.filter(placeholder=True).order_by("name")),
        unexplained_exceptions=list(
            TimeLimitException.objects.filter(reason="")
            .select_related("case", "case__child")
            .order_by("case__reference")
        ),
        no_primary_need=list(
            Plan.objects.filter(status=Plan.Status.ACTIVE, primary_need="")
            .select_related("case", "case__child")
            .order_by("case__reference")
        ),
    )


def link_cases(problems: list[Problem]) -> None:
    """Link each problem in an uploaded file to its child's latest case, where SENDcase holds
    the child: found by UPN, else ULN (as the import matches them)."""
    upns = {p.upn for p in problems if p.upn and p.case_id is None}
    ulns = {p.uln for p in problems if p.uln and p.case_id is None}
    if not (upns or ulns):
        return
    by_upn: dict[str, int] = {}
    by_uln: dict[str, int] = {}
    found = Case.objects.filter(Q(child__upn__in=upns) | Q(child__uln__in=ulns)).order_by(
        "opened_on", "pk"
    )
    for case_id, upn, uln in found.values_list("pk", "child__upn", "child__uln"):
        if upn:
            by_upn[upn] = case_id  # the latest case wins
        if uln:
            by_uln[uln] = case_id
    for p in problems:
        if p.case_id is None:
            p.case_id = by_upn.get(p.upn) if p.upn else None
            if p.case_id is None and p.uln:
                p.case_id = by_uln.get(p.uln)
