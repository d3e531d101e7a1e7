"""The bulk loader writes exactly the rows the action functions write.

A small council is loaded with `load_council`; then a sample of its histories (every
kind of step, every way a case ends) is replayed through the real action functions
for fresh children, and the two versions of each case are compared: the statutory
events (type, date, data), the structured rows, the case's stage and queue fields,
and the stored deadlines.

Appeal steps (mediation, the tribunal, compliance with an order) are replayed through
`sendcase.casework.domain.appeals`, and the Appeal rows and `Case.disputed` compared too.

Every step is replayed through its action function, none as a raw event, so the case's
`version` (one per action) and every field a step fills are compared too. A test fails when
an action function has no counterpart in the demo and is not listed, with its reason, in
NOT_IN_THE_DEMO.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model

from sendcase.casework import domain
from sendcase.casework.domain import (
    appeals,
    assessment,
    buffer,
    phase_and_cease,
    plan,
    reviews,
    transfers,
)
from sendcase.casework.domain.assessment import open_case_from_request
from sendcase.casework.domain.deferred import deferred_deadlines, deferring
from sendcase.casework.domain.transfers import record_transfer_in
from sendcase.casework.models import (
    AdviceRequest,
    Appeal,
    AssessmentRequest,
    Case,
    Child,
    Deadline,
    StatutoryEvent,
    TimeLimitException,
    Transfer,
)
from sendcase.core.actors import SystemActor
from sendcase.demo import calibration
from sendcase.demo.generator import APPEAL_STEPS, Council, action_arguments
from sendcase.demo.load import load_council
from sendcase.demo.management.commands.demo import DEFAULT_PLANS
from sendcase.placements.models import Placement, Setting
from sendcase.plans.models import Need, Plan, PlanVersion
from sendcase.plans.queries import contents_of
from sendcase.returns.importer import FLUSH_ROWS
from sendcase.reviews.models import AnnualReview, PhaseTransfer

TODAY = dt.date(2025, 11, 24)
REPLAY = SystemActor("the demo's steps replayed")  # as the demo loader: no person
STEP_MODULES = (assessment, plan, reviews, phase_and_cease, transfers)


def action_named(name: str) -> Any:
    """The action function a generated step names, from the module of its part of the law."""
    found = [getattr(m, name) for m in STEP_MODULES if hasattr(m, name)]
    assert len(found) == 1, name
    return found[0]


# Steps that issue a plan version naming a setting: the child's current placement is recorded
# before them (a final plan's section I names it, plans.checks).
NAMES_THE_PLACEMENT = ("record_final_plan", "record_final_amended_plan")


def place(case: Case, history: Any, on: dt.date, settings: dict[int, Setting]) -> None:
    """The child's placements started by `on` (else the first), each ending the one before, as
    record_placement records them; the rows as the loader writes them (placement_rows), apart
    from the steps, so the case's version is the loader's. Through the write buffer's helpers,
    so that inside the import's buffered block the rows wait in the buffer with the plan."""
    plan = buffer.related(case, Plan, "case")[0]
    existing = buffer.related(plan, Placement, "plan")
    written = {p.entry_date for p in existing}
    started = [p for p in history.placements if p.entry <= on] or history.placements[:1]
    for spec in started:
        if spec.entry in written:
            continue
        for row in existing:
            if row.rank == 1 and row.leaving_date is None:
                row.leaving_date = spec.entry - dt.timedelta(days=1)
                buffer.save(row, ["leaving_date"])
        existing.append(
            buffer.create(
                Placement,
                plan=plan,
                setting=settings[spec.setting] if spec.setting is not None else None,
                sen_setting=spec.sen_setting,
                entry_date=spec.entry,
                sen_unit=spec.sen_unit,
                resourced_provision=spec.resourced,
                residential=spec.residential,
                setting_type=spec.setting_type,
            )
        )


def new_child(council: Council, history: Any) -> Child:
    """A fresh child like the history's, for its replay: written through the write buffer, so
    that inside the import's buffered block the child waits in the buffer with its case, as
    the SEN2 import adds a child."""
    spec = council.children[history.skeleton.child]
    return buffer.create(
        Child, forename=spec.forename, surname=spec.surname, date_of_birth=spec.dob, sex=spec.sex
    )


