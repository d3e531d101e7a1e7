"""The portal's pages for people outside the council (/portal/): signing in with GOV.UK One
Login (the loopback provider in the demo and the tests), linking to a child's case, and the
family's first page. Every page a person sees about a case is audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sendcase.core.audit import audit_each
from sendcase.core.oidc import OAuthError, Provider, client_for, id_claims
from sendcase.portal import actions, presenters
from sendcase.portal.access import (
    PORTAL_ID_TOKEN,
    PORTAL_PERSON,
    current_person,
    get_case_for_person,
    linked_cases,
    one_login,
    person_required,
    staff_session,
)
from sendcase.portal.forms import InviteColleagueForm, LinkCodeForm, LinkRequestForm
from sendcase.portal.models import ExternalPerson, Membership

# Refused sign-ins from one address in an hour before the portal stops offering sign-in to it.
SIGN_IN_FAILURES_PER_HOUR = 20


def provider() -> Provider | None:
    return one_login()


def _one_login() -> Provider:
    """The One Login registration; the sign-in pages are not found without one."""
    registration = provider()
    if registration is None:
        raise Http404
    return registration


def not_for_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return staff_session(request) or view(request, *args, **kwargs)

    return wrapped


@not_for_staff
def start(request: HttpRequest) -> HttpResponse:
    if current_person(request) is not None:
        return redirect("portal:cases")
    return render(request, "portal/start.html", {"sign_in": provider() is not None})


@not_for_staff
def sign_in(request: HttpRequest) -> HttpResponse:
    registration = _one_login()
    if _failures_from(request) >= SIGN_IN_FAILURES_PER_HOUR:
        return render(request, "portal/sign_in_refused.html", {"too_many": True}, status=429)
    callback = request.build_absolute_uri(reverse("portal:signed_in"))
    return client_for(registration).authorize_redirect(
        request,
        callback,
        # GOV.UK One Login: the vector of trust asked for, and the language of its pages.
        vtr=json.dumps([settings.SENDCASE_ONE_LOGIN_VTR]),
        ui_locales="en",
    )


def _failures_from(request: HttpRequest) -> int:
    return actions.sign_in_failures_from(request.META.get("REMOTE_ADDR", ""))


@not_for_staff
def signed_in(request: HttpRequest) -> HttpResponse:
    """One Login's answer: Authlib checks state, the ID token and the nonce."""
    try:
        token = client_for(_one_login()).authorize_access_token(request)
        claims = id_claims(token)
    except OAuthError as exc:
        actions.record_refused_sign_in(
            exc.error, exc.description, request.META.get("REMOTE_ADDR", "")
        )
        return render(request, "portal/sign_in_refused.html", status=403)
    person = actions.sign_in_external(claims)
    request.session.cycle_key()
    request.session[PORTAL_PERSON] = person.pk
    request.session[PORTAL_ID_TOKEN] = token.get("id_token", "")
    return redirect("portal:cases" if person.links.exists() else "portal:link")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here, then at One Login (RP-initiated logout), which comes back to 'signed out'."""
    person = current_person(request)
    id_token = request.session.get(PORTAL_ID_TOKEN, "")
    if person is None:
        return redirect("portal:start")
    actions.portal_audit(person, "sign_out", person, "Signed out")
    request.session.flush()
    registration = provider()
    back = request.build_absolute_uri(reverse("portal:signed_out"))
    if registration is not None and id_token:
        return client_for(registration).logout_redirect(
            request, post_logout_redirect_uri=back, id_token_hint=id_token
        )
    return redirect(back)


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/signed_out.html")


@person_required
def cases(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    rows = list(linked_cases(person))  # each with `my_links`: this person's link to it
    audit_each(
        actions.actor_for(person),
        "view",
        "casework.case",
        [(case.pk, case.pk) for case in rows],
        f"{person} (portal): viewed their linked cases",
        payload={"external_person": person.pk},
    )
    items = [
        {
            "case": case,
            "relationship": case.my_links[0].get_relationship_display(),  # type: ignore[attr-defined]
            "stage": presenters.stage_words(case),
            "next": presenters.next_steps(list(case.deadlines.all()))[:1],
        }
        for case in rows
    ]
    return render(request, "portal/cases.html", {"person": person, "items": items})


@person_required
def case_detail(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    case = get_case_for_person(person, pk)
    actions.portal_audit(person, "view", case, f"Viewed case {case.reference}", case=case)
    context = {
        "person": person,
        "case": case,
        "relationship": case.my_links[0].get_relationship_display(),  # type: ignore[attr-defined]
        "stage": presenters.stage_words(case),
        "steps": presenters.next_steps(list(case.deadlines.all())),
    }
    return render(request, "portal/case.html", context)


@person_required
def link(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    """Enter the linking code the council sent."""
    form = LinkCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.redeem_link_code(person, form.cleaned_data["code"])
        except actions.PortalError as exc:
            form.add_error("code", str(exc))
        else:
            if isinstance(made, Membership):
                return redirect("portal:organisation", pk=made.organisation_id)
            return redirect("portal:case", pk=made.case_id)
    has_links = person.links.filter(ended_at__isnull=True).exists()
    return render(
        request, "portal/link.html", {"person": person, "form": form, "has_links": has_links}
    )


@person_required
def request_link(request: HttpRequest, person: ExternalPerson) -> HttpResponse:
    """Ask the council to link them, when they have no code."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.request_link(person, **form.cleaned_data)
        return render(request, "portal/request_sent.html", {"person": person})
    return render(request, "portal/request.html", {"person": person, "form": form})


# --- Organisations: a school's or a service's named people ------------------------------------


def _membership(person: ExternalPerson, organisation_id: int) -> Membership:
    membership = (
        person.memberships.filter(organisation_id=organisation_id, ended_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise Http404("No organisation found")
    return membership


@person_required
def organisation(request: HttpRequest, person: ExternalPerson, pk: int) -> HttpResponse:
    """The organisation's named people; its administrator or manager adds and removes them."""
    mine = _membership(person, pk)
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and mine.manages and form.is_valid():
        actions.invite_colleague(mine, **form.cleaned_data)
        messages.success(request, f"A code was sent to {form.cleaned_data['email']}.")
        return redirect("portal:organisation", pk=pk)
    members = mine.organisation.memberships.filter(ended_at__isnull=True).select_related("person")
    actions.portal_audit(person, "view", mine.organisation, "Viewed the organisation's people")
    context = {"person": person, "mine": mine, "members": members, "form": form}
    return render(request, "portal/organisation.html", context)


@require_POST
@person_required
def remove_member(
    request: HttpRequest, person: ExternalPerson, pk: int, member_id: int
) -> HttpResponse:
    mine = _membership(person, pk)
    other = mine.organisation.memberships.filter(pk=member_id, ended_at__isnull=True).first()
    if other is None or not mine.manages:
        raise Http404("No member found")
    actions.end_membership(other, by=mine)
    messages.success(request, f"{other.person} was removed.")
    return redirect("portal:organisation", pk=pk)
