"""The child, the family, and the EHC case with its statutory events and deadlines.

A Case is one statutory journey for a child: it starts with a request for an EHC
needs assessment (or a plan transferred in from another council) and runs through
the decision, the assessment, the plan and its reviews to ceasing. A new request
after a refusal starts a new case for the same child. The clock (sendcase.statutory)
reads a case's StatutoryEvent rows and its answer is stored as Deadline rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sendcase.core.codes import (
    AdviceKind,
    Ethnicity,
    ExceptionReason,
    Language,
    RequestSource,
    UPNUnknown,
)


def _label(choices: type[models.TextChoices], code: str) -> str:
    """A code's label; a code outside the list (an old import) is shown as it is."""
    if not code:
        return ""
    return str(dict(choices.choices).get(code, code))


class YesNo(models.TextChoices):
    """A recorded yes or no; a blank field means nobody has asked yet."""

    YES = "Y", "Yes"
    NO = "N", "No"


class Child(models.Model):
    """A child or young person (0 to 25) known to the SEND service."""

    class Sex(models.TextChoices):
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    # DfE ethnicity code (e.g. WBRI, MWBC, ASIA, REFU, NOBT).
    ethnicity = models.CharField(max_length=4, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    uln = models.CharField("ULN", max_length=10, blank=True)
    upn_unknown = models.CharField("UPN unknown reason", max_length=4, blank=True)
    home_la_code = models.CharField("home council code", max_length=3, blank=True)
    # DfE language code (e.g. ENG, POL, URD); blank = not recorded.
    first_language = models.CharField(max_length=3, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    # Annex A asks both; blank = not recorded (never guessed as "No").
    disability = models.CharField(max_length=1, choices=YesNo.choices, blank=True)
    known_to_social_care = models.CharField(
        "known to children's social care", max_length=1, choices=YesNo.choices, blank=True
    )
    social_care_team = models.CharField(max_length=100, blank=True)
    # Only where different from sex; free text in the child's own words.
    gender = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surname", "forename"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["surname", "forename"])]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def ethnicity_label(self) -> str:
        return _label(Ethnicity, self.ethnicity)

    @property
    def first_language_label(self) -> str:
        return _label(Language, self.first_language)

    @property
    def upn_unknown_label(self) -> str:
        return _label(UPNUnknown, self.upn_unknown)


class FamilyContact(models.Model):
    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        PHONE = "phone", "Phone call"
        LETTER = "letter", "Letter"

    # The relationship of a young person (16 to 25) who is their own contact: the family's
    # letters go to them (documents.actions.family_recipients).
    YOUNG_PERSON = "Young person"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=60)
    # None = not asked yet; never shown as "Yes" or "No" until recorded.
    parental_responsibility = models.BooleanField(null=True, blank=True, default=None)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # Safeguarding: "do not share this address" with other contacts (letters).
    withhold_address = models.BooleanField(default=False)
    # Blank = not asked yet.
    preferred_contact = models.CharField(
        max_length=8, choices=ContactMethod.choices, blank=True, default=""
    )
    # DfE language code; blank = not recorded.
    language = models.CharField(max_length=3, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    consent_to_share = models.BooleanField(default=False)
    consent_recorded_on = models.DateField(null=True, blank=True)
    # The contact is no longer current (moved away, relationship ended); kept
    # for the history, never written to.
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def language_label(self) -> str:
        return _label(Language, self.language)


class Stage(models.TextChoices):
    REQUESTED = "requested", "Request received"
    ASSESSING = "assessing", "Assessment"
    DRAFT = "draft", "Draft plan issued"
    PLAN = "plan", "Plan maintained"
    NOT_ASSESSED = "not_assessed", "Closed: decided not to assess"
    NOT_ISSUED = "not_issued", "Closed: decided not to issue a plan"
    WITHDRAWN = "withdrawn", "Closed: withdrawn"
    CEASED = "ceased", "Closed: plan ceased"
    TRANSFERRED_OUT = "transferred_out", "Closed: transferred to another council"


OPEN_STAGES = (Stage.REQUESTED, Stage.ASSESSING, Stage.DRAFT, Stage.PLAN)


class Case(models.Model):
    """One statutory EHC journey for a child, with its assigned officer and stage."""

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.REQUESTED, db_index=True
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    # Why a request was withdrawn or a case closed (the person's own words, kept as written).
    closed_reason = models.CharField(max_length=500, blank=True, default="")
    # An appeal about one of the case's decisions is live (mediation or the tribunal), so the
    # case's deadlines stay current and it stays in the open queue, even at a closed stage.
    disputed = models.BooleanField(default=False, db_index=True)
    # Stored from the clock's answer so the work queue can rank with plain SQL.
    next_due = models.DateField(null=True, blank=True)
    next_key = models.CharField(max_length=64, blank=True)
    overdue_count = models.PositiveIntegerField(default=0)
    # A digest of the stored deadlines, so the daily refresh can skip cases whose deadlines
    # did not change without reading them back.
    deadlines_digest = models.CharField(max_length=32, blank=True, default="")
    # Optimistic locking: each saved change increments it (no lost updates).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["officer", "stage", "next_due"]),
            models.Index(fields=["team", "stage", "next_due"]),
            models.Index(fields=["stage", "next_due"]),
            # The work queue's keyset order for everyone who sees many teams' cases.
            models.Index(fields=["next_due", "id"], name="case_queue_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.child}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class EffectiveEvents(models.Manager["StatutoryEvent"]):
    """The case's history as it now stands: a step corrected or struck out is left out (its
    correction, if any, stands in its place), and so are the strike-out rows themselves."""

    def get_queryset(self) -> models.QuerySet[StatutoryEvent]:
        replaced = StatutoryEvent.log.filter(corrects=models.OuterRef("pk"))
        return super().get_queryset().filter(~models.Exists(replaced), struck_out=False)


class StatutoryEvent(models.Model):
    """A dated statutory fact about a case, in the clock's vocabulary (docs/clock.md).

    The event log is what the clock reads; the structured records (request, plan,
    review, ...) are written alongside it by the same action function.

    The log is append-only. A correction is a new row that `corrects` the row it replaces (with
    the `reason`); a strike-out is a new row with `struck_out` set that `corrects` the row it
    strikes out. `objects` (the default manager, so `case.events` too) reads the effective
    history; `log` reads every row, originals included (the case history shows both).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40)
    date = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="corrections"
    )
    struck_out = models.BooleanField(default=False)
    reason = models.TextField(blank=True, default="")

    log = models.Manager()
    objects = EffectiveEvents()

    class Meta:
        default_manager_name = "objects"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "date"]), models.Index(fields=["type", "date"])]

    def __str__(self) -> str:
        return f"{self.type} on {self.date}"

    def as_clock_dict(self) -> dict[str, object]:
        return {"type": self.type, "date": self.date.isoformat(), **self.data}


class Deadline(models.Model):
    """A statutory deadline as computed by the clock, stored for the queue and the reports."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=64)
    instance = models.CharField(max_length=64, blank=True, default="")
    trigger = models.DateField()
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16)
    source = models.CharField(max_length=255)
    explanation = models.TextField()
    advice_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["due", "key", "instance"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "key", "instance"], name="deadline_unique_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["key", "trigger"]),
            models.Index(fields=["key", "completed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.key} due {self.due} ({self.status})"


class AssessmentRequest(models.Model):
    """A request for an EHC needs assessment, and the decision whether to assess."""

    class Decision(models.TextChoices):
        ASSESS = "assess", "Decided to assess"
        NOT_ASSESS = "not_assess", "Decided not to assess"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="request")
    received_on = models.DateField()
    source = models.PositiveSmallIntegerField(choices=RequestSource.choices)
    requester_name = models.CharField(max_length=200, blank=True)
    young_person_request = models.BooleanField(
        default=False, help_text="Requested by a young person over compulsory school age (SEN2 RYA)"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision_panel = models.CharField(max_length=120, blank=True)
    decision_panel_date = models.DateField(null=True, blank=True)
    # After assessment: notified that no plan will be issued (Reg 10).
    not_to_issue_on = models.DateField(null=True, blank=True)
    # After assessment: decided to issue a plan (a panel's decision), before the draft is issued.
    # No clock event (the draft's deadline runs from the request); SEN2 AssessmentOutcome Y.
    issue_decision_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["received_on"]), models.Index(fields=["decision_on"])]

    def __str__(self) -> str:
        return f"Request received {self.received_on}"


class AdviceRequest(models.Model):
    """A request for advice and information for an assessment (Reg 6), and its return."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice_requests")
    advice_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=32, choices=AdviceKind.choices)
    provider = models.CharField(
        max_length=200, help_text="Who was asked, e.g. the educational psychology service"
    )
    requested_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "advice_id"], name="advice_id_unique_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} advice requested {self.requested_on}"


class TimeLimitException(models.Model):
    """An exception to a time limit: which reason, the dates it covers, who recorded it and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exceptions")
    reason = models.CharField(max_length=40, choices=ExceptionReason.choices)
    start = models.DateField()
    end = models.DateField()
    applies_to = models.CharField(
        max_length=64,
        blank=True,
        help_text="An advice request or a deadline key; blank for all it may apply to",
    )
    why = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]


class Transfer(models.Model):
    """A plan moving between councils (Reg 15)."""

    class Direction(models.TextChoices):
        IN = "in", "Transferred in"
        OUT = "out", "Transferred out"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_la_code = models.CharField(max_length=3, blank=True)
    other_la_name = models.CharField(max_length=120, blank=True)
    learned_on = models.DateField(null=True, blank=True)
    move_date = models.DateField(null=True, blank=True)
    transferred_on = models.DateField(null=True, blank=True)
    last_review = models.DateField(
        null=True, blank=True, help_text="For a plan transferred in: its last making or review"
    )
    notice_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a plan transferred in: family told whether we will review or reassess",
    )


