"""Importing a council's SEN2 return: children, requests, assessments, plans, placements, needs, reviews.

Every statutory step goes through the action functions the screens use
(sendcase.casework.domain: assessment, plan, reviews, ...), with `notify=False` (the
decisions are past: no letters go to families), `import_mode=True` where the return lacks a
fact the screen would ask for (no draft date, no exception reason, no withdrawal date), and
`historical=True` for a request that predates the records: those relaxations are recorded in
each action's audit payload. Facts the return states
without dates (mediation happened, a plan is agreed, phase transfer dates) are kept
in Sen2Facts, never turned into statutory events.

The file is read twice as a stream: first validated (a bad file writes nothing and
reports every problem with its line), then imported in one transaction inside
deferred_deadlines(), so deadlines are computed once, in batches, at the end.
Importing the same file twice changes nothing: children are matched by UPN or ULN,
else name and date of birth; requests by the date received (plans transferred in by
their start date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from sendcase.casework.domain import appeals, buffer, kernel
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_decision_not_to_issue,
    record_decision_to_assess,
    record_exception,
    record_withdrawal,
)
from sendcase.casework.domain.deferred import HistoryContradiction, deferred_deadlines, deferring
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.phase_and_cease import cease_plan
from sendcase.casework.domain.plan import record_final_plan
from sendcase.casework.domain.reviews import (
    record_amendment_notice,
    record_review_decision,
    record_review_meeting,
)
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.models import AssessmentRequest, Case, Child, Transfer
from sendcase.core.actors import Actor, SystemActor
from sendcase.core.audit import audit
from sendcase.core.codes import RequestSource, SENSetting, SettingType
from sendcase.placements.models import Placement, Setting, setting_type_for
from sendcase.plans.models import Plan
from sendcase.returns import elements as E
from sendcase.returns.models import Sen2Facts
from sendcase.returns.periods import Collection
from sendcase.returns.reader import Reader, validate
from sendcase.returns.records import PersonRec, PlacementRec, Problem, RequestRec

WEEK20_WHY = (
    "Imported from the SEN2 return (Week20 = 1): an exception to the 20-week limit applied. "
    "The return does not say which exception or when: record the reason and dates."
)

SEN2_IMPORT = SystemActor("SEN2 import")  # the actor of an import run by no signed-in person


@dataclass
class ImportResult:
    ok: bool = False
    dry_run: bool = False
    persons: int = 0
    children_created: int = 0
    children_matched: int = 0
    requests_created: int = 0
    requests_already_held: int = 0
    plans: int = 0
    placements: int = 0
    placeholders: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        return (
            f"{self.persons} children in the file: {verb} {self.children_created} children and "
            f"{self.requests_created} requests ({self.plans} plans, {self.placements} placements); "
            f"{self.children_matched} children and {self.requests_already_held} requests were "
            f"already held; {len(self.placeholders)} settings not in the register "
            f"{'would be' if self.dry_run else 'were'} added as placeholders."
        )


FLUSH_ROWS = 20_000  # buffered rows written together (see casework.domain.buffer)


class _Rollback(Exception):
    pass


class _Importer:
    def __init__(self, actor: Actor, today: dt.date, result: ImportResult, name: str) -> None:
        self.actor = actor
        self.today = today
        self.result = result
        self.name = name
        self.collection: Collection | None = None
        self.current_person = ""
        self.settings: dict[tuple[str, str], Setting] | None = None
        self.new_children: set[int] = set()
        # Each case opened by the import: the line of its request and the person, for messages.
        self.case_origin: dict[int, tuple[int | None, str]] = {}
        # Who is already known, loaded once: UPN, ULN, and name with date of birth.
        self.by_upn: dict[str, int] = {}
        self.by_uln: dict[str, int] = {}
        self.by_name: dict[tuple[str, str, dt.date], tuple[int, bool]] = {}
        for pk, upn, uln, forename, surname, born in Child.objects.order_by("-pk").values_list(
            "pk", "upn", "uln", "forename", "surname", "date_of_birth"
        ):
            self._remember(pk, upn, uln, forename, surname, born)
        # Requests already held (child, date received), and plans already transferred in (child,
        # date): loaded once, then kept up to date as the import adds its own.
        self.held_requests: set[tuple[int, dt.date]] = set(
            AssessmentRequest.objects.values_list("case__child_id", "received_on")
        )
        self.held_transfers: set[tuple[int, dt.date]] = {
            (child_id, on)
            for child_id, on in Transfer.objects.filter(direction=Transfer.Direction.IN)
            .exclude(transferred_on=None)
            .values_list("case__child_id", "transferred_on")
            if on is not None
        }

    def _remember(
        self, pk: int, upn: str, uln: str, forename: str, surname: str, born: dt.date
    ) -> None:
        if upn:
            self.by_upn[upn] = pk
        if uln:
            self.by_uln[uln] = pk
        self.by_name[(forename.lower(), surname.lower(), born)] = (pk, bool(upn or uln))

    # -- children --------------------------------------------------------------------------

    def child(self, p: PersonRec) -> Child:
        found = None
        if p.upn:
            found = self.by_upn.get(p.upn)
        if found is None and p.uln:
            found = self.by_uln.get(p.uln)
        if found is None and p.birth_date is not None:
            named = self.by_name.get(
                ((p.forename or "").lower(), (p.surname or "").lower(), p.birth_date)
            )
            # both have numbers, and they differ (else matched above): another child
            if named is not None and not ((p.upn or p.uln) and named[1]):
                found = named[0]
        if found is not None:
            self.result.children_matched += 1
            state = deferring()
            waiting = state.buffer.get(Child, found) if state and state.buffer else None
            return waiting or Child.objects.get(pk=found)  # (added earlier in this file)
        assert p.birth_date is not None  # noqa: S101 - validated
        child = buffer.create(
            Child,
            forename=p.forename or "",
            surname=p.surname or "",
            date_of_birth=p.birth_date,
            sex=p.sex or Child.Sex.UNKNOWN,
            ethnicity=p.ethnicity or "",
            postcode=p.postcode or "",
            upn=p.upn or "",
            uln=p.uln or "",
            upn_unknown=p.upn_unknown or "",
        )
        kernel.audit_action(
            self.actor, "import", child, f"Child added from SEN2 return: {child}", case=None
        )
        self.result.children_created += 1
        self.new_children.add(child.pk)
        self._remember(
            child.pk, child.upn, child.uln, child.forename, child.surname, child.date_of_birth
        )
        return child

    # -- settings --------------------------------------------------------------------------

    def setting(self, pl: PlacementRec) -> Setting | None:
        if not (pl.urn or pl.ukprn):
            return None
        if self.settings is None:  # the register, read once: by URN and by UKPRN, oldest first
            self.settings = {}
            for known in Setting.objects.order_by("pk"):
                if known.urn:
                    self.settings.setdefault(("urn", known.urn), known)
                if known.ukprn:
                    self.settings.setdefault(("ukprn", known.ukprn), known)
        ids = [(kind, value) for kind, value in (("urn", pl.urn), ("ukprn", pl.ukprn)) if value]
        for key in ids:
            found = self.settings.get(key)
            if found is not None:
                return found
        ident = f"URN {pl.urn}" if pl.urn else f"UKPRN {pl.ukprn}"
        setting = buffer.create(
            Setting,
            name=f"Setting with {ident} (not in the register)",
            urn=pl.urn or "",
            ukprn=pl.ukprn or "",
            kind=Setting.Kind.MAINTAINED_MAINSTREAM,
            phase="all_through",
            placeholder=True,
        )
        kernel.audit_action(
            self.actor,
            "import",
            setting,
            f"Placeholder setting added from SEN2 return: {ident}",
            case=None,
        )
        for key in ids:
            self.settings[key] = setting
        self.result.placeholders.append(ident)
        return setting

    def placement(
        self, plan: Plan, pl: PlacementRec, entry: dt.date, leaving: dt.date | None
    ) -> Placement:
        setting = self.setting(pl)
        resourced, unit = bool(pl.resourced), bool(pl.sen_unit)
        if setting is not None and not setting.placeholder:
            kind_type = setting_type_for(setting.kind, resourced=resourced, sen_unit=unit)
        elif resourced or unit:
            kind_type = SettingType.RESOURCED
        elif pl.sen_setting == SENSetting.EYP:
            kind_type = SettingType.EARLY_YEARS
        else:
            kind_type = SettingType.OTHER
        self.result.placements += 1
        return Placement(
            plan=plan,
            setting=setting,
            sen_setting="" if setting else (pl.sen_setting or ""),
            sen_setting_other="" if setting else (pl.sen_setting_other or ""),
            rank=int(pl.placement_rank or 1),
            entry_date=entry,
            leaving_date=leaving,
            sen_unit=unit,
            resourced_provision=resourced,
            residential=bool(pl.res),
            work_based=bool(pl.wbp),
            setting_type=kind_type,
        )

    # -- one person ------------------------------------------------------------------------

    def person(self, p: PersonRec) -> None:
        self.current_person = p.label()
        state = deferring()
        assert state is not None and state.buffer is not None  # noqa: S101 - see import_return
        child = self.child(p)
        for r in p.requests:
            # A request SENDcase refuses is dropped from the buffer and reported; the import goes
            # on to find every problem, then writes nothing (see import_return).
            mark, audits = state.buffer.mark(), len(state.audits)
            try:
                self.request(child, r)
            except ActionError as exc:
                state.buffer.rollback_to(mark)
                del state.audits[audits:]
                self.result.problems.append(
                    Problem(
                        r.line,
                        E.MODULES["request"],
                        "",
                        f"SENDcase cannot record this request: {exc.message.rstrip('.')}",
                        "Correct the dates in the return (or in the system it came from) and "
                        "import it again",
                        person=p.label(),
                    )
                )

    def request(self, child: Child, r: RequestRec) -> None:
        kw: dict[str, Any] = {"actor": self.actor, "today": self.today}
        plan_rec = r.plan
        needs = [
            (n.sen_type or "", "")
            for n in sorted(r.active.needs if r.active else [], key=lambda n: n.sen_type_rank or "")
        ]
        if r.received_date is None:  # a plan that came with no request here: transferred in
            assert plan_rec is not None and plan_rec.start_date is not None  # noqa: S101
            if (child.pk, plan_rec.start_date) in self.held_transfers:
                self.result.requests_already_held += 1
                return
            case = record_transfer_in(
                child,
                transferred_on=plan_rec.start_date,
                last_review=plan_rec.start_date,
                from_la_code=(r.active.transfer_la or "") if r.active else "",
                from_la_name="",
                needs=needs or None,
                **kw,
            )
            self.held_transfers.add((child.pk, plan_rec.start_date))
            self.facts(case, r)
            self.plan(case, r)
            self.result.requests_created += 1
            return
        if (child.pk, r.received_date) in self.held_requests:
            self.result.requests_already_held += 1
            return
        outcome = r.request_outcome
        case = open_case_from_request(
            child,
            received_on=r.received_date,
            source=int(r.request_source or RequestSource.OTHER),
            young_person_request=bool(r.rya),
            historical=outcome == "H",
            **kw,
        )
        self.held_requests.add((child.pk, r.received_date))
        self.result.requests_created += 1
        if outcome in ("Y", "N"):
            assert r.request_outcome_date is not None  # noqa: S101
            record_decision_to_assess(
                case,
                decided_on=r.request_outcome_date,
                outcome="assess" if outcome == "Y" else "not_assess",
                notify=False,
                import_mode=True,
                **kw,
            )
        elif outcome == "W":
            record_withdrawal(case, withdrawn_on=None, import_mode=True, **kw)
        a = r.assessment
        if a is not None and outcome == "N":
            # Assessed after all: mediation or an appeal overturned the refusal (the return keeps
            # the original outcome and flags the challenge).
            case = appeals.resume_assessment_from_return(case, **kw)
        if a is not None and outcome in ("Y", "H", "N"):
            done = a.assessment_outcome
            if done in ("Y", "H") and plan_rec is not None:
                issued = a.assessment_outcome_date or plan_rec.start_date
                assert issued is not None  # noqa: S101
                record_final_plan(
                    case,
                    issued_on=issued,
                    needs=needs or None,
                    notify=False,
                    import_mode=True,
                    **kw,
                )
            elif done == "N":
                assert a.assessment_outcome_date is not None  # noqa: S101
                record_decision_not_to_issue(
                    case, decided_on=a.assessment_outcome_date, notify=False, import_mode=True, **kw
                )
                if plan_rec is not None and plan_rec.start_date is not None:
                    # The decision not to issue was overturned: the plan that followed.
                    case = appeals.resume_assessment_from_return(case, **kw)
                    record_final_plan(
                        case,
                        issued_on=plan_rec.start_date,
                        needs=needs or None,
                        notify=False,
                        import_mode=True,
                        **kw,
                    )
            elif done == "W":
                record_withdrawal(case, withdrawn_on=None, import_mode=True, **kw)
            if a.week20 and a.assessment_outcome_date is not None:
                record_exception(
                    case,
                    reason="",
                    start=r.received_date,
                    end=a.assessment_outcome_date,
                    why=WEEK20_WHY,
                    applies_to="final_plan",
                    import_mode=True,
                    **kw,
                )
        self.facts(case, r)
        if plan_rec is not None and a is not None and a.assessment_outcome in ("Y", "H", "N"):
            self.plan(case, r)

    def facts(self, case: Case, r: RequestRec) -> None:
        self.case_origin[case.pk] = (r.line, self.current_person)
        a = r.assessment
        active = r.active
        buffer.add(
            Sen2Facts(
                case=case,
                request_historical=r.request_outcome == "H" and r.received_date is not None,
                assessment_historical=bool(
                    a and a.assessment_outcome == "H" and r.received_date is not None
                ),
                assessment_agreed=bool(
                    a
                    and a.assessment_outcome == "Y"
                    and a.assessment_outcome_date is None
                    and a.plan is None
                ),
                source_unknown=r.received_date is not None and r.request_source is None,
                request_mediation=bool(r.request_mediation),
                request_tribunal=bool(r.request_tribunal),
                exported=bool(r.exported),
                assessment_mediation=bool(a and a.assessment_mediation),
                assessment_tribunal=bool(a and a.assessment_tribunal),
                other_mediation=bool(a and a.other_mediation),
                other_tribunal=bool(a and a.other_tribunal),
                phase_transfer_due=active.phase_transfer_due if active else None,
                phase_transfer_final=active.phase_transfer_final if active else None,
                imported_from=self.name[:255],
            )
        )

    def plan(self, case: Case, r: RequestRec) -> None:
        plan_rec = r.plan
        assert plan_rec is not None and plan_rec.start_date is not None  # noqa: S101
        kw: dict[str, Any] = {"actor": self.actor, "today": self.today}
        plan = case.plan  # the object the actions hold (they save it whole)
        start = plan.first_issued_on or plan_rec.start_date
        plan.residential = plan_rec.plan_res or ""
        plan.work_based = bool(plan_rec.plan_wbp)
        plan.personal_budget = bool(plan_rec.pb)
        plan.organised_arrangements = bool(plan_rec.oa)
        plan.direct_payments = bool(plan_rec.dp)
        buffer.save(
            plan,
            [
                "residential",
                "work_based",
                "personal_budget",
                "organised_arrangements",
                "direct_payments",
            ],
        )
        self.result.plans += 1
        active = r.active
        ref = self.collection.reference_date if self.collection else self.today
        made: list[Placement] = []
        current = active.placements if active else []
        for pl in current:
            assert pl.entry_date is not None  # noqa: S101
            made.append(self.placement(plan, pl, pl.entry_date, pl.leaving_date))
        for pl in plan_rec.details:
            if any(
                x.identity() == pl.identity()
                and x.entry_date is not None
                and x.entry_date <= start
                and (x.leaving_date is None or x.leaving_date >= start)
                for x in current
            ):
                continue  # the same placement, already recorded from module 5b
            leaving: dt.date | None = None
            if active is not None:
                # Left before the reference date; the return does not say when. Take the day
                # before the next placement of the same rank began, else the day before the census.
                later = [
                    x.entry_date
                    for x in current
                    if x.placement_rank == pl.placement_rank
                    and x.entry_date is not None
                    and x.entry_date > start
                ]
                leaving = max(start, (min(later) if later else ref) - dt.timedelta(days=1))
            made.append(self.placement(plan, pl, start, leaving))
        if made:
            for placement in made:
                buffer.add(placement)
            kernel.audit_action(
                self.actor,
                "import",
                plan,
                f"{len(made)} placements imported from SEN2 return",
                case=case,
                payload={"placements": [p.pk for p in made]},
            )
        if active is not None and active.review_meeting is not None:
            record_review_meeting(case, meeting_on=active.review_meeting, **kw)
            if active.review_outcome and active.last_review:
                record_review_decision(
                    case,
                    decided_on=active.last_review,
                    outcome=E.REVIEW_OUTCOME_CODES[active.review_outcome],
                    notify=False,
                    import_mode=True,
                    **kw,
                )
                if active.review_draft is not None:
                    record_amendment_notice(
                        case, issued_on=active.review_draft, import_mode=True, **kw
                    )
        if plan_rec.cease_date is not None and plan_rec.cease_reason:
            cease_plan(
                case,
                cease_date=plan_rec.cease_date,
                reason=int(plan_rec.cease_reason),
                import_mode=True,
                **kw,
            )


def import_return(
    path: str | Path,
    *,
    actor: Actor = SEN2_IMPORT,
    dry_run: bool = False,
    today: dt.date | None = None,
    via: str = "",
) -> ImportResult:
    """Validate, then import, a SEN2 file. Nothing is written unless the whole file imports."""
    path = str(path)
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    checked = validate(path, la_code=settings.SENDCASE_LA_CODE)
    result.persons = checked.persons
    if not checked.ok:
        result.problems = checked.problems
        return result
    importer = _Importer(actor, today, result, Path(path).name)
    importer.collection = checked.collection
    try:
        with transaction.atomic():
            with deferred_deadlines(today=today, buffered=True):
                state = deferring()
                assert state is not None  # noqa: S101
                for person in Reader(path).persons():
                    importer.person(person)
                    # Bounded memory: write what is buffered every few thousand rows (between
                    # people, so no buffered row is still being changed), unless nothing will be kept.
                    # (A dry run or a file with problems writes too: the transaction is rolled back.)
                    if state.buffer is not None and state.buffer.size >= FLUSH_ROWS:
                        state.flush()
                if result.problems or dry_run:
                    raise _Rollback
            audit(
                actor,
                "import",
                None,
                f"SEN2 return imported from {Path(path).name}",
                payload={
                    "file": Path(path).name,
                    "summary": result.summary(),
                    **({"via": via} if via else {}),
                },
            )
    except _Rollback:
        pass
    except HistoryContradiction as exc:  # the clock rejected a case's events: nothing was kept
        for case_id, message in exc.problems.items():
            line, label = importer.case_origin.get(case_id, (None, ""))
            result.problems.append(
                Problem(
                    line,
                    E.MODULES["request"],
                    "",
                    f"SENDcase cannot record this request: the dates contradict each other "
                    f"({message.rstrip('.')})",
                    "Correct the dates in the return (or in the system it came from) and "
                    "import it again. Nothing was imported",
                    person=label,
                )
            )
    except DatabaseError as exc:  # a fault below the import (e.g. storing deadlines): no traceback
        result.problems.append(
            Problem(
                None,
                E.MODULES["file"],
                "",
                f"SENDcase could not store the imported records ({exc.__class__.__name__}: {exc})",
                "Nothing was imported. Report this to the SENDcase administrators with the file",
            )
        )
    result.ok = not result.problems
    if dry_run and result.ok:
        audit(
            actor,
            "import",
            None,
            f"SEN2 return checked (dry run, nothing written): {Path(path).name}",
            payload={
                "file": Path(path).name,
                "summary": result.summary(),
                **({"via": via} if via else {}),
            },
        )
    return result
