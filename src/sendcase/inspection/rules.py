"""Who may use the inspection screens.

* The chronology of a child: whoever may see the child (casework's own rule,
  ``casework.view_child``); anyone else gets 404.
* Annex A lists and their checks: data officers, the head of service and administrators.
* The strategy tracker and the self-evaluation bulletin (figures for the whole council, no
  child named): seen by those who read the council's reports (head of service, team managers,
  data officers, finance officers, administrators); the strategy, its outcomes, workstreams and
  actions and the bulletin's commentary are changed by the head of service and administrators.
"""

from __future__ import annotations

import rules

from sendcase.accounts.models import Role
from sendcase.core.actors import Actor

ANNEX_A_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


@rules.predicate
def prepares_annex_a(user: Actor | None) -> bool:
    return _has_role(user, ANNEX_A_ROLES)


STRATEGY_VIEW_ROLES = (
    Role.HEAD_OF_SERVICE,
    Role.TEAM_MANAGER,
    Role.DATA_OFFICER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
)
STRATEGY_EDIT_ROLES = (Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


def _has_role(user: Actor | None, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return getattr(user, "role", None) in roles


@rules.predicate
def reads_strategy(user: Actor | None) -> bool:
    return _has_role(user, STRATEGY_VIEW_ROLES)


@rules.predicate
def changes_strategy(user: Actor | None) -> bool:
    return _has_role(user, STRATEGY_EDIT_ROLES)


rules.add_perm("inspection.annex_a", prepares_annex_a)
rules.add_perm("inspection.view_strategy", reads_strategy)
rules.add_perm("inspection.change_strategy", changes_strategy)