def replay(
    history: Any, child: Child, settings: dict[int, Setting], *, buffered: bool = False
) -> Case:
    """The history's steps through the actions. `buffered`: inside the import's buffered block,
    where the case is not in the database, so each step is given the case object the block holds
    (as the SEN2 import does); otherwise each step reads the case afresh."""
    case: Case | None = None

    def current() -> Case:
        assert case is not None
        return case if buffered else Case.objects.get(pk=case.pk)

    for name, when, kw in history.steps:
        if name in NAMES_THE_PLACEMENT:
            place(current(), history, when, settings)
        if name == "open_case_from_request":
            case = open_case_from_request(child, **kw, actor=REPLAY, today=TODAY)
        elif name == "record_transfer_in":
            case = record_transfer_in(child, **kw, actor=REPLAY, today=TODAY)
        elif name in APPEAL_STEPS:
            getattr(appeals, name)(current(), **action_arguments(kw), actor=REPLAY, today=TODAY)
        else:
            args = dict(kw)
            if name == "record_phase_transfer_named":
                key = args.pop("setting")
                args["setting"] = settings[key] if key is not None else None
            action_named(name)(current(), **args, actor=REPLAY, today=TODAY)
    return current()


# Case ids read in one query by rows_of (a bounded list of keys, for SQLite's limit on them).
CHUNK = 500


def _grouped(model: type[Model], key: str, keys: Sequence[Any], *fields: str) -> dict[Any, list]:
    """The rows of `model` whose `key` is one of `keys` (read through its default manager, as the
    related managers read them: a case's effective events), as tuples of `fields` by key."""
    found: dict[Any, list[Any]] = defaultdict(list)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = model._default_manager.filter(**{f"{key}__in": chunk}).order_by()
        for owner, *values in query.values_list(key, *fields):
            found[owner].append(tuple(values))
    return found