class Appeal(models.Model):
    """Disagreement resolution: the appealable decision, mediation and the tribunal."""

    class DecisionType(models.TextChoices):
        NOT_ASSESS = "not_assess", "Decision not to assess"
        NOT_ISSUE = "not_issue", "Decision not to issue a plan"
        CONTENTS = "contents", "Contents of the plan (sections B, F, I)"
        AMEND = "amend", "Decision not to amend"
        CEASE = "cease", "Decision to cease the plan"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not decided"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CONCEDED = "conceded", "Conceded by the council"
        UPHELD = "upheld", "Decided in the family's favour (wholly or partly)"
        DISMISSED = "dismissed", "Dismissed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    decision_type = models.CharField(max_length=16, choices=DecisionType.choices)
    decision_notice_on = models.DateField()
    mediation_requested_on = models.DateField(null=True, blank=True)
    mediation_declined_on = models.DateField(null=True, blank=True)
    mediation_held_on = models.DateField(null=True, blank=True)
    certificate_on = models.DateField(null=True, blank=True)
    tribunal_registered_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    order_kind = models.CharField(max_length=12, blank=True)
    order_on = models.DateField(null=True, blank=True)
    complied_on = models.DateField(null=True, blank=True)


class Ceasing(models.Model):
    """The council considering ceasing a plan, through to the plan ending (CFA 2014 s45; SEND
    Regulations 2014 regs 29 to 31): consider, consult the family and the setting, decide (to
    cease or not), a manager's approval where the council requires it, the decision notified with
    appeal rights, and the date the plan actually stopped being maintained (after the appeal
    window, or after any appeal against the cease is decided).

    `closed_on` is set when the matter ends: the plan ended, a decision not to cease, or the
    tribunal ordering the plan continued."""

    class Decision(models.TextChoices):
        CEASE = "cease", "Cease the plan"
        NOT_CEASE = "not_cease", "Keep the plan"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ceasings")
    reason = models.PositiveSmallIntegerField(
        help_text="SEN2 CeaseReason the council is considering"
    )
    grounds = models.TextField(help_text="Why the council is considering ceasing the plan")
    considered_on = models.DateField()
    family_consulted_on = models.DateField(null=True, blank=True)
    family_views = models.TextField(blank=True)
    setting_consulted_on = models.DateField(null=True, blank=True)
    setting_views = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["considered_on", "id"]


class ContactLogEntry(models.Model):
    """A call, email or letter with a family, school or professional, with a response-due date."""

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        MEETING = "meeting", "Meeting"
        PORTAL = "portal", "Online, through the portal"

    class Direction(models.TextChoices):
        IN = "in", "Received"
        OUT = "out", "Sent"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_log")
    at = models.DateTimeField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    party = models.CharField(max_length=200, help_text="Who: e.g. the parent, the school SENCo")
    summary = models.TextField()
    response_due = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["response_due", "responded_on"])]


class InformationRequest(models.Model):
    """A subject access or Freedom of Information request (UK GDPR Art 12(3); FOIA s10)."""

    class Kind(models.TextChoices):
        SAR = "sar", "Subject access request"
        FOI = "foi", "Freedom of Information request"

    kind = models.CharField(max_length=3, choices=Kind.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="information_requests"
    )
    requester = models.CharField(max_length=200)
    subject = models.CharField(max_length=255)
    received_on = models.DateField()
    extended_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)


class CaseTask(models.Model):
    """An officer's own to-do on a case (chase the advice, call the parent) with a due date:
    not a statutory deadline, shown beside them in the work queue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        # The queue reads each case's open tasks by due date.
        indexes = [models.Index(fields=["case", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title
