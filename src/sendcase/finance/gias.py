"""The settings register from DfE's Get Information about Schools (GIAS) establishment download.

`import_gias(path, actor=..., dry_run=...)` reads the "all establishment data" CSV as DfE
publishes it (cp1252, one row per establishment, tens of thousands of rows), a row at a time,
and keeps only the rows the register needs:

- every setting already in the register, matched by URN (or UKPRN where it has no URN), gets
  the name, kind, phase, status, dates, council code and postcode DfE holds; a placeholder an
  import added is completed. Changed settings go through `update_settings`, the register's one
  action (audit entry; its placements' setting types brought into line);
- establishments not in the register are added where a council commissions places: open ones in
  this council's own area, and open special schools and specialist post-16 institutions anywhere
  (out-of-area placements are mostly there);
- placements still open at a setting GIAS says has closed are listed.

The whole file is checked before anything is written, and the writes are one transaction: a
file of the wrong shape, or a bad row, writes nothing. A second run of the same file changes
nothing. `dry_run=True` reports the same counts and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q

from sendcase.core.actors import Actor
from sendcase.core.audit import audit, audit_each
from sendcase.core.codes import Phase
from sendcase.core.models import AuditEntry
from sendcase.placements.actions import update_settings
from sendcase.placements.models import Placement, Setting

ENCODING = "cp1252"

# The columns the import reads, by their names in DfE's download.
URN = "URN"
NAME = "EstablishmentName"
LA = "LA (code)"
TYPE = "TypeOfEstablishment (name)"
TYPE_GROUP = "EstablishmentTypeGroup (name)"
PHASE = "PhaseOfEducation (name)"
STATUS = "EstablishmentStatus (name)"
UKPRN = "UKPRN"
POSTCODE = "Postcode"
OPENED = "OpenDate"
CLOSED = "CloseDate"
COLUMNS = (URN, NAME, LA, TYPE, TYPE_GROUP, PHASE, STATUS, UKPRN, POSTCODE, OPENED, CLOSED)

K = Setting.Kind
KIND_BY_TYPE: dict[str, str] = {
    "Community school": K.MAINTAINED_MAINSTREAM,
    "Voluntary aided school": K.MAINTAINED_MAINSTREAM,
    "Voluntary controlled school": K.MAINTAINED_MAINSTREAM,
    "Foundation school": K.MAINTAINED_MAINSTREAM,
    "Local authority nursery school": K.EARLY_YEARS,
    "Academy converter": K.ACADEMY,
    "Academy sponsor led": K.ACADEMY,
    "Free schools": K.ACADEMY,
    "University technical college": K.ACADEMY,
    "Studio schools": K.ACADEMY,
    "City technology college": K.ACADEMY,
    "Community special school": K.MAINTAINED_SPECIAL,
    "Foundation special school": K.MAINTAINED_SPECIAL,
    "Academy special converter": K.ACADEMY_SPECIAL,
    "Academy special sponsor led": K.ACADEMY_SPECIAL,
    "Free schools special": K.ACADEMY_SPECIAL,
    "Non-maintained special school": K.NON_MAINTAINED_SPECIAL,
    "Other independent special school": K.INDEPENDENT_SPECIAL,
    "Other independent school": K.INDEPENDENT,
    "Pupil referral unit": K.PRU,
    "Academy alternative provision converter": K.PRU,
    "Academy alternative provision sponsor led": K.PRU,
    "Free schools alternative provision": K.PRU,
    "Further education": K.FE_COLLEGE,
    "Sixth form centres": K.SIXTH_FORM,
    "Academy 16-19 converter": K.SIXTH_FORM,
    "Academy 16 to 19 sponsor led": K.SIXTH_FORM,
    "Free schools 16 to 19": K.SIXTH_FORM,
    "Special post 16 institution": K.SPECIALIST_POST16,
}
# Types a council places children in wherever they are.
PLACED_ANYWHERE = {
    K.MAINTAINED_SPECIAL,
    K.ACADEMY_SPECIAL,
    K.NON_MAINTAINED_SPECIAL,
    K.INDEPENDENT_SPECIAL,
    K.SPECIALIST_POST16,
}
POST_16_KINDS = {K.FE_COLLEGE, K.SIXTH_FORM, K.SPECIALIST_POST16}
PHASE_BY_NAME: dict[str, str] = {
    "Nursery": Phase.EARLY_YEARS,
    "Primary": Phase.PRIMARY,
    "Middle deemed primary": Phase.PRIMARY,
    "Secondary": Phase.SECONDARY,
    "Middle deemed secondary": Phase.SECONDARY,
    "16 plus": Phase.POST_16,
    "All-through": Phase.ALL_THROUGH,
}
S = Setting.Status
STATUS_BY_NAME: dict[str, str] = {
    "Open": S.OPEN,
    "Open, but proposed to close": S.CLOSING,
    "Proposed to open": S.PROPOSED,
    "Closed": S.CLOSED,
}


class GiasError(Exception):
    """The file cannot be imported; the message says why in plain words."""


@dataclass(frozen=True)
class Establishment:
    """One row of the download, in the register's terms."""

    urn: str
    name: str
    la_code: str
    kind: str | None  # None: a type the register does not hold (a university, a Welsh school)
    gias_type: str
    phase: str | None  # None: "Not applicable"; the setting keeps what it has
    status: str
    ukprn: str
    postcode: str
    opened_on: dt.date | None
    closed_on: dt.date | None

    def register_fields(self, setting: Setting | None) -> dict[str, Any]:
        """The register's fields from this row (kind and phase kept where GIAS has none)."""
        kind = self.kind or (setting.kind if setting else K.INDEPENDENT)
        phase = self.phase or (setting.phase if setting else Phase.ALL_THROUGH)
        if kind in POST_16_KINDS:
            phase = Phase.POST_16  # as the register's form requires (placements/forms.py)
        return {
            "name": self.name,
            "kind": kind,
            "phase": phase,
            "la_code": self.la_code,
            "postcode": self.postcode,
            "ukprn": self.ukprn or (setting.ukprn if setting else ""),
            "status": self.status,
            "opened_on": self.opened_on,
            "closed_on": self.closed_on,
            "gias_type": self.gias_type,
        }


