"""The committee: inviting members, their profiles, and the conflicts of interest they declare."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from convergence.accounts.models import User
from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.errors import ErrorCode
from convergence.core.queueing import queue_after_commit

from ..conflicts import member_is_conflicted
from ..errors import SelectionError
from ..models import CommitteeMember, Conflict, SelectionEvent
from ..selectors import latest_content


@transaction.atomic
def committee_member_invite(
    *, call: Call, email: str, invited_by, expertise: str = "", keywords: str = "", organisation: str = ""
) -> tuple[CommitteeMember, bool]:
    """Add a member (creating the account if needed); the caller sends the invitation after commit."""
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email, defaults={"organisation": organisation})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if not user.is_committee_member:
        User.objects.filter(pk=user.pk).update(is_committee_member=True)
    member, added = CommitteeMember.objects.get_or_create(
        call=call,
        user=user,
        defaults={
            "expertise": expertise,
            "keywords": keywords,
            "organisation": organisation or user.organisation,
            "invited_by": invited_by,
        },
    )
    if added:
        SelectionEvent.record(
            SelectionEvent.Kind.MEMBER_INVITED, invited_by, call=call, member=member, details={"email": email}
        )
        from ..tasks import send_committee_invitation

        queue_after_commit(send_committee_invitation, member.pk, created)
    return member, added


@transaction.atomic
def member_profile_update(
    *,
    member: CommitteeMember,
    user,
    expertise: str,
    keywords: str,
    languages: str,
    organisation: str,
    publications: str = "",
) -> None:
    if member.user_id != user.pk:
        raise PermissionDenied
    CommitteeMember.objects.filter(pk=member.pk).update(
        expertise=expertise,
        keywords=keywords,
        languages=languages,
        organisation=organisation,
        publications=publications,
    )
    SelectionEvent.record(SelectionEvent.Kind.MEMBER_PROFILE_UPDATED, user, call=member.call, member=member)


@transaction.atomic
def conflict_declare(
    *, member: CommitteeMember, user, application: Application | None = None, organisation: str = "", reason: str = ""
) -> Conflict:
    """A member declares a conflict; an existing assignment of that dossier without a review is withdrawn."""
    if member.user_id != user.pk:
        raise PermissionDenied
    if application is None and not organisation.strip():
        raise SelectionError(
            _("Name the dossier or the organisation you are in conflict with."), code=ErrorCode.INVALID_DATA
        )
    conflict = Conflict.objects.create(
        member=member, application=application, organisation=organisation.strip(), reason=reason
    )
    SelectionEvent.record(
        SelectionEvent.Kind.CONFLICT_DECLARED,
        user,
        call=member.call,
        application=application,
        member=member,
        details={"organisation": organisation},
    )
    for assignment in member.assignments.filter(review__isnull=True).select_related("application__owner"):
        if member_is_conflicted(member, assignment.application, latest_content(assignment.application)):
            SelectionEvent.record(
                SelectionEvent.Kind.ASSIGNMENT_REMOVED_FOR_CONFLICT,
                user,
                call=member.call,
                application=assignment.application,
                member=member,
            )
            assignment.delete()
    return conflict
