"""The strategy tracker and the self-evaluation bulletin: the screens save through one action
(audited, refused when stale, bad input refused in plain words with nothing written), the
bulletin's figures are the measure registry's, with England and the neighbours from DfE's
published figures, and the PDF is tagged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from sendcase.casework.scenarios import build_case
from sendcase.core.actors import SystemActor
from sendcase.core.locking import StaleRecord
from sendcase.core.models import AuditEntry
from sendcase.inspection import bulletin as b
from sendcase.inspection.demo import seed_strategy
from sendcase.inspection.models import Rag, Strategy, StrategyAction, StrategyOutcome, Workstream
from sendcase.inspection.strategy import save_record
from sendcase.reporting import queries as ees
from sendcase.reporting.domain import measures as m
from sendcase.reporting.models import EESArea, EESFigure, EESRelease


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 4, 30)),
        (dt.date(2025, 4, 30), dt.date(2025, 1, 1), dt.date(2025, 4, 30)),
        (dt.date(2025, 5, 1), dt.date(2025, 5, 1), dt.date(2025, 8, 31)),
        (dt.date(2025, 12, 31), dt.date(2025, 9, 1), dt.date(2025, 12, 31)),
    ],
    ids=["new-year", "end-april", "may", "new-years-eve"],
)
def test_terms(day: dt.date, start: dt.date, end: dt.date) -> None:
    term = b.term_containing(day)
    assert (term.start, term.end) == (start, end)
    assert b.term_before(b.term_containing(dt.date(2025, 1, 10))).start == dt.date(2024, 9, 1)


def _strategy() -> tuple[Strategy, StrategyOutcome, Workstream]:
    actor = SystemActor("test")
    s = save_record(Strategy(), {"title": "SEND strategy", "neighbours": ["E06000051"]}, actor=actor, expected_version=0)  # fmt: skip
    o = save_record(StrategyOutcome(strategy=s), {"number": 1, "title": "Needs assessed on time", "measures": ["request_decisions_within_6_weeks", "requests_received"]}, actor=actor, expected_version=0)  # fmt: skip
    w = save_record(Workstream(strategy=s), {"outcome": o, "title": "Timeliness", "lead": "Head of SEND"}, actor=actor, expected_version=0)  # fmt: skip
    return s, o, w  # type: ignore[return-value]


def _published(year: int) -> None:
    release = EESRelease.objects.create(filename="x.zip", sha256="0" * 64)
    EESArea.objects.create(code=ees.ENGLAND, level="national", name="England")
    EESArea.objects.create(code="E06000051", level="local", name="Shropshire")
    dfe = m.BY_KEY["request_decisions_within_6_weeks"].dfe
    assert dfe is not None
    for area, value in ((ees.ENGLAND, 48.5), ("E06000051", 70.0)):
        EESFigure.objects.create(release=release, table=dfe.table, time_period=str(year), area_code=area, measure=dfe.pc, value=value)  # fmt: skip
    EESFigure.objects.create(release=release, table="timeliness_20_week", time_period=str(year), area_code=ees.ENGLAND, measure="x", value=1)  # fmt: skip


def test_bulletin_headlines_match_the_registry_and_dfe(officer) -> None:
    today = dt.date.today()
    term = b.term_containing(today)
    build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    _s, _o, w = _strategy()
    save_record(StrategyAction(workstream=w), {"title": "Track advice", "owner": "Team manager", "due_on": term.start, "status": Rag.RED, "measures": ["plans_issued_within_20_weeks"]}, actor=SystemActor("t"), expected_version=0)  # fmt: skip
    _published(term.end.year - 1)
    got = b.build(term)
    assert got is not None
    [section] = got.sections
    keys = [h.definition.key for h in section.headlines]
    assert keys == ["request_decisions_within_6_weeks", "requests_received", "plans_issued_within_20_weeks"]  # fmt: skip
    for h in section.headlines:
        for got_, period in ((h.now, term), (h.before, b.term_before(term))):
            want = m.measure(h.definition, period)
            assert (got_.numerator, got_.denominator) == (want.numerator, want.denominator)
    assert any(h.now.numerator or h.before.numerator for h in section.headlines)
    ratio = section.headlines[0]
    assert (ratio.england, ratio.neighbours, ratio.year) == (48.5, 70.0, term.end.year - 1)
    assert section.headlines[1].england is None  # a count is not compared between councils
    [progress] = section.progress
    assert [a.title for a in progress.overdue] == ["Track advice"]
    assert ("Red", "govuk-tag--red", 1) in progress.counts


def test_save_is_audited_and_refused_when_stale(db: None) -> None:
    s, o, _w = _strategy()
    assert AuditEntry.objects.filter(object_type="inspection.strategyoutcome", action="create").count() == 1  # fmt: skip
    save_record(o, {"title": "Changed"}, actor=SystemActor("a"), expected_version=0)
    entry = AuditEntry.objects.filter(object_type="inspection.strategyoutcome", action="update").get()  # fmt: skip
    assert entry.payload["before"]["title"] == "Needs assessed on time"
    with pytest.raises(StaleRecord):
        save_record(o, {"title": "Again"}, actor=SystemActor("b"), expected_version=0)
    o.refresh_from_db()
    assert (o.title, o.version) == ("Changed", 1)


def test_screens_save_and_refuse_bad_input(head, client_for) -> None:
    c = client_for(head)
    r = c.post("/inspection/strategy/change/", {"title": "SEND strategy 2025 to 2028", "vision": "", "version": "0"})  # fmt: skip
    assert r.status_code == 302
    r = c.post("/inspection/strategy/outcomes/new/", {"number": "1", "title": "Timely", "measures": ["new_plans"], "version": "0"})  # fmt: skip
    assert r.status_code == 302
    outcome = StrategyOutcome.objects.get()
    r = c.post("/inspection/strategy/outcomes/new/", {"number": "1", "title": "Again", "version": "0"})  # fmt: skip
    assert "Another outcome is already number 1" in r.content.decode()
    r = c.post("/inspection/strategy/workstreams/new/", {"title": "W", "lead": "L", "outcome": str(outcome.pk), "version": "0"})  # fmt: skip
    assert r.status_code == 302
    w = Workstream.objects.get()
    url = f"/inspection/strategy/actions/new/?workstream={w.pk}"
    r = c.post(url, {"title": "A", "owner": "O", "due_on_day": "31", "due_on_month": "2", "due_on_year": "2026", "status": "red", "version": "0"})  # fmt: skip
    page = r.content.decode()
    assert "govuk-error-summary" in page and "Traceback" not in page
    assert not StrategyAction.objects.exists()
    r = c.post(url, {"title": "A", "owner": "O", "due_on_day": "28", "due_on_month": "2", "due_on_year": "2026", "status": "amber", "version": "0"})  # fmt: skip
    assert r.status_code == 302
    action = StrategyAction.objects.get()
    assert (action.status, action.due_on) == ("amber", dt.date(2026, 2, 28))
    tracker = c.get("/inspection/strategy/").content.decode()
    assert "SEND strategy 2025 to 2028" in tracker and "Amber" in tracker


def test_demo_strategy_and_its_bulletin_pdf(officer, head, client_for) -> None:
    today = dt.date.today()
    build_case(stage="plan", officer=officer, weeks_ago=40, today=today)
    seed_strategy(today=today)
    assert StrategyOutcome.objects.count() == 5
    assert Workstream.objects.count() == 8
    assert StrategyAction.objects.count() >= 16
    term = b.recent_terms(today)[1]
    page = client_for(head).get(f"/inspection/bulletin/?term={term.start.isoformat()}")
    html = page.content.decode()
    assert "Outcome 5: For you to feel valued, visible and included" in html
    assert "Requests for assessment keep rising" in html  # the demo's commentary
    pdf = client_for(head).get(f"/inspection/bulletin/bulletin.pdf?term={term.start.isoformat()}")
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Self-evaluation bulletin" in text and "Outcome 1" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
