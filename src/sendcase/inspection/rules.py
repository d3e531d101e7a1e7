"""Who may use the inspection screens.

* The chronology of a child: whoever may see the child (casework's own rule,
  ``casework.view_child``); anyone else gets 404.
* Annex A lists and their checks: data officers, the head of service and administrators.
"""

from __future__ import annotations

from typing import Any

import rules

from sendcase.accounts.models import Role

ANNEX_A_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


@rules.predicate
def prepares_annex_a(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return getattr(user, "role", None) in ANNEX_A_ROLES


rules.add_perm("inspection.annex_a", prepares_annex_a)
