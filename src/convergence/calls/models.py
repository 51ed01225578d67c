from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convergence.core.models import Event

from .i18n import localize


class Call(models.Model):
    """A call for challenges, loaded from a call definition file (see calls/SCHEMA.md)."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    languages = models.JSONField(_("languages"), default=list)
    title = models.JSONField(_("title"))
    tagline = models.JSONField(_("tagline"), default=dict)
    purpose = models.JSONField(_("purpose"), default=dict)
    audience = models.JSONField(_("who may apply"), default=dict)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close (last second accepted)"))
    receipt_prefix = models.CharField(_("receipt prefix"), max_length=32)
    # The receipts numbered so far on SQLite; on PostgreSQL, where the call's sequence starts (receipt_numbers.py).
    receipt_counter = models.PositiveIntegerField(default=0, editable=False)
    summary_max_length = models.PositiveIntegerField(_("summary length limit"), default=1000)
    max_themes = models.PositiveSmallIntegerField(_("maximum themes per dossier"), default=2)
    minimum_criteria = models.PositiveSmallIntegerField(_("minimum criteria to meet"), default=1)
    additional_examination = models.JSONField(_("additional examination point"), default=dict)
    trl_scale = models.JSONField(_("technology readiness levels"), default=list)
    faq = models.JSONField(_("frequently asked questions"), default=list)
    definition = models.JSONField(_("source definition"), default=dict, editable=False)
    is_demo = models.BooleanField(_("demo dates"), default=False)
    is_published = models.BooleanField(_("published"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return localize(self.title)

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def accepts_changes_at(self, moment: datetime) -> bool:
        """The whole last second counts: a deadline of 23:59:59 accepts 23:59:59.999."""
        return self.opens_at <= moment < self.closes_at + timedelta(seconds=1)

    @property
    def is_open(self) -> bool:
        return self.accepts_changes_at(timezone.now())

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at + timedelta(seconds=1)

    def trl_label(self, level: int | None) -> str:
        for entry in self.trl_scale:
            if entry.get("level") == level:
                return f"TRL {level} — {localize(entry.get('name'))}"
        return f"TRL {level}" if level else ""


class CallItem(models.Model):
    """Common shape of the call's lists: a code, a position, a name and a description."""

    code = models.SlugField(_("code"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.JSONField(_("name"))
    description = models.JSONField(_("description"), default=dict)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return localize(self.name)

    @property
    def label(self) -> str:
        return localize(self.name)


class Theme(CallItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="themes")

    class Meta(CallItem.Meta):
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_theme_code")]
        verbose_name = _("theme")


class PriorityDomain(CallItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="domains")

    class Meta(CallItem.Meta):
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_domain_code")]
        verbose_name = _("priority domain")


class Format(CallItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="formats")
    number = models.PositiveSmallIntegerField(_("number"), default=0)
    hosts_competition = models.BooleanField(_("hosted as a competition"), default=False)

    class Meta(CallItem.Meta):
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_format_code")]
        verbose_name = _("format")


class Criterion(CallItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"), default=0)

    class Meta(CallItem.Meta):
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_criterion_code")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")


class Milestone(CallItem):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="milestones")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    when = models.JSONField(_("when, as written"), default=dict)
    report = models.CharField(_("report expected"), max_length=16, blank=True)
    due_at = models.DateTimeField(_("report due at"), null=True, blank=True)
    reminder_days_before = models.PositiveSmallIntegerField(_("reminder, days before"), default=7)

    class Meta(CallItem.Meta):
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="unique_milestone_code")]
        verbose_name = _("milestone")

    @property
    def report_due_at(self) -> datetime:
        return self.due_at or self.ends_at or self.starts_at


class CallEvent(Event):
    """Who changed a call, and when: loading a definition file, closing applications early, the kit, deleted drafts."""

    class Kind(models.TextChoices):
        LOADED = "loaded", _("Call loaded")
        CLOSED_EARLY = "closed_early", _("Applications closed early")
        DRAFT_DELETED = "draft_deleted", _("Draft deleted")
        KIT_FILE_ADDED = "kit_file_added", _("Kit file added")
        KIT_FILE_REMOVED = "kit_file_removed", _("Kit file removed")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("call event")
