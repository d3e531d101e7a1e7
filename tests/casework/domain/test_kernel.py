"""The action kernel: one read of a case's events and one pass of the clock per save, a history
that contradicts itself refused with nothing kept, the switches that say what they do, and the
actor stored only when it is a member of staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sendcase import statutory
from sendcase.casework.domain import kernel
from sendcase.casework.domain.assessment import (
    open_case_from_request,
    record_decision_to_assess,
    record_exception,
)
from sendcase.casework.domain.deadlines import compute_for_case
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.domain.plan import record_draft_plan, record_final_plan
from sendcase.casework.models import Case, Deadline, FamilyContact, StatutoryEvent
from sendcase.casework.scenarios import place
from sendcase.core.actors import SystemActor
from sendcase.core.models import AuditEntry, NotifyMessage
from sendcase.demo.plan_content import lawful_content

D = dt.date
TODAY = D(2025, 12, 1)
EVENT_TABLE = StatutoryEvent._meta.db_table


@pytest.fixture
def draft_case(child, officer) -> Case:
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    record_draft_plan(
        case, issued_on=D(2025, 4, 28), actor=officer, today=TODAY, content=lawful_content(("ASD",))
    )
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def clock_passes(monkeypatch) -> list[int]:
    """How many times the clock takes in a whole history (its contradiction checks run then),
    with the number of events each time: its two entry points, as SENDcase calls them (through
    the package, so the same with engine.py or its compiled build, whose own calls within the
    engine could not be counted)."""
    passes: list[int] = []

    def counting(real):  # type: ignore[no-untyped-def]
        def counted(events, *args, **kwargs):  # type: ignore[no-untyped-def]
            passes.append(len(events))
            return real(events, *args, **kwargs)

        return counted

    for name in ("compute_deadlines", "parse_events"):
        monkeypatch.setattr(statutory, name, counting(getattr(statutory, name)))
    return passes


def test_a_final_plan_save_reads_the_events_once_and_runs_the_clock_once(
    draft_case: Case, officer, clock_passes: list[int]
) -> None:
    place(draft_case, actor=officer, today=TODAY)  # section I names its setting
    draft_case.refresh_from_db()
    before = draft_case.events.count()
    with CaptureQueriesContext(connection) as ctx:
        record_final_plan(
            draft_case,
            issued_on=D(2025, 5, 26),
            actor=officer,
            expected_version=draft_case.version,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )
    event_reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and EVENT_TABLE in q["sql"]
    ]
    assert len(event_reads) == 1, event_reads
    # one pass, over the history with the two events the save wrote (final_issued and the
    # decision notice that starts the appeal window)
    assert clock_passes == [before + 2]
    assert draft_case.events.count() == before + 2


def test_a_history_that_contradicts_itself_is_refused_and_nothing_is_kept(
    draft_case: Case, officer
) -> None:
    """The action gives no way to pick an advice request that does not exist, so the clock is the
    one to refuse it: with its own message, naming the event by its place in the history."""
    events, version = draft_case.events.count(), draft_case.version
    audits = AuditEntry.objects.count()
    with pytest.raises(ActionError) as err:
        record_exception(
            draft_case,
            reason="exceptional_personal_circumstances",
            start=D(2025, 3, 1),
            end=D(2025, 3, 20),
            why="Reasons",
            applies_to="no-such-advice",
            actor=officer,
            today=TODAY,
        )
    history = [e.as_clock_dict() for e in draft_case.events.all()]
    history.append(
        {
            "type": "exception",
            "date": "2025-03-01",
            "reason": "exceptional_personal_circumstances",
            "start": "2025-03-01",
            "end": "2025-03-20",
            "applies_to": "no-such-advice",
        }
    )
    with pytest.raises(statutory.ClockInputError) as clock:
        statutory.parse_events(history)
    assert err.value.message == str(clock.value)
    assert f"Event {events + 1} (exception)" in err.value.message
    draft_case.refresh_from_db()
    assert (draft_case.events.count(), draft_case.version) == (events, version)
    assert AuditEntry.objects.count() == audits


@pytest.fixture
def family(child) -> FamilyContact:
    return FamilyContact.objects.create(
        child=child,
        name="Sam Example",
        relationship="Mother",
        parental_responsibility=True,
        email="sam@example.org",
    )


@pytest.mark.parametrize(
    ("switches", "letters", "marked_imported"),
    [
        pytest.param({"notify": True}, 1, False, id="screen, sending: a letter, not marked"),
        pytest.param({}, 0, False, id="back-dated, nothing said: no letter"),
        pytest.param({"notify": False}, 0, False, id="notify=False: no letter"),
        pytest.param(
            {"import_mode": True, "notify": True}, 1, True, id="import_mode alone still writes"
        ),
        pytest.param({"notify": False, "import_mode": True}, 0, True, id="an import"),
    ],
)
def test_notify_and_import_mode_each_do_one_thing(
    child, officer, family, django_capture_on_commit_callbacks, switches, letters, marked_imported
) -> None:
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_decision_to_assess(
            case,
            decided_on=D(2025, 2, 10),
            outcome="not_assess",
            actor=officer,
            today=TODAY,
            **switches,
        )
    assert NotifyMessage.objects.filter(case=case).count() == letters
    entry = (
        AuditEntry.objects.filter(case=case)
        .exclude(object_type="documents.correspondence")  # the letter's own entry
        .order_by("id")
        .last()
    )
    assert entry is not None
    assert ("imported" in entry.payload) is marked_imported


def test_import_mode_relaxes_what_an_import_lacks_and_only_then(child, officer) -> None:
    case = open_case_from_request(
        child, received_on=D(2025, 1, 6), source=1, actor=officer, today=TODAY
    )
    record_decision_to_assess(
        case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer, today=TODAY
    )
    with pytest.raises(ActionError, match="cannot issue the final plan"):
        record_final_plan(
            case,
            issued_on=D(2025, 5, 26),
            actor=officer,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )
    record_final_plan(
        case,
        issued_on=D(2025, 5, 26),
        actor=officer,
        today=TODAY,
        import_mode=True,
        notify=False,
        content=lawful_content(("ASD",)),
    )
    entry = AuditEntry.objects.filter(case=case, summary__startswith="Final plan").get()
    assert entry.payload == {"imported": True, "without_draft": True}


def test_a_system_actor_is_recorded_as_no_one_and_staff_by_name(child, officer) -> None:
    run = SystemActor("an import")
    case = open_case_from_request(child, received_on=D(2025, 1, 6), source=1, actor=run)
    record_decision_to_assess(case, decided_on=D(2025, 2, 10), outcome="assess", actor=officer)
    by_type = {e.type: e.recorded_by for e in case.events.all()}
    assert by_type == {"request_received": None, "decision_to_assess": officer}
    actors = set(AuditEntry.objects.filter(case=case).values_list("actor", flat=True))
    assert actors == {None, officer.pk}
    assert str(run) == "an import"


def test_an_action_that_carries_on_after_a_refused_one_counts_from_what_was_kept(
    draft_case: Case, officer
) -> None:
    """An outer action that catches a refused inner step (whose savepoint took its event back)
    and goes on computes the deadlines from the events actually stored."""

    @kernel.action
    def try_then_go_on(case: Case) -> None:
        with pytest.raises(ActionError):
            record_exception(
                case,
                reason="exceptional_personal_circumstances",
                start=D(2025, 3, 1),
                end=D(2025, 3, 20),
                why="Reasons",
                applies_to="no-such-advice",
                actor=officer,
                today=TODAY,
            )
        place(case, actor=officer, today=TODAY)  # section I names its setting
        record_final_plan(
            case,
            issued_on=D(2025, 5, 26),
            actor=officer,
            today=TODAY,
            content=lawful_content(("ASD",)),
        )

    try_then_go_on(draft_case)
    assert not draft_case.events.filter(type="exception").exists()
    stored = {
        (d.key, d.instance, d.due, d.status) for d in Deadline.objects.filter(case=draft_case)
    }
    fresh = {
        (d.key, d.instance, d.due, d.status) for d in compute_for_case(draft_case, today=TODAY)
    }
    assert stored == fresh


def test_an_actions_stages_are_data_on_it_and_require_stage_reads_them(draft_case) -> None:
    """`kernel.stages` under `kernel.action` still marks the action callers see; require_stage
    given the action checks its declared stages, and an action that declared none is a mistake."""
    assert kernel.stages_of(record_draft_plan) == ("assessing",)
    assert kernel.stages_of(record_final_plan) == ("draft",)
    assert kernel.stages_of(record_exception) is None
    assert not kernel.judges_stage_late(record_draft_plan)
    kernel.require_stage(draft_case, record_final_plan, "issue the final plan")
    with pytest.raises(ActionError, match="You cannot issue a draft plan while the case is at"):
        kernel.require_stage(draft_case, record_draft_plan, "issue a draft plan")
    with pytest.raises(TypeError, match="declares no stages"):
        kernel.require_stage(draft_case, record_exception, "record an exception")
