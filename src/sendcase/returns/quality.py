"""The live data checked the way a return is checked: problems to fix before the census.

`live_problems` builds each child's SEN2 record from the database (as the export does),
writes it and reads it back, so every problem has the same wording as for an uploaded
file, and links to the case it belongs to. `record_problems` adds the checks only live
data allows: settings added as placeholders, exceptions imported without a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from sendcase.casework.models import TimeLimitException
from sendcase.placements.models import Setting
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


def record_problems() -> RecordProblems:
    return RecordProblems(
        placeholders=list(Setting.objects.filter(placeholder=True).order_by("name")),
        unexplained_exceptions=list(
            TimeLimitException.objects.filter(reason="")
            .select_related("case", "case__child")
            .order_by("case__reference")
        ),
    )