def rows_of(case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Everything about each case that the actions decide, without ids and timestamps, by case
    id: every event, deadline, advice request, exception, transfer, appeal, the request, the
    plan, each plan version (its needs and its whole content, `plans.queries.contents_of`),
    reviews and phase transfers. Each table is read once for all the cases (in chunks)."""
    ids = list(case_ids)
    out: dict[int, dict[str, Any]] = {
        pk: {"case": tuple(case)}
        for pk, *case in Case.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "stage",
            "opened_on",
            "closed_on",
            "next_due",
            "next_key",
            "overdue_count",
            "version",
            "disputed",
        )
    }
    assert set(out) == set(ids)
    events = _grouped(StatutoryEvent, "case_id", ids, "type", "date", "data")
    deadlines = _grouped(
        Deadline,
        "case_id",
        ids,
        "key",
        "instance",
        "trigger",
        "due",
        "completed_on",
        "status",
        "source",
        "explanation",
        "advice_id",
    )
    advice = _grouped(
        AdviceRequest,
        "case_id",
        ids,
        "advice_id",
        "kind",
        "provider",
        "requested_on",
        "received_on",
    )
    exceptions = _grouped(
        TimeLimitException, "case_id", ids, "reason", "start", "end", "applies_to", "why"
    )
    transfers = _grouped(
        Transfer,
        "case_id",
        ids,
        "direction",
        "other_la_code",
        "other_la_name",
        "transferred_on",
        "last_review",
        "notice_on",
    )
    appeals = _grouped(
        Appeal,
        "case_id",
        ids,
        "decision_type",
        "decision_notice_on",
        "mediation_requested_on",
        "mediation_declined_on",
        "mediation_held_on",
        "certificate_on",
        "tribunal_registered_on",
        "outcome",
        "order_kind",
        "order_on",
        "complied_on",
    )
    requests = _grouped(
        AssessmentRequest,
        "case_id",
        ids,
        "received_on",
        "source",
        "requester_name",
        "young_person_request",
        "decision",
        "decision_on",
        "not_to_issue_on",
    )
    for pk, case in out.items():
        case["events"] = sorted((t, d, sorted(data.items())) for t, d, data in events[pk])
        case["deadlines"] = sorted(deadlines[pk])
        case["advice"] = sorted(advice[pk])
        case["exceptions"] = sorted(exceptions[pk])
        case["transfers"] = sorted(transfers[pk])
        case["appeals"] = sorted(appeals[pk])
        if pk in requests:
            (case["request"],) = requests[pk]
    plans = _grouped(
        Plan,
        "case_id",
        ids,
        "pk",
        "status",
        "draft_issued_on",
        "first_issued_on",
        "cease_date",
        "cease_reason",
        "primary_need",
    )
    plan_of = {pk: plan for pk, (plan,) in plans.items()}  # a case has one plan at most
    plan_ids = [plan[0] for plan in plan_of.values()]
    versions: dict[int, list[PlanVersion]] = defaultdict(list)
    for start in range(0, len(plan_ids), CHUNK):
        chunk = plan_ids[start : start + CHUNK]
        for v in PlanVersion.objects.filter(plan_id__in=chunk).select_related("setting"):
            versions[v.plan_id].append(v)
    everyone = [v for listed in versions.values() for v in listed]
    contents = contents_of(everyone)  # sections A to K: needs, outcomes, provision, their links
    needs = _grouped(Need, "version_id", [v.pk for v in everyone], "rank", "code", "description")
    reviews = _grouped(
        AnnualReview,
        "plan_id",
        plan_ids,
        "due_on",
        "invitations_sent_on",
        "meeting_on",
        "report_on",
        "decision",
        "decision_on",
        "amendment_notice_on",
        "final_amended_on",
    )
    phase_transfers = _grouped(
        PhaseTransfer,
        "plan_id",
        plan_ids,
        "kind",
        "transfer_date",
        "due_on",
        "named_on",
        "new_setting_id",
    )
    for pk, (plan_id, *fields) in plan_of.items():
        case = out[pk]
        case["plan"] = tuple(fields)
        case["versions"] = [
            (
                v.number,
                v.kind,
                v.issued_on,
                v.sections,
                sorted(needs[v.pk]),  # by rank, unique in a version
                contents[v.pk],
                v.quality_failures,
            )
            for v in sorted(versions[plan_id], key=lambda v: v.position)
        ]
        case["reviews"] = sorted(reviews[plan_id])
        case["phase_transfers"] = sorted(phase_transfers[plan_id])
    return out


def differing(pairs: Sequence[tuple[int, int]]) -> list[int]:
    """The loaded cases whose rows differ from their replayed twins', for (loaded id, replayed
    id) pairs, compared a chunk of pairs at a time."""
    differ = []
    for start in range(0, len(pairs), CHUNK // 2):
        chunk = pairs[start : start + CHUNK // 2]
        found = rows_of([pk for pair in chunk for pk in pair])
        differ += [loaded for loaded, replayed in chunk if found[loaded] != found[replayed]]
    return differ


def fail_unless_same(pairs: Sequence[tuple[int, int]]) -> None:
    differ = differing(pairs)
    if differ:
        first = Case.objects.filter(pk__in=differ[:5]).values_list("reference", flat=True)
        pytest.fail(f"{len(differ)} of {len(pairs)} cases differ, e.g. {sorted(first)}")


def assert_same_rows(
    council: Council, sample: list[tuple[int, Any]], settings: dict[int, Setting]
) -> None:
    """Replay each sampled history for a fresh child and compare it with the loaded case."""
    pairs = [
        (case_id, replay(history, new_child(council, history), settings).pk)
        for case_id, history in sample
    ]
    fail_unless_same(pairs)


def _pick(histories: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """A few cases that between them use every kind of step and every ending."""
    wanted: list[tuple[int, Any]] = []
    seen: set[str] = set()
    for case_id, h in sorted(histories, key=lambda x: -len(x[1].steps)):
        names = {name for name, _, _ in h.steps}
        kinds = names | {f"origin:{h.skeleton.origin}", f"reason:{h.skeleton.cease_reason}"}
        for name, _, kw in h.steps:
            if name == "record_review_decision":
                kinds.add(f"outcome:{kw['outcome']}")
            if name == "record_decision_to_assess":
                kinds.add(f"dta:{kw['outcome']}")
            if name == "record_tribunal_decision":
                kinds.add(f"appeal:{kw['outcome']}:{kw['order_kind']}")
            if name == "record_mediation_decision":
                kinds.add(f"mediation:{kw['wants_mediation']}")
            if name == "record_order_complied":
                kinds.add(f"complied:{kw['_kind']}:{kw['stage']}")
        if "record_appeal_registered" in names and "record_mediation_decision" not in names:
            kinds.add("appeal:school named only")
        if kinds - seen:
            seen |= kinds
            wanted.append((case_id, h))
    return wanted


@pytest.mark.django_db
def test_loader_writes_what_the_actions_write() -> None:
    council = Council(calibration.load(), plans=40, seed=11, today=TODAY)
    result = load_council(council, keep_histories=True)
    settings = {spec.key: Setting.objects.get(name=spec.name) for spec in council.settings}
    sample = _pick(result.histories)
    steps = {name for _, h in sample for name, _, _ in h.steps}
    # the sample covers every action the demo uses, and ceasing, refusal and not issuing
    assert {
        "open_case_from_request",
        "record_transfer_in",
        "record_transfer_in_notice",
        "record_decision_to_assess",
        "record_advice_requested",
        "record_advice_received",
        "record_exception",
        "record_draft_plan",
        "record_final_plan",
        "record_decision_not_to_issue",
        "record_review_invitations_sent",
        "record_review_advice_circulated",
        "record_review_meeting",
        "record_review_report",
        "record_review_decision",
        "record_amendment_notice",
        "record_final_amended_plan",
        "record_phase_transfer",
        "record_phase_transfer_named",
        "cease_plan",
        *APPEAL_STEPS,
    } <= steps
    assert_same_rows(council, sample, settings)


# Whole councils replayed below: every case, not a sample. Step by step (each action its own
# transaction, its deadlines stored at once, about 12 ms of CPU a step on SQLite) the replay runs
# on a small council (40 plans, seed 11: 73 cases, 2,222 steps). Buffered, as the SEN2 import runs
# the actions, it runs on the default `sendcase demo` council (1,300 plans, seed 1: 2,496 cases,
# 74,365 steps): no step reads the database (the case, its child and their rows wait in the write
# buffer, written every FLUSH_ROWS rows as the import writes them), and the comparison reads each
# table once for 250 pairs of cases (rows_of). Measured 2026-12-01 on a shared 2-core machine
# (load average 2 to 7): the buffered test took 61 s on SQLite (of CPU: loading 16 s, the replay
# 29 s, 0.4 ms a step, the comparison 13 s) and 67 s on PostgreSQL; the step-by-step one 27 s and
# 50 s. Before, the comparison alone (about 15 queries a case) would have taken about 170 s.
SMALL_COUNCIL = {"plans": 40, "seed": 11}
WHOLE_COUNCIL = {"plans": DEFAULT_PLANS, "seed": 1}


@contextmanager
def import_block() -> Iterator[None]:
    """The SEN2 import's block: one transaction, rows buffered, deadlines computed at its end."""
    with transaction.atomic(), deferred_deadlines(today=TODAY, buffered=True):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("buffered", "size"),
    [(False, SMALL_COUNCIL), (True, WHOLE_COUNCIL)],
    ids=["step by step, small council", "buffered import, default council"],
)
def test_every_case_of_a_council_is_what_the_actions_write(
    buffered: bool, size: dict[str, int]
) -> None:
    """Every case of a whole council replayed through the real actions, one step at a time or
    all in the import's buffered block (deferred_deadlines(buffered=True)), compared row for
    row, the case's version and every plan version's content included."""
    council = Council(calibration.load(), **size, today=TODAY)
    result = load_council(council, keep_histories=True)
    settings = {spec.key: Setting.objects.get(name=spec.name) for spec in council.settings}
    pairs: list[tuple[int, int]] = []
    # step by step: each action its own transaction, its deadlines recomputed at once
    block = import_block() if buffered else nullcontext()
    with block:
        state = deferring()
        for case_id, history in result.histories:
            child = new_child(council, history)
            pairs.append((case_id, replay(history, child, settings, buffered=buffered).pk))
            # As the SEN2 import does: what is buffered is written every FLUSH_ROWS rows, between
            # children (so no buffered row is still being changed).
            if state is not None and state.buffer is not None and state.buffer.size >= FLUSH_ROWS:
                state.flush()
    assert len(pairs) == Case.objects.count() // 2 > size["plans"]
    fail_unless_same(pairs)


