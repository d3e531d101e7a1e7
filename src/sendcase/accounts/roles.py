"""Every staff role rule, in one place: who may see and do what, and over which cases.

Each app's access helpers (``casework/access.py``, ``retention/access.py``, ...) fetch records
and answer 404; the rules they ask live here, so a change of who may do what is one edit in
one file. Outsiders (families, schools, professionals signed in to the portal) are not staff:
their rules stay in ``portal/access.py`` and ``portal/work_access.py``.

Two faces of the same rules:

* django-rules predicates (``user.has_perm("casework.change_case", case)``) for one record;
* the same rules as SQL filters (:func:`case_scope`, :func:`child_scope`, :func:`panel_scope`,
  :func:`drilldown_cases`) for lists. tests/casework/test_access.py checks, for every
  role, that the two agree.

The permissions are registered when this module is imported (``AccountsConfig.ready``).
Anyone refused is answered 404, the same as for a record that does not exist.

Cases
=====

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

A child (name, date of birth, UPN, family) is in a person's scope when they may read one of
the child's cases, or when the child has no case at all (nobody's record yet). Registering a
new request or transfer for a child already known ("attaching" it) is for those who may add
cases and have the child in scope; a team manager or an administrator may attach any child,
so an officer who finds a child known elsewhere asks a manager. The known-child check shows
only children the person may attach; of any other match it says only that the council
already knows the child.

A recorded step is corrected or struck out by whoever recorded it, or by a team manager or the
head of service. Where the council requires it, a decision to cease a plan is approved by a
team manager or an administrator.

Decision panels
===============

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
every case.

Reports
=======

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

The committee report, the question screen, the comparators and the exports are council-wide,
so they are for the first five roles only. The drill-down list uses the case rule
(:func:`case_scope`), so a report never shows a child's case to someone who could not open it.
The council's letter wording is changed by the administrator and the head of service.

The SEN2 return, the settings register, the money and retention
=================================================================

* SEN2 screens: data officers (who prepare the return), heads of service, administrators and
  team managers; the return lists every child in the council. Downloading the whole return is
  narrower: the data officers who submit it and the head of service who signs it off.
* The register of settings is read by those who may use the SEN2 screens (it is completed from
  the *Records to fix* list) and changed only by data officers and administrators.
* The money (finance view, budget): finance officers and the head of service; the banding
  matrix and costs are changed by finance officers only, who hold no case records and so see
  placements behind a figure by case reference, not the child's name.
* Retention: data officers and the head of service see the records due for deletion, erase a
  record and place or lift legal holds; a team manager places and lifts holds on their team's
  children; administrators run the system, they do not decide what the council forgets.

Information rights and inspection
=================================

=========================  ====================  ======================  ====================
Role                       FOI requests          Subject access          Complaints
=========================  ====================  ======================  ====================
information governance     log, assign, answer   log, verify, extend,    every complaint:
officer                                          build the bundle,       log, respond,
                                                 release                 escalate, refer
head of service            log, assign, answer   nothing                 the same
administrator              log, assign, answer   the same as IG          the same
data officer               see, answer           nothing                 nothing
case officer, team         nothing               nothing                 complaints on cases
manager                                                                  they may change
finance officer            nothing               nothing                 nothing
=========================  ====================  ======================  ====================

A subject access bundle holds everything about a child, so only the information governance
officer and the administrator build one; the IG officer does not otherwise read case records.

* A child's chronology: whoever may see the child (``casework.view_child``).
* Annex A lists and their checks: data officers, the head of service and administrators.
* The strategy tracker and the self-evaluation bulletin (figures for the whole council, no
  child named) are seen by those who read the council's reports but case officers (head of
  service, team managers, data officers, finance officers, administrators), and changed by the
  head of service and administrators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any, Protocol, TypeVar

import rules
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from sendcase.accounts.models import Role

# --- Who holds which role, by power ------------------------------------------------------------

CASEWORKERS = (Role.CASE_OFFICER, Role.TEAM_MANAGER)
READ_ALL = (Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE, Role.DATA_OFFICER)
ADD_CASES = (Role.CASE_OFFICER, Role.TEAM_MANAGER, Role.ADMINISTRATOR)
SEE_TEAMS = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)
# Work queue and finding a child: those who read case records.
CASE_READERS = (*CASEWORKERS, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.DATA_OFFICER)
# Correct or strike out a step someone else recorded.
CORRECTION_MANAGERS = (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE)
# Approve a decision to cease a plan (SENDCASE_CEASE_NEEDS_APPROVAL).
CEASE_APPROVERS = (Role.TEAM_MANAGER, Role.ADMINISTRATOR)
LETTER_WORDING_ROLES = (Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)

PANEL_READERS = (
    Role.CASE_OFFICER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.ADMINISTRATOR,
    Role.DATA_OFFICER,
)

REPORT_ROLES = (
    Role.HEAD_OF_SERVICE,
    Role.TEAM_MANAGER,
    Role.DATA_OFFICER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
)
COMMENTARY_ROLES = (Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER, Role.DATA_OFFICER, Role.ADMINISTRATOR)

RETURNS_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.TEAM_MANAGER)
DOWNLOAD_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE)
REGISTER_KEEPERS = (Role.DATA_OFFICER, Role.ADMINISTRATOR)

MONEY_ROLES = (Role.FINANCE_OFFICER, Role.HEAD_OF_SERVICE)
MONEY_KEEPERS = (Role.FINANCE_OFFICER,)

ERASERS = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE)
HOLDERS = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER)

FOI_MANAGERS = (Role.INFORMATION_GOVERNANCE, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)
FOI_ROLES = (*FOI_MANAGERS, Role.DATA_OFFICER)
SAR_ROLES = (Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR)
COMPLAINT_ROLES = (Role.INFORMATION_GOVERNANCE, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)

ANNEX_A_ROLES = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)
STRATEGY_VIEW_ROLES = (
    Role.HEAD_OF_SERVICE,
    Role.TEAM_MANAGER,
    Role.DATA_OFFICER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
)
STRATEGY_EDIT_ROLES = (Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)
ADMINISTRATION_ROLES = (Role.ADMINISTRATOR,)


def role_of(user: Any) -> str | None:
    """The role of a signed-in, active member of staff; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


