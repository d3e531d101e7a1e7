"""Writing a generated council to the database, fast, as the action functions would.

One action call per event would take hours for a county; this module applies each
case's steps in memory exactly as the action function named by the step would (the
same structured rows, the same StatutoryEvent rows in the clock's vocabulary, the same
stage and version), computes each case's deadlines with the clock fed exactly as
`refresh_cases` feeds it, and writes every row with the database's bulk path (COPY on
PostgreSQL, executemany on SQLite) in one transaction. Appeal steps are applied as
casework.domain.appeals applies them (the Appeal row, the clock's event, Case.disputed).

tests/demo/test_load_equivalence.py replays the same steps through the real action
functions and compares the rows; tests/demo/test_load_consistency.py checks that
`refresh_cases` over the loaded council changes nothing.

`statutory.parse_events` checks every history before it is written, so the demo can
never hold a history the clock would refuse.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from faker import Faker

from sendcase import statutory
from sendcase.accounts.models import Role, Team, User
from sendcase.casework.domain.appeals import decision_type_on
from sendcase.casework.domain.deadlines import council_calendar, council_config, queue_fields
from sendcase.casework.domain.plan import (
    NO_SETTING_KINDS,
    fill_fields,
    legacy_content,
    naming_the_placement,
)
from sendcase.casework.domain.refresh import deadline_digest, deadline_fields
from sendcase.casework.models import (
    AdviceRequest,
    Appeal,
    AssessmentRequest,
    Case,
    Child,
    Deadline,
    FamilyContact,
    Stage,
    StatutoryEvent,
    TimeLimitException,
    Transfer,
)
from sendcase.core.audit_lock import wipe_audit_log
from sendcase.core.bulk import Table
from sendcase.core.codes import CeaseReason, ReviewOutcome, SENSetting
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.demo.generator import (
    TEAMS,
    CaseHistory,
    Council,
    PlacementSpec,
    action_arguments,
    one_notice_a_day,
    step_events,
)
from sendcase.inspection.demo import delete_strategy
from sendcase.placements.models import Placement, Setting
from sendcase.plans import checks
from sendcase.plans.content import (
    OUTCOME_FIELDS,
    PROVISION_FIELDS,
    AdviceRow,
    PlanContent,
    own_fields,
)
from sendcase.plans.models import Need, Outcome, Plan, PlanVersion, Provision
from sendcase.reviews.models import AnnualReview, PhaseTransfer
from sendcase.statutory.rules import (
    ALTERNATIVE_STAGES,
    STAGES,
    period_end,
    transfer_in_review_due,
)

DEMO_PASSWORD = "sendcase-demo"  # noqa: S105 - the shared password of the demo logins, printed
BATCH = 2000
TEAM_SLUGS = {
    TEAMS[0][0]: "assessment",
    TEAMS[1][0]: "primary",
    TEAMS[2][0]: "secondary",
    TEAMS[3][0]: "post16",
}


@dataclass
class Login:
    username: str
    role: str
    team: str


@dataclass
class LoadResult:
    cases: int = 0
    children: int = 0
    events: int = 0
    active_plans: int = 0
    logins: list[Login] = field(default_factory=list)
    # (case id, history) for every case, when load_council(keep_histories=True)
    histories: list[tuple[int, CaseHistory]] = field(default_factory=list)


# --- Applying steps in memory, as the actions do ---------------------------------------------

Row = dict[str, Any]


class CaseRows:
    """The rows one case's steps produce, mirroring the casework.domain action functions step by step.

    Rows are plain dicts keyed by field (attname); foreign keys to rows of the same case
    are kept as the parent dict under the field name and resolved when written."""

    def __init__(
        self,
        case: Row,
        born: dt.date | None = None,
        placements: list[PlacementSpec] | None = None,
        settings: dict[int, Setting] | None = None,
    ) -> None:
        self.case = case
        self.born = born
        # the child's placements, written apart from the steps (placement_rows), and the
        # register entries of their settings: a final plan's section I names the current one
        self.placements = placements or []
        self.settings = settings or {}
        self.request: Row | None = None
        self.advice: dict[str, Row] = {}
        self.exceptions: list[Row] = []
        self.plan: Row | None = None
        self.versions: list[Row] = []
        self.needs: list[Row] = []
        self.reviews: list[Row] = []
        self.phase_transfers: list[Row] = []
        self.transfers: list[Row] = []
        self.appeals: list[Row] = []
        self.events: list[tuple[str, dt.date, dict[str, Any]]] = []
        self.notice_days: set[dt.date] = set()
        # cease dates of plans a tribunal ordered continued: the placements closed that day reopen
        self.reinstated: set[dt.date] = set()
        self.actions = 0

    # helpers mirroring plan.new_plan_version and reviews._open_review

    def _new_version(
        self,
        kind: str,
        issued_on: dt.date,
        content: PlanContent | None,
        needs: list[tuple[str, str]] | None = None,
        *,
        judged: bool = True,
    ) -> Row:
        """As plan.new_plan_version: the content given, else the previous version's (with
        `needs` over it); judged against the quality criteria as the action judges it."""
        if not (self.plan is not None):
            raise RuntimeError("demo history out of order: self.plan is not None")
        previous = self.versions[-1] if self.versions else None
        if content is None:
            content = legacy_content(previous["content"] if previous else None, None, needs)
        version: Row = {
            "number": (previous["number"] + 1) if previous else 1,
            "kind": kind,
            "issued_on": issued_on,
            "content": content,
            **version_fields(content),
        }
        if judged:
            version["quality_failures"] = checks.quality(content, self._facts(kind, issued_on))
        self.versions.append(version)
        for rank, n in enumerate(content.needs, start=1):
            self.needs.append(
                {"version": version, "rank": rank, "code": n.code, "description": n.description}
            )
        if content.needs:
            self.plan["primary_need"] = content.needs[0].code
        return version

    def _advice_received(self) -> list[AdviceRow]:
        return [
            AdviceRow(a["kind"], a["provider"], a["requested_on"], a["received_on"])
            for a in self.advice.values()
            if a.get("received_on") is not None
        ]

    def _placement(self, on: dt.date) -> checks.Placement | None:
        """As plan.current_placement on the day of a step: the latest placement started by
        then, else the first (the replay in tests/demo records them in that order)."""
        started = [p for p in self.placements if p.entry <= on] or self.placements[:1]
        if not started:
            return None
        p = started[-1]
        setting = self.settings[p.setting] if p.setting is not None else None
        name = str(setting) if setting is not None else SENSetting(p.sen_setting).label
        return checks.Placement(setting.pk if setting else None, name, p.setting_type)

    def _in_step(self, content: PlanContent, kind: str, on: dt.date) -> PlanContent:
        """As plan.in_step_with_case: K from the advice received; I empty in a draft and in
        proposed amendments, else the current placement's when it is empty."""
        content = replace(content, advice=self._advice_received())
        if kind in NO_SETTING_KINDS:
            return content.without_setting()
        return naming_the_placement(content, self._placement(on))

    def _facts(self, kind: str, on: dt.date) -> checks.Facts:
        return checks.Facts(
            kind=kind,
            from_year_9=checks.in_year_9_or_above(self.born, on),
            advice_received=self._advice_received(),
            placement=self._placement(on),
        )

    def _issued(
        self,
        kind: str,
        on: dt.date,
        content: PlanContent | None,
        needs: list[tuple[str, str]] | None,
    ) -> PlanContent:
        """As plan.issue_content: the content given, else the plan as it stands (its section I
        left behind) with `needs` over it; kept in step with the case."""
        if content is None:
            previous = self.versions[-1]["content"] if self.versions else None
            content = legacy_content(previous, None, needs).without_setting()
        return self._in_step(content, kind, on)

    def _review(self, due_on: dt.date) -> Row:
        review: Row = {
            "due_on": due_on,
            "meeting_on": None,
            "decision": "",
            "amendment_notice_on": None,
            "final_amended_on": None,
        }
        self.reviews.append(review)
        return review

    def _open_review(self) -> Row:
        if not (self.plan is not None):
            raise RuntimeError("demo history out of order: self.plan is not None")
        waiting = [r for r in self.reviews if r["decision"] == ""]
        if waiting:
            return min(waiting, key=lambda r: r["due_on"])
        last = max(self.reviews, key=lambda r: r["due_on"]) if self.reviews else None
        base = (
            last["meeting_on"] if last and last["meeting_on"] else self.plan.get("first_issued_on")
        ) or timezone.localdate()
        return self._review(period_end("annual_review_meeting", base))

    def apply(self, name: str, kw: dict[str, Any]) -> None:
        for ev in step_events(name, kw):
            if one_notice_a_day(self.notice_days, ev):
                self.events.append((ev["type"], ev["date"], ev["data"]))
        self.actions += 1
        getattr(self, name)(**action_arguments(kw))

    def _prepared_for(self, sent_on: dt.date) -> Row:
        """As reviews._review_prepared_for: the first held meeting on or after the date, else the
        open review."""
        held = [r for r in self.reviews if r["meeting_on"] is not None]
        for review in sorted(held, key=lambda r: r["meeting_on"]):
            if sent_on <= review["meeting_on"]:
                return review
        return self._open_review()

    def record_review_invitations_sent(self, *, sent_on: dt.date) -> None:
        self._prepared_for(sent_on)["invitations_sent_on"] = sent_on

    def record_review_advice_circulated(self, *, sent_on: dt.date) -> None:
        self._prepared_for(sent_on)

    def record_review_report(self, *, sent_on: dt.date) -> None:
        held = [r for r in self.reviews if r["meeting_on"] is not None and not r.get("report_on")]
        if not held:
            raise RuntimeError("demo history out of order: a review report before its meeting")
        max(reversed(held), key=lambda r: r["meeting_on"])["report_on"] = sent_on

    def record_transfer_in_notice(self, *, notice_on: dt.date) -> None:
        waiting = [
            t
            for t in self.transfers
            if t["direction"] == Transfer.Direction.IN and not t.get("notice_on")
        ]
        if not waiting:
            raise RuntimeError("demo history out of order: a notice with no transfer in")
        waiting[0]["notice_on"] = notice_on

    def open_case_from_request(
        self, *, received_on: dt.date, source: int, requester_name: str, young_person_request: bool
    ) -> None:
        self.case["stage"] = Stage.REQUESTED
        self.request = {
            "received_on": received_on,
            "source": source,
            "requester_name": requester_name,
            "young_person_request": young_person_request,
            "decision": "",
        }

    def record_transfer_in(
        self,
        *,
        transferred_on: dt.date,
        last_review: dt.date,
        from_la_code: str,
        from_la_name: str,
        needs: list[tuple[str, str]] | None = None,
    ) -> None:
        self.case["stage"] = Stage.PLAN
        self.plan = {"status": Plan.Status.ACTIVE, "first_issued_on": transferred_on}
        if needs:
            self._new_version(PlanVersion.Kind.FINAL, transferred_on, None, needs, judged=False)
        self.transfers.append(
            {
                "direction": Transfer.Direction.IN,
                "other_la_code": from_la_code,
                "other_la_name": from_la_name,
                "transferred_on": transferred_on,
                "last_review": last_review,
            }
        )
        self._review(transfer_in_review_due(transferred_on, last_review))

    def record_decision_to_assess(self, *, decided_on: dt.date, outcome: str) -> None:
        if not (self.request is not None):
            raise RuntimeError("demo history out of order: self.request is not None")
        self.request["decision"], self.request["decision_on"] = outcome, decided_on
        if outcome == AssessmentRequest.Decision.ASSESS:
            self.case["stage"] = Stage.ASSESSING
        else:
            self.case["stage"], self.case["closed_on"] = Stage.NOT_ASSESSED, decided_on

    def record_advice_requested(
        self, *, kind: str, provider: str, requested_on: dt.date, advice_id: str
    ) -> None:
        self.advice[advice_id] = {
            "advice_id": advice_id,
            "kind": kind,
            "provider": provider,
            "requested_on": requested_on,
        }

    def record_advice_received(self, *, advice_id: str, received_on: dt.date) -> None:
        self.advice[advice_id]["received_on"] = received_on

    def record_exception(
        self, *, reason: str, start: dt.date, end: dt.date, why: str, applies_to: str = ""
    ) -> None:
        self.exceptions.append(
            {"reason": reason, "start": start, "end": end, "applies_to": applies_to, "why": why}
        )

    def record_draft_plan(self, *, issued_on: dt.date, content: PlanContent) -> None:
        if self.plan is None:
            self.plan = {"status": Plan.Status.DRAFT}
        self.plan["draft_issued_on"] = issued_on
        kind = PlanVersion.Kind.DRAFT
        self._new_version(kind, issued_on, self._in_step(content, kind, issued_on))
        self.case["stage"] = Stage.DRAFT

    def record_final_plan(self, *, issued_on: dt.date, content: PlanContent) -> None:
        if not (self.plan is not None):
            raise RuntimeError("demo history out of order: self.plan is not None")
        kind = PlanVersion.Kind.FINAL
        self._new_version(kind, issued_on, self._in_step(content, kind, issued_on))
        self.plan["first_issued_on"] = issued_on
        self.plan["status"] = Plan.Status.ACTIVE
        self.case["stage"] = Stage.PLAN
        self._review(period_end("annual_review_meeting", issued_on))

    def record_decision_not_to_issue(self, *, decided_on: dt.date) -> None:
        if not (self.request is not None):
            raise RuntimeError("demo history out of order: self.request is not None")
        self.request["not_to_issue_on"] = decided_on
        self.case["stage"], self.case["closed_on"] = Stage.NOT_ISSUED, decided_on

    def record_review_meeting(self, *, meeting_on: dt.date) -> None:
        self._open_review()["meeting_on"] = meeting_on

    def record_review_decision(self, *, decided_on: dt.date, outcome: str) -> None:
        waiting = [r for r in self.reviews if r["decision"] == "" and r["meeting_on"] is not None]
        review = min(waiting, key=lambda r: r["meeting_on"])
        review["decision"], review["decision_on"] = outcome, decided_on
        if outcome != ReviewOutcome.CEASE:
            self._review(period_end("annual_review_meeting", review["meeting_on"]))

    def record_amendment_notice(
        self,
        *,
        issued_on: dt.date,
        content: PlanContent | None = None,
        sections: dict[str, str] | None = None,
        needs: list[tuple[str, str]] | None = None,
    ) -> None:
        amend = [
            r
            for r in self.reviews
            if r["decision"] == ReviewOutcome.AMEND and r["amendment_notice_on"] is None
        ]
        if amend:
            max(amend, key=lambda r: r["meeting_on"] or dt.date.min)["amendment_notice_on"] = (
                issued_on
            )
        if sections is not None:
            raise RuntimeError("demo amendments start from the plan as it stands")
        kind = PlanVersion.Kind.PROPOSED_AMENDMENT
        self._new_version(
            kind, issued_on, self._issued(kind, issued_on, content, needs), judged=False
        )

    def record_final_amended_plan(
        self,
        *,
        issued_on: dt.date,
        content: PlanContent | None = None,
        sections: dict[str, str] | None = None,
        needs: list[tuple[str, str]] | None = None,
    ) -> None:
        notice = [v for v in self.versions if v["kind"] == PlanVersion.Kind.PROPOSED_AMENDMENT][-1]
        if sections is not None:
            raise RuntimeError("demo amendments start from the plan as it stands")
        kind = PlanVersion.Kind.AMENDED
        self._new_version(kind, issued_on, self._issued(kind, issued_on, content, needs))
        for r in self.reviews:
            if r["amendment_notice_on"] == notice["issued_on"] and r["final_amended_on"] is None:
                r["final_amended_on"] = issued_on

    def record_phase_transfer(self, *, transfer_date: dt.date, kind: str) -> None:
        rule = "phase_transfer" if kind == PhaseTransfer.Kind.SCHOOL else "post16_transfer"
        due = period_end(rule, transfer_date)
        self.phase_transfers.append(
            {"kind": kind, "transfer_date": transfer_date, "due_on": due, "named_on": None}
        )

    def record_phase_transfer_named(self, *, named_on: dt.date, setting: int | None = None) -> None:
        waiting = [t for t in self.phase_transfers if t["named_on"] is None]
        transfer = min(waiting, key=lambda t: t["transfer_date"])
        transfer["named_on"] = named_on
        transfer["new_setting"] = setting  # a SettingSpec key, resolved when written

    def cease_plan(self, *, cease_date: dt.date, reason: int, import_mode: bool = True) -> None:
        if not (self.plan is not None):
            raise RuntimeError("demo history out of order: self.plan is not None")
        self.plan.update(status=Plan.Status.CEASED, cease_date=cease_date, cease_reason=reason)
        self.case["stage"] = (
            Stage.TRANSFERRED_OUT if reason == CeaseReason.TRANSFERRED_LA else Stage.CEASED
        )
        self.case["closed_on"] = cease_date

    # mediation and tribunal appeals, mirroring casework.domain.appeals

    def _live_appeal(self) -> Row:
        """appeals.live_appeal: the latest appeal still undecided, or with an order not yet
        complied with in full."""
        live = [a for a in self.appeals if _is_live(a)]
        if not live:
            raise RuntimeError("demo history out of order: no live appeal")
        return max(live, key=lambda a: a["decision_notice_on"])

    def _new_appeal(self, notice_on: dt.date, **fields: Any) -> Row:
        events = [_Event(t, d, data) for t, d, data in self.events]
        decision_type = decision_type_on(events, notice_on)
        if decision_type is None:
            raise RuntimeError(f"demo history out of order: no appealable decision on {notice_on}")
        appeal: Row = {
            "decision_type": decision_type,
            "decision_notice_on": notice_on,
            "mediation_requested_on": None,
            "mediation_declined_on": None,
            "mediation_held_on": None,
            "certificate_on": None,
            "tribunal_registered_on": None,
            "outcome": Appeal.Outcome.PENDING,
            "order_kind": "",
            "order_on": None,
            "complied_on": None,
            **fields,
        }
        self.appeals.append(appeal)
        return appeal

    def _mark_disputed(self) -> None:
        self.case["disputed"] = any(_is_live(a) for a in self.appeals)

    def record_mediation_decision(
        self, *, notice_on: dt.date, decided_on: dt.date, wants_mediation: bool
    ) -> None:
        self._new_appeal(
            notice_on,
            mediation_requested_on=decided_on if wants_mediation else None,
            mediation_declined_on=None if wants_mediation else decided_on,
        )
        self._mark_disputed()

    def record_mediation_held(self, *, held_on: dt.date) -> None:
        self._live_appeal()["mediation_held_on"] = held_on
        self._mark_disputed()

    def record_mediation_certificate(self, *, issued_on: dt.date) -> None:
        self._live_appeal()["certificate_on"] = issued_on
        self._mark_disputed()

    def record_appeal_registered(self, *, registered_on: dt.date, notice_on: dt.date) -> None:
        appeal = next((a for a in self.appeals if a["decision_notice_on"] == notice_on), None)
        if appeal is None:
            appeal = self._new_appeal(notice_on, tribunal_registered_on=registered_on)
        else:
            appeal["tribunal_registered_on"] = registered_on
        if appeal["decision_type"] == Appeal.DecisionType.CEASE:
            # appeals.record_appeal_registered: the appeal keeps the plan in force (s45(4))
            self._carry_out("continue")
        self._mark_disputed()

    def record_no_appeal(self, *, decided_on: dt.date) -> None:
        appeal = self._live_appeal()
        appeal["outcome"], appeal["order_on"] = Appeal.Outcome.WITHDRAWN, None
        self._mark_disputed()

    def record_tribunal_decision(
        self, *, decided_on: dt.date, outcome: str, order_kind: str = ""
    ) -> None:
        appeal = self._live_appeal()
        if outcome in (Appeal.Outcome.WITHDRAWN, Appeal.Outcome.DISMISSED):
            order_kind = ""
        appeal["outcome"], appeal["order_kind"] = outcome, order_kind
        appeal["order_on"] = decided_on if order_kind else None
        self._carry_out(order_kind)
        self._mark_disputed()

    def _carry_out(self, order_kind: str) -> None:
        """appeals._carry_out: an order to assess a refused request, or to make a plan after a
        decision not to issue one, reopens the case for assessment; an order to continue a ceased
        plan reinstates it (the placements its ceasing closed are reopened in placement_rows)."""
        stage = self.case["stage"]
        if (order_kind == "assess" and stage == Stage.NOT_ASSESSED) or (
            order_kind == "make_plan" and stage == Stage.NOT_ISSUED
        ):
            self.case["stage"], self.case["closed_on"] = Stage.ASSESSING, None
        elif (
            order_kind == "continue"
            and stage == Stage.CEASED
            and self.plan is not None
            and self.plan["status"] == Plan.Status.CEASED
        ):
            self.reinstated.add(self.plan["cease_date"])
            self.plan.update(status=Plan.Status.ACTIVE, cease_date=None, cease_reason=None)
            self.case["stage"], self.case["closed_on"] = Stage.PLAN, None

    def record_order_complied(self, *, complied_on: dt.date, stage: str = "") -> None:
        appeal = self._live_appeal()
        done = appeal.setdefault("_done", set())
        done.add(stage)
        last = _order_stages(appeal)[-1]
        if last in done or ALTERNATIVE_STAGES.get(last, "\x00") in done:
            appeal["complied_on"] = complied_on
        self._mark_disputed()


