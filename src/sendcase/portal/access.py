"""Who is signed in to the portal, and what they may reach: 404 for anything not linked."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sendcase.casework.models import Case, Deadline
from sendcase.core.oidc import Provider
from sendcase.portal.models import CaseLink, ExternalPerson

# The session holds the signed-in person's id (and the ID token, for signing out at One Login).
PORTAL_PERSON = "sendcase_portal_person"
PORTAL_ID_TOKEN = "sendcase_portal_id_token"  # noqa: S105 - a session key, not a secret


def one_login() -> Provider | None:
    """The GOV.UK One Login registration (the loopback provider in the demo and the tests), or
    None where the council has not configured one."""
    if not settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL:
        return None
    return Provider(
        name="one_login",
        discovery_url=settings.SENDCASE_ONE_LOGIN_DISCOVERY_URL,
        client_id=settings.SENDCASE_ONE_LOGIN_CLIENT_ID,
        private_key_file=settings.SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE,
    )


def current_person(request: HttpRequest) -> ExternalPerson | None:
    person_id = request.session.get(PORTAL_PERSON)
    if person_id is None:
        return None
    return ExternalPerson.objects.filter(pk=person_id).first()


def staff_session(request: HttpRequest) -> HttpResponse | None:
    """The portal refuses a staff session: staff cannot use it as someone else."""
    if request.user.is_authenticated:
        return render(request, "portal/staff_refused.html", status=403)
    return None


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = staff_session(request)
        if refused is not None:
            return refused
        person = current_person(request)
        if person is None:
            return redirect("portal:start")
        return view(request, person, *args, **kwargs)

    return wrapped


def linked_cases(person: ExternalPerson) -> QuerySet[Case]:
    """The cases this person is linked to now, with what their pages show."""
    return (
        Case.objects.filter(portal_links__person=person, portal_links__ended_at__isnull=True)
        .select_related("child", "officer")
        .prefetch_related(
            Prefetch("deadlines", queryset=Deadline.objects.filter(completed_on__isnull=True)),
            Prefetch(
                "portal_links",
                queryset=CaseLink.objects.filter(person=person, ended_at__isnull=True),
                to_attr="my_links",
            ),
        )
        .order_by("child__forename", "reference")
    )


def get_case_for_person(person: ExternalPerson, case_id: int) -> Case:
    case = linked_cases(person).filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    return case
