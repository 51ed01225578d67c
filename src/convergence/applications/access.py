"""The one place that decides who may read or change a dossier. Every page, export and endpoint goes through it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from convergence.accounts.access import user_is_organiser

from .models import Application, Attachment, MessageAttachment, Submission

__all__ = ["user_is_organiser"]


def dossiers_owned_by(user) -> QuerySet[Application]:
    """The dossiers `user` owns (an anonymous visitor owns none): what an owner's action may read or change.
    Someone else's dossier is not among them, so it is reported as missing, not forbidden."""
    return Application.objects.filter(owner_id=owner_of_dossiers(user))


def owner_of_dossiers(user) -> int:
    """The owner id of the dossiers `user` may act on as their owner; an anonymous visitor owns none."""
    if not user.is_authenticated:
        raise PermissionDenied
    return user.pk


def access_application_for_owner(*, user, application_id: int) -> Application:
    """The dossier if `user` owns it. Someone else's dossier is reported as missing, not forbidden."""
    application = dossiers_owned_by(user).select_related("call", "format").filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_application_for_organiser(*, user, application_id: int) -> Application:
    if not user_is_organiser(user):
        raise PermissionDenied
    application = Application.objects.select_related("call", "format", "owner").filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_application_for_reader(*, user, application_id: int) -> Application:
    """Owner or organiser: who may read a dossier, its receipts and its attachments."""
    if user_is_organiser(user):
        return access_application_for_organiser(user=user, application_id=application_id)
    return access_application_for_owner(user=user, application_id=application_id)


def access_attachment(*, user, attachment_id: int) -> Attachment:
    attachment = Attachment.objects.select_related("application").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    access_application_for_reader(user=user, application_id=attachment.application_id)
    return attachment


def access_submission(*, user, submission_id: int) -> Submission:
    submission = Submission.objects.select_related("application__call").filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    access_application_for_reader(user=user, application_id=submission.application_id)
    return submission


def access_message_attachment(*, user, attachment_id: int) -> MessageAttachment:
    """A file of a dossier's thread: for the dossier's owner and the organisers."""
    attachment = MessageAttachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    access_application_for_reader(user=user, application_id=attachment.message.application_id)
    return attachment
