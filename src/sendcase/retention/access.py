"""Who may use retention: one rule per power, in one place. Anyone else is answered 404.

=================  ============================================================
Role               May
=================  ============================================================
data officer       see the records due for deletion; erase a record (early only
                   with a right-to-erasure reason); place and lift legal holds
head of service    the same
team manager       place and lift legal holds on their team's children
others             nothing here (administrators run the system, they do not
                   decide what the council forgets)
=================  ============================================================
"""

from __future__ import annotations

from django.http import Http404

from sendcase.accounts.models import Role
from sendcase.casework.access import cases_for_user
from sendcase.casework.models import Child
from sendcase.core.actors import Actor

ERASERS = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE)
HOLDERS = (Role.DATA_OFFICER, Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER)


def _role(user: Actor | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "role", None)


def may_erase(user: Actor | None) -> bool:
    """Erase a record that is due, or (with a reason) one that is not: UK GDPR Art 17."""
    return _role(user) in ERASERS


def may_hold(user: Actor | None, child: Child) -> bool:
    """Place or lift a legal hold on this child's record."""
    role = _role(user)
    if role in ERASERS:
        return True
    return role == Role.TEAM_MANAGER and cases_for_user(user).filter(child=child).exists()


def may_see_retention(user: Actor | None) -> bool:
    return _role(user) in HOLDERS


def get_child_for_user(user: Actor | None, pk: int) -> Child:
    """The child, if this person may place a hold on their record or erase it."""
    child = Child.objects.filter(pk=pk).first()
    if child is None or not may_hold(user, child):
        raise Http404("No child found")
    return child