@pytest.mark.django_db
def test_loader_writes_what_the_appeal_actions_write() -> None:
    """Every way an appeal goes (mediation or not, an appeal about the school only, no appeal,
    withdrawn, conceded, upheld with each kind of order, dismissed, still live today)."""
    council = Council(calibration.load(), plans=250, seed=56, today=TODAY)  # has every ending
    result = load_council(council, keep_histories=True)
    settings = {spec.key: Setting.objects.get(name=spec.name) for spec in council.settings}
    with_appeals = [
        (case_id, h)
        for case_id, h in result.histories
        if any(name in APPEAL_STEPS for name, _, _ in h.steps)
    ]
    sample = _pick(with_appeals)
    kinds = {
        f"{kw['outcome']}:{kw['order_kind']}"
        for _, h in sample
        for name, _, kw in h.steps
        if name == "record_tribunal_decision"
    }
    assert kinds == {
        "withdrawn:",
        "conceded:",
        "conceded:assess",
        "conceded:amend",
        "upheld:assess",
        "upheld:make_plan",
        "upheld:amend",
        "upheld:setting",
        "upheld:continue",
        "dismissed:",
    }
    steps = {name for _, h in sample for name, _, _ in h.steps}
    assert APPEAL_STEPS <= steps
    live = [(case_id, h) for case_id, h in with_appeals if Case.objects.get(pk=case_id).disputed]
    assert live
    sample.append(live[0])
    assert_same_rows(council, sample, settings)


