"""Actions that change a dossier. Each checks the deadline, writes atomically and records an event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.calls.i18n import localize
from convergence.calls.models import Call, CallEvent, Criterion, Format, PriorityDomain, Theme
from convergence.core.queueing import queue_coalesced_after_commit
from convergence.core.uploads import pdf_problem, size_problem

from .access import owner_of_dossiers
from .completion import completion_allowing, completion_answered, content_completed, version_changes
from .errors import (
    AttachmentRejected,
    CallNotOpen,
    DeadlinePassed,
    IncompleteApplication,
    InvalidApplicationData,
    InvalidTransition,
    StaleVersion,
)
from .fields import RELATED_FIELDS, SCALAR_FIELDS
from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    CompletionRequest,
    CriterionClaim,
    DatasetUsed,
    Partner,
    Submission,
)
from .rules import application_problems
from .selectors import DossierLists, dossier_locked_to_submit, lists_of_dossier, receipts_waiting
from .submission_rows import submission_rows_write


def _ensure_call_accepts_changes(call: Call, now: datetime) -> None:
    if now < call.opens_at:
        raise CallNotOpen()
    if not call.accepts_changes_at(now):
        raise DeadlinePassed()


def _lock_owned(queryset, application_id: int, user) -> Application:
    """The dossier read through `queryset`, row-locked until commit, if `user` owns it."""
    # FOR UPDATE OF the dossier only: the call's and the user's rows stay free for everyone else.
    application = queryset.select_for_update(of=("self",)).get(pk=application_id)
    if application.owner_id != user.pk:
        raise PermissionDenied
    return application


def _ensure_may_change(
    application: Application, now: datetime, fields: Callable[[], Iterable[str]]
) -> CompletionRequest | None:
    """Before the deadline anything may change (None). After it, only the `fields` an open request for
    completion reopened: that request. `fields` is read only after the deadline (finding them may query)."""
    call = application.call
    if now < call.opens_at:
        raise CallNotOpen()
    if call.accepts_changes_at(now):
        return None
    return completion_allowing(application, now, fields())


def _lock_for_owner(application_id: int, user, *, field: str | None = None) -> Application:
    """The dossier, row-locked until commit, if `user` owns it and may still change `field` (None: the dossier as a
    whole, which only the call's deadline allows)."""
    application = _lock_owned(Application.objects.select_related("call", "owner"), application_id, user)
    now = timezone.now()
    if field is None:
        _ensure_call_accepts_changes(application.call, now)
    else:
        _ensure_may_change(application, now, lambda: [field])
    return application


def _mark_changed_since_submission(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        has_unsubmitted_changes=application.submissions.exists(), updated_at=timezone.now()
    )


@transaction.atomic
def application_create(*, call: Call, user, changes: dict[str, Any] | None = None) -> Application:
    _ensure_call_accepts_changes(call, timezone.now())
    application = Application.objects.create(call=call, owner=user, contact_email=user.email)
    ApplicationEvent.record(
        ApplicationEvent.Kind.CREATED, user, application=application, to_status=Application.Status.DRAFT
    )
    if changes:
        application = application_update(
            application=application, user=user, expected_version=application.version, changes=changes
        )
    return application


def application_start(*, call: Call, user) -> tuple[Application, bool]:
    """The applicant's "Start a dossier": their untouched draft in this call if they have one (a second click, a
    back button), otherwise a new draft. Returns the dossier and whether it is new."""
    untouched = (
        Application.objects.filter(call=call, owner=user, status=Application.Status.DRAFT, title="", summary="")
        .filter(submissions__isnull=True, partners__isnull=True, claims__isnull=True)
        .order_by("pk")
        .first()
    )
    if untouched is not None and untouched.version == 1:
        return untouched, False
    return application_create(call=call, user=user), True


@transaction.atomic
def draft_delete(*, application: Application, user) -> None:
    """Delete a draft that was never submitted: nothing of it reached the organisers. A submitted dossier is
    withdrawn, never deleted. The call's journal keeps who deleted which draft, and when."""
    application = _lock_for_owner(application.pk, user)
    if application.status != Application.Status.DRAFT or application.submissions.exists():
        raise InvalidTransition(_("Only a draft that was never submitted can be deleted; withdraw it instead."))
    files = [attachment.file for attachment in application.attachments.all()]
    CallEvent.record(
        CallEvent.Kind.DRAFT_DELETED,
        user,
        call=application.call,
        details={"application": application.pk, "title": application.title, "version": application.version},
    )
    # Attachments and the dossier's history are protected from accidental deletion; here they go on purpose.
    application.attachments.all().delete()
    application.events.all().delete()
    application.delete()

    # The files go once the deletion is committed, so a rollback never leaves rows without their file.
    def delete_files() -> None:
        for stored in files:
            stored.delete(save=False)

    transaction.on_commit(delete_files)


def _check_belongs_to_call(call: Call, changes: dict[str, Any]) -> None:
    """The choices are the call's own, and no more themes than the call allows."""
    wrong = []
    if changes.get("format") is not None and changes["format"].call_id != call.pk:
        wrong.append("format")
    for field in ("themes", "domains"):
        if any(item.call_id != call.pk for item in changes.get(field, [])):
            wrong.append(field)
    if any(criterion.call_id != call.pk for criterion in changes.get("claims", {})):
        wrong.append("claims")
    errors = {field: [_("Not part of this call.")] for field in wrong}
    if len(changes.get("themes", [])) > call.max_themes:
        errors.setdefault("themes", []).append(_("Choose at most %(max)d themes.") % {"max": call.max_themes})
    if errors:
        raise InvalidApplicationData(field_errors=errors)


@transaction.atomic
def application_update(
    *, application: Application, user, expected_version: int, changes: dict[str, Any]
) -> Application:
    """Save a draft or a change to a submitted dossier. A save that started from an older version is refused.

    `changes` holds only the fields to change: scalar fields, `format` (Format), `themes` and
    `domains` (lists), `partners` and `datasets` (lists of dicts, replacing the current ones) and
    `claims` (Criterion -> justification, replacing the current ones).
    """
    if application.owner_id != user.pk:
        raise PermissionDenied
    unknown = set(changes) - set(SCALAR_FIELDS) - set(RELATED_FIELDS)
    if unknown:
        raise InvalidApplicationData(field_errors={field: [_("Unknown field.")] for field in sorted(unknown)})
    _check_belongs_to_call(application.call, changes)
    now = timezone.now()
    # A step's form sends all its fields: only those it really changes must be reopened.
    _ensure_may_change(application, now, lambda: _changed_fields(application, changes))
    was_submitted = application.submissions.exists()
    # The conditional UPDATE is the lock: of two saves from the same version, one wins, one is refused.
    bumped = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now, has_unsubmitted_changes=was_submitted
    )
    if not bumped:
        raise StaleVersion()
    application.refresh_from_db()
    changed = _changed_fields(application, changes)

    scalar_changes = {field: value for field, value in changes.items() if field in SCALAR_FIELDS}
    if "format" in changes:
        scalar_changes["format"] = changes["format"]
    for field, value in scalar_changes.items():
        setattr(application, field, "" if value is None and field not in ("trl", "launched_on", "format") else value)
    if scalar_changes:
        application.save(update_fields=list(scalar_changes))
    if "themes" in changes:
        application.themes.set(changes["themes"])
    if "domains" in changes:
        application.domains.set(changes["domains"])
    if "partners" in changes:
        application.partners.all().delete()
        Partner.objects.bulk_create(
            Partner(application=application, position=position, **partner)
            for position, partner in enumerate(changes["partners"])
        )
    if "datasets" in changes:
        application.datasets.all().delete()
        DatasetUsed.objects.bulk_create(
            DatasetUsed(application=application, position=position, **dataset)
            for position, dataset in enumerate(changes["datasets"])
        )
    if "claims" in changes:
        application.claims.all().delete()
        CriterionClaim.objects.bulk_create(
            CriterionClaim(application=application, criterion=criterion, justification=justification)
            for criterion, justification in changes["claims"].items()
        )
    _record_edit(application, user, changed, now)
    return application


