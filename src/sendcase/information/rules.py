"""Who may work FOI requests, subject access requests and complaints: every rule, in one place.

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
Anyone refused is answered 404.
"""

from __future__ import annotations

from typing import Any

import rules

from sendcase.accounts.models import Role
from sendcase.casework.rules import can_change_case
from sendcase.core.actors import Actor

FOI_MANAGERS = (Role.INFORMATION_GOVERNANCE, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)
FOI_ROLES = (*FOI_MANAGERS, Role.DATA_OFFICER)
SAR_ROLES = (Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR)
COMPLAINT_ROLES = (Role.INFORMATION_GOVERNANCE, Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR)


def _role(user: Actor | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


def _in(roles: tuple[str, ...]) -> Any:
    return rules.predicate(lambda user: _role(user) in roles)


works_foi = _in(FOI_ROLES)
manages_foi = _in(FOI_MANAGERS)
works_sar = _in(SAR_ROLES)
handles_complaints = _in(COMPLAINT_ROLES)


@rules.predicate
def may_handle_complaint(user: Actor | None, complaint: Any) -> bool:
    if handles_complaints.test(user):
        return True
    case = getattr(complaint, "case", complaint)
    return can_change_case.test(user, case)


rules.add_perm("information.view_foi", works_foi)
rules.add_perm("information.manage_foi", manages_foi)
rules.add_perm("information.work_sar", works_sar)
rules.add_perm("information.list_complaints", handles_complaints)
rules.add_perm("information.handle_complaint", may_handle_complaint)
