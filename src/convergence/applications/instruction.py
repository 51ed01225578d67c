"""The organisers' work on a dossier beside its content: the message thread with its applicant, internal notes,
tags. Each action records an event; internal ones never reach the applicant's history (INTERNAL_EVENT_KINDS)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.accounts.access import require_organiser, user_is_organiser
from convergence.core.errors import DomainError, ErrorCode
from convergence.core.queueing import queue_after_commit
from convergence.core.uploads import pdf_problem, size_problem

from .errors import AttachmentRejected, InvalidApplicationData
from .models import Application, ApplicationEvent, DossierTag, InternalNote, Message, MessageAttachment, Tag

MESSAGE_MAX_LENGTH = 10_000
MESSAGE_BURST = (20, timedelta(minutes=10))  # at most this many messages by one person in this time
NOTE_MAX_LENGTH = 10_000
TAG_MAX_LENGTH = 60
TAGS_PER_DOSSIER = 12


def side_of(user, application: Application) -> Message.Side:
    """Which side of the thread `user` writes from; anyone else has no place in it."""
    if user_is_organiser(user):
        return Message.Side.ORGANISERS
    if user.is_authenticated and application.owner_id == user.pk:
        return Message.Side.APPLICANT
    raise PermissionDenied


def _text(value: str, field: str, limit: int, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidApplicationData(field_errors={field: [empty]})
    if len(value) > limit:
        raise InvalidApplicationData(field_errors={field: [_("At most %(count)d characters.") % {"count": limit}]})
    return value


@transaction.atomic
def message_send(*, application: Application, user, body: str, upload: UploadedFile | None = None) -> Message:
    """Write in the dossier's thread, with a PDF if given (checked as attachments are). The other side is told by
    e-mail, without the message: it may hold what only the platform should carry."""
    side = side_of(user, application)
    body = _text(body, "body", MESSAGE_MAX_LENGTH, _("Write a message."))
    burst, window = MESSAGE_BURST
    recent = Message.objects.filter(author=user, sent_at__gte=timezone.now() - window).count()
    if recent >= burst:  # each message e-mails the other side: a loop or a script must not flood them
        raise DomainError(
            _("You have sent %(count)d messages in the last minutes: wait a little before the next one.")
            % {"count": recent},
            code=ErrorCode.LIMIT_REACHED,
        )
    if upload is not None:
        problem = size_problem(upload, settings.ATTACHMENT_MAX_BYTES) or pdf_problem(upload)
        if problem:
            raise AttachmentRejected(problem, field_errors={"file": [problem]})
    message = Message.objects.create(application=application, author=user, side=side, body=body)
    if upload is not None:
        MessageAttachment(message=message).store(
            upload, user=user, stored_name="message.pdf", default_name="document.pdf"
        )
    ApplicationEvent.record(
        ApplicationEvent.Kind.MESSAGE_SENT,
        user,
        application=application,
        details={"message": message.pk, "side": side, "attachment": upload is not None},
    )
    from .tasks import send_message_notification

    queue_after_commit(send_message_notification, message.pk)
    return message


def thread_read(*, application: Application, user) -> int:
    """Mark what the other side wrote as read by this side; how many messages were new."""
    side = side_of(user, application)
    return (
        Message.objects.filter(application=application, read_at__isnull=True)
        .exclude(side=side)
        .update(read_at=timezone.now())
    )


def thread_of(application: Application) -> QuerySet[Message]:
    return application.messages.select_related("author").prefetch_related("attachments")


@transaction.atomic
def message_share(*, message: Message, user, shared: bool) -> Message:
    """Show a message to the committee members who may read the dossier, or stop showing it."""
    require_organiser(user)
    changed = Message.objects.filter(pk=message.pk, shared_with_committee_at__isnull=shared).update(
        shared_with_committee_at=timezone.now() if shared else None
    )
    if changed:
        ApplicationEvent.record(
            ApplicationEvent.Kind.MESSAGE_SHARED,
            user,
            application=message.application,
            details={"message": message.pk, "shared": shared},
        )
    message.refresh_from_db()
    return message


@transaction.atomic
def note_add(*, application: Application, user, body: str, audience: str) -> InternalNote:
    require_organiser(user)
    body = _text(body, "body", NOTE_MAX_LENGTH, _("Write the note."))
    if audience not in InternalNote.Audience.values:
        raise InvalidApplicationData(field_errors={"audience": [_("Choose who reads the note.")]})
    note = InternalNote.objects.create(application=application, author=user, body=body, audience=audience)
    ApplicationEvent.record(
        ApplicationEvent.Kind.NOTE_ADDED, user, application=application, details={"note": note.pk, "audience": audience}
    )
    return note


@transaction.atomic
def note_remove(*, note: InternalNote, user) -> None:
    require_organiser(user)
    removed = InternalNote.objects.filter(pk=note.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if removed:
        ApplicationEvent.record(
            ApplicationEvent.Kind.NOTE_REMOVED, user, application=note.application, details={"note": note.pk}
        )


def notes_for_organisers(application: Application) -> QuerySet[InternalNote]:
    return application.internal_notes.filter(removed_at__isnull=True).select_related("author")


def notes_for_committee(application: Application) -> QuerySet[InternalNote]:
    """What a committee member reads: the caller has checked that the member may read the dossier."""
    return notes_for_organisers(application).filter(audience=InternalNote.Audience.COMMITTEE)


def messages_for_committee(application: Application) -> QuerySet[Message]:
    return thread_of(application).filter(shared_with_committee_at__isnull=False)


def _tag_labels(labels: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(label.split()) for label in labels if label.strip()))
    too_long = [label for label in cleaned if len(label) > TAG_MAX_LENGTH]
    if too_long:
        raise InvalidApplicationData(
            field_errors={"tags": [_("A tag has at most %(count)d characters.") % {"count": TAG_MAX_LENGTH}]}
        )
    if len(cleaned) > TAGS_PER_DOSSIER:
        raise InvalidApplicationData(
            field_errors={"tags": [_("At most %(count)d tags on a dossier.") % {"count": TAGS_PER_DOSSIER}]}
        )
    return cleaned


@transaction.atomic
def tags_set(*, application: Application, user, labels: list[str]) -> list[str]:
    """The dossier's tags become `labels` (a tag new to the call is created); returns them in order."""
    require_organiser(user)
    wanted = _tag_labels(labels)
    before = tags_of(application)
    existing = {tag.label.casefold(): tag for tag in Tag.objects.filter(call_id=application.call_id)}
    tags = []
    for label in wanted:
        tag = existing.get(label.casefold())
        if tag is None:
            tag, _created = Tag.objects.get_or_create(call_id=application.call_id, label=label)
            existing[label.casefold()] = tag
        if tag not in tags:
            tags.append(tag)
    after = sorted(tag.label for tag in tags)
    if after != before:
        application.tagged.exclude(tag__in=tags).delete()
        DossierTag.objects.bulk_create(
            [DossierTag(application=application, tag=tag) for tag in tags], ignore_conflicts=True
        )
        ApplicationEvent.record(
            ApplicationEvent.Kind.TAGS_CHANGED,
            user,
            application=application,
            details={"before": before, "after": after},
        )
    return after


def tags_of(application: Application) -> list[str]:
    return sorted(application.tagged.values_list("tag__label", flat=True))


def tags_in_use(call) -> list[str]:
    used = Tag.objects.filter(call=call).annotate(n=Count("tagged")).filter(n__gt=0)
    return list(used.values_list("label", flat=True))
