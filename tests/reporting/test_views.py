"""The report screens: who sees what, drill-down and its audit, query counts, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from sendcase.accounts.models import Role, User
from sendcase.casework.domain.assessment import open_case_from_request
from sendcase.core.models import AuditEntry
from sendcase.reporting.models import CommitteeCommentary

D = dt.date


def _user(username: str, role: str, team: Any = None) -> User:
    return User.objects.create_user(
        username=username, password="x" * 12, role=role, team=team, first_name=username.title()
    )


@pytest.fixture
def data_officer(db: None) -> User:
    return _user("data", Role.DATA_OFFICER)


@pytest.fixture
def finance(db: None) -> User:
    return _user("finance", Role.FINANCE_OFFICER)


def cases_url(
    measure: str,
    part: str = "all",
    start: str = "2024-01-01",
    end: str = "2024-12-31",
    **extra: str,
) -> str:
    return (
        reverse("reporting:cases")
        + "?"
        + urlencode({"measure": measure, "part": part, "from": start, "to": end, **extra})
    )


@pytest.fixture
def two_teams(officer: Any, outsider: Any, build: Any) -> dict[str, Any]:
    received = D(2024, 2, 5)
    return {
        "mine_late": build.plan_case(officer, received, received + dt.timedelta(days=150)),
        "mine_on_time": build.plan_case(officer, received, received + dt.timedelta(days=100)),
        "theirs_late": build.plan_case(outsider, received, received + dt.timedelta(days=160)),
    }


# --- Access --------------------------------------------------------------------------------

PAGES = [
    "reporting:dashboard",
    "reporting:committee",
    "reporting:questions",
    "reporting:comparators",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("head", [200, 200, 200, 200]),
        ("manager", [200, 200, 200, 200]),
        ("admin_user", [200, 200, 200, 200]),
        ("data_officer", [200, 200, 200, 200]),
        ("finance", [200, 200, 200, 200]),
        ("officer", [200, 404, 404, 404]),
    ],
)
def test_who_sees_which_report_page(
    request: Any, client_for: Any, who: str, expected: list[int]
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert [client.get(reverse(name)).status_code for name in PAGES] == expected


def test_signed_out_people_are_sent_to_sign_in(client: Any, db: None) -> None:
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_case_officer_without_a_team_gets_404(client_for: Any, db: None) -> None:
    loner = _user("loner", Role.CASE_OFFICER)
    assert client_for(loner).get(reverse("reporting:dashboard")).status_code == 404


def test_case_officer_sees_only_their_team_and_cannot_ask_for_another(
    client_for: Any, officer: Any, outsider: Any, two_teams: dict[str, Any]
) -> None:
    client = client_for(officer)
    page = client.get(reverse("reporting:dashboard") + "?kind=calendar&years=3").content.decode()
    assert "You see your own team" in page
    # Another team's figures or drill-down: 404.
    assert (
        client.get(reverse("reporting:dashboard") + f"?team={outsider.team_id}").status_code == 404
    )
    assert (
        client.get(
            cases_url("plans_issued_within_20_weeks", "outside", team=str(outsider.team_id))
        ).status_code
        == 404
    )
    # Their own drill-down lists only their team's late plan.
    listed = client.get(cases_url("plans_issued_within_20_weeks", "outside")).content.decode()
    assert two_teams["mine_late"].reference in listed
    assert two_teams["theirs_late"].reference not in listed


def test_team_manager_sees_council_figures_but_lists_only_their_team(
    client_for: Any, manager: Any, two_teams: dict[str, Any]
) -> None:
    page = (
        client_for(manager)
        .get(cases_url("plans_issued_within_20_weeks", "outside"))
        .content.decode()
    )
    assert two_teams["mine_late"].reference in page
    assert two_teams["theirs_late"].reference not in page
    assert "1 more is a case you cannot open" in page


def test_finance_officers_see_figures_but_no_lists_of_children(
    client_for: Any, finance: Any, two_teams: dict[str, Any]
) -> None:
    client = client_for(finance)
    page = client.get(reverse("reporting:dashboard"))
    assert page.status_code == 200
    # No figure leads to a page they may not open.
    assert "/reports/cases/" not in page.content.decode()
    committee = client.get(reverse("reporting:committee"))
    assert committee.status_code == 200 and "/reports/cases/" not in committee.content.decode()
    assert client.get(cases_url("plans_issued_within_20_weeks", "outside")).status_code == 404


def test_the_committee_report_links_its_figures_for_those_who_may_see_the_lists(
    client_for: Any, head: Any, two_teams: dict[str, Any]
) -> None:
    page = client_for(head).get(reverse("reporting:committee")).content.decode()
    assert "/reports/cases/" in page


def test_the_filters_show_the_years_the_figures_use(client_for: Any, head: Any) -> None:
    html = client_for(head).get(reverse("reporting:dashboard")).content.decode()
    assert '<option value="academic" selected>' in html
    assert '<option value="5" selected>' in html
    html = client_for(head).get(reverse("reporting:committee")).content.decode()
    assert '<option value="academic" selected>' in html


@pytest.mark.parametrize(
    "query",
    [
        {"measure": "nonsense", "from": "2024-01-01", "to": "2024-12-31"},
        {
            "measure": "requests_received",
            "part": "outside",
            "from": "2024-01-01",
            "to": "2024-12-31",
        },
        {"measure": "requests_received", "from": "2024-02-30", "to": "2024-12-31"},
        {"measure": "requests_received", "from": "2024-12-31", "to": "2024-01-01"},
    ],
)
def test_bad_drilldown_requests_are_404(client_for: Any, head: Any, query: dict[str, str]) -> None:
    assert (
        client_for(head).get(reverse("reporting:cases") + "?" + urlencode(query)).status_code == 404
    )


# --- Drill-down ------------------------------------------------------------------------------


def test_click_the_percentage_and_see_the_late_plans_each_linking_to_its_case(
    client_for: Any, head: Any, two_teams: dict[str, Any]
) -> None:
    client = client_for(head)
    dashboard = client.get(
        reverse("reporting:dashboard") + "?kind=calendar&years=3"
    ).content.decode()
    late_link = (
        cases_url("plans_issued_within_20_weeks", "outside").split("?")[1].replace("&", "&amp;")
    )
    assert late_link in dashboard
    page = client.get(cases_url("plans_issued_within_20_weeks", "outside")).content.decode()
    for key in ("mine_late", "theirs_late"):
        case = two_teams[key]
        assert reverse("casework:case", args=[case.pk]) in page
    assert two_teams["mine_on_time"].reference not in page
    assert "150" in page and "160" in page  # days taken


def test_drilldown_is_audited_in_each_childs_history(
    client_for: Any, head: Any, two_teams: dict[str, Any]
) -> None:
    client_for(head).get(cases_url("plans_issued_within_20_weeks", "outside"))
    entries = AuditEntry.objects.filter(actor=head, action="view", object_type="casework.case")
    assert {e.case_id for e in entries} == {two_teams["mine_late"].pk, two_teams["theirs_late"].pk}
    assert all("Listed in a report" in e.summary for e in entries)


@pytest.mark.parametrize("n", [1, 3])
def test_drilldown_query_count_does_not_grow_with_rows(
    client_for: Any, head: Any, officer: Any, build: Any, django_assert_num_queries: Any, n: int
) -> None:
    for i in range(n):
        build.plan_case(officer, D(2024, 2, 5), D(2024, 7, 1) + dt.timedelta(days=i))
    client = client_for(head)
    url = cases_url("plans_issued_within_20_weeks", "all")
    client.get(url)
    # session, user, OTP device, paginator count, page of rows, audit insert
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("EHC-24-") == n


@pytest.mark.parametrize("n", [1, 3])
def test_dashboard_query_count_does_not_grow_with_cases(
    client_for: Any, head: Any, officer: Any, build: Any, django_assert_num_queries: Any, n: int
) -> None:
    for i in range(n):
        build.plan_case(officer, D(2024, 2, 5), D(2024, 7, 1) + dt.timedelta(days=i))
    client = client_for(head)
    url = reverse("reporting:dashboard") + "?kind=calendar&years=5"
    client.get(url)
    # session, user, OTP device, EES check, 9 ratio series, 5 count series, the requests undecided
    # after 6 weeks beside that figure, caseload (open cases and plans by officer, each with its
    # officer names), team and officer choices; the two measures counted on a date (plans
    # maintained, review decisions) take one query per year, 5 each, where the others take one
    with django_assert_num_queries(33):
        response = client.get(url)
    assert response.status_code == 200


def test_the_6_week_figure_shows_the_requests_still_undecided_after_6_weeks(
    client_for: Any, head: Any, officer: Any, build: Any
) -> None:
    """A part-year counts only decided requests in its 6-week figure: the late undecided ones
    are counted beside it, with a link to them."""
    today = D(2026, 7, 1)
    waiting = build.request(officer, D(2026, 1, 5))
    build.request(officer, D(2026, 1, 6))
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        recent = open_case_from_request(
            build.child(), received_on=D(2026, 6, 20), source=1, actor=officer, today=today
        )
        client = client_for(head)
        page = client.get(
            reverse("reporting:dashboard") + "?kind=calendar&years=2"
        ).content.decode()
        beside = page.split('id="beside-request_decisions_within_6_weeks"', 1)[1].split("</p>")[0]
        assert ">2 requests undecided after 6 weeks<" in beside
        link = beside.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        assert "measure=requests_undecided_past_6_weeks" in link and "to=2026-07-01" in link
        listed = client.get(link).content.decode()
    assert reverse("casework:case", args=[waiting.pk]) in listed
    assert reverse("casework:case", args=[recent.pk]) not in listed


def test_dashboard_works_without_javascript_and_has_data_tables_beside_charts(
    client_for: Any, head: Any, two_teams: dict[str, Any]
) -> None:
    page = (
        client_for(head)
        .get(reverse("reporting:dashboard") + "?kind=calendar&years=3")
        .content.decode()
    )
    assert page.count('<svg class="app-report-chart"') == page.count(" by year</caption>") == 14
    assert "<script" not in page.split("<main")[1].split("</main>")[0]
    assert "33.3%" in page  # 1 of 3 plans on time in 2024


# --- Committee report -------------------------------------------------------------------------


def test_committee_report_commentary_goes_into_the_report_and_the_pdf(
    client_for: Any, head: Any, two_teams: dict[str, Any]
) -> None:
    client = client_for(head)
    url = reverse("reporting:committee") + "?kind=calendar&first=2023&last=2024"
    page = client.get(url).content.decode()
    assert "% Plans issued within 20 weeks" in page
    assert 'name="version" value="0"' in page
    response = client.post(url, {"text": "Performance fell because of EP shortages.", "version": 0})
    assert response.status_code == 302
    assert CommitteeCommentary.objects.get().text == "Performance fell because of EP shortages."
    assert "EP shortages" in client.get(url).content.decode()
    pdf = client.get(reverse("reporting:committee_pdf") + "?kind=calendar&first=2023&last=2024")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def _tags(node: Any, out: list[str]) -> list[str]:
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            _tags(kid, out)
        return out
    if hasattr(node, "get"):
        if node.get("/S") is not None:
            out.append(str(node.get("/S")))
        if node.get("/K") is not None:
            _tags(node.get("/K"), out)
    return out


def test_committee_pdf_is_tagged(client_for: Any, head: Any, two_teams: dict[str, Any]) -> None:
    response = client_for(head).get(
        reverse("reporting:committee_pdf") + "?kind=calendar&first=2023&last=2024"
    )
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title.startswith("SEND service performance")
    tags = _tags(root["/StructTreeRoot"], [])
    assert tags.count("/H1") == 1
    assert tags.count("/H2") >= 6  # the numbered sections and how the figures are counted
    assert "/Table" in tags and "/TH" in tags and "/TD" in tags
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "1. Performance against the statutory time limits" in text
    assert "Plans issued within 20 weeks (%)" in text


def test_a_concurrent_commentary_save_is_refused_with_the_other_text_and_both_are_audited(
    client_for: Any, head: Any, data_officer: Any
) -> None:
    """Two people open the commentary; the second save is refused, showing the first's text and
    keeping the second's; saving again then goes through. The audit rows keep the text."""
    url = reverse("reporting:committee") + "?kind=calendar&first=2023&last=2024"
    first, second = client_for(head), client_for(data_officer)
    for client in (first, second):
        assert 'name="version" value="0"' in client.get(url).content.decode()
    assert first.post(url, {"text": "Tribunal appeals rose.", "version": 0}).status_code == 302

    refused = second.post(url, {"text": "EP advice was late.", "version": 0})
    page = refused.content.decode()
    assert refused.status_code == 200 and "There is a problem" in page
    assert "Someone else saved the commentary while you were writing" in page
    assert f"{head} at " in page and "saved: Tribunal appeals rose." in page
    assert "EP advice was late.</textarea>" in page  # what they wrote is kept
    assert 'name="version" value="1"' in page
    assert CommitteeCommentary.objects.get().text == "Tribunal appeals rose."

    merged = "Tribunal appeals rose. EP advice was late."
    assert second.post(url, {"text": merged, "version": 1}).status_code == 302
    row = CommitteeCommentary.objects.get()
    assert (row.text, row.version, row.updated_by) == (merged, 2, data_officer)
    saves = AuditEntry.objects.filter(object_type="reporting.committeecommentary").order_by("pk")
    assert [(e.actor, e.payload["text"], e.payload["before"]) for e in saves] == [
        (head, "Tribunal appeals rose.", ""),
        (data_officer, merged, "Tribunal appeals rose."),
    ]