@dataclass(frozen=True, slots=True)
class _Event:
    """An event as appeals.decision_type_on reads it."""

    type: str
    date: dt.date
    data: dict[str, Any]


def _order_stages(appeal: Row) -> tuple[str, ...]:
    """appeals.order_stages."""
    key = (
        f"unopposed_appeal/{appeal['order_kind']}"
        if appeal["outcome"] == Appeal.Outcome.CONCEDED
        else f"tribunal_order_{appeal['order_kind']}"
    )
    return tuple(s[0] for s in STAGES[key])


def _is_live(appeal: Row) -> bool:
    """appeals.is_live."""
    if appeal["outcome"] == Appeal.Outcome.PENDING:
        return True
    return (
        appeal["outcome"] in (Appeal.Outcome.UPHELD, Appeal.Outcome.CONCEDED)
        and bool(appeal["order_kind"])
        and appeal["complied_on"] is None
    )


# --- Staff ------------------------------------------------------------------------------------


def create_staff(
    council: Council,
) -> tuple[dict[tuple[str, int], User], dict[str, Team], list[Login]]:
    """Teams, and one demo login for every role: case officers in each team (enough for
    caseloads of about 235), a manager for each team, and the central roles."""
    if not django_settings.SENDCASE_DEMO:
        raise NotADemoDatabase(NOT_DEMO_MODE)
    faker = Faker("en_GB")
    faker.seed_instance(council.seed + 7)
    password = make_password(DEMO_PASSWORD)
    teams = {}
    for name, area in TEAMS:
        teams[name], _ = Team.objects.get_or_create(name=name, defaults={"area": area})
    users: list[User] = []
    officers: dict[tuple[str, int], User] = {}
    logins: list[Login] = []

    def user(username: str, role: str, team: Team | None, title: str) -> User:
        u = User(
            username=username,
            password=password,
            first_name=faker.first_name(),
            last_name=faker.last_name(),
            email=f"{username}@example.org",
            role=role,
            team=team,
            job_title=title,
            is_demo=True,
            is_staff=role == Role.ADMINISTRATOR,
        )
        users.append(u)
        logins.append(Login(username, Role(role).label, team.name if team else ""))
        return u

    user("demo.head", Role.HEAD_OF_SERVICE, None, "Head of SEND")
    for name, _ in TEAMS:
        slug = TEAM_SLUGS[name]
        user(f"demo.{slug}.manager", Role.TEAM_MANAGER, teams[name], f"{name} manager")
        for n in range(council.officers[name]):
            officers[(name, n)] = user(
                f"demo.{slug}.officer{n + 1}", Role.CASE_OFFICER, teams[name], "EHC case officer"
            )
    user("demo.finance", Role.FINANCE_OFFICER, None, "SEND finance officer")
    user("demo.data", Role.DATA_OFFICER, None, "SEND data officer")
    user("demo.admin", Role.ADMINISTRATOR, None, "System administrator")
    user("demo.ig", Role.INFORMATION_GOVERNANCE, None, "Information governance officer")
    User.objects.bulk_create(users, batch_size=BATCH)
    saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    officers = {k: saved[u.username] for k, u in officers.items()}
    return officers, teams, logins


