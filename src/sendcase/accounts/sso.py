"""Staff single sign-on with the council's OpenID Connect provider (Microsoft Entra ID is the
common case): who the person is in SENDcase, their role and team from the provider's groups,
and the provider's second factor.

`sign_in_with_sso` is the one action: it finds the member of staff by the provider's stable
subject (`sub`), or, the first time, by the username an administrator gave them in SENDcase
(the provider's `preferred_username`, e.g. the Entra user principal name), or makes the account
when the provider's groups give a role. Each sign-in, mapped groups set the role and team (so a
change at the provider takes effect at the next sign-in); without a mapped group the role
assigned in SENDcase stands. Every refusal says why, in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sendcase.accounts.backends import demo_login_refused
from sendcase.accounts.models import Role, StaffIdentity, Team, User
from sendcase.core.actors import SystemActor
from sendcase.core.audit import acting_as, audit
from sendcase.core.oidc import Provider

# The session's record of how this person signed in: issuer, amr and acr from the ID token.
SSO_SESSION = "sendcase_sso"
# The provider's ID token, sent back as the hint when signing out there (RP-initiated logout).
SSO_ID_TOKEN = "sendcase_sso_id_token"  # noqa: S105 - a session key, not a secret
SSO_ACTOR = SystemActor("single sign-on")


def provider() -> Provider | None:
    if not settings.SENDCASE_SSO_DISCOVERY_URL:
        return None
    return Provider(
        name="staff",
        discovery_url=settings.SENDCASE_SSO_DISCOVERY_URL,
        client_id=settings.SENDCASE_SSO_CLIENT_ID,
        client_secret=settings.SENDCASE_SSO_CLIENT_SECRET,
        private_key_file=settings.SENDCASE_SSO_PRIVATE_KEY_FILE,
    )


def end_session_origin() -> str:
    """The scheme and host of the staff provider's end-session endpoint, or "" when there is
    none (core.oidc.end_session_origin)."""
    from sendcase.core.oidc import (
        end_session_origin as origin_of,  # the Authlib client is slow to import
    )

    return origin_of(provider())


class SSORefused(Exception):
    """A sign-in the provider accepted but SENDcase refuses; `reason` is for the audit log."""

    def __init__(self, reason: str, user: User | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user


@dataclass(frozen=True)
class GroupAnswer:
    role: str | None
    team: str | None


def from_groups(groups: Iterable[str]) -> GroupAnswer:
    """The role and team the provider's groups give, in the order the settings list them."""
    held = set(groups)
    roles = [r for g, r in settings.SENDCASE_SSO_ROLE_GROUPS.items() if g in held]
    teams = [t for g, t in settings.SENDCASE_SSO_TEAM_GROUPS.items() if g in held]
    return GroupAnswer(roles[0] if roles else None, teams[0] if teams else None)


def second_factor_methods(claims: dict[str, Any]) -> list[str]:
    """The `amr` values that are a second factor at the provider."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return [m for m in amr if m in settings.SENDCASE_SSO_MFA_METHODS]


def _groups(claims: dict[str, Any]) -> list[str]:
    groups = claims.get(settings.SENDCASE_SSO_GROUPS_CLAIM) or []
    return [str(g) for g in groups] if isinstance(groups, list) else [str(groups)]


@transaction.atomic
def sign_in_with_sso(claims: dict[str, Any]) -> User:
    """The member of staff these checked ID-token claims belong to, with role and team brought
    up to date from the groups. Raises SSORefused (nothing is written but the audit entry the
    caller adds) when SENDcase must not let them in."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    if not second_factor_methods(claims):
        raise SSORefused("the provider did not use a second factor (amr)")
    answer = from_groups(_groups(claims))
    if answer.role is not None and answer.role not in Role.values:
        raise SSORefused(f"SENDCASE_SSO_ROLE_GROUPS names an unknown role {answer.role!r}")
    identity = (
        StaffIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    username = str(claims.get("preferred_username") or claims.get("email") or "").strip()
    user = identity.user if identity else None
    if user is None and username:
        user = User.objects.filter(username__iexact=username, identities__isnull=True).first()
    if user is None:
        if answer.role is None:
            raise SSORefused("no SENDcase account, and no group that gives a role")
        user = User(
            username=username or f"sso-{subject}"[:150],
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            email=str(claims.get("email") or "")[:254],
            role=answer.role,
        )
        user.set_unusable_password()
    if not user.is_active:
        raise SSORefused("the SENDcase account is switched off", user)
    if demo_login_refused(user):
        raise SSORefused("a demo login outside demo mode", user)
    with acting_as(SSO_ACTOR, "single sign-on groups"):
        if answer.role is not None:
            user.role = answer.role
        if answer.team is not None:
            user.team, _ = Team.objects.get_or_create(name=answer.team)
        user.save()
    now = timezone.now()
    if identity is None:
        identity = StaffIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        audit(
            SSO_ACTOR,
            "create",
            user,
            f"Linked {user.username} to their account at {issuer}",
            payload={"issuer": issuer, "subject": subject},
        )
    StaffIdentity.objects.filter(pk=identity.pk).update(last_sign_in=now)
    return user
