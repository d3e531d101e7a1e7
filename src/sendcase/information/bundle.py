"""The subject access bundle: everything held about a child, as a ZIP with a PDF index.

The bundle's parts come from one registry, `PARTS`. Each part is a function of the child
that returns `BundleItem`s (a file for the ZIP, what it is, and the other people it names,
which are flagged for redaction review before release). The built-in parts are:

* the child's record: every row in the database that belongs to the child, found by walking
  the models that point at the child, their cases and their plans (so a model added later
  that points at a case - documents, correspondence - is included as data without a change
  here);
* who viewed the record, from the audit log;
* the people the record names (family contacts, contact log parties), flagged.

* documents and correspondence: the files themselves (every upload to the child's cases, every
  letter or message kept with what was enclosed), each flagged for redaction review.

A part registers itself with `@bundle_part("Title")` and returns its files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from sendcase.casework.models import Case, Child, ContactLogEntry, FamilyContact
from sendcase.core.models import AuditEntry
from sendcase.core.weasy import html_to_pdf
from sendcase.documents.models import CaseDocument, Correspondence
from sendcase.statutory.dates import format_date


@dataclass(frozen=True)
class BundleItem:
    part: str
    name: str  # path inside the ZIP
    description: str
    content: bytes
    rows: int = 0
    flags: tuple[str, ...] = field(default_factory=tuple)  # other people named in it


INDEX_CSS = Path(__file__).parent / "templates" / "information" / "sar_index.css"
Part = Callable[[Child], Iterable[BundleItem]]
PARTS: list[tuple[str, Part]] = []


def bundle_part(title: str) -> Callable[[Part], Part]:
    """Register a part of the bundle (in the order registered)."""

    def register(fn: Part) -> Part:
        PARTS.append((title, fn))
        return fn

    return register


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Protect spreadsheets opening the CSV from formula injection.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> tuple[bytes, int]:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    n = 0
    for row in rows:
        w.writerow([_cell(v) for v in row])
        n += 1
    return out.getvalue().encode("utf-8-sig"), n


# Relations the record walk does not follow: the audit log (its own part) and staff.
_SKIP = {"core.auditentry", "core.notifymessage"}


def _rows_below(
    model: type[models.Model], ids: list[Any], depth: int
) -> Iterable[tuple[type[models.Model], list[dict[str, Any]]]]:
    """Every row of every model that points (by foreign key) at these rows, recursively."""
    if depth == 0 or not ids:
        return
    for rel in model._meta.related_objects:
        related = rel.related_model
        if not isinstance(related, type) or related._meta.label_lower in _SKIP:
            continue
        if rel.many_to_many:
            continue
        rows = list(
            related._default_manager.filter(**{f"{rel.field.name}__in": ids})
            .order_by("pk")
            .values()
        )
        if not rows:
            continue
        yield related, rows
        pk = related._meta.pk.attname
        yield from _rows_below(related, [r[pk] for r in rows], depth - 1)


@bundle_part("The child's record")
def record(child: Child) -> Iterable[BundleItem]:
    child_row: dict[str, Any] = dict(Child.objects.filter(pk=child.pk).values().get())
    tables: dict[str, tuple[type[models.Model], list[dict[str, Any]]]] = {
        "casework.child": (Child, [child_row])
    }
    for model, rows in _rows_below(Child, [child.pk], 4):
        label = model._meta.label_lower
        if label in tables:
            tables[label][1].extend(r for r in rows if r not in tables[label][1])
        else:
            tables[label] = (model, rows)
    for label, (model, rows) in tables.items():
        header = list(rows[0])
        content, n = csv_bytes(header, ([r[h] for h in header] for r in rows))
        yield BundleItem(
            "The child's record",
            f"record/{label.replace('.', '-')}.csv",
            f"{str(model._meta.verbose_name_plural).capitalize()} ({n})",
            content,
            rows=n,
        )


@bundle_part("Who viewed the record")
def viewers(child: Child) -> Iterable[BundleItem]:
    cases = list(Case.objects.filter(child=child).values_list("pk", flat=True))
    entries = (
        AuditEntry.objects.filter(
            Q(case_id__in=cases) | Q(object_type="casework.child", object_id=str(child.pk))
        )
        .filter(action=AuditEntry.Action.VIEW)
        .select_related("actor")
        .order_by("at", "pk")
    )
    content, n = csv_bytes(
        ["When", "Who", "Role", "What"],
        (
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                (e.actor.get_full_name() or e.actor.username) if e.actor else "System",
                e.actor.get_role_display() if e.actor else "",
                e.summary,
            ]
            for e in entries
        ),
    )
    yield BundleItem(
        "Who viewed the record", "viewed-by.csv", f"Views of the record ({n})", content, rows=n
    )


@bundle_part("Other people named in the record")
def other_people(child: Child) -> Iterable[BundleItem]:
    contacts = list(FamilyContact.objects.filter(child=child).order_by("pk"))
    log = list(ContactLogEntry.objects.filter(case__child=child).order_by("at", "pk"))
    content, n = csv_bytes(
        ["Where", "Name or party", "Relationship or channel"],
        [
            *(["Family contact", c.name, c.relationship] for c in contacts),
            *(["Contact log", e.party, e.get_channel_display()] for e in log),
        ],
    )
    flags = tuple(
        dict.fromkeys(
            [*(f"Family contact: {c.name} ({c.relationship})" for c in contacts)]
            + [f"Contact log, {format_date(timezone.localtime(e.at))}: {e.party}" for e in log]
        )
    )
    yield BundleItem(
        "Other people named in the record",
        "other-people.csv",
        f"People other than the child named in the record ({n})",
        content,
        rows=n,
        flags=flags,
    )


def _stored(f: Any) -> bytes | None:
    """A file's bytes from the documents store, or None if it is not there."""
    try:
        with f.open("rb") as handle:
            return bytes(handle.read())
    except (FileNotFoundError, OSError, ValueError):
        return None


