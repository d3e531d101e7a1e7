"""Reassigning a case to another officer (team managers and administrators).

* `reassign_case` (through `kernel.action`): the case locked and its version checked; its
  officer and team changed and its version moved on; one audit entry with before and after. No
  event, no deadlines, no message.
"""

from __future__ import annotations

from sendcase.accounts.models import User
from sendcase.casework.domain import kernel
from sendcase.casework.domain.errors import ActionError
from sendcase.casework.models import Case
from sendcase.core.actors import Actor
from sendcase.core.audit import audit


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
    before = {"officer": locked.officer_id, "team": locked.team_id}
    locked.officer = officer
    if officer.team_id is not None:
        locked.team_id = officer.team_id
    locked.version += 1
    locked.save(update_fields=["officer", "team", "version", "updated_at"])
    audit(
        actor,
        "update",
        locked,
        f"Case reassigned to {officer}",
        case=locked,
        payload={"before": before, "after": {"officer": officer.pk, "team": locked.team_id}},
    )
    return locked
