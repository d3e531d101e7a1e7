"""Consistency checks on a SEN2 person: the rules in DfE's guide, the code lists, and plain sense.

DfE's own validation spreadsheet is not public, so these are derived from the guide:
dates in order and inside the collection period, Week20 only on an issued plan,
one primary need and one primary placement, ages 0 to 25, outcome dates present
exactly when the outcome needs them. The same checks run on an uploaded file and
on the live data (through the export), so both say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re

from sendcase.core import identity
from sendcase.core.codes import ULN_FORMAT, UPN_FORMAT
from sendcase.returns import elements as E
from sendcase.returns.periods import Collection
from sendcase.returns.records import (
    ActiveRec,
    PersonRec,
    PlacementRec,
    PlanRec,
    Problem,
    Rec,
    RequestRec,
)
from sendcase.statutory.dates import format_date

URN_RE = re.compile(r"^\d{6,7}$")
UKPRN_RE = re.compile(r"^1\d{7}$")
LA_RE = re.compile(r"^\d{3}$")
MAX_AGE = 25


def fmt(d: dt.date) -> str:
    return format_date(d)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def request_in_scope(req: RequestRec, c: Collection) -> bool:
    """Whether a request belongs in the return: received in the period, or still open during it,
    or with a plan issued or ceased in the period or active on the reference date."""
    if req.received_date is not None:
        if req.received_date > c.end:
            return False
        if req.received_date >= c.start:
            return True
    if req.request_outcome == "A":
        return True
    if req.request_outcome_date is not None and req.request_outcome_date >= c.start:
        return True
    a = req.assessment
    if a is None:
        return False
    if a.assessment_outcome == "A" or (
        a.assessment_outcome == "Y" and a.assessment_outcome_date is None
    ):
        return True
    if a.assessment_outcome_date is not None and a.assessment_outcome_date >= c.start:
        return True
    plan = a.plan
    if plan is None:
        return False
    if plan.cease_date is None:
        return True
    return plan.cease_date >= c.start


class _Checker:
    def __init__(self, person: PersonRec, c: Collection | None, out: list[Problem]) -> None:
        self.p = person
        self.c = c
        self.out = out

    def add(self, rec: Rec, module: str, key: str, message: str, fix: str) -> None:
        self.out.append(
            Problem(
                rec.line_of(key) if key else rec.line,
                E.MODULES[module],
                E.name(key) if key else "",
                message,
                fix,
                person=self.p.label(),
            )
        )

    @staticmethod
    def given(rec: Rec, key: str) -> bool:
        """The item is in the file, even if its value could not be read (that has a problem of its
        own): checks that one item needs another count it as given, so one mistake is one problem."""
        return getattr(rec, key) is not None or key in rec.lines

    def required(self, rec: Rec, module: str, key: str, why: str = "") -> bool:
        if getattr(rec, key) is None:
            if key not in rec.lines:  # a present but unreadable value already has a problem
                self.add(
                    rec,
                    module,
                    key,
                    f"{E.name(key)} is missing{why}",
                    f"Enter the {E.name(key)}",
                )
            return False
        return True

    def forbidden(self, rec: Rec, module: str, key: str, why: str, fix: str = "") -> None:
        if getattr(rec, key) is not None:
            self.add(
                rec, module, key, f"{E.name(key)} is given {why}", fix or f"Remove {E.name(key)}"
            )

    def order(
        self,
        rec: Rec,
        module: str,
        key: str,
        later: dt.date | None,
        earlier: dt.date | None,
        earlier_words: str,
    ) -> None:
        if later is not None and earlier is not None and later < earlier:
            self.add(
                rec,
                module,
                key,
                f"{E.name(key)} ({fmt(later)}) is before {earlier_words} ({fmt(earlier)})",
                f"Correct {E.name(key)} or {earlier_words}: dates must be in order",
            )

    def not_after_census(self, rec: Rec, module: str, key: str) -> None:
        d = getattr(rec, key)
        if self.c is not None and d is not None and d > self.c.reference_date:
            self.add(
                rec,
                module,
                key,
                f"{E.name(key)} ({fmt(d)}) is after the reference date ({fmt(self.c.reference_date)})",
                "Give the position on the reference date: leave out what happened after it",
            )

    # -- module 1 ----------------------------------------------------------------------------

    def person(self) -> None:
        p = self.p
        for key in ("surname", "forename", "birth_date", "sex"):
            self.required(p, "person", key)
        if p.upn is not None and not UPN_FORMAT.match(p.upn):
            self.add(
                p,
                "person",
                "upn",
                f"‘{p.upn}’ is not a UPN",
                "A UPN is a capital letter, 11 digits and a final digit or capital letter",
            )
        elif p.upn is not None and not identity.is_upn(p.upn):
            self.add(
                p,
                "person",
                "upn",
                f"‘{p.upn}’ is not a real UPN: its first letter does not match the numbers",
                "Correct the UPN in the child's details (the first letter is DfE's check letter)",
            )
        if p.uln is not None and not ULN_FORMAT.match(p.uln):
            self.add(p, "person", "uln", f"‘{p.uln}’ is not a ULN", "A ULN is 10 digits")
        elif p.uln is not None and not identity.is_uln(p.uln):
            self.add(
                p,
                "person",
                "uln",
                f"‘{p.uln}’ is not a real ULN: its last digit does not match the others",
                "Correct the ULN in the child's details",
            )
        if p.upn is None and p.uln is None and p.upn_unknown is None:
            self.add(
                p,
                "person",
                "upn",
                "The child has no UPN, ULN or reason the UPN is not known",
                "Record the UPN (or the ULN for a young person in further education), or why "
                "the UPN is not known (UPNunknown), in the child's details",
            )
        if p.upn is not None and p.upn_unknown is not None:
            self.add(
                p,
                "person",
                "upn_unknown",
                "UPNunknown is given with a UPN",
                "Remove the reason the UPN is not known (UPNunknown) in the child's details",
            )
        if p.birth_date is not None and self.c is not None:
            if p.birth_date > self.c.reference_date:
                self.add(
                    p,
                    "person",
                    "birth_date",
                    f"The date of birth ({fmt(p.birth_date)}) is after the reference date",
                    "Correct the date of birth",
                )
            elif age_on(p.birth_date, self.c.start) > MAX_AGE:
                self.add(
                    p,
                    "person",
                    "birth_date",
                    f"The young person was {age_on(p.birth_date, self.c.start)} at the start of "
                    f"the period; plans are for ages 0 to 25",
                    "Correct the date of birth, or leave the young person out of the return",
                )
        if not p.requests:
            self.add(
                p,
                "person",
                "",
                "The child has no request for assessment",
                "Add the request (module 2) that led to their assessment or plan",
            )
        seen: dict[dt.date, RequestRec] = {}
        for req in p.requests:
            if req.received_date is not None:
                if req.received_date in seen:
                    self.add(
                        req,
                        "request",
                        "received_date",
                        f"Two requests were received on {fmt(req.received_date)}",
                        "Keep one request for each date received",
                    )
                seen[req.received_date] = req
            self.request(req)
        active = [r for r in p.requests if r.active is not None]
        if len(active) > 1:
            self.add(
                active[1],
                "active",
                "",
                "The child has more than one active plan",
                "A child has one EHC plan at a time: cease the old plan or remove the duplicate",
            )

    # -- module 2 ----------------------------------------------------------------------------

    def request(self, r: RequestRec) -> None:
        c = self.c
        outcome = r.request_outcome
        self.required(r, "request", "request_outcome")
        if outcome != "H":
            self.required(r, "request", "received_date")
            self.required(r, "request", "request_source")
        elif not self.given(r, "received_date") and r.plan is None:
            self.add(
                r,
                "request",
                "received_date",
                "ReceivedDate is missing",
                "Enter the date the request was received (it may be left out only for a plan "
                "transferred in, with its NamedPlan)",
            )
        if outcome in ("Y", "N"):
            self.required(r, "request", "request_outcome_date", f" for RequestOutcome {outcome}")
        else:
            self.forbidden(
                r,
                "request",
                "request_outcome_date",
                f"for RequestOutcome {outcome}: it is needed only for Y or N",
            )
        challenged = bool(r.request_mediation or r.request_tribunal)
        if (outcome in ("A", "W") or (outcome == "N" and not challenged)) and (
            r.assessment is not None or r.active is not None
        ):
            self.add(
                r.assessment or r,
                "assessment" if r.assessment else "request",
                "",
                f"An assessment or plan is given for RequestOutcome {outcome}",
                "Nothing further is returned for that outcome, unless mediation or an appeal "
                "overturned a decision not to assess (then RequestMediation or RequestTribunal "
                "is 1): correct the outcome, set the flag, or remove the assessment"
                if outcome == "N"
                else "Nothing further is returned for that outcome: correct the outcome or remove "
                "the assessment",
            )
        if outcome in ("Y", "H") and r.assessment is None:
            self.add(
                r,
                "request",
                "request_outcome",
                f"RequestOutcome {outcome} has no Assessment",
                "Add the Assessment (module 3), with AssessmentOutcome A if no decision is made yet",
            )
        birth = self.p.birth_date
        self.order(r, "request", "received_date", r.received_date, birth, "the date of birth")
        self.order(
            r,
            "request",
            "request_outcome_date",
            r.request_outcome_date,
            r.received_date,
            "ReceivedDate",
        )
        self.not_after_census(r, "request", "request_outcome_date")
        if c is not None and r.received_date is not None:
            if r.received_date > c.end:
                self.add(
                    r,
                    "request",
                    "received_date",
                    f"The request was received on {fmt(r.received_date)}, after the period "
                    f"({fmt(c.start)} to {fmt(c.end)})",
                    "Leave it out of this return: it belongs in next year's",
                )
            elif outcome == "H" and r.received_date >= c.start:
                self.add(
                    r,
                    "request",
                    "request_outcome",
                    "RequestOutcome H (historical) is given for a request received in the period",
                    "Give the outcome of the request (Y, N, A or W) and its date",
                )
            elif not request_in_scope(r, c):
                self.add(
                    r,
                    "request",
                    "received_date",
                    f"Nothing about this request falls in the period ({fmt(c.start)} to "
                    f"{fmt(c.end)}) or on the reference date",
                    "Leave it out of the return, or correct its dates",
                )
        if r.assessment is not None:
            self.assessment(r)
        if r.active is not None:
            plan = r.plan
            if plan is None or plan.cease_date is not None:
                self.add(
                    r.active,
                    "active",
                    "",
                    "ActivePlans is given for a request with no plan active on the reference date",
                    "Remove ActivePlans, or add the NamedPlan without a CeaseDate",
                )
            self.active(r, r.active, plan)
        elif r.plan is not None and r.plan.cease_date is None:
            self.add(
                r.plan,
                "plan",
                "",
                "The plan has no CeaseDate but no ActivePlans module",
                "Add ActivePlans (module 5) for a plan active on the reference date, or enter "
                "CeaseDate and CeaseReason",
            )

    # -- module 3 and 4 ----------------------------------------------------------------------

    def assessment(self, r: RequestRec) -> None:
        a = r.assessment
        assert a is not None  # noqa: S101 - called only with an assessment
        outcome = a.assessment_outcome
        self.required(a, "assessment", "assessment_outcome")
        if outcome == "H" and r.request_outcome != "H":
            self.add(
                a,
                "assessment",
                "assessment_outcome",
                "AssessmentOutcome H (historical) is given for a request that is not historical",
                "Give the outcome of the assessment (Y, N, A or W)",
            )
        if outcome == "N":
            self.required(a, "assessment", "assessment_outcome_date", " for AssessmentOutcome N")
        elif outcome in ("A", "W", "H"):
            self.forbidden(
                a,
                "assessment",
                "assessment_outcome_date",
                f"for AssessmentOutcome {outcome}: it is needed only for Y (plan issued) or N",
            )
        # A plan issued: after a decision to issue (Y with its date), or after a decision not to
        # issue that mediation or an appeal overturned (N, flagged, with the NamedPlan).
        overturned = outcome == "N" and bool(a.assessment_mediation or a.assessment_tribunal)
        if outcome == "N" and a.plan is not None and not overturned:
            self.add(
                a.plan,
                "plan",
                "",
                "A NamedPlan is given for AssessmentOutcome N, with no mediation or appeal "
                "recorded",
                "Set AssessmentMediation or AssessmentTribunal to 1 if the decision not to issue "
                "was overturned, or correct the outcome, or remove the NamedPlan",
            )
        issued = (outcome == "Y" and a.assessment_outcome_date is not None) or (
            overturned and a.plan is not None
        )
        if a.week20 is not None and not issued:
            self.forbidden(
                a,
                "assessment",
                "week20",
                "but no plan was issued: Week20 is only for a final plan issued",
            )
        self.order(
            a,
            "assessment",
            "assessment_outcome_date",
            a.assessment_outcome_date,
            r.request_outcome_date or r.received_date,
            "the decision to assess" if r.request_outcome_date else "ReceivedDate",
        )
        self.not_after_census(a, "assessment", "assessment_outcome_date")
        if a.plan is None:
            if issued or outcome == "H":
                self.add(
                    a,
                    "assessment",
                    "assessment_outcome",
                    "A plan was issued but there is no NamedPlan",
                    "Add the NamedPlan (module 4a) with its StartDate",
                )
            return
        start = a.plan.start_date
        if (
            outcome == "H"
            and r.received_date is not None
            and self.c is not None
            and start is not None
            and start >= self.c.start
        ):
            self.add(
                a,
                "assessment",
                "assessment_outcome",
                f"AssessmentOutcome H (historical) is given for a plan that started on "
                f"{fmt(start)}, in the period",
                "Give AssessmentOutcome Y with AssessmentOutcomeDate, the date the final plan "
                "was issued",
            )
        if not (issued or outcome in ("H", "N")):
            self.add(
                a.plan,
                "plan",
                "",
                f"A NamedPlan is given for AssessmentOutcome {outcome} with no date",
                "Enter AssessmentOutcomeDate (the date the final plan was issued), or remove "
                "the NamedPlan",
            )
        self.plan(r, a.plan)

    def plan(self, r: RequestRec, plan: PlanRec) -> None:
        self.required(plan, "plan", "start_date")
        self.not_after_census(plan, "plan", "start_date")
        self.order(
            plan, "plan", "start_date", plan.start_date, self.p.birth_date, "the date of birth"
        )
        if self.given(plan, "cease_date") != self.given(plan, "cease_reason"):
            key = "cease_reason" if not self.given(plan, "cease_reason") else "cease_date"
            self.add(
                plan,
                "plan",
                key,
                f"{E.name(key)} is missing: CeaseDate and CeaseReason go together",
                f"Enter the {E.name(key)}, or remove the other",
            )
        self.order(plan, "plan", "cease_date", plan.cease_date, plan.start_date, "StartDate")
        self.not_after_census(plan, "plan", "cease_date")
        self.placements(plan, "plan_detail", plan.details, with_dates=False)

    # -- module 5 ----------------------------------------------------------------------------

    def active(self, r: RequestRec, a: ActiveRec, plan: PlanRec | None) -> None:
        if a.transfer_la is not None and not LA_RE.match(a.transfer_la):
            self.add(
                a,
                "active",
                "transfer_la",
                f"‘{a.transfer_la}’ is not a council code",
                "Use the 3-digit LA code",
            )
        start = plan.start_date if plan else None
        self.order(a, "active", "review_meeting", a.review_meeting, start, "the plan's StartDate")
        self.not_after_census(a, "active", "review_meeting")
        if self.given(a, "review_outcome") and not self.given(a, "review_meeting"):
            self.add(
                a,
                "active",
                "review_meeting",
                "ReviewOutcome is given without the ReviewMeeting",
                "Enter the date of the review meeting",
            )
        if self.given(a, "review_outcome") != self.given(a, "last_review"):
            missing = "last_review" if not self.given(a, "last_review") else "review_outcome"
            self.add(
                a,
                "active",
                missing,
                f"{E.name(missing)} is missing: the review decision and the date its letter was "
                f"sent go together",
                f"Enter the {E.name(missing)}",
            )
        self.order(a, "active", "last_review", a.last_review, a.review_meeting, "the ReviewMeeting")
        self.not_after_census(a, "active", "last_review")
        if a.review_draft is not None:
            if E.REVIEW_OUTCOME_CODES.get(a.review_outcome or "") != "amend":
                self.add(
                    a,
                    "active",
                    "review_draft",
                    "ReviewDraft is given but the review decision was not to amend the plan",
                    "Remove ReviewDraft, or correct ReviewOutcome",
                )
            self.order(a, "active", "review_draft", a.review_draft, a.last_review, "LastReview")
            self.not_after_census(a, "active", "review_draft")
        self.order(
            a,
            "active",
            "phase_transfer_final",
            a.phase_transfer_final,
            start,
            "the plan's StartDate",
        )
        self.not_after_census(a, "active", "phase_transfer_final")
        self.not_after_census(a, "active", "phase_transfer_due")
        self.placements(a, "placement", a.placements, with_dates=True)
        if not a.placements:
            self.add(
                a,
                "active",
                "",
                "The active plan has no PlacementDetail",
                "Add the child's placement on the reference date (a URN, UKPRN or SENsetting) "
                "with PlacementRank 1",
            )
        primaries = [n for n in a.needs if n.sen_type_rank == "1"]
        if len(primaries) != 1:
            self.add(
                primaries[1] if len(primaries) > 1 else a,
                "need" if len(primaries) > 1 else "active",
                "sen_type_rank" if len(primaries) > 1 else "",
                "The plan has more than one primary need"
                if primaries
                else "The active plan has no primary need",
                "Give exactly one SENneed with SENtypeRank 1",
            )
        if len(a.needs) > 2:
            self.add(
                a.needs[2],
                "need",
                "",
                "More than 2 needs are given",
                "Give the primary need and at most one secondary need",
            )
        for n in a.needs:
            self.required(n, "need", "sen_type")
            self.required(n, "need", "sen_type_rank")
        if len([n for n in a.needs if n.sen_type_rank == "2"]) > 1:
            self.add(
                a,
                "need",
                "sen_type_rank",
                "More than one secondary need is given",
                "Give at most one SENneed with SENtypeRank 2",
            )

    def placements(
        self, parent: Rec, module: str, items: list[PlacementRec], with_dates: bool
    ) -> None:
        for pl in items:
            named = self.given(pl, "urn") or self.given(pl, "ukprn")
            if not named and not self.given(pl, "sen_setting"):
                self.add(
                    pl,
                    module,
                    "urn",
                    "The placement names no setting",
                    "Enter the setting's URN or UKPRN, or a SENsetting code where it has neither",
                )
            if named and pl.sen_setting is not None:
                self.add(
                    pl,
                    module,
                    "sen_setting",
                    "SENsetting is given with a URN or UKPRN",
                    "Use SENsetting only where the setting has no URN or UKPRN",
                )
            if pl.urn is not None and not URN_RE.match(pl.urn):
                self.add(pl, module, "urn", f"‘{pl.urn}’ is not a URN", "A URN is 6 digits")
            if pl.ukprn is not None and not UKPRN_RE.match(pl.ukprn):
                self.add(
                    pl,
                    module,
                    "ukprn",
                    f"‘{pl.ukprn}’ is not a UKPRN",
                    "A UKPRN is 8 digits starting with 1",
                )
            if self.given(pl, "sen_setting_other") and not self.given(pl, "sen_setting"):
                self.add(
                    pl,
                    module,
                    "sen_setting_other",
                    "SENsettingOther is given without SENsetting",
                    "Enter SENsetting (OTH) or remove SENsettingOther",
                )
            self.required(pl, module, "placement_rank")
            if with_dates:
                self.required(pl, module, "entry_date")
                self.order(
                    pl, module, "entry_date", pl.entry_date, self.p.birth_date, "the date of birth"
                )
                self.not_after_census(pl, module, "entry_date")
                self.order(pl, module, "leaving_date", pl.leaving_date, pl.entry_date, "EntryDate")
                self.not_after_census(pl, module, "leaving_date")
        primaries = [pl for pl in items if pl.placement_rank == "1"]
        if items and len(primaries) != 1:
            self.add(
                primaries[1] if primaries else parent,
                module,
                "placement_rank",
                "More than one primary placement is given"
                if primaries
                else "No placement is primary",
                "Give exactly one placement with PlacementRank 1",
            )


def check_person(person: PersonRec, collection: Collection | None) -> list[Problem]:
    out: list[Problem] = []
    _Checker(person, collection, out).person()
    return out


class Identifiers:
    """UPNs and ULNs seen so far in a return: each belongs to one child (one Person)."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def check(self, person: PersonRec) -> list[Problem]:
        out: list[Problem] = []
        for key in ("upn", "uln"):
            value = getattr(person, key)
            if not value:
                continue
            first = self.seen.setdefault((key, value), person.label())
            if first != person.label():
                out.append(
                    Problem(
                        person.line_of(key),
                        E.MODULES["person"],
                        E.name(key),
                        f"{E.name(key)} {value} is also given for {first}",
                        "Each child appears once in the return: merge the two records or "
                        f"correct the {E.name(key)}",
                        person=person.label(),
                    )
                )
        return out
