"""The SEN2 screens: export the return, check a file, and the data-quality list before the census."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sendcase.core.audit import audit
from sendcase.returns.access import returns_access
from sendcase.returns.exporter import write_return
from sendcase.returns.forms import UploadForm, YearForm
from sendcase.returns.periods import Collection, latest_complete_collection, next_collection
from sendcase.returns.quality import link_cases, live_problems, record_problems
from sendcase.returns.reader import validate as validate_file
from sendcase.returns.records import Problem


def _case_url(case_id: int | None) -> str:
    if case_id is None:
        return ""
    try:
        return reverse("casework:case", args=[case_id])
    except NoReverseMatch:
        return ""


def _rows(problems: list[Problem]) -> list[dict[str, object]]:
    return [{"p": p, "url": _case_url(p.case_id)} for p in problems]


@returns_access
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "returns/index.html",
        {
            "latest": latest_complete_collection(today),
            "next": next_collection(today),
            "today": today,
            "export_form": YearForm(
                today=today, initial={"year": latest_complete_collection(today).year}
            ),
            "upload_form": UploadForm(),
        },
    )


@require_POST
@returns_access
def export(request: HttpRequest) -> HttpResponse | FileResponse:
    today = timezone.localdate()
    form = YearForm(request.POST, today=today)
    if not form.is_valid():
        return render(
            request,
            "returns/index.html",
            {
                "latest": latest_complete_collection(today),
                "next": next_collection(today),
                "export_form": form,
                "upload_form": UploadForm(),
            },
            status=400,
        )
    collection = Collection(form.cleaned_data["year"])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_return(collection, out, actor=request.user, destination="download")
    out.seek(0)
    name = f"sen2-{settings.SENDCASE_LA_CODE}-{collection.year}.xml"
    return FileResponse(out, as_attachment=True, filename=name, content_type="application/xml")


@require_http_methods(["POST"])
@returns_access
def validate(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    today = timezone.localdate()
    context: dict[str, object] = {
        "latest": latest_complete_collection(today),
        "next": next_collection(today),
        "export_form": YearForm(today=today),
        "upload_form": form,
    }
    if not form.is_valid():
        return render(request, "returns/index.html", context, status=400)
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
    if any(p.module == "File" for p in result.problems):
        form.add_error(
            "file",
            "The selected file is not a SEN2 return that can be read: see the problems below",
        )
        context["upload_form"] = form
    return render(
        request,
        "returns/results.html",
        {
            "title": f"Check of {upload.name}",
            "file_name": upload.name,
            "persons": result.persons,
            "rows": _rows(result.problems),
            "header": result.header,
            "form": form if form.errors else None,
        },
        status=200,
    )


@returns_access
def quality(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    upcoming = next_collection(today)
    form = YearForm(request.GET or None, today=today)
    collection = Collection(form.cleaned_data["year"]) if form.is_valid() else upcoming
    persons, problems = live_problems(collection)
    records = record_problems()
    audit(
        request.user,
        "view",
        None,
        f"SEN2 {collection.year} data check of the live records",
        payload={"year": collection.year, "persons": persons, "problems": len(problems)},
    )
    return render(
        request,
        "returns/quality.html",
        {
            "collection": collection,
            "upcoming": upcoming,
            "persons": persons,
            "rows": _rows(problems),
            "records": records,
            "form": YearForm(today=today, initial={"year": collection.year}),
        },
    )
