from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.models import Event, StoredUpload

# Fields of a labelled challenge that the organiser may show or hide in the public catalogue.
# Title, carrier organisation, countries, themes, domains and format are always public; contact data never is.
OPTIONAL_PUBLIC_FIELDS = {
    "summary": _("short summary"),
    "description": _("full description"),
    "expected_results": _("results expected by February"),
    "trl": _("technology readiness level"),
    "partners": _("partner organisations"),
    "datasets": _("datasets used"),
}
DEFAULT_PUBLIC_FIELDS = ["summary", "expected_results", "trl", "partners", "datasets"]


def default_public_fields() -> list[str]:
    return list(DEFAULT_PUBLIC_FIELDS)


class Label(models.Model):
    """The label of a selected challenge. `payload` is what the certificate's signature covers; it never changes."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="labels")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="label")
    identifier = models.CharField(_("identifier"), max_length=48, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    payload = models.JSONField(_("signed content"))
    signature = models.CharField(_("signature (Ed25519, base64)"), max_length=128)
    key_id = models.CharField(_("signing key"), max_length=32)
    # The public catalogue entry, taken from the submitted dossier at award time.
    catalogue = models.JSONField(_("catalogue entry"), default=dict)
    public_fields = models.JSONField(_("fields shown in the public catalogue"), default=default_public_fields)
    awarded_at = models.DateTimeField(_("awarded at"))
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    kit_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["identifier"]
        verbose_name = _("label")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("labels:catalogue_detail", kwargs={"identifier": self.identifier})

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class LabelEvent(Event):
    """Who awarded, revoked or changed a label, and when."""

    class Kind(models.TextChoices):
        AWARDED = "awarded", _("Label awarded")
        REVOKED = "revoked", _("Label revoked")
        PUBLIC_FIELDS_CHANGED = "public_fields_changed", _("Public fields changed")

    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("label event")


def kit_file_path(instance: KitFile, filename: str) -> str:
    # The stored name is the digest: user file names never reach the file system.
    return f"kits/{instance.call.slug}/{instance.sha256}.{instance.extension}"


class KitFile(StoredUpload):
    """One file of a call's communication kit (logos, graphic guidelines, press material)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="kit_files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=kit_file_path, max_length=300)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=80)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("communication kit file")

    def __str__(self) -> str:
        return self.title


class KitDownload(models.Model):
    kit_file = models.ForeignKey(KitFile, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("kit download")

    def __str__(self) -> str:
        return f"{self.user} ← {self.kit_file}"
