"""Actions on labels and the communication kit. Every change leaves a LabelEvent."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.calls.models import Call, CallEvent
from convergence.core.errors import DomainError, ErrorCode
from convergence.core.queueing import queue_after_commit
from convergence.core.uploads import pdf_problem, size_problem
from convergence.review.models import Decision
from convergence.review.selectors import latest_content, published_decision
from convergence.web.public_cache import public_content_changed

from . import signing
from .models import OPTIONAL_PUBLIC_FIELDS, KitDownload, KitFile, Label, LabelEvent


class LabelError(DomainError):
    code = ErrorCode.INVALID_TRANSITION


class KitFileRejected(DomainError):
    code = ErrorCode.ATTACHMENT_REJECTED


def _label_changed(label: Label, actor, kind: LabelEvent.Kind, details: dict) -> None:
    LabelEvent.record(kind, actor, label=label, details=details)
    # Every recorded change of a label may change what the public catalogue and open data show.
    public_content_changed("catalogue")


def catalogue_entry(content: dict) -> dict:
    """What the public may ever see of a dossier: no contact data, no owner, no justifications, no attachments."""
    partners = content.get("partners") or []
    return {
        "title": content.get("title", ""),
        "summary": content.get("summary", ""),
        "description": content.get("description", ""),
        "expected_results": content.get("expected_results", ""),
        "trl": content.get("trl"),
        "carrier_name": content.get("carrier_name", ""),
        "carrier_country": content.get("carrier_country", ""),
        "themes": content.get("themes") or [],
        "domains": content.get("domains") or [],
        "format": content.get("format"),
        "partners": [{"organisation": p.get("organisation", ""), "country": p.get("country", "")} for p in partners],
        "partner_countries": sorted({p.get("country") for p in partners if p.get("country")}),
        "datasets": [
            {"name": d.get("name", ""), "origin_country": d.get("origin_country", ""), "licence": d.get("licence", "")}
            for d in content.get("datasets") or []
        ],
    }


def _next_identifier(call: Call) -> str:
    # Called with the call's row locked: numbers follow the order of award and are never reused.
    count = Label.objects.filter(call=call).count()
    return f"{call.receipt_prefix}-L{count + 1:03d}"


@transaction.atomic
def label_award(*, application: Application, user, at: datetime | None = None) -> Label:
    """Award the label to a dossier whose published decision is "labelled"; sign its certificate content."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    decision = published_decision(application)
    if decision is None or decision.outcome != Decision.Outcome.LABELLED:
        raise LabelError(
            _("Only a challenge selected for the label, with the decision published, can receive it."),
            code=ErrorCode.NOT_SELECTED,
        )
    if Label.objects.filter(application=application).exists():
        raise LabelError(_("This challenge already holds its label."), code=ErrorCode.ALREADY_LABELLED)
    content = latest_content(application)
    at = at or timezone.now()
    entry = catalogue_entry(content)
    identifier = _next_identifier(call)
    key = signing.key_id()
    payload = {
        "identifier": identifier,
        "call": call.slug,
        "call_title": call.title,
        "title": entry["title"],
        "carrier": entry["carrier_name"],
        "carrier_country": entry["carrier_country"],
        "partner_countries": entry["partner_countries"],
        "awarded_on": timezone.localtime(at, call.tz).date().isoformat(),
        "issuer": settings.LABEL_ISSUER,
        "key_id": key,
    }
    label = Label.objects.create(
        call=call,
        application=application,
        identifier=identifier,
        payload=payload,
        signature=signing.sign(payload),
        key_id=key,
        catalogue=entry,
        awarded_at=at,
        awarded_by=user,
    )
    _label_changed(label, user, LabelEvent.Kind.AWARDED, {"identifier": identifier})
    if call.kit_files.filter(removed_at__isnull=True).exists():
        _queue_kit_notifications(call)
    return label


