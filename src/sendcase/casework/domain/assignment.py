"""Who holds a case: reassigning one case or many to an officer, and moving a case to another team.

* `reassign_case` (through `kernel.action`): the case locked and its version checked; its
  officer and team changed and its version moved on; one audit entry with before and after. No
  event, no deadlines, no message.
* `reassign_cases` (through `kernel.action`): many cases given to one officer in one
  transaction. Every case is locked (in id order) and checked first: if any is outside what the
  actor may reassign, or was saved by someone since the list was opened, nothing is changed.
  Then each case as `reassign_case` does, with one audit entry per case. Cases the officer
  already holds are left as they are. No event, no deadlines, no message.
* `move_case_to_team` (through `kernel.action`): the case locked and its version checked; its
  team changed, and its officer either one of the new team's officers or nobody (an officer of
  the old team does not follow it); its version moved on; one audit entry with before and
  after. No event, no deadlines, no message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sendcase.accounts.models import Team, User
from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError, StaleCase
from sendcase.casework.models import Case
from sendcase.core.actors import Actor, user_of
from sendcase.core.audit import audit

OUT_OF_SCOPE = (
    "You cannot reassign one or more of the cases you selected. Nothing was changed: "
    "select only cases you manage."
)


def _holders(case: Case) -> dict[str, int | None]:
    return {"officer": case.officer_id, "team": case.team_id}


def _hold(
    locked: Case, officer: User | None, team_id: int | None, actor: Actor, summary: str
) -> None:
    """The locked case held by `officer` in team `team_id`, its version moved on, audited with
    who held it before and after."""
    before = _holders(locked)
    locked.officer = officer
    locked.team_id = team_id
    locked.version += 1
    locked.save(update_fields=["officer", "team", "version", "updated_at"])
    audit(
        actor,
        "update",
        locked,
        summary,
        case=locked,
        payload={"before": before, "after": _holders(locked)},
    )


def _give(locked: Case, officer: User, actor: Actor, summary: str) -> None:
    """The locked case given to `officer` (and their team, if they have one)."""
    _hold(locked, officer, officer.team_id or locked.team_id, actor, summary)


@kernel.action
def reassign_case(
    case: Case, *, officer: User | None, actor: Actor, expected_version: int | None = None
) -> Case:
    """Give the case to `officer` (and their team). Checks the optimistic lock; audited."""
    locked = kernel.lock_case(case, expected_version)
    if officer is None:
        raise ActionError("Select the officer to give this case to", field="officer")
    if locked.officer_id == officer.pk:
        raise ActionError(f"This case is already assigned to {officer}", field="officer")
    _give(locked, officer, actor, f"Case reassigned to {officer}")
    return locked


@dataclass(frozen=True)
class Reassigned:
    moved: list[Case]
    already: list[Case]


@kernel.action
def reassign_cases(
    versions: Mapping[int, int], *, officer: User | None, actor: Actor
) -> Reassigned:
    """Give every case in `versions` (case id -> the version the person saw) to `officer`.

    All or nothing: a case the actor may not reassign (or that does not exist) or one saved
    since refuses the lot, in plain words, and nothing is changed."""
    if officer is None:
        raise ActionError("Select the officer to give the cases to", field="officer")
    if not versions:
        raise ActionError("Select the cases to reassign", field="cases")
    locked = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("officer", "team")
        .filter(pk__in=list(versions))
        .order_by("pk")
    )
    person = user_of(actor)
    if len(locked) != len(versions) or not all(
        person is not None and person.has_perm("casework.reassign_case", c) for c in locked
    ):
        raise ActionError(OUT_OF_SCOPE, field="cases")
    changed = [c for c in locked if c.version != versions[c.pk]]
    if changed:
        refs = ", ".join(c.reference for c in changed)
        raise StaleCase(
            f"Someone else changed {refs} after you opened the list. Nothing was changed: "
            "check the list again, then reassign.",
            changes=[],
        )
    moved = [c for c in locked if c.officer_id != officer.pk]
    already = [c for c in locked if c.officer_id == officer.pk]
    for c in moved:
        _give(c, officer, actor, f"Case reassigned to {officer} (one of {len(moved)} at once)")
    return Reassigned(moved=moved, already=already)


@kernel.action
def move_case_to_team(
    case: Case,
    *,
    team: Team | None,
    officer: User | None = None,
    actor: Actor,
    expected_version: int | None = None,
) -> Case:
    """Move the case to `team`, held by `officer` (one of that team's) or by nobody; audited."""
    locked = kernel.lock_case(case, expected_version)
    if team is None:
        raise ActionError("Select the team to move this case to", field="team")
    if locked.team_id == team.pk:
        raise ActionError(f"This case is already with {team}", field="team")
    if officer is not None and officer.team_id != team.pk:
        raise ActionError(f"Select an officer in {team}, or nobody", field="officer")
    held = f", held by {officer}" if officer is not None else ", not yet assigned to an officer"
    _hold(locked, officer, team.pk, actor, f"Case moved to {team}{held}")
    return locked
