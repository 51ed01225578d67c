"""The shapes every stage shares: an audit event (who did what, when) and a file a person uploaded; and the one
table core owns, the background tasks the broker refused.

The shapes are abstract: each stage keeps its own table (its events point at its own objects)."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from .uploads import sha256_of


class Event(models.Model):
    """One state change: who (`actor`, None for the platform itself), when, which `kind`, and its `details`.

    Each stage declares its kinds in a `Kind` enumeration and writes only through `record` (or `build`, for a
    statement that writes the event with other rows), which refuse a kind the stage did not declare: the history
    pages show every kind in the reader's language."""

    Kind: ClassVar[type[models.TextChoices]]

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("event"), max_length=40)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @classmethod
    def record(cls, kind: str, actor: Any, /, details: dict[str, Any] | None = None, **subject: Any) -> Self:
        """Write one event. `subject` names the objects it concerns (the model's own fields: call, application…);
        `details` is what a reader of the history needs to know beyond them."""
        event = cls.build(kind, actor, details, **subject)
        event.save(force_insert=True)
        return event

    @classmethod
    def build(cls, kind: str, actor: Any, /, details: dict[str, Any] | None = None, **subject: Any) -> Self:
        """The event `record` writes, not saved yet."""
        return cls(kind=cls.Kind(kind), actor=actor, details=details or {}, **subject)

    def get_kind_display(self) -> str:
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:  # a kind written before it was declared: shown as stored rather than hidden
            return self.kind


class StoredUpload(models.Model):
    """A file somebody uploaded: the name they gave it, its size and digest, who uploaded it and when.

    Subclasses declare `file` (where it is stored: by digest, so user file names never reach the file system)
    and check the content before calling `store`."""

    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Empty only for files uploaded before who uploaded them was kept.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    file: models.FileField

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def store(self, upload: UploadedFile, *, user: Any, stored_name: str, default_name: str) -> Self:
        """Describe the upload (name, size, digest, who), write it under `stored_name`, and save the row."""
        self.original_name = (upload.name or default_name)[-255:]
        self.size = upload.size or 0
        self.sha256 = sha256_of(upload)  # before the file: the storage path is built from it
        self.uploaded_by = user
        self.file.save(stored_name, upload, save=False)
        self.save()
        return self


class PendingTask(models.Model):
    """A background task whose message the broker refused after the change that queued it was committed.

    Kept here rather than lost (and rather than turning the committed change into an error page); the worker's
    sweep publishes it again (core/queueing.py)."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    options = models.JSONField(_("options"), default=dict)
    created_at = models.DateTimeField(_("refused at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
