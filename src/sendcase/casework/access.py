"""One access helper per kind of record. Missing and forbidden both answer 404.

The role rules themselves live in sendcase.accounts.roles.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from sendcase.accounts.roles import case_scope, child_scope
from sendcase.casework.models import Case, Child, ContactLogEntry, FamilyContact
from sendcase.core.actors import Actor, RequestUser
from sendcase.plans.models import PlanVersion


def cases_for_user(user: Actor | None, *, write: bool = False) -> QuerySet[Case]:
    scope = case_scope(user, write=write)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def children_for_user(user: Actor | None, *, attach: bool = False) -> QuerySet[Child]:
    """The children whose identity this person may see (or to whom they may attach a new
    request): the SQL twin of the casework.view_child and casework.attach_child rules."""
    every, cases = child_scope(user, attach=attach)
    if every is not None:
        return Child.objects.filter(every)
    if cases is None:
        return Child.objects.none()
    of_child = Case.objects.filter(child=OuterRef("pk"))
    return Child.objects.filter(Exists(of_child.filter(cases)) | ~Exists(of_child))


def get_case_for_user(
    user: RequestUser,
    case_id: int,
    *,
    write: bool = False,
    reassign: bool = False,
    audit_log: bool = False,
) -> Case:
    """The case, if this person may read it (or change, reassign it, or read its audit log)."""
    case = Case.objects.select_related("child", "officer", "team").filter(pk=case_id).first()
    perms = ["casework.view_case"]
    if write:
        perms.append("casework.change_case")
    if reassign:
        perms.append("casework.reassign_case")
    if audit_log:
        perms.append("casework.view_case_audit")
    if case is None or not all(user.has_perm(p, case) for p in perms):
        raise Http404("No case found")
    return case


def get_contact_entry_for_user(
    user: RequestUser, case_id: int, entry_id: int, *, write: bool = False
) -> ContactLogEntry:
    case = get_case_for_user(user, case_id, write=write)
    entry = ContactLogEntry.objects.filter(case=case, pk=entry_id).first()
    if entry is None:
        raise Http404("No contact log entry found")
    entry.case = case
    return entry


def get_family_contact_for_user(
    user: RequestUser, case_id: int, contact_id: int, *, write: bool = False
) -> tuple[Case, FamilyContact]:
    """The case and one of its child's family contacts, if this person may read (or change) the
    case; 404 for a contact of another child, as for a missing one."""
    case = get_case_for_user(user, case_id, write=write)
    contact = FamilyContact.objects.filter(child_id=case.child_id, pk=contact_id).first()
    if contact is None:
        raise Http404("No family contact found")
    return case, contact


def get_plan_version_for_user(user: RequestUser, case_id: int, number: int) -> PlanVersion:
    case = get_case_for_user(user, case_id)
    version = PlanVersion.objects.filter(plan__case=case, number=number).first()
    if version is None:
        raise Http404("No plan version found")
    return version