@pytest.mark.django_db
def test_after_an_order_the_loaded_case_goes_on() -> None:
    """An order to assess or to make a plan leads to a draft and a final plan on the dates the
    order's stages are complied with; an order to continue reinstates the ceased plan and reopens
    the placements its ceasing closed (as appeals.record_tribunal_decision does)."""

    council = Council(calibration.load(), plans=250, seed=24, today=TODAY)
    result = load_council(council, keep_histories=True)
    planned = continued = 0
    for case_id, h in result.histories:
        names = [name for name, _, _ in h.steps]
        orders = [
            kw["order_kind"]
            for name, _, kw in h.steps
            if name == "record_tribunal_decision" and kw["order_kind"]
        ]
        case = Case.objects.get(pk=case_id)
        if {"assess", "make_plan"} & set(orders) and "record_final_plan" in names:
            complied = {
                kw["stage"]: when for name, when, kw in h.steps if name == "record_order_complied"
            }
            final = next(kw["issued_on"] for name, _, kw in h.steps if name == "record_final_plan")
            assert final == (complied.get("final_plan") or complied.get("final"))
            assert case.stage == "plan" and case.closed_on is None
            assert case.plan.status == "active" and case.plan.first_issued_on == final
            planned += 1
        if "continue" in orders and "cease_plan" in names:
            ceased = next(kw["cease_date"] for name, _, kw in h.steps if name == "cease_plan")
            assert case.stage == "plan" and case.closed_on is None
            assert (case.plan.status, case.plan.cease_date, case.plan.cease_reason) == (
                "active",
                None,
                None,
            )
            placements = Placement.objects.filter(plan=case.plan)
            assert not placements.filter(leaving_date=ceased).exists()
            assert placements.filter(leaving_date=None).exists()
            continued += 1
    assert planned and continued


