"""Who may do what with decision panels, in one place (the casework/rules.py style).

=================  ==========================================  ===========================
Role               Sees                                        Does
=================  ==========================================  ===========================
case officer       their team's panels                         nothing
team manager       their team's panels; the consistency        creates their team's panels,
                   figures of their team's panels              builds agendas, records
                                                               attendance and decisions
head of service    every panel; every consistency figure       nothing
administrator      every panel; every consistency figure       everything
data officer       every panel (reads every case)              nothing
finance officer    nothing (no case records)                   nothing
=================  ==========================================  ===========================

A panel with no team (an administrator's, for the whole council) is seen only by those who read
every case. Anyone refused is answered 404.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from sendcase.accounts.models import Role
from sendcase.casework.rules import (
    is_administrator,
    is_caseworker,
    is_head_of_service,
    is_team_manager,
    reads_every_case,
)
from sendcase.core.actors import Actor

PANEL_READERS = (
    Role.CASE_OFFICER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.ADMINISTRATOR,
    Role.DATA_OFFICER,
)


@rules.predicate
def is_team_panel(user: Actor | None, meeting: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return meeting is not None and team_id is not None and meeting.team_id == team_id


can_see_panels = reads_every_case | is_caseworker
can_read_panel = reads_every_case | (is_caseworker & is_team_panel)
can_run_panels = is_administrator | is_team_manager
can_run_panel = is_administrator | (is_team_manager & is_team_panel)
can_see_consistency = is_administrator | is_head_of_service | is_team_manager

rules.add_perm("panels.view_panels", can_see_panels)
rules.add_perm("panels.view_panel", can_read_panel)
rules.add_perm("panels.add_panel", can_run_panels)
rules.add_perm("panels.change_panel", can_run_panel)
rules.add_perm("panels.view_consistency", can_see_consistency)


def panel_scope(user: Actor | None) -> Q:
    """The panels a person may see, as a filter (agrees with panels.view_panel)."""
    if reads_every_case.test(user):
        return Q()
    team_id = getattr(user, "team_id", None)
    if is_caseworker.test(user) and team_id is not None:
        return Q(team_id=team_id)
    return Q(pk__in=[])
