"""SEN2 test helpers (imported by the tests as sen2_helpers; conftest.py puts this folder on sys.path): valid returns built from records, and hypothesis strategies for persons.

The strategies build persons in the canonical form SENDcase writes (see docs/sen2.md):
every request in the collection period or open during it, dates in order, one primary
need and placement on each active plan, placements named in the plan (4b) being those
on its start date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import strategies as st
from lxml import etree

from sendcase.core.identity import is_uln, upn_check_letter
from sendcase.returns.exporter import header_element
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

YEAR = 2026
C = Collection(YEAR)
P0, P1, REF = C.start, C.end, C.reference_date
D = dt.timedelta
URNS = ("100001", "100002", "100003")
UKPRNS = ("10000001", "10000002")
NEED_CODES = (
    "SPLD",
    "MLD",
    "SLD",
    "PMLD",
    "SEMH",
    "SLCN",
    "HI",
    "VI",
    "MSI",
    "PD",
    "ASD",
    "DS",
    "OTH",
)
SEN_SETTINGS = ("OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO")


def build_return(persons: list[PersonRec], year: int = YEAR) -> bytes:
    """A whole SEN2 file for these persons (header timestamp fixed)."""
    root = etree.Element("Message")
    root.append(header_element(Collection(year), serial=1, now=dt.datetime(2026, 2, 1, 9, 0)))
    people = etree.SubElement(root, "Persons")
    for p in persons:
        people.append(to_element(p, "person"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def without_timestamp(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for el in root.iter("DateTime"):
        el.text = "X"
    return etree.tostring(root, encoding="UTF-8", pretty_print=True)


def canonical(xml: bytes) -> bytes:
    """Parse and re-serialise (whitespace-insensitive), timestamp removed."""
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(xml, parser)
    for el in root.iter("DateTime"):
        el.text = "X"
    return etree.tostring(root, encoding="UTF-8", pretty_print=True)


@pytest.fixture
def write_file(tmp_path: Any) -> Callable[[bytes, str], str]:
    def write(content: bytes, name: str = "sen2.xml") -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


# --- hypothesis strategies ----------------------------------------------------------------------


def dates(lo: dt.date, hi: dt.date) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=lo, max_value=max(lo, hi))


flags = st.booleans()


@st.composite
def setting_ids(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["urn", "ukprn", "both", "code"]))
    if kind == "urn":
        return {"urn": draw(st.sampled_from(URNS))}
    if kind == "ukprn":
        return {"ukprn": draw(st.sampled_from(UKPRNS))}
    if kind == "both":
        # a setting known by both numbers is always the same pair
        return {"urn": "137000", "ukprn": "10099999"}
    code = draw(st.sampled_from(SEN_SETTINGS))
    other = draw(st.none() | st.sampled_from(["Hospital school", "Tuition centre"]))
    return {"sen_setting": code, "sen_setting_other": other}


@st.composite
def plan_and_active(
    draw: Any,
    start: dt.date,
    ceased: bool,
    transfer_in: bool,
    cap: dt.date = REF,
    birth: dt.date = dt.date.min,
) -> tuple[PlanRec, ActiveRec | None]:
    plan = PlanRec(
        start_date=start,
        plan_res=draw(st.none() | st.sampled_from(["A", "B"])),
        plan_wbp=draw(flags),
        pb=draw(flags),
        oa=draw(flags),
        dp=draw(flags),
    )
    if ceased:
        plan.cease_date = draw(dates(max(start, P0), cap))
        plan.cease_reason = draw(st.sampled_from([str(i) for i in range(1, 10)]))
        for rank in ("1", "2")[: draw(st.integers(0, 2))]:
            plan.details.append(
                PlacementRec(
                    placement_rank=rank,
                    sen_unit=draw(flags),
                    resourced=draw(flags),
                    **draw(setting_ids()),
                )
            )
        return plan, None
    active = ActiveRec()
    if transfer_in:
        active.transfer_la = draw(st.none() | st.sampled_from(["201", "873"]))
    if draw(flags):
        # (a meeting on the very day the plan started is covered by its own test)
        active.review_meeting = draw(dates(start + D(days=1), REF))
        if draw(flags):
            outcome = draw(st.sampled_from(["M", "A", "C"]))
            active.review_outcome = outcome
            active.last_review = draw(
                dates(active.review_meeting, min(REF, active.review_meeting + D(days=60)))
            )
            if outcome == "A" and draw(flags):
                active.review_draft = draw(dates(active.last_review, REF))
    if draw(flags):
        active.phase_transfer_due = draw(
            # the phase transfer due in the period (the return's dates never pass the census)
            st.sampled_from([dt.date(2025, 2, 15), dt.date(2025, 3, 31)])
        )
        if draw(flags):
            active.phase_transfer_final = draw(dates(start, REF))
    codes = draw(st.lists(st.sampled_from(NEED_CODES), min_size=1, max_size=2))
    active.needs = [
        NeedRec(sen_type=code, sen_type_rank=str(i)) for i, code in enumerate(codes, start=1)
    ]
    # placements on the reference date, one per rank; each began on or before the plan, or after it
    for rank in ("1", "2")[: draw(st.integers(1, 2))]:
        before = draw(flags)
        entry = (
            draw(dates(max(start - D(days=400), birth), start))
            if before
            else draw(dates(start + D(days=1), REF))
        )
        pl = PlacementRec(
            placement_rank=rank,
            entry_date=entry,
            # a placement on the reference date leaves on it at the earliest; a later leaving
            # date is not known on the census date, so the return never gives one
            leaving_date=draw(st.none() | st.just(REF)),
            sen_unit=draw(flags),
            resourced=draw(flags),
            res=draw(flags),
            wbp=draw(flags),
            **draw(setting_ids()),
        )
        active.placements.append(pl)
        if before:
            plan.details.append(
                PlacementRec(
                    urn=pl.urn,
                    ukprn=pl.ukprn,
                    sen_setting=pl.sen_setting,
                    sen_setting_other=pl.sen_setting_other,
                    placement_rank=rank,
                    sen_unit=pl.sen_unit,
                    resourced=pl.resourced,
                )
            )
        elif rank == "1" or draw(flags):
            # named in the plan when issued, left before the census (date not in the return)
            ids = draw(setting_ids())
            old = PlacementRec(
                placement_rank=rank, sen_unit=draw(flags), resourced=draw(flags), **ids
            )
            plan.details.append(old)
    plan.details.sort(key=lambda d: d.placement_rank or "")
    return plan, active


@st.composite
def request_recs(
    draw: Any, birth: dt.date, after: dt.date, last: bool
) -> tuple[RequestRec, dt.date]:
    """One request received after `after`; returns it and the date it closed (for the next one)."""
    kinds = ["A", "W", "N", "Y-A", "Y-W", "Y-Yn", "Y-N", "Y-plan", "Y-ceased"]
    if last:
        kinds += ["H-plan", "H-ceased", "transfer-in", "transfer-ceased"] if after < P0 else []
    kind = draw(st.sampled_from(kinds if last else ["N", "W", "Y-N", "Y-W", "Y-ceased"]))
    cap = REF if last else P1 - D(days=60)  # an earlier request closes in time for the next
    if kind.startswith("transfer"):
        start = draw(dates(max(birth, dt.date(2015, 1, 1)), REF - D(days=2)))
        if kind == "transfer-ceased":
            start = min(start, P1 - D(days=5))
        plan, active = draw(plan_and_active(start, kind == "transfer-ceased", True, birth=birth))
        a = AssessmentRec(
            assessment_outcome="H",
            assessment_mediation=draw(flags),
            assessment_tribunal=draw(flags),
            other_mediation=draw(flags),
            other_tribunal=draw(flags),
            plan=plan,
        )
        return RequestRec(request_outcome="H", assessment=a, active=active), REF
    if kind.startswith("H"):
        received = draw(dates(max(birth, dt.date(2015, 1, 1)), P0 - D(days=1)))
        r = RequestRec(
            received_date=received,
            request_source=draw(st.none() | st.sampled_from(["1", "2", "3", "4", "5"])),
            rya=draw(flags),
            request_outcome="H",
            exported=draw(flags),
        )
        historical = draw(flags)
        if historical:
            start = draw(dates(received, P0 - D(days=1)))
            a = AssessmentRec(assessment_outcome="H")
        else:
            start = draw(dates(max(received, P0), REF - D(days=2)))
            a = AssessmentRec(
                assessment_outcome="Y", assessment_outcome_date=start, week20=draw(flags)
            )
        a.assessment_mediation, a.assessment_tribunal = draw(flags), draw(flags)
        a.other_mediation, a.other_tribunal = draw(flags), draw(flags)
        if kind == "H-ceased":
            start = min(start, P1 - D(days=5))
            if a.assessment_outcome_date:
                a.assessment_outcome_date = start
        a.plan, r.active = draw(plan_and_active(start, kind == "H-ceased", False, birth=birth))
        r.assessment = a
        return r, REF
    received = draw(dates(max(after + D(days=1), birth, P0), min(cap, P1 - D(days=10))))
    r = RequestRec(
        received_date=received,
        request_source=draw(st.sampled_from(["1", "2", "3", "4", "5"])),
        rya=draw(flags),
        exported=draw(flags),
    )
    if kind == "A":
        r.request_outcome = "A"
        return r, REF
    if kind == "W":
        r.request_outcome = "W"
        return r, received
    decided = draw(dates(received, min(cap - D(days=3), received + D(days=80))))
    r.request_outcome_date = decided
    r.request_mediation, r.request_tribunal = draw(flags), draw(flags)
    if kind == "N":
        r.request_outcome = "N"
        return r, decided
    r.request_outcome = "Y"
    a = AssessmentRec()
    r.assessment = a
    if kind in ("Y-A", "Y-W"):
        a.assessment_outcome = kind[-1]
        return r, decided if kind == "Y-W" else REF
    a.assessment_mediation, a.assessment_tribunal = draw(flags), draw(flags)
    a.other_mediation, a.other_tribunal = draw(flags), draw(flags)
    if kind == "Y-Yn":
        a.assessment_outcome = "Y"
        return r, REF
    if kind == "Y-N":
        a.assessment_outcome = "N"
        a.assessment_outcome_date = draw(dates(decided, min(cap, decided + D(days=120))))
        return r, a.assessment_outcome_date
    hi = REF - D(days=2) if kind == "Y-plan" else min(cap, P1 - D(days=5))
    issued = draw(dates(decided, min(hi, received + D(days=250))))
    a.assessment_outcome, a.assessment_outcome_date, a.week20 = "Y", issued, draw(flags)
    a.plan, r.active = draw(plan_and_active(issued, kind == "Y-ceased", False, cap, birth=birth))
    return r, (a.plan.cease_date or REF)


@st.composite
def person_recs(draw: Any) -> PersonRec:
    birth = draw(dates(dt.date(2000, 1, 2), dt.date(2022, 6, 1)))
    p = PersonRec(
        surname=draw(st.sampled_from(["Smith", "Jones", "O'Brien", "Ng", "Évora"])),
        forename=draw(st.sampled_from(["Alex", "Sam", "Priya", "Zoë"])),
        birth_date=birth,
        sex=draw(st.sampled_from(["M", "F", "U"])),
        ethnicity=draw(st.none() | st.sampled_from(["WBRI", "ASIA", "MWBC"])),
        postcode=draw(st.none() | st.sampled_from(["HR1 1AA", "M1 2AB"])),
    )
    count = draw(st.integers(1, 2))
    after = birth - D(days=1)
    for i in range(count):
        req, closed = draw(request_recs(birth, after, last=i == count - 1))
        p.requests.append(req)
        after = closed
    return p


def _uln(i: int) -> str:
    """The i-th of a run of real ULNs (check digit right): from the 9 digits 900000000 + 2i or the
    next (two bodies in a row never both lack a check digit)."""
    body = 900000000 + 2 * i
    return next(u for b in (body, body + 1) for u in (f"{b}{d}" for d in range(10)) if is_uln(u))


@st.composite
def returns(draw: Any, max_size: int = 6) -> list[PersonRec]:
    persons = draw(st.lists(person_recs(), min_size=1, max_size=max_size))
    for i, p in enumerate(persons, start=1):
        kind = draw(st.sampled_from(["upn", "uln", "unknown"]))
        if kind == "upn":
            body = f"{i:011d}{draw(st.sampled_from('0123456789ABC'))}"
            p.upn = upn_check_letter(f"?{body}") + body
        elif kind == "uln":
            p.uln = _uln(i)
        else:
            p.upn_unknown = draw(st.sampled_from(["UN1", "UN2", "UN10"]))
            p.forename = (
                f"{p.forename}{chr(65 + i % 26)}{i}"  # name + birth date must identify them
            )
    return persons


@pytest.fixture
def sample_persons() -> Callable[[], list[PersonRec]]:
    """A small hand-written return covering every module."""

    def make() -> list[PersonRec]:
        return [
            PersonRec(
                surname="Example",
                forename="Alex",
                birth_date=dt.date(2015, 3, 14),
                sex="M",
                ethnicity="WBRI",
                postcode="HR1 1AA",
                upn="L12345678901B",
                requests=[
                    RequestRec(
                        received_date=dt.date(2025, 1, 6),
                        request_source="1",
                        rya=False,
                        request_outcome_date=dt.date(2025, 2, 10),
                        request_outcome="Y",
                        request_mediation=False,
                        request_tribunal=False,
                        exported=False,
                        assessment=AssessmentRec(
                            assessment_outcome="Y",
                            assessment_outcome_date=dt.date(2025, 5, 20),
                            assessment_mediation=False,
                            assessment_tribunal=False,
                            other_mediation=False,
                            other_tribunal=False,
                            week20=False,
                            plan=PlanRec(
                                start_date=dt.date(2025, 5, 20),
                                plan_wbp=False,
                                pb=True,
                                oa=False,
                                dp=False,
                                details=[
                                    PlacementRec(
                                        urn="100001",
                                        placement_rank="1",
                                        sen_unit=False,
                                        resourced=False,
                                    )
                                ],
                            ),
                        ),
                        active=ActiveRec(
                            review_meeting=dt.date(2025, 12, 1),
                            review_outcome="M",
                            last_review=dt.date(2025, 12, 20),
                            placements=[
                                PlacementRec(
                                    urn="100001",
                                    placement_rank="1",
                                    entry_date=dt.date(2023, 9, 1),
                                    sen_unit=False,
                                    resourced=False,
                                    res=False,
                                    wbp=False,
                                )
                            ],
                            needs=[
                                NeedRec(sen_type="ASD", sen_type_rank="1"),
                                NeedRec(sen_type="SLCN", sen_type_rank="2"),
                            ],
                        ),
                    )
                ],
            ),
            PersonRec(
                surname="Sample",
                forename="Sam",
                birth_date=dt.date(2012, 7, 1),
                sex="F",
                uln="1234567899",
                requests=[
                    RequestRec(
                        received_date=dt.date(2025, 3, 3),
                        request_source="2",
                        rya=False,
                        request_outcome_date=dt.date(2025, 4, 28),
                        request_outcome="N",
                        request_mediation=True,
                        request_tribunal=False,
                        exported=False,
                    )
                ],
            ),
            PersonRec(
                surname="Transfer",
                forename="Tia",
                birth_date=dt.date(2010, 1, 1),
                sex="F",
                upn_unknown="UN2",
                requests=[
                    RequestRec(
                        request_outcome="H",
                        assessment=AssessmentRec(
                            assessment_outcome="H",
                            assessment_mediation=False,
                            assessment_tribunal=False,
                            other_mediation=False,
                            other_tribunal=False,
                            plan=PlanRec(
                                start_date=dt.date(2024, 6, 1),
                                plan_res="A",
                                plan_wbp=False,
                                pb=False,
                                oa=False,
                                dp=False,
                                details=[
                                    PlacementRec(
                                        sen_setting="OTH",
                                        sen_setting_other="Hospital school",
                                        placement_rank="1",
                                        sen_unit=False,
                                        resourced=False,
                                    )
                                ],
                            ),
                        ),
                        active=ActiveRec(
                            transfer_la="201",
                            placements=[
                                PlacementRec(
                                    urn="100002",
                                    placement_rank="1",
                                    entry_date=dt.date(2025, 9, 1),
                                    sen_unit=True,
                                    resourced=False,
                                    res=False,
                                    wbp=False,
                                )
                            ],
                            needs=[NeedRec(sen_type="SEMH", sen_type_rank="1")],
                        ),
                    )
                ],
            ),
        ]

    return make


def xml_date(el: Any, tag: str) -> dt.date | None:
    """A child element's date, read from the XML alone (for counting a return as DfE does)."""
    found = el.find(tag)
    return dt.date.fromisoformat(found.text) if found is not None and found.text else None


def xml_text(el: Any, tag: str) -> str | None:
    found = el.find(tag)
    return found.text if found is not None else None
