"""SEN2 persons as plain records: parsed from XML, built from the database, written back to XML.

The export builds records from the database and writes them; the validator and the
import parse the same records from a file. One shape for both directions is what
makes export -> import -> export give the same file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from sendcase.returns import elements as E

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Problem:
    """One thing wrong, said so a data officer can fix it."""

    line: int | None
    module: str
    item: str
    message: str
    fix: str
    person: str = ""
    case_id: int | None = None
    child_id: int | None = None
    # The child's numbers as the file gives them, to find the child's case (see quality.link_cases).
    upn: str = ""
    uln: str = ""

    def as_text(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        who = f"{self.person}: " if self.person else ""
        item = f" {self.item}:" if self.item else ""
        return f"{where}{who}{self.module}:{item} {self.message}. {self.fix}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "person": self.person,
            "module": self.module,
            "item": self.item,
            "message": self.message,
            "fix": self.fix,
            "case_id": self.case_id,
        }


@dataclass
class Rec:
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


@dataclass
class NeedRec(Rec):
    sen_type: str | None = None
    sen_type_rank: str | None = None


@dataclass
class PlacementRec(Rec):
    urn: str | None = None
    ukprn: str | None = None
    sen_setting: str | None = None
    sen_setting_other: str | None = None
    placement_rank: str | None = None
    entry_date: dt.date | None = None
    leaving_date: dt.date | None = None
    sen_unit: bool | None = None
    resourced: bool | None = None
    res: bool | None = None
    wbp: bool | None = None

    def identity(self) -> tuple[Any, ...]:
        return (
            self.urn,
            self.ukprn,
            self.sen_setting,
            self.sen_setting_other,
            self.placement_rank,
            bool(self.sen_unit),
            bool(self.resourced),
        )


@dataclass
class ActiveRec(Rec):
    transfer_la: str | None = None
    review_meeting: dt.date | None = None
    review_outcome: str | None = None
    review_draft: dt.date | None = None
    phase_transfer_due: dt.date | None = None
    phase_transfer_final: dt.date | None = None
    last_review: dt.date | None = None
    placements: list[PlacementRec] = field(default_factory=list)
    needs: list[NeedRec] = field(default_factory=list)


@dataclass
class PlanRec(Rec):
    start_date: dt.date | None = None
    plan_res: str | None = None
    plan_wbp: bool | None = None
    pb: bool | None = None
    oa: bool | None = None
    dp: bool | None = None
    cease_date: dt.date | None = None
    cease_reason: str | None = None
    details: list[PlacementRec] = field(default_factory=list)


@dataclass
class AssessmentRec(Rec):
    assessment_outcome: str | None = None
    assessment_outcome_date: dt.date | None = None
    assessment_mediation: bool | None = None
    assessment_tribunal: bool | None = None
    other_mediation: bool | None = None
    other_tribunal: bool | None = None
    week20: bool | None = None
    plan: PlanRec | None = None


@dataclass
class RequestRec(Rec):
    received_date: dt.date | None = None
    request_source: str | None = None
    rya: bool | None = None
    request_outcome_date: dt.date | None = None
    request_outcome: str | None = None
    request_mediation: bool | None = None
    request_tribunal: bool | None = None
    exported: bool | None = None
    assessment: AssessmentRec | None = None
    active: ActiveRec | None = None
    case_id: int | None = None  # set when built from the database

    @property
    def plan(self) -> PlanRec | None:
        return self.assessment.plan if self.assessment else None


@dataclass
class PersonRec(Rec):
    surname: str | None = None
    forename: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    ethnicity: str | None = None
    postcode: str | None = None
    upn: str | None = None
    uln: str | None = None
    upn_unknown: str | None = None
    requests: list[RequestRec] = field(default_factory=list)
    index: int = 0
    child_id: int | None = None  # set when built from the database

    def label(self) -> str:
        name = " ".join(p for p in (self.forename, self.surname) if p) or "no name"
        ident = (
            f"UPN {self.upn}"
            if self.upn
            else f"ULN {self.uln}"
            if self.uln
            else f"born {self.birth_date.isoformat()}"
            if self.birth_date
            else ""
        )
        return f"Person {self.index} ({name}{', ' + ident if ident else ''})"


# container key -> (record class, items, {child container key: (attribute, many)})
CONTAINERS: dict[str, tuple[type[Rec], tuple[E.Item, ...], dict[str, tuple[str, bool]]]] = {
    "person": (PersonRec, E.PERSON_ITEMS, {"request": ("requests", True)}),
    "request": (
        RequestRec,
        E.REQUEST_ITEMS,
        {"assessment": ("assessment", False), "active": ("active", False)},
    ),
    "assessment": (AssessmentRec, E.ASSESSMENT_ITEMS, {"plan": ("plan", False)}),
    "plan": (PlanRec, E.PLAN_ITEMS, {"plan_detail": ("details", True)}),
    "plan_detail": (PlacementRec, E.PLAN_DETAIL_ITEMS, {}),
    "active": (
        ActiveRec,
        E.ACTIVE_ITEMS,
        {"placement": ("placements", True), "need": ("needs", True)},
    ),
    "placement": (PlacementRec, E.PLACEMENT_ITEMS, {}),
    "need": (NeedRec, E.NEED_ITEMS, {}),
}


# --- Reading ---------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    if not _ISO.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _value(item: E.Item, text: str, line: int | None, module: str, out: list[Problem]) -> Any:
    element = E.name(item.key)
    if item.kind == "text":
        if item.max_length and len(text) > item.max_length:
            out.append(
                Problem(
                    line,
                    module,
                    element,
                    f"‘{text[:40]}’ is longer than {item.max_length} characters",
                    f"Shorten {element} to {item.max_length} characters or fewer",
                )
            )
            return None
        return text
    if item.kind == "date":
        value = parse_date(text)
        if value is None:
            out.append(
                Problem(
                    line,
                    module,
                    element,
                    f"‘{text}’ is not a real date",
                    f"Enter {element} as a real date in the form YYYY-MM-DD, for example 2025-03-14",
                )
            )
        return value
    if item.kind == "flag":
        if text in ("1", "0"):
            return text == "1"
        out.append(
            Problem(
                line,
                module,
                element,
                f"‘{text}’ is not 1 or 0",
                f"Enter {element} as 1 (yes) or 0 (no)",
            )
        )
        return None
    if text in item.codes:
        return text
    out.append(
        Problem(
            line,
            module,
            element,
            f"‘{text}’ is not a {element} code",
            f"Use one of: {', '.join(item.codes)}",
        )
    )
    return None


def parse(el: Any, ckey: str, out: list[Problem]) -> Rec:
    """Build the record for a container element, adding a Problem for anything unreadable."""
    cls, items, children = CONTAINERS[ckey]
    module = E.MODULES[ckey]
    rec = cls(line=el.sourceline)
    by_key = {item.key: item for item in items}
    seen: set[str] = set()
    for child in el:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        key = E.KEY_FOR_TAG.get(child.tag)
        if key in by_key:
            if key in seen:
                out.append(
                    Problem(
                        child.sourceline,
                        module,
                        child.tag,
                        f"{child.tag} is given more than once",
                        f"Keep one {child.tag} in this {E.name(ckey)}",
                    )
                )
                continue
            seen.add(key)
            if len(child):
                out.append(
                    Problem(
                        child.sourceline,
                        module,
                        child.tag,
                        f"{child.tag} holds other elements",
                        f"{child.tag} holds a value only",
                    )
                )
                continue
            text = (child.text or "").strip()
            rec.lines[key] = child.sourceline
            if text:
                setattr(rec, key, _value(by_key[key], text, child.sourceline, module, out))
        elif key in children:
            attr, many = children[key]
            sub = parse(child, key, out)
            if many:
                getattr(rec, attr).append(sub)
            elif getattr(rec, attr) is not None:
                out.append(
                    Problem(
                        child.sourceline,
                        module,
                        child.tag,
                        f"{child.tag} is given more than once",
                        f"Keep one {child.tag} in this {E.name(ckey)}",
                    )
                )
            else:
                setattr(rec, attr, sub)
        else:
            out.append(
                Problem(
                    child.sourceline,
                    module,
                    str(child.tag),
                    f"{child.tag} is not a SEN2 item here",
                    f"Remove {child.tag}, or move it to the module it belongs to",
                )
            )
    return rec


# --- Writing ---------------------------------------------------------------------------------


def _text(item: E.Item, value: Any) -> str:
    if item.kind == "date":
        return str(value.isoformat())
    if item.kind == "flag":
        return "1" if value else "0"
    return str(value)


def to_element(rec: Rec, ckey: str) -> Any:
    """The XML element for a record: items in table order, absent (None) items left out."""
    _, items, children = CONTAINERS[ckey]
    el = etree.Element(E.name(ckey))
    for item in items:
        value = getattr(rec, item.key)
        if value is None:
            continue
        etree.SubElement(el, E.name(item.key)).text = _text(item, value)
    for key, (attr, many) in children.items():
        value = getattr(rec, attr)
        for sub in value if many else ([value] if value is not None else []):
            el.append(to_element(sub, key))
    return el