def _file_item(
    part: str, folder: str, pk: int, f: Any, description: str, flags: tuple[str, ...]
) -> BundleItem:
    base = Path(f.name).name
    content = _stored(f)
    if content is None:
        return BundleItem(part, f"{folder}/{pk}-{base}.missing.txt", f"{description} (the file is missing from the documents store)", f"The file {f.name} was not found in the documents store.".encode(), flags=flags)  # fmt: skip
    return BundleItem(part, f"{folder}/{pk}-{base}", description, content, flags=flags)


@bundle_part("Documents and correspondence")
def documents(child: Child) -> Iterable[BundleItem]:
    """The files themselves: every document uploaded to the child's cases, and every letter or
    message sent or recorded, with what went with it (the plan as issued). Each is flagged for
    redaction review: advice and reports are written by, and letters go to, other people."""
    part = "Documents and correspondence"
    for d in CaseDocument.objects.filter(case__child=child).select_related("case").order_by("uploaded_at", "pk"):  # fmt: skip
        what = f"{d.get_kind_display()}: {d.title} ({d.case.reference}, uploaded {format_date(timezone.localtime(d.uploaded_at).date())})"  # fmt: skip
        yield _file_item(part, "documents", d.pk, d.file, what, (f"Uploaded document: {d.title} ({d.get_kind_display().lower()})",))  # fmt: skip
    for c in Correspondence.objects.filter(case__child=child).select_related("case").order_by("sent_on", "pk"):  # fmt: skip
        flags = (f"Correspondence, {format_date(c.sent_on)}: {c.title} to {c.recipient}",)
        what = f"{c.title} to {c.recipient} ({c.case.reference}, {c.get_channel_display().lower()}, {format_date(c.sent_on)})"  # fmt: skip
        if c.document:
            yield _file_item(part, "correspondence", c.pk, c.document, what, flags)
        if c.enclosure:
            yield _file_item(part, "correspondence", c.pk, c.enclosure, f"Enclosed with: {what}", flags)  # fmt: skip


def collect(child: Child) -> list[BundleItem]:
    return [item for _title, part in PARTS for item in part(child)]


def build(sar: Any, *, now: dt.datetime | None = None) -> bytes:
    """The ZIP: index.pdf first, then every part's files."""
    child = sar.child
    items = collect(child)
    flags = [(item.name, flag) for item in items for flag in item.flags]
    index_html = render_to_string(
        "information/sar_index.html",
        {
            "sar": sar,
            "child": child,
            "items": items,
            "flags": flags,
            "made": timezone.localtime(now or timezone.now()),
        },
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.pdf", html_to_pdf(index_html, INDEX_CSS))
        for item in items:
            z.writestr(item.name, item.content)
    return buf.getvalue()