# Action functions the demo's histories never call, each with the reason. Every other public
# action function (a function of casework.domain that takes the `actor` doing it) must be a step
# the generator writes, so the loader and this replay cover it.
NOT_IN_THE_DEMO = {
    "assessment.record_decision_to_issue": "a panel's decision to issue; the demo's histories "
    "go from the draft to the final plan",
    "assessment.record_withdrawal": "the demo generates no withdrawn requests",
    "assessment.close_case": "closing a case before any plan (SEN2 W): the demo generates none",
    "phase_and_cease.consider_ceasing": "the demo records each historic cease in one step, "
    "cease_plan(import_mode=True), as the SEN2 import does",
    "phase_and_cease.record_cease_consultation": "as consider_ceasing",
    "phase_and_cease.decide_ceasing": "as consider_ceasing",
    "phase_and_cease.approve_cease_decision": "as consider_ceasing",
    "phase_and_cease.notify_cease_decision": "as consider_ceasing",
    "transfers.record_transfer_out_learned": "the demo's plans end by ceasing, with the SEN2 "
    "reason for a move to another council; no transfer-out steps",
    "transfers.record_plan_transferred_out": "as record_transfer_out_learned",
    "appeals.resume_assessment_from_return": "SEN2 import only: the demo generates the appeal "
    "that overturned the decision",
    "children.register_child_with_request": "the loader writes the children; a case is opened "
    "for a known child (open_case_from_request)",
    "children.register_child_with_transfer_in": "as register_child_with_request "
    "(record_transfer_in)",
    "children.update_child_details": "no statutory step: the generated child is complete",
    "contacts.record_contact": "the contact log is not statutory and not generated",
    "contacts.record_contact_response": "as record_contact",
    "contacts.add_family_contact": "the loader writes each child's family contacts with the child",
    "contacts.update_family_contact": "as add_family_contact",
    "contacts.end_family_contact": "as add_family_contact",
    "consultation.record_setting_consulted": "no clock deadline: the demo names the setting in "
    "the final plan without recording the consultation",
    "consultation.record_setting_response": "as record_setting_consulted",
    "placements.record_placement": "the loader writes placements from the generated placement "
    "spells, outside the step histories",
    "placements.record_placement_agreed": "as record_placement",
    "assignment.reassign_case": "the generator assigns each case to its officer and team",
    "assignment.reassign_cases": "as reassign_case",
    "assignment.move_case_to_team": "as reassign_case",
    "tasks.add_task": "officers' tasks are not statutory and not generated",
    "tasks.set_task_done": "as add_task",
    "plan_editor.start_working_copy": "the demo's plans are issued whole, not edited",
    "plan_editor.save_working_copy": "as start_working_copy",
    "corrections.correct_step": "the demo's histories are recorded right first time",
    "corrections.strike_out_step": "as correct_step",
    "corrections.change_ceasing_step": "as correct_step (a ceasing route step that writes no event)",
    "corrections.strike_out_issue_decision": "as correct_step (a panel's decision to issue taken "
    "back)",
}


def action_functions() -> set[str]:
    """Every public function of casework.domain that takes the actor doing it: module.name."""
    found = set()
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"{domain.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = inspect.signature(inspect.unwrap(fn)).parameters
            if "actor" in params and params["actor"].kind is inspect.Parameter.KEYWORD_ONLY:
                found.add(f"{info.name}.{name}")
    return found


def test_every_action_has_a_counterpart_in_the_demo() -> None:
    """A new action function fails here until the demo generates its step (and the loader and
    this replay follow it) or it is listed in NOT_IN_THE_DEMO with the reason."""
    council = Council(calibration.load(), plans=250, seed=56, today=TODAY)
    generated = {name for h in council.histories() for name, _, _ in h.steps}
    actions = action_functions()
    by_name = {qualified.split(".")[1]: qualified for qualified in actions}
    assert generated <= set(by_name), sorted(generated - set(by_name))
    missing = actions - {by_name[n] for n in generated} - set(NOT_IN_THE_DEMO)
    assert not missing, f"no counterpart in the demo, nor a reason in NOT_IN_THE_DEMO: {missing}"
    stale = set(NOT_IN_THE_DEMO) - (actions - {by_name[n] for n in generated})
    assert not stale, f"listed in NOT_IN_THE_DEMO but no longer an action the demo lacks: {stale}"
