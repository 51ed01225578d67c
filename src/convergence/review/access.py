"""Who may read what in the selection: members (never a conflicted dossier), organisers, applicants."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from convergence.applications.models import Application

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
