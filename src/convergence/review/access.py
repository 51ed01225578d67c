"""Who may read what in the selection: members (never a conflicted dossier), organisers, applicants."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from convergence.applications.models import Application, Attachment, MessageAttachment

from .conflicts import member_is_conflicted
from .models import Assignment, CommitteeMember, ExpertInvitation
from .selectors import latest_content


def membership(*, user, call) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return CommitteeMember.objects.select_related("user").filter(call=call, user=user).first()


def member_can_read(member: CommitteeMember, application: Application) -> bool:
    return application.status == Application.Status.SUBMITTED and not member_is_conflicted(
        member, application, latest_content(application)
    )


def access_application_for_member(*, user, application_id: int) -> tuple[Application, CommitteeMember]:
    """A submitted dossier and the reader's membership. A conflicted member gets "not found", as a stranger does."""
    if not user.is_authenticated:
        raise PermissionDenied
    application = (
        Application.objects.select_related("call", "owner")
        .filter(pk=application_id, status=Application.Status.SUBMITTED)
        .first()
    )
    if application is None:
        raise Http404
    member = membership(user=user, call=application.call)
    if member is None or not member_can_read(member, application):
        raise Http404
    return application, member


def access_assignment_for_member(*, user, assignment_id: int) -> Assignment:
    assignment = Assignment.objects.select_related("member__user", "application__call").filter(pk=assignment_id).first()
    if assignment is None or assignment.member.user_id != user.pk:
        raise Http404
    access_application_for_member(user=user, application_id=assignment.application_id)
    return assignment


def access_invitation_for_expert(*, user, invitation_id: int) -> ExpertInvitation:
    """The expert's own invitation while it stands; anyone else's, or a revoked one, is "not found"."""
    if not user.is_authenticated:
        raise PermissionDenied
    invitation = (
        ExpertInvitation.objects.select_related("application__call", "expert")
        .filter(pk=invitation_id, expert=user, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def expert_may_read(invitation: ExpertInvitation) -> bool:
    """After declaring no conflict, and while the dossier is still submitted."""
    return (
        invitation.declared_at is not None
        and not invitation.conflict
        and invitation.application.status == Application.Status.SUBMITTED
    )


def _submitted_attachment(application: Application, attachment_id: int) -> Attachment:
    """An attachment of the version the committee reads (not one removed before that version was submitted)."""
    if attachment_id not in {item["id"] for item in latest_content(application).get("attachments", [])}:
        raise Http404
    attachment = Attachment.objects.filter(pk=attachment_id, application=application).first()
    if attachment is None:
        raise Http404
    return attachment


def access_attachment_for_member(*, user, application_id: int, attachment_id: int) -> Attachment:
    application, _member = access_application_for_member(user=user, application_id=application_id)
    return _submitted_attachment(application, attachment_id)


def access_attachment_for_expert(*, user, invitation_id: int, attachment_id: int) -> Attachment:
    invitation = access_invitation_for_expert(user=user, invitation_id=invitation_id)
    if not expert_may_read(invitation):
        raise Http404
    return _submitted_attachment(invitation.application, attachment_id)


def access_shared_file_for_member(*, user, attachment_id: int) -> MessageAttachment:
    """A file of a message the organisers shared with the committee, for a member who may read the dossier."""
    stored = (
        MessageAttachment.objects.select_related("message")
        .filter(pk=attachment_id, message__shared_with_committee_at__isnull=False)
        .first()
    )
    if stored is None:
        raise Http404
    access_application_for_member(user=user, application_id=stored.message.application_id)
    return stored


def invitations_of_expert(user):
    """The opinions asked of `user` and not revoked."""
    return ExpertInvitation.objects.filter(expert_id=user.pk, revoked_at__isnull=True).select_related(
        "application__call", "expert"
    )