def _holds(roles_: tuple[str, ...]) -> Any:
    return rules.predicate(lambda user: role_of(user) in roles_)


# --- Cases and children ------------------------------------------------------------------------


@rules.predicate
def is_caseworker(user: Any) -> bool:
    return role_of(user) in CASEWORKERS


@rules.predicate
def is_team_manager(user: Any) -> bool:
    return role_of(user) == Role.TEAM_MANAGER


@rules.predicate
def is_administrator(user: Any) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


@rules.predicate
def is_head_of_service(user: Any) -> bool:
    return role_of(user) == Role.HEAD_OF_SERVICE


@rules.predicate
def reads_every_case(user: Any) -> bool:
    return role_of(user) in READ_ALL


@rules.predicate
def may_add_cases(user: Any) -> bool:
    return role_of(user) in ADD_CASES


@rules.predicate
def sees_teams(user: Any) -> bool:
    return role_of(user) in SEE_TEAMS


@rules.predicate
def is_own_case(user: Any, case: Any) -> bool:
    return case is not None and case.officer_id is not None and case.officer_id == user.pk


@rules.predicate
def is_team_case(user: Any, case: Any) -> bool:
    team_id = getattr(user, "team_id", None)
    return case is not None and team_id is not None and case.team_id == team_id


@rules.predicate
def child_in_scope(user: Any, child: Any) -> bool:
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


def case_scope(user: Any, *, write: bool = False) -> Q | None:
    """The cases a person may read (or change) as a filter; None means none at all.

    The SQL twin of ``can_read_case`` / ``can_change_case``.
    """
    role = role_of(user)
    if role is None:
        return None
    if role == Role.ADMINISTRATOR or (not write and role in READ_ALL):
        return Q()
    if role in CASEWORKERS:
        scope = Q(officer_id=user.pk)
        if user.team_id is not None:
            scope |= Q(team_id=user.team_id)
        return scope
    return None


def child_scope(user: Any, *, attach: bool = False) -> tuple[Q | None, Q | None]:
    """The SQL twin of ``can_read_child`` (or ``can_attach_child``): (all, cases), where `all`
    is Q() when every child is in scope, or else `cases` filters the Case rows that bring a
    child into scope (a child with no case is always in); (None, None) means no child at all."""
    role = role_of(user)
    if role is None or (attach and role not in ADD_CASES):
        return None, None
    if role == Role.ADMINISTRATOR or (attach and role == Role.TEAM_MANAGER):
        return Q(), None
    if not attach and role in READ_ALL:
        return Q(), None
    if role in CASEWORKERS:
        return None, case_scope(user)
    return None, None


def assignable_officers_scope(user: Any) -> Q | None:
    """Whom a person may give cases to: a manager their own team, the head of service or an
    administrator anyone."""
    role = role_of(user)
    caseworkers = Q(role__in=CASEWORKERS, is_active=True)
    if role in (Role.ADMINISTRATOR, Role.HEAD_OF_SERVICE):
        return caseworkers
    if role in CASEWORKERS and user.team_id is not None:
        return caseworkers & Q(team_id=user.team_id)
    if role in CASEWORKERS:
        return Q(pk=user.pk)
    return None


def corrects_any_step(user: Any) -> bool:
    """A manager who may correct or strike out a step whoever recorded it."""
    return getattr(user, "role", "") in CORRECTION_MANAGERS


def approves_ceasing(user: Any) -> bool:
    """May approve a decision to cease a plan where the council requires approval."""
    return getattr(user, "role", None) in CEASE_APPROVERS


