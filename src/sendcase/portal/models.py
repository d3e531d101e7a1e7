"""People outside the council who use the portal (/portal/), and what they may reach.

An `ExternalPerson` is someone signed in with GOV.UK One Login (in the demo and the tests, the
loopback provider), known by the provider's issuer and `sub`. They are never a staff `User` and
hold no staff role. They reach a child's case only through a `CaseLink`, which the council
makes: the person enters a one-time `LinkCode` the officer sent to a family contact, or the
officer approves their `LinkRequest`, or (for a school or a professional service) the council
links the person's `Organisation` membership to the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExternalPerson(models.Model):
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # How the council's messages reach them (portal/family_messages.py): email or text message.
    preferred_channel = models.CharField(
        max_length=5, choices=[("email", "Email"), ("sms", "Text message")], default="email"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_person_unique")
        ]

    def __str__(self) -> str:
        return self.name or self.email or f"Person {self.pk}"


class Organisation(models.Model):
    """A school or college (with its entry in the settings register), or a professional service:
    an educational psychology service, a health team, a social care team."""

    class Kind(models.TextChoices):
        SETTING = "setting", "School, college or early years setting"
        EP_SERVICE = "ep_service", "Educational psychology service"
        HEALTH = "health", "Health team"
        SOCIAL_CARE = "social_care", "Social care team"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    setting = models.OneToOneField(
        "placements.Setting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="setting", setting__isnull=False)
                | (~models.Q(kind="setting") & models.Q(setting__isnull=True)),
                name="organisation_setting_only_for_settings",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A named person in an organisation. The organisation's administrator (a school's) or
    manager (a service's) adds and removes the others; the council adds the first."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(ExternalPerson, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(max_length=120, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_unique_while_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.organisation} ({self.get_role_display()})"

    @property
    def manages(self) -> bool:
        return self.role in (self.Role.ADMINISTRATOR, self.Role.MANAGER)


class Relationship(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    SETTING = "setting", "School or college"
    PROFESSIONAL = "professional", "Professional"


class CaseLink(models.Model):
    """This person may see this case in the portal, as the relationship says, until ended."""

    class Via(models.TextChoices):
        CODE = "code", "Linking code sent by the council"
        REQUEST = "request", "Request approved by the council"
        COUNCIL = "council", "Linked by the council"
        ASSESSMENT = "assess", "Asked for the assessment online"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="portal_links")
    person = models.ForeignKey(ExternalPerson, on_delete=models.CASCADE, related_name="links")
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="links"
    )
    via = models.CharField(max_length=8, choices=Via.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="case_link_unique_while_current",
            )
        ]
        indexes = [models.Index(fields=["person", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.person} linked to {self.case_id} as {self.get_relationship_display()}"


class LinkCode(models.Model):
    """A one-time code sent by GOV.UK Notify to enter after signing in: from an officer to a
    family contact (it links them to `case`), or from an organisation's administrator or manager
    to a colleague (it makes them a member of `organisation`). Only a keyed hash is kept; it
    works once, until it expires."""

    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="link_codes"
    )
    contact = models.ForeignKey(
        "casework.FamilyContact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    relationship = models.CharField(max_length=16, choices=Relationship.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    membership_role = models.CharField(max_length=16, choices=Membership.Role.choices, blank=True)
    invited_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_to = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        ExternalPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(case__isnull=False) & models.Q(organisation__isnull=True))
                | (models.Q(case__isnull=True) & models.Q(organisation__isnull=False)),
                name="link_code_to_a_case_or_an_organisation",
            )
        ]

    def __str__(self) -> str:
        target = f"case {self.case_id}" if self.case_id else f"organisation {self.organisation_id}"
        return f"Linking code for {target} sent to {self.sent_to}"


class LinkRequest(models.Model):
    """A signed-in person asks to be linked to a child; an officer checks who they are and
    approves (choosing the case) or refuses. The person learns nothing about any case until then."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(ExternalPerson, on_delete=models.CASCADE, related_name="requests")
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    child_name = models.CharField(max_length=200)
    child_date_of_birth = models.DateField()
    message = models.TextField(blank=True)
    made_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["made_at"]

    def __str__(self) -> str:
        return f"Request from {self.person} about {self.child_name}"


# --- The work of schools and professional services ---------------------------------------------


class AdviceAssignment(models.Model):
    """An advice request the council sent to a professional service through the portal, and the
    named member its manager gave it to. The member sees it (and only it) until the advice is
    received; the service's manager sees every request sent to the service."""

    advice_request = models.OneToOneField(
        "casework.AdviceRequest", on_delete=models.CASCADE, related_name="portal_assignment"
    )
    service = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advice_assignments"
    )
    assigned_to = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="advice"
    )
    assigned_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["service", "assigned_to"])]

    def __str__(self) -> str:
        return f"Advice request {self.advice_request_id} sent to {self.service}"


class Consultation(models.Model):
    """The council asking a school or college whether it can meet a child's needs if named in
    the plan (the `setting_consulted` step), and the setting's answer with its reasons (the
    `setting_responded` step)."""

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="portal_consultations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultations"
    )
    consultation_id = models.CharField(max_length=64)
    consulted_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    can_meet_needs = models.BooleanField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        ExternalPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["answered_on", "consulted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "consultation_id"], name="consultation_unique_per_case"
            )
        ]
        indexes = [models.Index(fields=["organisation", "answered_on"])]

    def __str__(self) -> str:
        return f"Consultation of {self.organisation} about case {self.case_id}"


# Families' requests, comments, views and messages (portal/family_models.py).
from sendcase.portal.family_models import (  # noqa: E402, F401
    AskEvidence,
    AssessmentAsk,
    CaseMessage,
    DraftComment,
    FamilyViews,
)