ROW_KEYS: dict[str, tuple[str, ...]] = {
    "partners": ("organisation", "organisation_type", "country", "role"),
    "datasets": ("name", "origin_country", "licence"),
}


def _changed_fields(application: Application, changes: dict[str, Any]) -> list[str]:
    """The fields whose value a save really changes: a step's form sends all its fields, the history names only
    these. Read before the save; a relation is read only when the save touches it."""

    def text(value: Any) -> Any:
        return "" if value is None else value

    changed = []
    for field, value in changes.items():
        if field in SCALAR_FIELDS:
            differs = text(getattr(application, field)) != text(value)
        elif field == "format":
            differs = application.format_id != (value.pk if value is not None else None)
        elif field in ("themes", "domains"):
            differs = set(getattr(application, field).values_list("pk", flat=True)) != {item.pk for item in value}
        elif field in ROW_KEYS:
            keys = ROW_KEYS[field]
            current_rows = [tuple(row[key] for key in keys) for row in getattr(application, field).values(*keys)]
            differs = current_rows != [tuple(text(row.get(key)) for key in keys) for row in value]
        else:  # claims
            current_claims = dict(application.claims.values_list("criterion_id", "justification"))
            differs = current_claims != {criterion.pk: justification for criterion, justification in value.items()}
        if differs:
            changed.append(field)
    return sorted(changed)


