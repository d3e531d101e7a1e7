"""Who may do what with a case: every role rule for casework, in one place.

Two faces of the same rules:

* django-rules predicates (``user.has_perm("casework.change_case", case)``) for one case;
* :func:`case_scope`, the same rules as a SQL filter, for lists (the work queue).

tests/casework/test_casework_rules.py checks, for every role, that the two agree.

Roles:

=================  =========================================  ====================
Role               Reads                                      Writes
=================  =========================================  ====================
case officer       own cases and their team's cases           the same
team manager       their team's cases (and own)               the same; reassigns
                                                              their team's cases
                                                              (one or many); reads
                                                              the audit log
head of service    every case                                 no statutory step;
                                                              reassigns any case
                                                              (one or many), moves
                                                              a case between teams;
                                                              reads the audit log
administrator      every case                                 every case; reassigns;
                                                              moves between teams
data officer       every case (checks data for the SEN2        nothing
                   return and the reports)
finance officer    no case records (costs come through        nothing
                   the reports, not the child's file)
=================  =========================================  ====================

Anyone refused is answered 404, the same as for a case that does not exist.

A child (name, date of birth, UPN, family) is in a person's scope when they may read one of
the child's cases, or when the child has no case at all (nobody's record yet). Registering a
new request or transfer for a child already known ("attaching" it) is for those who may add
cases and have the child in scope; a team manager or an administrator may attach any child,
so an officer who finds a child known elsewhere asks a manager. The known-child check shows
only children the person may attach; of any other match it says only that the council
already knows the child.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from sendcase.accounts.models import Role, User
from sendcase.core.actors import Actor

CASEWORKERS = (Role.CASE_OFFICER, Role.TEAM_MANAGER)
READ_ALL = (Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE, Role.DATA_OFFICER)
ADD_CASES = (Role.CASE_OFFICER, Role.TEAM_MANAGER, Role.ADMINISTRATOR)
SEE_TEAMS = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


def _role(user: Actor | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


@rules.predicate
def is_caseworker(user: Actor | None) -> bool:
    return _role(user) in CASEWORKERS


@rules.predicate
def is_team_manager(user: Actor | None) -> bool:
    return _role(user) == Role.TEAM_MANAGER


@rules.predicate
def is_administrator(user: Actor | None) -> bool:
    return _role(user) == Role.ADMINISTRATOR


@rules.predicate
def is_head_of_service(user: Actor | None) -> bool:
    return _role(user) == Role.HEAD_OF_SERVICE


@rules.predicate
def reads_every_case(user: Actor | None) -> bool:
    return _role(user) in READ_ALL


@rules.predicate
def may_add_cases(user: Actor | None) -> bool:
    return _role(user) in ADD_CASES


@rules.predicate
def sees_teams(user: Actor | None) -> bool:
    return _role(user) in SEE_TEAMS


@rules.predicate
def is_own_case(user: Actor | None, case: Any) -> bool:
    pk = getattr(user, "pk", None)
    return case is not None and case.officer_id is not None and case.officer_id == pk


@rules.predicate
def is_team_case(user: Actor | None, case: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return case is not None and team_id is not None and case.team_id == team_id


@rules.predicate
def child_in_scope(user: Actor | None, child: Any) -> bool:
    """The person may read one of the child's cases, or the child has no case yet."""
    cases = list(child.cases.all()) if child is not None and child.pk else []
    return not cases or any(can_read_case.test(user, c) for c in cases)


can_read_case = reads_every_case | (is_caseworker & (is_own_case | is_team_case))
can_change_case = is_administrator | (is_caseworker & (is_own_case | is_team_case))
can_reassign_case = is_administrator | is_head_of_service | (is_team_manager & is_team_case)
# Moving a case to another team is a service-wide decision: not a team manager's.
can_move_case_team = is_administrator | is_head_of_service
can_read_case_audit = is_administrator | is_head_of_service | (is_team_manager & is_team_case)

can_read_child = reads_every_case | (is_caseworker & child_in_scope)
can_attach_child = may_add_cases & (is_administrator | is_team_manager | child_in_scope)

rules.add_perm("casework.view_case", can_read_case)
rules.add_perm("casework.view_child", can_read_child)
rules.add_perm("casework.attach_child", can_attach_child)
rules.add_perm("casework.change_case", can_change_case)
rules.add_perm("casework.reassign_case", can_reassign_case)
rules.add_perm("casework.move_case_team", can_move_case_team)
rules.add_perm("casework.bulk_reassign", is_administrator | is_head_of_service | is_team_manager)
rules.add_perm("casework.view_case_audit", can_read_case_audit)
rules.add_perm("casework.add_case", may_add_cases)
rules.add_perm("casework.view_queue", reads_every_case | is_caseworker)
rules.add_perm("casework.view_caseloads", sees_teams)


def case_scope(user: Actor | None, *, write: bool = False) -> Q | None:
    """The cases a person may read (or change) as a filter; None means none at all.

    The SQL twin of ``can_read_case`` / ``can_change_case``.
    """
    role = _role(user)
    if role is None:
        return None
    if role == Role.ADMINISTRATOR or (not write and role in READ_ALL):
        return Q()
    if role in CASEWORKERS and isinstance(user, User):  # only a User has a role
        scope = Q(officer_id=user.pk)
        if user.team_id is not None:
            scope |= Q(team_id=user.team_id)
        return scope
    return None


def child_scope(user: Actor | None, *, attach: bool = False) -> tuple[Q | None, Q | None]:
    """The SQL twin of ``can_read_child`` (or ``can_attach_child``): (all, cases), where `all`
    is Q() when every child is in scope, or else `cases` filters the Case rows that bring a
    child into scope (a child with no case is always in); (None, None) means no child at all."""
    role = _role(user)
    if role is None or (attach and role not in ADD_CASES):
        return None, None
    if role == Role.ADMINISTRATOR or (attach and role == Role.TEAM_MANAGER):
        return Q(), None
    if not attach and role in READ_ALL:
        return Q(), None
    if role in CASEWORKERS:
        return None, case_scope(user)
    return None, None


def assignable_officers_scope(user: Actor | None) -> Q | None:
    """Whom a person may give cases to: a manager their own team, the head of service or an
    administrator anyone."""
    role = _role(user)
    caseworkers = Q(role__in=CASEWORKERS, is_active=True)
    if role in (Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE):
        return caseworkers
    if role in CASEWORKERS and isinstance(user, User):  # only a User has a role
        if user.team_id is not None:
            return caseworkers & Q(team_id=user.team_id)
        return Q(pk=user.pk)
    return None