@dataclass
class Outcome:
    rows: int = 0
    dry_run: bool = False
    updated: list[str] = field(default_factory=list)  # URNs
    completed: list[str] = field(default_factory=list)  # placeholders completed
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: int = 0  # register settings GIAS did not list
    closed_placements: list[tuple[int, str, str]] = field(default_factory=list)

    def message(self) -> str:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"Read {self.rows:,} establishments from Get Information about Schools"
            + (" (dry run: nothing was written)." if self.dry_run else "."),
            f"{len(self.completed):,} placeholder settings {verb} completed.",
            f"{len(self.updated):,} settings {verb} updated; {self.unchanged:,} were unchanged.",
            f"{len(self.added):,} settings {verb} added to the register.",
        ]
        if self.not_in_file:
            lines.append(
                f"{self.not_in_file:,} settings in the register are not in the file "
                "(left as they are)."
            )
        if self.closed_placements:
            lines.append(
                f"{len(self.closed_placements):,} placements are at settings that have closed:"
            )
            lines += [
                f"  case {case_id}: {name} (closed {closed})"
                for case_id, name, closed in self.closed_placements
            ]
        return "\n".join(lines)


def _date(text: str, line: int, column: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    # GIAS writes 01-09-2011; a file saved again by a spreadsheet may say 01/09/2011.
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.replace("/", "-"), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise GiasError(f"Line {line}: {column} '{text}' is not a date. Nothing was imported.")


def _digits(text: str, line: int, column: str, *, required: bool) -> str:
    text = text.strip()
    if not text and not required:
        return ""
    if not text.isdigit() or len(text) > 8:
        raise GiasError(
            f"Line {line}: {column} '{text}' is not a {column} (up to 8 digits). "
            "Nothing was imported."
        )
    return text


def read_establishments(path: str | Path) -> Iterator[Establishment]:
    """The file's rows, one at a time. Raises GiasError for a file of the wrong shape."""
    try:
        handle = open(path, encoding=ENCODING, newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise GiasError(f"Cannot open {path}: {exc.strerror}. Nothing was imported.") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise GiasError(_not_gias(path)) from exc
        if header is None:
            raise GiasError(f"{path} is empty. Nothing was imported.")
        header = [h.strip() for h in header]
        if header and header[0].startswith("ï»¿"):  # a UTF-8 byte-order mark read as cp1252
            header[0] = header[0][3:]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise GiasError(
                _not_gias(path) + f" It has no column {', '.join(repr(c) for c in missing)}."
            )
        at = {c: header.index(c) for c in COLUMNS}
        width = len(header)
        try:
            for line, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != width:
                    raise GiasError(
                        f"Line {line} has {len(row)} columns where the header has {width}. "
                        "Nothing was imported."
                    )
                yield _establishment(row, at, line)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise GiasError(_not_gias(path)) from exc


def _not_gias(path: str | Path) -> str:
    return (
        f"{Path(path).name} is not a Get Information about Schools establishment download. "
        "Download 'Establishment fields' (all establishment data, CSV) from "
        "get-information-schools.service.gov.uk and import that file. Nothing was imported."
    )


def _establishment(row: list[str], at: dict[str, int], line: int) -> Establishment:
    gias_type = row[at[TYPE]].strip()
    status_name = row[at[STATUS]].strip()
    if status_name not in STATUS_BY_NAME:
        raise GiasError(
            f"Line {line}: EstablishmentStatus '{status_name}' is not one GIAS uses "
            f"({', '.join(STATUS_BY_NAME)}). Nothing was imported."
        )
    la = row[at[LA]].strip()
    return Establishment(
        urn=_digits(row[at[URN]], line, URN, required=True),
        name=row[at[NAME]].strip()[:200],
        la_code=la if la.isdigit() and len(la) == 3 else "",  # 000 and blanks: no council
        kind=KIND_BY_TYPE.get(gias_type),
        gias_type=gias_type[:80],
        phase=PHASE_BY_NAME.get(row[at[PHASE]].strip()),
        status=STATUS_BY_NAME[status_name],
        ukprn=_digits(row[at[UKPRN]], line, UKPRN, required=False),
        postcode=row[at[POSTCODE]].strip().upper()[:10],
        opened_on=_date(row[at[OPENED]], line, OPENED),
        closed_on=_date(row[at[CLOSED]], line, CLOSED),
    )


def _wanted_new(e: Establishment, own_la: str) -> bool:
    if e.kind is None or e.status == S.CLOSED:
        return False
    return e.la_code == own_la or e.kind in PLACED_ANYWHERE


def import_gias(
    path: str | Path, *, actor: Actor, dry_run: bool = False, add_new: bool = True
) -> Outcome:
    """Bring the register into line with a GIAS download (see the module docstring)."""
    register = list(Setting.objects.all())
    by_urn = {s.urn: s for s in register if s.urn}
    by_ukprn = {s.ukprn: s for s in register if s.ukprn and not s.urn}
    own_la = django_settings.SENDCASE_LA_CODE
    outcome = Outcome(dry_run=dry_run)
    changes: list[tuple[Setting, dict[str, Any]]] = []
    new: dict[str, Establishment] = {}
    seen: set[int] = set()
    for e in read_establishments(path):  # the whole file is read (and checked) before writing
        outcome.rows += 1
        setting = by_urn.get(e.urn) or (by_ukprn.get(e.ukprn) if e.ukprn else None)
        if setting is None:
            if add_new and _wanted_new(e, own_la):
                new[e.urn] = e
            continue
        seen.add(setting.pk)
        fields = e.register_fields(setting)
        changed = {k: v for k, v in fields.items() if getattr(setting, k) != v}
        if setting.placeholder:
            changes.append((setting, fields))
            outcome.completed.append(e.urn)
        elif changed:
            changes.append((setting, changed))
            outcome.updated.append(e.urn)
        else:
            outcome.unchanged += 1
    outcome.added = sorted(new)
    outcome.not_in_file = len(register) - len(seen)
    if not dry_run:
        with transaction.atomic():
            _write(changes, list(new.values()), actor=actor, path=path, outcome=outcome)
    outcome.closed_placements = _open_placements_at_closed(changes, dry_run=dry_run)
    return outcome


def _write(
    changes: list[tuple[Setting, dict[str, Any]]],
    new: list[Establishment],
    *,
    actor: Actor,
    path: str | Path,
    outcome: Outcome,
) -> None:
    update_settings(changes, actor=actor)
    rows = [Setting(urn=e.urn, **e.register_fields(None)) for e in new]
    Setting.objects.bulk_create(rows, batch_size=2000)
    audit_each(
        actor,
        AuditEntry.Action.CREATE,
        Setting._meta.label_lower,
        ((s.pk, None) for s in rows),
        "Setting added from Get Information about Schools",
    )
    audit(
        actor,
        AuditEntry.Action.IMPORT,
        None,
        f"Settings register imported from Get Information about Schools ({Path(path).name})",
        payload={
            "file": Path(path).name,
            "rows": outcome.rows,
            "completed": len(outcome.completed),
            "updated": len(outcome.updated),
            "added": len(outcome.added),
        },
    )


def _open_placements_at_closed(
    changes: list[tuple[Setting, dict[str, Any]]], *, dry_run: bool
) -> list[tuple[int, str, str]]:
    """Placements still open at a setting that has closed (no leaving date, or one after the
    closing date): (case id, setting, closed on). A dry run counts the closures it would write."""
    closing = {
        s.pk: f.get("closed_on") for s, f in changes if f.get("status", s.status) == S.CLOSED
    }
    query = Q(setting__status=S.CLOSED)
    if dry_run:
        query |= Q(setting_id__in=list(closing))
    rows = (
        Placement.objects.filter(query)
        .values_list(
            "plan__case_id", "setting_id", "setting__name", "setting__closed_on", "leaving_date"
        )
        .order_by("setting__name", "plan__case_id")
    )
    out = []
    for case_id, setting_id, name, stored, leaving in rows:
        closed = closing.get(setting_id, stored) if dry_run else stored
        if leaving is None or closed is None or leaving > closed:
            out.append((case_id, name, closed.isoformat() if closed else "date not given"))
    return out