def labels_award_selected(*, call: Call, user) -> int:
    """Award the label to every published "labelled" decision that has none yet."""
    pending = Application.objects.filter(
        call=call,
        decision__outcome=Decision.Outcome.LABELLED,
        label__isnull=True,
        call__selection__decisions_published_at__isnull=False,
    ).order_by("pk")
    awarded = 0
    for application in pending:
        try:
            label_award(application=application, user=user)
        except IntegrityError:
            continue  # awarded meanwhile by another request
        awarded += 1
    return awarded


@transaction.atomic
def label_revoke(*, label: Label, user, reason: str) -> Label:
    reason = (reason or "").strip()
    if not reason:
        raise LabelError(
            _("Give the reason for revoking the label."),
            code=ErrorCode.INVALID_DATA,
            field_errors={"reason": [_("Required.")]},
        )
    changed = Label.objects.filter(pk=label.pk, status=Label.Status.VALID).update(
        status=Label.Status.REVOKED, revoked_at=timezone.now(), revoked_reason=reason
    )
    if not changed:
        raise LabelError(_("This label is already revoked."), code=ErrorCode.ALREADY_REVOKED)
    _label_changed(label, user, LabelEvent.Kind.REVOKED, {"reason": reason})
    label.refresh_from_db()
    return label


@transaction.atomic
def label_public_fields_update(*, label: Label, user, fields: list[str]) -> Label:
    unknown = sorted(set(fields) - set(OPTIONAL_PUBLIC_FIELDS))
    if unknown:
        raise LabelError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}, code=ErrorCode.INVALID_DATA)
    chosen = [field for field in OPTIONAL_PUBLIC_FIELDS if field in fields]
    previous = label.public_fields
    Label.objects.filter(pk=label.pk).update(public_fields=chosen)
    _label_changed(label, user, LabelEvent.Kind.PUBLIC_FIELDS_CHANGED, {"before": previous, "after": chosen})
    label.refresh_from_db()
    return label


# The kit holds logos, guidelines and press material. SVG is refused: it can carry scripts.
KIT_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"PK\x03\x04": ("zip", "application/zip"),
}


def _kit_kind(upload: UploadedFile) -> tuple[str, str] | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in KIT_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


@transaction.atomic
def kit_file_add(*, call: Call, user, title: str, upload: UploadedFile) -> KitFile:
    title = (title or "").strip() or (upload.name or "")[:200]
    too_large = size_problem(upload, settings.KIT_FILE_MAX_BYTES)
    if too_large:
        raise KitFileRejected(too_large)
    kind = _kit_kind(upload)
    if kind is None:
        raise KitFileRejected(
            _("“%(name)s” is not an accepted file: the kit takes PDF, PNG, JPEG or ZIP files.") % {"name": upload.name}
        )
    extension, content_type = kind
    if extension == "pdf":
        problem = pdf_problem(upload)
        if problem:
            raise KitFileRejected(problem)
    kit_file = KitFile(call=call, title=title, extension=extension, content_type=content_type).store(
        upload, user=user, stored_name=f"kit.{extension}", default_name=f"kit.{extension}"
    )
    CallEvent.record(CallEvent.Kind.KIT_FILE_ADDED, user, call=call, details={"kit_file": kit_file.pk, "title": title})
    _queue_kit_notifications(call)
    return kit_file


@transaction.atomic
def kit_file_remove(*, kit_file: KitFile, user) -> None:
    removed = KitFile.objects.filter(pk=kit_file.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if removed:
        CallEvent.record(CallEvent.Kind.KIT_FILE_REMOVED, user, call=kit_file.call, details={"kit_file": kit_file.pk})


def kit_download_record(*, kit_file: KitFile, user, label: Label | None) -> KitDownload:
    return KitDownload.objects.create(kit_file=kit_file, user=user, label=label)


def _queue_kit_notifications(call: Call) -> None:
    from .tasks import notify_kit_available

    queue_after_commit(notify_kit_available, call.pk)
