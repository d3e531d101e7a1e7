"""Who may see and change the money. Missing and forbidden both answer 404.

=================  ======================  ====================  ============================
Role               Finance view, budget    Banding matrix, costs  Placements behind a figure
=================  ======================  ====================  ============================
finance officer    yes                     change                 yes, by case reference
head of service    yes                     read                   yes, with the child's name
anyone else        no (404)                no (404)               no (404)
=================  ======================  ====================  ============================

A finance officer holds no case records (reporting/rules.py), so the drill-down shows them the
placement, setting and cost against the case reference, not the child's name.
"""

from __future__ import annotations

from sendcase.accounts.models import Role
from sendcase.core.actors import Actor
from sendcase.returns.access import role_guard

MONEY_ROLES = (Role.FINANCE_OFFICER, Role.HEAD_OF_SERVICE)
KEEPERS = (Role.FINANCE_OFFICER,)


def _role(user: Actor | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


def may_see_money(user: Actor | None) -> bool:
    return _role(user) in MONEY_ROLES


def may_keep_money(user: Actor | None) -> bool:
    return _role(user) in KEEPERS


def may_see_names(user: Actor | None) -> bool:
    return _role(user) == Role.HEAD_OF_SERVICE


money_access = role_guard(may_see_money)
keeper_access = role_guard(may_keep_money)