# Saves by the same person within this time of the previous one belong to one editing session (autosave saves
# every few seconds while someone types).
EDIT_SESSION_GAP = timedelta(minutes=30)


def _record_edit(application: Application, user, fields: list[str], now: datetime) -> None:
    """One history line per editing session: which fields changed, how many saves, from which to which time.
    The application's row is locked by the version bump, so two saves cannot extend the same line at once."""
    last = application.events.order_by("-at", "-pk").first()
    if (
        last is not None
        and last.kind == ApplicationEvent.Kind.EDITED
        and last.actor_id == user.pk
        and now - datetime.fromisoformat(last.details.get("until", last.at.isoformat())) <= EDIT_SESSION_GAP
    ):
        details = last.details
        last.details = {
            **details,
            "fields": sorted(set(details.get("fields", [])) | set(fields)),
            "version": application.version,
            "saves": details.get("saves", 1) + 1,
            "until": now.isoformat(),
        }
        last.save(update_fields=["details"])
        return
    ApplicationEvent.record(
        ApplicationEvent.Kind.EDITED,
        user,
        application=application,
        details={"fields": fields, "version": application.version, "saves": 1, "until": now.isoformat()},
    )


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def application_snapshot(application: Application, lists: DossierLists | None = None) -> dict[str, Any]:
    """The dossier's content as submitted: what the receipt's digest covers and what the committee reads.

    `lists`: the dossier's lists, if the caller has read them already.
    """
    if lists is None:
        lists = lists_of_dossier(application.pk)
    format_ = application.format
    return {
        "call": application.call.slug,
        "reference": application.reference,
        "owner": application.owner.email,
        **{field: _json_value(getattr(application, field)) for field in SCALAR_FIELDS},
        "format": {"code": format_.code, "name": format_.name, "number": format_.number} if format_ else None,
        "themes": lists.themes,
        "domains": lists.domains,
        "partners": lists.partners,
        "datasets": lists.datasets,
        "claims": lists.claims,
        "attachments": lists.attachments,
    }


def content_digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_for_submission(application_id: int, user) -> Application:
    """The dossier if `user` owns it (404 otherwise, as access_application_for_owner), with what its rules and
    snapshot read of the call and format, its own row locked. The caller checks the deadline: a repeated submit gets
    its receipt back even after it."""
    application = dossier_locked_to_submit(application_id, owner_of_dossiers(user))
    if application is None:
        raise Http404
    application.owner = user  # read as the owner: no need to join the user's row again
    return application


def _already_given_receipt(
    application: Application, latest: Submission | None, *, expected_version: int | None, idempotency_key: str
) -> Submission | None:
    """The receipt a repeated submit should get back, or None when this submit is a new one.

    A retry names the same Idempotency-Key; a double click sends the version the first click submitted
    (the submission bumped it by one); a submit without either, or from a page loaded after the submission,
    finds the content already submitted: it gets that receipt back rather than a copy under a new number.
    """
    if idempotency_key:
        if latest is None:
            return None
        return application.submissions.filter(idempotency_key=idempotency_key).first()
    unchanged = (
        latest is not None
        and application.status == Application.Status.SUBMITTED
        and not application.has_unsubmitted_changes
    )
    if not unchanged:
        return None
    if expected_version is None or expected_version in (application.version - 1, application.version):
        return latest
    return None


