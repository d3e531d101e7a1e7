"""The SEN2 screens: export the return, check a file, and the data-quality list before the census."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendcase.accounts.roles import may_download_return, may_keep_register
from sendcase.casework.access import cases_for_user
from sendcase.core.actors import RequestUser
from sendcase.core.audit import audit, audit_each
from sendcase.returns import elements as E  # noqa: N812 - as checks.py names it
from sendcase.returns.access import download_access, returns_access
from sendcase.returns.exporter import write_return
from sendcase.returns.forms import UploadForm, YearForm
from sendcase.returns.periods import Collection, latest_complete_collection, next_collection
from sendcase.returns.quality import link_cases, live_problems, record_problems
from sendcase.returns.reader import validate as validate_file
from sendcase.returns.records import Problem

# Module 1 items recorded on the child's details page (casework:child_details): a problem with
# one of them links straight to the field that fixes it.
CHILD_DETAIL_ITEMS = {
    E.name(key): key
    for key in (
        "surname",
        "forename",
        "birth_date",
        "sex",
        "ethnicity",
        "postcode",
        "upn",
        "uln",
        "upn_unknown",
    )
}


def _case_url(case_id: int | None, item: str = "") -> str:
    if case_id is None:
        return ""
    try:
        if item in CHILD_DETAIL_ITEMS:
            key = CHILD_DETAIL_ITEMS[item]
            field = "date_of_birth_day" if key == "birth_date" else key
            return reverse("casework:child_details", args=[case_id]) + f"#id_{field}"
        return reverse("casework:case", args=[case_id])
    except NoReverseMatch:
        return ""


def _rows(problems: list[Problem], user: RequestUser) -> list[dict[str, object]]:
    """The problems, each linked to its case where this person may open it (a team manager sees
    every child's problem, but opens only their team's cases)."""
    ids = {p.case_id for p in problems if p.case_id is not None}
    may_open = set(cases_for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {
            "p": p,
            "url": _case_url(p.case_id, p.item) if p.case_id in may_open else "",
            "elsewhere": p.case_id is not None and p.case_id not in may_open,
        }
        for p in problems
    ]


def _index(
    request: HttpRequest,
    *,
    export_form: YearForm | None = None,
    upload_form: UploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    latest = latest_complete_collection(today)
    return render(
        request,
        "returns/index.html",
        {
            "latest": latest,
            "next": next_collection(today),
            "today": today,
            "export_form": export_form or YearForm(today=today, initial={"year": latest.year}),
            "upload_form": upload_form or UploadForm(),
            "may_download": may_download_return(request.user),
        },
        status=status,
    )


@require_GET
@returns_access
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@require_http_methods(["GET", "POST"])
@download_access
def export(request: HttpRequest) -> HttpResponse | FileResponse:
    if request.method == "GET":  # e.g. the address typed in, or a reload after an error
        return redirect("returns:index")
    today = timezone.localdate()
    form = YearForm(request.POST, today=today)
    if not form.is_valid():
        return _index(request, export_form=form, status=400)
    collection = Collection(form.cleaned_data["year"])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_return(collection, out, actor=request.user, destination="download")
    out.seek(0)
    name = f"sen2-{settings.SENDCASE_LA_CODE}-{collection.year}.xml"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/xml")


@require_http_methods(["GET", "POST"])
@returns_access
def validate(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("returns:index")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    with tempfile.NamedTemporaryFile(suffix=".xml") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        result = validate_file(handle.name, la_code=settings.SENDCASE_LA_CODE)
    link_cases(result.problems)
    audit(
        request.user,
        "view",
        None,
        f"SEN2 file checked: {upload.name}",
        payload={"file": upload.name, "persons": result.persons, "problems": len(result.problems)},
    )
    unreadable = any(p.module == "File" for p in result.problems)
    if unreadable:
        form.add_error(
            "file",
            "The selected file is not a SEN2 return that can be read: see the problems below",
        )
    return render(
        request,
        "returns/results.html",
        {
            "title": f"Check of {upload.name}",
            "file_name": upload.name,
            "persons": result.persons,
            "rows": _rows(result.problems, request.user),
            "header": result.header,
            "unreadable": unreadable,
            # the error summary links to the upload field, so the page offers it again
            "form": form if form.errors else None,
            "upload_form": form if form.errors else UploadForm(),
        },
        status=200,
    )


@require_GET
@returns_access
def quality(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    upcoming = next_collection(today)
    form = YearForm(request.GET or None, today=today)
    collection = Collection(form.cleaned_data["year"]) if form.is_valid() else upcoming
    # A year that is not offered: the error is shown by the year field, over the next return's
    # records (what the page shows without a year).
    bad_year = form.is_bound and not form.is_valid()
    persons, problems = live_problems(collection)
    records = record_problems()
    entry = audit(
        request.user,
        "view",
        None,
        f"SEN2 {collection.year} data check of the live records",
        payload={"year": collection.year, "persons": persons, "problems": len(problems)},
    )
    # The page names each child with a problem: one entry per child listed, on their case.
    listed = {p.child_id: p.case_id for p in problems if p.child_id is not None}
    audit_each(
        request.user,
        "view",
        "casework.child",
        listed.items(),
        f"Listed in the SEN2 {collection.year} data check",
        payload={"check": entry.pk},
    )
    return render(
        request,
        "returns/quality.html",
        {
            "collection": collection,
            "upcoming": upcoming,
            "persons": persons,
            "rows": _rows(problems, request.user),
            "records": records,
            "can_edit_settings": may_keep_register(request.user),
            "openable_cases": set(
                cases_for_user(request.user)
                .filter(
                    pk__in=[e.case_id for e in records.unexplained_exceptions]
                    + [p.case_id for p in records.no_primary_need]
                )
                .values_list("pk", flat=True)
            ),
            "form": form if bad_year else YearForm(today=today, initial={"year": collection.year}),
        },
        status=400 if bad_year else 200,
    )