# --- Writing rows fast ------------------------------------------------------------------------


class Writer:
    """Allocates primary keys for the parent tables and writes every table of many cases."""

    PARENTS = (Child, Case, Plan, PlanVersion, Need, Outcome, Provision)

    def __init__(self) -> None:
        now = timezone.now()
        self.tables: dict[type[Model], Table] = {}
        self.now = now
        self.next_id: dict[type[Model], int] = {}
        for model in self.PARENTS:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next_id[model] = (last or 0) + 1

    def table(self, model: type[Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, self.now)
        return self.tables[model]

    def new_id(self, model: type[Model]) -> int:
        n = self.next_id[model]
        self.next_id[model] = n + 1
        return n

    def write(self, model: type[Model], rows: list[Row]) -> int:
        return self.table(model).write(rows)

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here."""
        if connection.vendor != "postgresql":
            return
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.PARENTS))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- The load ---------------------------------------------------------------------------------


def _settings(council: Council) -> dict[int, Setting]:
    rows = [
        Setting(
            name=s.name,
            urn=s.urn,
            ukprn=s.ukprn,
            kind=s.kind,
            phase=s.phase,
            la_code=council.la_code,
            postcode=s.postcode,
            has_resourced_provision=s.resourced,
            has_sen_unit=s.sen_unit,
        )
        for s in council.settings
    ]
    Setting.objects.bulk_create(rows, batch_size=BATCH)
    return {s.key: row for s, row in zip(council.settings, rows, strict=True)}


def _children(council: Council, writer: Writer) -> dict[int, int]:
    ids: dict[int, int] = {}
    rows, contacts = [], []
    for c in council.children:
        pk = ids[c.key] = writer.new_id(Child)
        rows.append(
            {
                "id": pk,
                "forename": c.forename,
                "surname": c.surname,
                "date_of_birth": c.dob,
                "sex": c.sex,
                "ethnicity": c.ethnicity,
                "address": c.address,
                "postcode": c.postcode,
                "upn": c.upn,
                "home_la_code": council.la_code,
                "first_language": c.first_language,
                "interpreter_needed": c.interpreter_needed,
                "nhs_number": c.nhs_number,
                "disability": c.disability,
                "known_to_social_care": c.known_to_social_care,
                "social_care_team": c.social_care_team,
                "gender": c.gender,
            }
        )
        contacts.append(
            {
                "child_id": pk,
                "name": c.parent_name,
                "relationship": c.relationship,
                "parental_responsibility": True,
                "email": c.email,
                "phone": c.phone,
                "address": c.address,
                "postcode": c.postcode,
                "preferred_contact": c.preferred_contact,
                "language": c.first_language,
                "interpreter_needed": c.interpreter_needed,
                "consent_to_share": True,
            }
        )
    writer.write(Child, rows)
    writer.write(FamilyContact, contacts)
    return ids


def build_case(
    history: CaseHistory,
    case: Row,
    born: dt.date | None = None,
    settings: dict[int, Setting] | None = None,
) -> CaseRows:
    """Apply one history's steps to a case row, as the action functions would."""
    rows = CaseRows(case, born, history.placements, settings)
    for name, _when, kw in history.steps:
        rows.apply(name, kw)
    case["version"] = 1 + rows.actions
    return rows


def placement_rows(history: CaseHistory, rows: CaseRows, settings: dict[int, Setting]) -> list[Row]:
    plan = rows.plan
    if plan is None or plan.get("first_issued_on") is None:
        return []
    plan["residential"] = history.residential
    plan["personal_budget"] = history.personal_budget
    cease = plan.get("cease_date")
    out = []
    for p in history.placements:
        if cease is not None and p.entry > cease:
            continue
        leaving = p.leaving
        if cease is not None and (leaving is None or leaving > cease):
            leaving = cease  # cease_plan closes the open placements
        if leaving in rows.reinstated:
            leaving = None  # an order to continue the plan reopens what its ceasing closed
        out.append(
            {
                "plan_id": plan["id"],
                "setting_id": settings[p.setting].pk if p.setting is not None else None,
                "sen_setting": p.sen_setting,
                "rank": 1,
                "entry_date": p.entry,
                "leaving_date": leaving,
                "sen_unit": p.sen_unit,
                "resourced_provision": p.resourced,
                "residential": p.residential,
                "setting_type": p.setting_type,
            }
        )
    return out


def deadline_values(
    events: list[tuple[str, dt.date, dict[str, Any]]],
    today: dt.date,
    calendar: statutory.Calendar,
    config: statutory.ClockConfig,
) -> list[statutory.Deadline]:
    """What the clock computes from a case's events, fed as refresh_cases feeds it.
    parse_events also refuses any history the clock could not count from."""
    raw = [{"type": t, "date": d.isoformat(), **data} for t, d, data in events]
    return statutory.compute_deadlines(statutory.parse_events(raw), today, calendar, config)


def version_fields(content: PlanContent) -> Row:
    """A version's own fields for this content, as plan.fill_fields sets them."""
    version = PlanVersion()
    fill_fields(version, content)
    return {
        f.attname: getattr(version, f.attname)
        for f in PlanVersion._meta.concrete_fields
        if f.attname in CONTENT_FIELDS
    }


CONTENT_FIELDS = (
    "sections",
    "child_views",
    "parent_views",
    "no_health_needs",
    "no_social_care_needs",
    "setting_id",
    "setting_type",
    "personal_budget_amount",
    "advice",
)


def content_rows(
    writer: Writer,
    tables: dict[type[Model], list[Row]],
    version_id: int,
    content: PlanContent,
    settings: dict[int, Setting],
) -> None:
    """The needs, outcomes and provision rows of a version and their links, as plan.write_rows."""
    need_ids = []
    for rank, n in enumerate(content.needs, start=1):
        need_ids.append(writer.new_id(Need))
        tables[Need].append(
            {
                "id": need_ids[-1],
                "version_id": version_id,
                "rank": rank,
                "code": n.code,
                "description": n.description,
            }
        )
    outcome_ids = []
    for o in content.outcomes:
        outcome_ids.append(writer.new_id(Outcome))
        tables[Outcome].append(
            {"id": outcome_ids[-1], "version_id": version_id, **own_fields(o, OUTCOME_FIELDS)}
        )
        tables[Outcome.needs.through].extend(
            {"outcome_id": outcome_ids[-1], "need_id": need_ids[i]}
            for i in sorted(set(o.needs))
            if 0 <= i < len(need_ids)
        )
    for p in content.provision:
        pid = writer.new_id(Provision)
        tables[Provision].append(
            {"id": pid, "version_id": version_id, **own_fields(p, PROVISION_FIELDS)}
        )
        tables[Provision.needs.through].extend(
            {"provision_id": pid, "need_id": need_ids[i]}
            for i in sorted(set(p.needs))
            if 0 <= i < len(need_ids)
        )
        tables[Provision.outcomes.through].extend(
            {"provision_id": pid, "outcome_id": outcome_ids[i]}
            for i in sorted(set(p.outcomes))
            if 0 <= i < len(outcome_ids)
        )


def write_cases(
    writer: Writer,
    built: list[tuple[CaseHistory, CaseRows]],
    settings: dict[int, Setting],
    today: dt.date,
    calendar: statutory.Calendar,
    config: statutory.ClockConfig,
) -> int:
    """Give the built cases their ids, compute their deadlines, and write every row."""
    tables: dict[type[Model], list[Row]] = {
        m: []
        for m in (
            Case,
            AssessmentRequest,
            Transfer,
            Plan,
            PlanVersion,
            Need,
            Outcome,
            Provision,
            Outcome.needs.through,
            Provision.needs.through,
            Provision.outcomes.through,
            AdviceRequest,
            TimeLimitException,
            AnnualReview,
            PhaseTransfer,
            Placement,
            Appeal,
            StatutoryEvent,
            Deadline,
        )
    }
    events = 0
    for history, r in built:
        case = r.case
        cid = case["id"] = writer.new_id(Case)
        computed = deadline_values(r.events, today, calendar, config)
        case["next_due"], case["next_key"], case["overdue_count"] = queue_fields(computed)
        case["deadlines_digest"] = deadline_digest(computed)
        tables[Case].append(case)
        if r.request is not None:
            tables[AssessmentRequest].append({**r.request, "case_id": cid})
        tables[Transfer].extend({**t, "case_id": cid} for t in r.transfers)
        tables[AdviceRequest].extend({**a, "case_id": cid} for a in r.advice.values())
        tables[TimeLimitException].extend({**e, "case_id": cid} for e in r.exceptions)
        tables[Appeal].extend(
            {k: v for k, v in a.items() if k != "_done"} | {"case_id": cid} for a in r.appeals
        )
        if r.plan is not None:
            pid = r.plan["id"] = writer.new_id(Plan)
            r.plan["case_id"] = cid
            tables[Plan].append(r.plan)
            for v in r.versions:
                v["id"] = writer.new_id(PlanVersion)
                v["plan_id"] = pid
                content = v["content"]
                tables[PlanVersion].append({k: x for k, x in v.items() if k != "content"})
                content_rows(writer, tables, v["id"], content, settings)
            tables[AnnualReview].extend({**v, "plan_id": pid} for v in r.reviews)
            for t in r.phase_transfers:
                setting = t.pop("new_setting", None)
                tables[PhaseTransfer].append(
                    {
                        **t,
                        "plan_id": pid,
                        "new_setting_id": settings[setting].pk if setting is not None else None,
                    }
                )
            tables[Placement].extend(placement_rows(history, r, settings))
        tables[StatutoryEvent].extend(
            {"case_id": cid, "type": t, "date": d, "data": data} for t, d, data in r.events
        )
        events += len(r.events)
        tables[Deadline].extend(deadline_fields(cid, d) for d in computed)
    for model, rows in tables.items():
        writer.write(model, rows)
    return events


def load_council(
    council: Council,
    *,
    on_chunk: Callable[[int], None] | None = None,
    chunk: int = 1000,
    summary: dict[str, Any] | None = None,
    keep_histories: bool = False,
) -> LoadResult:
    """Write the whole council in one transaction, with its deadlines."""
    result = LoadResult()
    today = council.today
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection: the load touches every index at once.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    with transaction.atomic():
        writer = Writer()
        calendar, config = council_calendar(), council_config()
        officers, teams, result.logins = create_staff(council)
        settings = _settings(council)
        children = _children(council, writer)
        references: Counter[int] = Counter()
        skeletons = council.skeletons
        for start in range(0, len(skeletons), chunk):
            built = []
            for s in skeletons[start : start + chunk]:
                history = council.history(s)  # checked by parse_events in write_cases
                year = s.opened.year
                references[year] += 1
                officer = officers.get((s.team, s.officer))
                case: Row = {
                    "reference": f"EHC-{year % 100:02d}-{references[year]:05d}",
                    "child_id": children[s.child],
                    "officer_id": officer.pk if officer else None,
                    "team_id": teams[s.team].pk,
                    "opened_on": s.opened,
                }
                built.append(
                    (history, build_case(history, case, council.children[s.child].dob, settings))
                )
            result.events += write_cases(writer, built, settings, today, calendar, config)
            if keep_histories:
                result.histories.extend((r.case["id"], h) for h, r in built)
            result.cases += len(built)
            result.active_plans += sum(
                1 for _, r in built if r.plan is not None and r.plan["status"] == Plan.Status.ACTIVE
            )
            if on_chunk is not None:
                on_chunk(len(built))
        writer.finish()
        result.children = len(children)
        AuditEntry.objects.create(
            actor=None,
            action=AuditEntry.Action.IMPORT,
            object_type="demo.council",
            object_id="",
            summary=(
                f"Demo council loaded: {result.cases} cases, {result.active_plans} active plans, "
                f"calibrated to {council.cal.area}"
            )[:255],
            payload={
                "demo": True,
                "seed": council.seed,
                "plans": council.plans,
                "calibrated_to": council.cal.area,
                "today": today.isoformat(),
                "years": council.years,
                "cases": result.cases,
                "events": result.events,
                **(summary or {}),
            },
        )
    return result


# --- Reset ------------------------------------------------------------------------------------


class ResetRefused(Exception):
    """The database holds data that is not the demo's: it will not be deleted."""


class NotADemoDatabase(Exception):
    """This installation or database is not a demo one: `sendcase demo` will not touch it."""


NOT_DEMO_MODE = (
    "This installation is not in demo mode, so `sendcase demo` will not run. The demo logins "
    "share a published password, so they exist only on a demo installation: set "
    "SENDCASE_DEMO=true there (`make demo` does). Never set it on a council's real installation."
)


def refuse_unless_demo() -> None:
    """Raise NotADemoDatabase, in plain words, unless this is a demo installation with a
    database that holds nothing but the demo council (or nothing at all)."""
    if not django_settings.SENDCASE_DEMO:
        raise NotADemoDatabase(NOT_DEMO_MODE)
    staff = User.objects.filter(is_demo=False).count()
    if staff:
        raise NotADemoDatabase(
            f"This database has {staff:,} staff account{'s' if staff != 1 else ''} that "
            f"{'are' if staff != 1 else 'is'} not a demo login, so it is not a demo database: "
            "`sendcase demo` will not add demo logins or cases to it."
        )
    if Case.objects.exists() and not is_demo_database():
        raise NotADemoDatabase(
            "This database has cases that `sendcase demo` did not make, so it is not a demo "
            "database: `sendcase demo` will not touch it."
        )


def demo_logins() -> list[Login]:
    return [
        Login(u.username, Role(u.role).label, u.team.name if u.team else "")
        for u in User.objects.filter(is_demo=True).select_related("team").order_by("username")
    ]


def is_demo_database() -> bool:
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, object_type="demo.council"
    ).exists()


def reset() -> None:
    """Delete the demo council. Refuses unless every case came from the demo load and nobody
    but a demo login has recorded anything."""
    if Case.objects.exists() and not is_demo_database():
        raise ResetRefused(
            "This database has cases that were not made by `sendcase demo`: not resetting it."
        )
    if (
        AuditEntry.objects.exclude(actor=None).exclude(actor__is_demo=True).exists()
        or StatutoryEvent.objects.exclude(recorded_by=None)
        .exclude(recorded_by__is_demo=True)
        .exists()
    ):
        raise ResetRefused(
            "Someone other than a demo login has recorded work in this database: not resetting it."
        )
    with transaction.atomic():
        # The database refuses to delete audit entries (core/audit_lock.py). A demo reset is the
        # one place outside the test suite that deliberately wipes the log, and only here, after
        # the checks above proved this is a demo database that only demo logins have used.
        wipe_audit_log()

        NotifyMessage.objects.all().delete()
        delete_strategy()  # before the demo logins it names as last editor
        Case.objects.all().delete()
        Child.objects.all().delete()
        Setting.objects.all().delete()
        User.objects.filter(is_demo=True).delete()
        Team.objects.filter(name__in=[name for name, _ in TEAMS], members__isnull=True).delete()
