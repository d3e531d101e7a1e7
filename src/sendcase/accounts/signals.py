"""The audit log records every change to who may do what, whichever screen makes it.

Roles, teams, switching an account on or off, administrator rights, passwords and second
factors can be changed in SENDcase's own screens, in the Django admin, by a command or in
a shell. Model signals see all of those; the person acting comes from
`sendcase.core.audit.current_actor` (set per request by accounts.middleware).

Failed sign-ins are recorded from Django's `user_login_failed` signal, which
django-axes's refusals during a lockout also send.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendcase.accounts.models import Team, User
from sendcase.core.actors import Actor, SystemActor
from sendcase.core.audit import audit, current_actor

# The fields whose changes are audited, per model.
TRACKED: dict[type[Model], tuple[str, ...]] = {
    User: ("role", "team_id", "is_active", "is_staff", "is_superuser"),
    Team: ("name", "area"),
    TOTPDevice: ("confirmed",),
    StaticDevice: ("confirmed",),
}
LABELS = {
    "role": "role",
    "team_id": "team",
    "is_active": "account switched on",
    "is_staff": "staff status",
    "is_superuser": "superuser",
    "name": "name",
    "area": "area",
}
DEVICE_NAMES = {TOTPDevice: "authenticator app", StaticDevice: "recovery codes"}


def _shown(field: str, value: Any) -> Any:
    if field == "team_id" and value is not None:
        return Team.objects.filter(pk=value).values_list("name", flat=True).first()
    return value


@receiver(pre_save)
def _remember_before(
    sender: type[Model], instance: Model, update_fields: Any = None, **kwargs: Any
) -> None:
    fields = TRACKED.get(sender)
    if fields is None:
        return
    if sender is User:
        # set_password() keeps the new raw password until the save; a hash upgrade at
        # sign-in does not, and is not a change of password.
        instance._audit_password_set = getattr(instance, "_password", None) is not None  # type: ignore[attr-defined]
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(fields)):
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    instance._audit_before = (  # type: ignore[attr-defined]
        sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _changes(sender: type[Model], instance: Model) -> dict[str, list[Any]]:
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return {}
    return {
        LABELS.get(f, f): [_shown(f, before[f]), _shown(f, getattr(instance, f))]
        for f in TRACKED[sender]
        if before[f] != getattr(instance, f)
    }


@receiver(post_save)
def _audit_saved(sender: type[Model], instance: Model, created: bool, **kwargs: Any) -> None:
    if sender not in TRACKED or kwargs.get("raw"):
        return
    actor, via = current_actor()
    payload: dict[str, Any] = {"via": via}
    if sender is User:
        _audit_user(instance, created, actor, payload)  # type: ignore[arg-type]
    elif sender is Team:
        changes = _changes(sender, instance)
        if created or changes:
            payload["changes"] = changes
            verb = "Created" if created else "Changed"
            audit(
                actor,
                "create" if created else "update",
                instance,
                f"{verb} team {instance}",
                payload=payload,
            )
    else:
        changes = _changes(sender, instance)
        newly = (created and instance.confirmed) or changes.get("confirmed") == [False, True]  # type: ignore[attr-defined]
        if newly:
            owner = instance.user  # type: ignore[attr-defined]
            audit(
                actor,
                "create",
                owner,
                f"Second factor set up for {owner.username}: {DEVICE_NAMES[sender]}",
                payload={**payload, "device": instance._meta.label_lower, "device_id": instance.pk},
            )


def _audit_user(user: User, created: bool, actor: Actor, payload: dict[str, Any]) -> None:
    if created:
        payload["role"] = user.role
        payload["team"] = _shown("team_id", user.team_id)
        audit(actor, "create", user, f"Created the account {user.username}", payload=payload)
    else:
        changes = _changes(User, user)
        if changes:
            said = ", ".join(f"{k} from {old} to {new}" for k, (old, new) in changes.items())
            audit(
                actor,
                "update",
                user,
                f"Changed {user.username}: {said}",
                payload={**payload, "changes": changes},
            )
    if getattr(user, "_audit_password_set", False) and not created:
        audit(actor, "update", user, f"Password of {user.username} changed", payload=payload)


@receiver(post_delete)
def _audit_deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if sender not in TRACKED:
        return
    actor, via = current_actor()
    if sender in DEVICE_NAMES:
        if not instance.confirmed:  # type: ignore[attr-defined]
            return
        owner = User.objects.filter(pk=instance.user_id).first()  # type: ignore[attr-defined]
        if owner is None:  # the account itself is being deleted
            return
        audit(
            actor,
            "delete",
            owner,
            f"Second factor removed from {owner.username}: {DEVICE_NAMES[sender]}",
            payload={"via": via, "device": instance._meta.label_lower},
        )
        return
    audit(
        actor,
        "delete",
        None,
        f"Deleted {instance._meta.verbose_name} {instance}",
        payload={"via": via, "id": instance.pk},
    )


@receiver(user_login_failed)
def _audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    locked = bool(getattr(request, "axes_locked_out", False))
    audit(
        getattr(request, "user", None) or SystemActor("sign-in"),
        "sign_in_failed",
        user,
        f"Sign-in refused for username {username!r}" + (" (locked out)" if locked else ""),
        payload={
            "username": username,
            "known_user": user is not None,
            "locked_out": locked,
            "ip_address": getattr(request, "axes_ip_address", None)
            or (request.META.get("REMOTE_ADDR") if request is not None else None),
        },
    )