rules.add_perm("documents.change_letter_wording", is_administrator | is_head_of_service)


# --- Decision panels ---------------------------------------------------------------------------


@rules.predicate
def is_team_panel(user: Any, meeting: Any) -> bool:
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


def panel_scope(user: Any) -> Q:
    """The panels a person may see, as a filter (agrees with panels.view_panel)."""
    if reads_every_case.test(user):
        return Q()
    if is_caseworker.test(user) and getattr(user, "team_id", None) is not None:
        return Q(team_id=user.team_id)
    return Q(pk__in=[])


# --- Reports -----------------------------------------------------------------------------------


@rules.predicate
def reads_council_reports(user: Any) -> bool:
    return role_of(user) in REPORT_ROLES


@rules.predicate
def is_case_officer_in_a_team(user: Any) -> bool:
    return role_of(user) == Role.CASE_OFFICER and getattr(user, "team_id", None) is not None


@rules.predicate
def writes_commentary(user: Any) -> bool:
    return role_of(user) in COMMENTARY_ROLES


rules.add_perm("reporting.view_dashboard", reads_council_reports | is_case_officer_in_a_team)
rules.add_perm("reporting.view_reports", reads_council_reports)
rules.add_perm("reporting.change_commentary", writes_commentary)


class _TeamScope(Protocol):
    @property
    def team_id(self) -> int | None: ...


ScopeT = TypeVar("ScopeT", bound=_TeamScope)


def allowed_scope(user: Any, asked: ScopeT) -> ScopeT | None:
    """The scope (a ``reporting.domain.measures.Scope``) a person may see figures for, or None
    (answer 404)."""
    if reads_council_reports(user):
        return asked
    if is_case_officer_in_a_team(user):
        if asked.team_id not in (None, user.team_id):
            return None
        return replace(asked, team_id=user.team_id)  # type: ignore[type-var]
    return None


def drilldown_cases(user: Any) -> Q | None:
    """Which cases a person may see listed behind a figure (None: no lists at all)."""
    role = role_of(user)
    if role is None or role == Role.FINANCE_OFFICER:
        return None
    return case_scope(user)


# --- The SEN2 return, the settings register, the money, retention ------------------------------


def may_use_returns(user: Any) -> bool:
    return role_of(user) in RETURNS_ROLES


def may_download_return(user: Any) -> bool:
    return role_of(user) in DOWNLOAD_ROLES


def may_keep_register(user: Any) -> bool:
    return may_use_returns(user) and role_of(user) in REGISTER_KEEPERS


def may_see_money(user: Any) -> bool:
    return role_of(user) in MONEY_ROLES


def may_keep_money(user: Any) -> bool:
    return role_of(user) in MONEY_KEEPERS


def may_see_names(user: Any) -> bool:
    """Sees the child's name behind a money figure (a finance officer sees the case reference)."""
    return role_of(user) == Role.HEAD_OF_SERVICE


def may_erase(user: Any) -> bool:
    """Erase a record that is due, or (with a reason) one that is not: UK GDPR Art 17."""
    return role_of(user) in ERASERS


def may_hold(user: Any, child: Any) -> bool:
    """Place or lift a legal hold on this child's record."""
    role = role_of(user)
    if role in ERASERS:
        return True
    if role != Role.TEAM_MANAGER:
        return False
    scope = case_scope(user)
    return scope is not None and child.cases.filter(scope).exists()


def may_see_retention(user: Any) -> bool:
    return role_of(user) in HOLDERS


# --- Information rights and inspection ---------------------------------------------------------

works_foi = _holds(FOI_ROLES)
manages_foi = _holds(FOI_MANAGERS)
works_sar = _holds(SAR_ROLES)
handles_complaints = _holds(COMPLAINT_ROLES)


@rules.predicate
def may_handle_complaint(user: Any, complaint: Any) -> bool:
    if handles_complaints.test(user):
        return True
    case = getattr(complaint, "case", complaint)
    return bool(can_change_case.test(user, case))


rules.add_perm("information.view_foi", works_foi)
rules.add_perm("information.manage_foi", manages_foi)
rules.add_perm("information.work_sar", works_sar)
rules.add_perm("information.list_complaints", handles_complaints)
rules.add_perm("information.handle_complaint", may_handle_complaint)

prepares_annex_a = _holds(ANNEX_A_ROLES)
reads_strategy = _holds(STRATEGY_VIEW_ROLES)
changes_strategy = _holds(STRATEGY_EDIT_ROLES)

rules.add_perm("inspection.annex_a", prepares_annex_a)
rules.add_perm("inspection.view_strategy", reads_strategy)
rules.add_perm("inspection.change_strategy", changes_strategy)


# --- Pages guarded by a rule -------------------------------------------------------------------


def role_guard(
    allowed: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A view decorator: sign-in required, and 404 for anyone the rule refuses."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                raise Http404("No such page")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
