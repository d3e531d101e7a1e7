"""Who may see which reports: every reporting access rule, in one place.

=================  ==========================================  ===========================
Role               Figures                                     Lists of children behind them
=================  ==========================================  ===========================
head of service    the whole council, any team or officer      every case
data officer       the whole council, any team or officer      every case
administrator      the whole council, any team or officer      every case
team manager       the whole council, any team or officer      their own team's cases only
finance officer    the whole council, any team or officer      none (no case records)
case officer       their own team's dashboard only             their own team's cases only
anyone else        nothing                                     nothing
=================  ==========================================  ===========================

The committee report, the question screen, the comparators and the exports are
council-wide, so they are for the first five roles only. A case officer asking for
another team's figures, a drill-down nobody may open, or any report page without
the role is answered 404, as for a page that does not exist. The drill-down list
uses casework's own rule (``case_scope``), so a report never shows a child's case
to someone who could not open it.
"""

from __future__ import annotations

from dataclasses import replace

import rules
from django.db.models import Q

from sendcase.accounts.models import Role, User
from sendcase.casework.rules import case_scope
from sendcase.core.actors import Actor
from sendcase.reporting.domain.measures import Scope

REPORT_ROLES = (
    Role.HEAD_OF_SERVICE,
    Role.TEAM_MANAGER,
    Role.DATA_OFFICER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
)
COMMENTARY_ROLES = (Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER, Role.DATA_OFFICER, Role.ADMINISTRATOR)


def _role(user: Actor | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


@rules.predicate
def reads_council_reports(user: Actor | None) -> bool:
    return _role(user) in REPORT_ROLES


@rules.predicate
def is_case_officer_in_a_team(user: Actor | None) -> bool:
    return _role(user) == Role.CASE_OFFICER and getattr(user, "team_id", None) is not None


@rules.predicate
def writes_commentary(user: Actor | None) -> bool:
    return _role(user) in COMMENTARY_ROLES


rules.add_perm("reporting.view_dashboard", reads_council_reports | is_case_officer_in_a_team)
rules.add_perm("reporting.view_reports", reads_council_reports)
rules.add_perm("reporting.change_commentary", writes_commentary)


def allowed_scope(user: Actor | None, asked: Scope) -> Scope | None:
    """The scope a person may see figures for, or None (answer 404)."""
    if reads_council_reports(user):
        return asked
    if is_case_officer_in_a_team(user) and isinstance(user, User):  # only a User has a role
        if asked.team_id not in (None, user.team_id):
            return None
        return replace(asked, team_id=user.team_id)
    return None


def drilldown_cases(user: Actor | None) -> Q | None:
    """Which cases a person may see listed behind a figure (None: no lists at all)."""
    role = _role(user)
    if role is None or role == Role.FINANCE_OFFICER:
        return None
    return case_scope(user)
