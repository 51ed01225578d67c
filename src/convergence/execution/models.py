from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convergence.calls.models import Call, Milestone, Theme
from convergence.core.models import Event, StoredUpload
from convergence.labels.models import Label


class ProgressReport(models.Model):
    """A labelled challenge's report at a milestone of the call (interim results, final results)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="reports")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("progress"), blank=True)
    key_figures = models.JSONField(_("key figures"), default=list, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Final results become a public page once the organiser publishes them.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["milestone__position"]
        constraints = [models.UniqueConstraint(fields=["label", "milestone"], name="unique_report_per_milestone")]
        verbose_name = _("progress report")

    def __str__(self) -> str:
        return f"{self.label} — {self.milestone}"


def report_attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"reports/{instance.report.label.identifier}/{instance.sha256}.pdf"


class ReportAttachment(StoredUpload):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=report_attachment_path, max_length=300)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class ReportComment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return f"{self.author} @ {self.at:%Y-%m-%d}"

    @property
    def author_role(self) -> str:
        """What the carrier sees of the author: a role, never a committee member's name."""
        return "organiser" if self.author.is_organiser or self.author.is_superuser else "committee"


class MilestoneReminder(models.Model):
    """One row per reminder sent: the unique constraint is what makes each reminder go out exactly once."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the milestone")
        MISSED = "missed", _("Milestone missed")

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["label", "milestone", "kind"], name="unique_milestone_reminder")]

    def __str__(self) -> str:
        return f"{self.label} {self.milestone} {self.kind}"


class ExecutionEvent(Event):
    """Who did what during execution and the showcase: reports, comments, publications, programme changes."""

    class Kind(models.TextChoices):
        REPORT_SAVED = "report_saved", _("Report saved")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_ATTACHMENT_ADDED = "report_attachment_added", _("Report attachment added")
        REPORT_COMMENTED = "report_commented", _("Report commented")
        RESULTS_PUBLISHED = "results_published", _("Results published")
        SESSION_CREATED = "session_created", _("Showcase session created")
        SLOT_ADDED = "slot_added", _("Showcase slot added")
        SLOT_REMOVED = "slot_removed", _("Showcase slot removed")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="execution_events")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(Event.Meta):
        verbose_name = _("execution event")


class ShowcaseSession(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="showcase_sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("theme")
    )

    class Meta:
        ordering = ["starts_at", "room"]
        verbose_name = _("showcase session")

    def __str__(self) -> str:
        return self.title


class ShowcaseSlot(models.Model):
    """A labelled challenge presenting during a session."""

    session = models.ForeignKey(ShowcaseSession, on_delete=models.CASCADE, related_name="slots")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("showcase slot")

    def __str__(self) -> str:
        return f"{self.label} @ {self.starts_at:%Y-%m-%d %H:%M}"
