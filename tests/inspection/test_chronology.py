"""The deep-dive chronology: everything in date order, each step on time or late against
its stored deadline, the current plan; HTML and a tagged PDF; audited; only for those who may
see the child."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from sendcase.casework.models import Deadline, StatutoryEvent
from sendcase.casework.scenarios import build_case, phone_call
from sendcase.core.models import AuditEntry
from sendcase.inspection import chronology as chron


def test_everything_in_date_order_with_each_step_marked(officer) -> None:
    today = dt.date.today()
    case = build_case(stage="reviewed", officer=officer, weeks_ago=80, today=today)
    phone_call(case, officer)
    c = chron.build(case.child)
    dates = [e.date for e in c.entries]
    assert dates == sorted(dates)
    assert (
        sum(1 for e in c.entries if e.kind == "Statutory step")
        == StatutoryEvent.objects.filter(case=case).count()
    )
    assert any(e.kind == "Contact" for e in c.entries)
    assert any(e.kind == "Plan" for e in c.entries)
    stored = Deadline.objects.filter(case=case)
    assert len(c.steps) == stored.count()
    for step, d in zip(c.steps, stored.order_by("due", "key", "pk"), strict=True):
        assert (step.due, step.status) == (d.due, d.status)
    assert c.version is not None and c.sections


def test_a_late_step_says_late(officer) -> None:
    # a request 30 weeks ago still undecided: the 6-week decision is overdue
    case = build_case(stage="requested", officer=officer, weeks_ago=30)
    c = chron.build(case.child)
    late = [s for s in c.steps if s.verdict[0].startswith("Late")]
    assert late and c.late == len(late)


def test_html_and_pdf_audited_and_refused_to_outsiders(
    officer, outsider, data_officer, finance, client_for
) -> None:
    case = build_case(stage="plan", officer=officer, weeks_ago=40)
    url = f"/inspection/children/{case.child.pk}/chronology/"
    page = client_for(officer).get(url)
    assert page.status_code == 200
    assert "On time" in page.content.decode() or "Late" in page.content.decode()
    pdf = client_for(data_officer).get(url.rstrip("/") + ".pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert case.reference in text and case.child.full_name in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
    views = AuditEntry.objects.filter(
        action="view", object_type="casework.child", object_id=str(case.child.pk)
    )
    assert views.count() == 2
    for refused in (outsider, finance):
        assert client_for(refused).get(url).status_code == 404
        assert client_for(refused).get(url.rstrip("/") + ".pdf").status_code == 404