@transaction.atomic
def application_submit(
    *, application_id: int, user, expected_version: int | None = None, idempotency_key: str = ""
) -> Submission:
    """Freeze the dossier's current content as a new version, with its receipt, if `user` owns it.

    Idempotent: a repeated submit (same Idempotency-Key, the version the first one submitted, or no
    version while nothing changed) gets back the receipt already given, marked `replayed`.
    """
    application = _lock_for_submission(application_id, user)
    now = timezone.now()
    # Only a submit sets submitted_at: a dossier without it has no submission to read (most of the deadline night).
    latest = application.submissions.order_by("-number").first() if application.submitted_at else None
    given = _already_given_receipt(
        application, latest, expected_version=expected_version, idempotency_key=idempotency_key
    )
    if given is not None:
        # Even after the deadline: a retry of a submit accepted at 23:59:59 gets its receipt, not a refusal.
        given.replayed = True
        return given
    completion = _ensure_may_change(application, now, list)  # a submission changes no field by itself
    if expected_version is not None and expected_version != application.version:
        raise StaleVersion()
    lists = lists_of_dossier(application.pk)  # after the lock: every change to a list locks the dossier's row first
    problems = application_problems(application, lists)
    if completion is not None:
        # The other fields come from the last submitted version, which passed these rules.
        problems = {field: found for field, found in problems.items() if field in completion.fields}
    if problems:
        raise IncompleteApplication(field_errors=problems)
    content = working_copy = application_snapshot(application, lists)
    if completion is not None and latest is not None:
        content = content_completed(latest.content, working_copy, completion)
    submission = submission_rows_write(
        application=application,
        user=user,
        now=now,
        number=(latest.number if latest else 0) + 1,
        content=content,
        digest=content_digest(content),
        idempotency_key=idempotency_key,
        unsubmitted_changes=content != working_copy,
    )
    if completion is not None:
        changed = [change.field for change in version_changes(latest.content, content)] if latest else []
        completion_answered(completion, submission, user, changed)
    from .tasks import send_new_receipts

    # One message for the submits of a moment. If the broker refuses it, the applicant still gets the receipt's
    # number in the answer (not an error): the message is kept for the sweep, and unsent_receipts_requeue covers
    # an e-mail that failed every retry.
    queue_coalesced_after_commit(send_new_receipts)
    return submission


def unsent_receipts_requeue(*, now: datetime | None = None) -> int:
    """Queue again the receipts still not e-mailed a while after their submission: their message never reached the
    broker, or every retry of the e-mail failed. The task's claim sends each receipt once whatever the copies queued."""
    from .tasks import send_receipt_email

    now = now or timezone.now()
    unsent = receipts_waiting(
        submitted_before=now - timedelta(seconds=settings.RECEIPT_RESEND_AFTER_SECONDS), now=now, limit=None
    )
    for submission_id in unsent:
        send_receipt_email.delay(submission_id)
    return len(unsent)


@transaction.atomic
def application_withdraw(*, application: Application, user) -> Application:
    application = _lock_for_owner(application.pk, user)
    if application.status != Application.Status.SUBMITTED:
        raise InvalidTransition(_("Only a submitted dossier can be withdrawn."))
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.WITHDRAWN, version=F("version") + 1, updated_at=timezone.now()
    )
    ApplicationEvent.record(
        ApplicationEvent.Kind.WITHDRAWN,
        user,
        application=application,
        from_status=Application.Status.SUBMITTED,
        to_status=Application.Status.WITHDRAWN,
    )
    application.refresh_from_db()
    return application


@transaction.atomic
def attachment_add(*, application: Application, user, upload: UploadedFile) -> Attachment:
    application = _lock_for_owner(application.pk, user, field="attachments")
    if application.attachments.filter(removed_at__isnull=True).count() >= settings.ATTACHMENT_MAX_COUNT:
        raise AttachmentRejected(
            _("A dossier holds at most %(count)d attachments: remove one first.")
            % {"count": settings.ATTACHMENT_MAX_COUNT}
        )
    problem = size_problem(upload, settings.ATTACHMENT_MAX_BYTES) or pdf_problem(upload)
    if problem:
        raise AttachmentRejected(problem)
    attachment = Attachment(application=application).store(
        upload, user=user, stored_name="upload.pdf", default_name="document.pdf"
    )
    _mark_changed_since_submission(application)
    ApplicationEvent.record(
        ApplicationEvent.Kind.ATTACHMENT_ADDED,
        user,
        application=application,
        details={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user) -> None:
    application = _lock_for_owner(attachment.application_id, user, field="attachments")
    removed = Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if removed:
        _mark_changed_since_submission(application)
        ApplicationEvent.record(
            ApplicationEvent.Kind.ATTACHMENT_REMOVED,
            user,
            application=application,
            details={"attachment": attachment.pk, "name": attachment.original_name},
        )


def call_items_by_code(call: Call) -> dict[str, dict[str, Any]]:
    """The call's choices by code, to turn API or form codes into objects."""
    return {
        "themes": {t.code: t for t in Theme.objects.filter(call=call)},
        "domains": {d.code: d for d in PriorityDomain.objects.filter(call=call)},
        "formats": {f.code: f for f in Format.objects.filter(call=call)},
        "criteria": {c.code: c for c in Criterion.objects.filter(call=call)},
    }


def submission_title(submission: Submission) -> str:
    return submission.content.get("title") or localize(submission.application.call.title)
