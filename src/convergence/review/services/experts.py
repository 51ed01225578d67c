"""Outside experts: an organiser asks one person for an opinion on one dossier, outside the committee."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.accounts.access import require_organiser
from convergence.accounts.models import User
from convergence.applications.errors import InvalidApplicationData
from convergence.applications.models import Application
from convergence.core.queueing import queue_after_commit

from ..errors import SelectionError
from ..models import ExpertInvitation, Review, SelectionEvent

OPINION_MAX_LENGTH = 20_000


def _record(kind: str, user, invitation: ExpertInvitation, **details) -> None:
    application = invitation.application
    SelectionEvent.record(
        kind,
        user,
        call_id=application.call_id,
        application=application,
        details={"invitation": invitation.pk, "expert": invitation.expert.email, **details},
    )


@transaction.atomic
def expert_invite(
    *, application: Application, email: str, invited_by, request: str = ""
) -> tuple[ExpertInvitation, bool]:
    """Invite `email` (creating an account without a password if needed) to give an opinion on a submitted
    dossier; inviting again someone revoked restores the invitation. Returns it and whether the account is new."""
    require_organiser(invited_by)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except Exception as error:  # noqa: BLE001 (Django's ValidationError: a refusal in the user's language)
        raise InvalidApplicationData(field_errors={"email": [_("Enter a valid e-mail address.")]}) from error
    application = Application.objects.select_related("owner", "call").get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise SelectionError(_("Only a submitted dossier can be given to an expert."))
    if email == application.owner.email.lower():
        raise SelectionError(_("The dossier's own applicant cannot give an opinion on it."))
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    invitation, added = ExpertInvitation.objects.get_or_create(
        application=application, expert=user, defaults={"invited_by": invited_by, "request": request.strip()}
    )
    if not added and invitation.revoked_at is None:
        raise SelectionError(_("This expert is already invited on this dossier."))
    if not added:
        ExpertInvitation.objects.filter(pk=invitation.pk).update(revoked_at=None, request=request.strip())
        invitation.refresh_from_db()
    _record(SelectionEvent.Kind.EXPERT_INVITED, invited_by, invitation)
    from ..tasks import send_expert_invitation

    queue_after_commit(send_expert_invitation, invitation.pk, created)
    return invitation, created


@transaction.atomic
def expert_revoke(*, invitation: ExpertInvitation, user) -> None:
    """The expert no longer reads the dossier; what they wrote stays for the organisers."""
    require_organiser(user)
    revoked = ExpertInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        _record(SelectionEvent.Kind.EXPERT_REVOKED, user, invitation)


@transaction.atomic
def expert_declare(*, invitation: ExpertInvitation, user, conflict: str = "") -> ExpertInvitation:
    """The expert's declaration: no conflict (they may read the dossier) or a conflict and why (they never will).
    Made once: a declaration is not taken back."""
    if invitation.expert_id != user.pk or invitation.revoked_at:
        raise PermissionDenied
    declared = ExpertInvitation.objects.filter(pk=invitation.pk, declared_at__isnull=True).update(
        declared_at=timezone.now(), conflict=conflict.strip()[:2000]
    )
    if not declared:
        raise SelectionError(_("You have already made your declaration for this dossier."))
    invitation.refresh_from_db()
    _record(SelectionEvent.Kind.EXPERT_DECLARED, user, invitation, conflict=bool(invitation.conflict))
    return invitation


@transaction.atomic
def expert_opinion_save(*, invitation: ExpertInvitation, user, opinion: str, recommendation: str = "") -> None:
    if invitation.expert_id != user.pk or invitation.revoked_at or not invitation.declared_at or invitation.conflict:
        raise PermissionDenied
    opinion = (opinion or "").strip()
    errors = {}
    if not opinion:
        errors["opinion"] = [_("Write your opinion.")]
    elif len(opinion) > OPINION_MAX_LENGTH:
        errors["opinion"] = [_("At most %(count)d characters.") % {"count": OPINION_MAX_LENGTH}]
    if recommendation and recommendation not in Review.Recommendation.values:
        errors["recommendation"] = [_("Choose one of the recommendations offered.")]
    if errors:
        raise InvalidApplicationData(field_errors=errors)
    ExpertInvitation.objects.filter(pk=invitation.pk).update(
        opinion=opinion, recommendation=recommendation, opinion_at=timezone.now()
    )
    _record(SelectionEvent.Kind.EXPERT_OPINION_SAVED, user, invitation, recommendation=recommendation)
