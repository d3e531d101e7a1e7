"""Staff, their teams and their roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", "Case officer"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    DATA_OFFICER = "data_officer", "Data officer"
    ADMINISTRATOR = "administrator", "Administrator"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    area = models.CharField(
        max_length=120, blank=True, help_text="Locality or phase the team covers"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CASE_OFFICER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_title = models.CharField(max_length=120, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="A demo login; may skip the second factor in the demo only"
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A demo login's password is published: only a demo installation may make one (an
        # existing one may still be saved, e.g. switched off, but it cannot sign in).
        if (
            self.is_demo
            and not settings.SENDCASE_DEMO
            and (self._state.adding or not User.objects.filter(pk=self.pk, is_demo=True).exists())
        ):
            raise ValueError("Demo logins can be made only in demo mode (SENDCASE_DEMO=true).")
        super().save(*args, **kwargs)

    # An active administrator may do everything, in the admin screens as elsewhere
    # (the admin site still requires the second factor).
    def has_perm(self, perm: str, obj: Any = None) -> bool:
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(app_label)


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a member of staff so that they, and not
    someone who only knows their password, can set up their authenticator app.

    Only a keyed hash of the code is stored. A code works once, until it expires, and
    issuing a new one retires any the person had not used (accounts/actions.py).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class StaffIdentity(models.Model):
    """A member of staff's account at the council's identity provider (single sign-on): the
    provider's issuer and its stable subject identifier (`sub`), never the email address, which
    can be reassigned."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="staff_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