def test_finance_officer_may_read_but_not_write_the_commentary(
    client_for: Any, finance: Any
) -> None:
    url = reverse("reporting:committee") + "?kind=calendar&first=2023&last=2024"
    assert client_for(finance).post(url, {"text": "x"}).status_code == 404
    assert not CommitteeCommentary.objects.exists()


def test_committee_report_rejects_years_in_the_wrong_order(client_for: Any, head: Any) -> None:
    page = (
        client_for(head)
        .get(reverse("reporting:committee") + "?kind=calendar&first=2024&last=2020")
        .content.decode()
    )
    assert "The first year must be the same as or before the last year" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("count=bogus&kind=calendar&first=2020&last=2024", "Select what to count"),
        (
            "count=requests_received&kind=calendar&first=1900&last=2024",
            "Enter the first year as 4 numbers, from 2000 to 2100",
        ),
        (
            "count=requests_received&kind=calendar&first=abc&last=2024",
            "Enter the first year as 4 numbers, from 2000 to 2100",
        ),
        ("count=requests_received&kind=calendar&first=2020", "Enter the last year"),
    ],
)
def test_questions_bad_input_in_govuk_wording(
    client_for: Any, head: Any, query: str, message: str
) -> None:
    page = client_for(head).get(reverse("reporting:questions") + "?" + query).content.decode()
    assert message in page
    assert "Select a valid choice" not in page and "Ensure this value" not in page


