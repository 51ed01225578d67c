from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convergence.calls.models import Call, Criterion, Format, PriorityDomain, Theme
from convergence.core.models import Event, StoredUpload


class OrganisationType(models.TextChoices):
    RESEARCH = "research", _("Research or higher education")
    COMPANY = "company", _("Company")
    STARTUP = "startup", _("Start-up")
    PUBLIC_BODY = "public", _("Public body")
    NONPROFIT = "nonprofit", _("Non-profit organisation")
    OTHER = "other", _("Other")


class Application(models.Model):
    """A challenge dossier. Submitted content lives in Submission snapshots; this row is the working copy."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every save must name the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)
    has_unsubmitted_changes = models.BooleanField(_("changed since last submission"), default=False)

    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("short summary"), blank=True)
    description = models.TextField(_("full description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"), related_name="applications")
    domains = models.ManyToManyField(
        PriorityDomain, blank=True, verbose_name=_("priority domains"), related_name="applications"
    )
    format = models.ForeignKey(
        Format, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("format"), related_name="applications"
    )
    trl = models.PositiveSmallIntegerField(_("technology readiness level"), null=True, blank=True)
    already_launched = models.BooleanField(_("the challenge has already started"), default=False)
    launched_on = models.DateField(_("start date"), null=True, blank=True)
    expected_results = models.TextField(_("results expected by February"), blank=True)

    carrier_name = models.CharField(_("carrier organisation"), max_length=200, blank=True)
    carrier_type = models.CharField(_("organisation type"), max_length=16, choices=OrganisationType.choices, blank=True)
    carrier_country = models.CharField(_("country"), max_length=2, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.title or str(_("Untitled dossier"))

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"{self.call.receipt_prefix}-D{self.pk:06d}"


class Partner(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    position = models.PositiveSmallIntegerField(default=0)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(_("organisation type"), max_length=16, choices=OrganisationType.choices)
    country = models.CharField(_("country"), max_length=2)
    role = models.CharField(_("role in the challenge"), max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("partner")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.country})"


class DatasetUsed(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="datasets")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("dataset"), max_length=200)
    origin_country = models.CharField(_("origin country"), max_length=2)
    licence = models.CharField(_("licence"), max_length=120, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("dataset")

    def __str__(self) -> str:
        return self.name


class CriterionClaim(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="claims")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="claims")
    justification = models.TextField(_("justification"), blank=True)

    class Meta:
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="unique_claim")]
        verbose_name = _("claimed criterion")

    def __str__(self) -> str:
        return str(self.criterion)


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is the digest: user file names never reach the file system.
    return f"attachments/{instance.application.call.slug}/{instance.application_id}/{instance.sha256}.pdf"


class Attachment(StoredUpload):
    """A PDF. Removing it from a dossier only hides it: a submitted version may still refer to it."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")


class Submission(models.Model):
    """One submitted version of a dossier and its receipt. Never changed, never deleted."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(_("version number"))
    receipt_number = models.CharField(_("receipt number"), max_length=48, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("submitted content"))
    digest = models.CharField(_("SHA-256 of the content"), max_length=64)
    receipt_emailed_at = models.DateTimeField(null=True, blank=True)
    # The client's Idempotency-Key, if it sent one: a retry with the same key gets this receipt back.
    idempotency_key = models.CharField(max_length=255, blank=True, default="")

    # Not stored: set when a repeated submit is answered with this receipt instead of a new one.
    replayed: bool = False

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_submission_number"),
            models.UniqueConstraint(
                fields=["application", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="unique_submission_idempotency_key",
            ),
        ]
        verbose_name = _("submission")

    def __str__(self) -> str:
        return self.receipt_number


class ApplicationEvent(Event):
    """Who did what to a dossier, and when: one row per state change."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
        REMINDED = "reminded", _("Reminder sent")
        MESSAGE_SENT = "message_sent", _("Message sent")
        MESSAGE_SHARED = "message_shared", _("Message shared with the committee")
        COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
        COMPLETION_ANSWERED = "completion_answered", _("Completion answered")
        COMPLETION_CANCELLED = "completion_cancelled", _("Completion request cancelled")
        NOTE_ADDED = "note_added", _("Internal note added")
        NOTE_REMOVED = "note_removed", _("Internal note removed")
        TAGS_CHANGED = "tags_changed", _("Tags changed")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("dossier event")


# What only organisers (and, for some, the committee) see of a dossier's history: never its applicant.
INTERNAL_EVENT_KINDS = frozenset(
    {
        ApplicationEvent.Kind.MESSAGE_SHARED,
        ApplicationEvent.Kind.NOTE_ADDED,
        ApplicationEvent.Kind.NOTE_REMOVED,
        ApplicationEvent.Kind.TAGS_CHANGED,
    }
)


class Tag(models.Model):
    """An organisers' label on dossiers of a call ("missing letter", "to discuss"): never shown to applicants."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tags")
    label = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["call", "label"], name="unique_tag_per_call")]
        verbose_name = _("tag")

    def __str__(self) -> str:
        return self.label


class DossierTag(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tagged")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "tag"], name="unique_dossier_tag")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.tag_id}"


class Message(models.Model):
    """One message of a dossier's thread between its applicant and the organisers."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ORGANISERS = "organisers", _("Organisers")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("from"), max_length=16, choices=Side.choices)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # When the other side first opened the thread after it was sent.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    shared_with_committee_at = models.DateTimeField(_("shared with the committee at"), null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        indexes = [models.Index(fields=["application", "side", "read_at"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.side} {self.sent_at:%Y-%m-%d %H:%M}"


def message_attachment_path(instance: MessageAttachment, filename: str) -> str:
    application = instance.message.application
    return f"messages/{application.call.slug}/{application.pk}/{instance.sha256}.pdf"


class MessageAttachment(StoredUpload):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=message_attachment_path, max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message attachment")


class CompletionRequest(models.Model):
    """The organisers ask for named fields to be completed: the applicant may change those, and only those, until
    `due_at` (after the deadline too), then submit again."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="completion_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    fields = models.JSONField(_("fields to complete"), default=list)
    message = models.TextField(_("what is asked"))
    due_at = models.DateTimeField(_("due at"))
    # The version the organisers read when asking, and the one that answered.
    asked_on = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+", null=True)
    answer = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("request for completion")

    def __str__(self) -> str:
        return f"{self.application_id}: {', '.join(self.fields)}"

    def state_at(self, now) -> str:
        if self.answered_at:
            return self.State.ANSWERED
        if self.cancelled_at:
            return self.State.CANCELLED
        return self.State.OPEN if now < self.due_at else self.State.EXPIRED


class InternalNote(models.Model):
    """An organiser's note on a dossier. Never shown to its applicant; a note for the committee is shown to the
    members who may read the dossier (not to a conflicted one)."""

    class Audience(models.TextChoices):
        ORGANISERS = "organisers", _("Organisers only")
        COMMITTEE = "committee", _("Organisers and committee")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    audience = models.CharField(_("who reads it"), max_length=16, choices=Audience.choices)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")

    def __str__(self) -> str:
        return f"{self.application_id} {self.created_at:%Y-%m-%d %H:%M}"
