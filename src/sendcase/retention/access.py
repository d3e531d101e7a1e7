"""The access helper for retention. Anyone refused is answered 404.

Who may see the records due, erase a record and place or lift a legal hold is a staff role
rule in sendcase.accounts.roles (``may_see_retention``, ``may_erase``, ``may_hold``).
"""

from __future__ import annotations

from django.http import Http404

from sendcase.accounts.roles import may_hold
from sendcase.casework.models import Child
from sendcase.core.actors import Actor


def get_child_for_user(user: Actor | None, pk: int) -> Child:
    """The child, if this person may place a hold on their record or erase it."""
    child = Child.objects.filter(pk=pk).first()
    if child is None or not may_hold(user, child):
        raise Http404("No child found")
    return child