# --- Questions and exports ------------------------------------------------------------------------


def test_questions_count_plans_by_need_over_years_and_export(
    client_for: Any, head: Any, officer: Any, build: Any
) -> None:
    build.plan_case(officer, D(2023, 1, 9), D(2023, 5, 1), need="ASD")
    build.plan_case(officer, D(2024, 1, 9), D(2024, 5, 1), need="SEMH")
    build.plan_case(officer, D(2024, 1, 9), D(2024, 5, 2), need="ASD")
    client = client_for(head)
    query = {
        "count": "new_plans",
        "by": "primary_need",
        "kind": "calendar",
        "first": "2022",
        "last": "2024",
    }
    page = client.get(reverse("reporting:questions") + "?" + urlencode(query)).content.decode()
    assert "Autistic spectrum disorder" in page
    csv_text = client.get(
        reverse("reporting:questions") + "?" + urlencode({**query, "format": "csv"})
    ).content.decode()
    lines = list(csv.reader(io.StringIO(csv_text)))
    assert lines[0] == [
        "Year",
        "Social, emotional and mental health",
        "Autistic spectrum disorder",
        "Total",
    ]
    assert lines[1:] == [["2022", "0", "0", "0"], ["2023", "0", "1", "1"], ["2024", "1", "1", "2"]]
    xlsx = client.get(reverse("reporting:questions") + "?" + urlencode({**query, "format": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[4]] == ["2024", 1, 1, 2]
    assert AuditEntry.objects.filter(action="export", actor=head).count() == 2


def test_questions_form_errors_in_govuk_wording(client_for: Any, head: Any) -> None:
    page = (
        client_for(head)
        .get(
            reverse("reporting:questions")
            + "?count=requests_received&kind=calendar&first=2025&last=2020"
        )
        .content.decode()
    )
    assert "The first year must be the same as or before the last year" in page


# --- England alongside and comparators ---------------------------------------------------------


@pytest.fixture
def published(db: None) -> None:
    from sendcase.reporting.models import EESArea, EESFigure, EESRelease

    release = EESRelease.objects.create(filename="test.zip", sha256="0" * 64)
    areas = [
        ("E92000001", "national", "England", "", ""),
        ("E12000004", "regional", "East Midlands", "", ""),
        ("E06000017", "local", "Rutland", "857", "E12000004"),
        ("E06000018", "local", "Nottingham", "892", "E12000004"),
    ]
    for code, level, name, la, region in areas:
        EESArea.objects.create(code=code, level=level, name=name, la_code=la, region_code=region)
    for i, (code, *_rest) in enumerate(areas):
        for year in ("2023", "2024"):
            EESFigure.objects.create(
                release=release,
                table="timeliness_20_week",
                time_period=year,
                area_code=code,
                measure="pc_plans_issued_within_20_weeks",
                value=40.0 + i,
            )
            EESFigure.objects.create(
                release=release,
                table="timeliness_20_week",
                time_period=year,
                area_code=code,
                measure="plans_issued_den",
                value=100.0 * (i + 1),
            )


def test_comparator_picks_are_stored_and_shown_beside_england(
    client_for: Any, head: Any, published: None, two_teams: dict[str, Any]
) -> None:
    from sendcase.reporting.models import ComparatorChoice

    client = client_for(head)
    response = client.post(
        reverse("reporting:comparators"), {"region": "E12000004", "councils": ["E06000018"]}
    )
    assert response.status_code == 302
    choice = ComparatorChoice.objects.get(user=head)
    assert (choice.region_code, choice.area_codes) == ("E12000004", ["E06000018"])
    page = client.get(reverse("reporting:dashboard") + "?kind=calendar&years=3").content.decode()
    england = page.split('id="england"')[1]
    assert "East Midlands" in england and "Nottingham" in england
    assert "40.0%" in england and "41.0%" in england and "43.0%" in england
    committee = client.get(
        reverse("reporting:committee") + "?kind=calendar&first=2023&last=2024"
    ).content.decode()
    assert "Beside England" in committee and "Nottingham" in committee


def test_too_many_comparators_is_refused_in_plain_words(
    client_for: Any, head: Any, published: None
) -> None:
    page = (
        client_for(head)
        .post(reverse("reporting:comparators"), {"councils": ["E06000017"] * 11})
        .content.decode()
    )
    assert "Choose 10 comparator councils or fewer" in page


@pytest.mark.parametrize(
    "query, says",
    [
        ("", "The start date"),
        ("?from=2024-01-01&to=2024-13-01", "The end date"),
        ("?from=2024-01-01&to=2024-12-31&format=pdf", "The format must be json, csv or xlsx"),
    ],
)
def test_a_bad_figures_query_gets_a_govuk_page_saying_what_is_wrong(
    client_for: Any, data_officer: User, query: str, says: str
) -> None:
    response = client_for(data_officer).get(reverse("reporting:summary") + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "govuk-heading-l" in page and says in page


@pytest.mark.parametrize(
    "role, start",
    [
        (Role.CASE_OFFICER, "casework:queue"),
        (Role.TEAM_MANAGER, "casework:queue"),
        (Role.HEAD_OF_SERVICE, "reporting:dashboard"),
        (Role.FINANCE_OFFICER, "finance:overview"),  # the money (issue 16)
        (Role.DATA_OFFICER, "returns:index"),
        (Role.ADMINISTRATOR, "administration:index"),
        (Role.INFORMATION_GOVERNANCE, "information:sar_list"),
    ],
)
def test_each_role_starts_on_its_own_page(
    client_for: Any, db: None, team: Any, role: str, start: str
) -> None:
    person = _user(f"start-{role}", role, team)
    response = client_for(person).get("/")
    assert response.status_code == 302 and response["Location"] == reverse(start)


def test_favicon_is_served_from_the_govuk_assets(client: Any, db: None) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("govuk/assets/rebrand/images/favicon.ico")
