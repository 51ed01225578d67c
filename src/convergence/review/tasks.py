from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from convergence.calls.i18n import localize

from .models import CommitteeMember, Decision, ExpertInvitation


@shared_task(acks_late=True)
def send_committee_invitation(member_id: int, new_account: bool) -> None:
    member = CommitteeMember.objects.select_related("user", "call").get(pk=member_id)
    user = member.user
    with override(user.preferred_language or settings.LANGUAGE_CODE):
        if new_account:
            key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
            link = settings.SITE_URL + reverse(
                "account_reset_password_from_key", kwargs={"uidb36": key.split("-", 1)[0], "key": key.split("-", 1)[1]}
            )
        else:
            link = settings.SITE_URL + reverse("review:home")
        body = _(
            "Hello,\n\nYou are invited to the selection committee of “%(call)s”.\n"
            "Open the platform to declare your conflicts of interest and read the dossiers assigned to you:\n"
            "%(link)s\n\n"
            "The Convergence team"
        ) % {"call": localize(member.call.title), "link": link}
        send_mail(_("Invitation to the selection committee"), body, None, [user.email])


@shared_task(acks_late=True)
def notify_decision(decision_id: int) -> bool:
    """Tell the applicant the decision, in their language; claimed first, so a re-run sends nothing twice."""
    claimed = Decision.objects.filter(pk=decision_id, notified_at__isnull=True).update(notified_at=timezone.now())
    if not claimed:
        return False
    decision = Decision.objects.select_related("application__owner", "application__call").get(pk=decision_id)
    owner = decision.application.owner
    with override(owner.preferred_language or settings.LANGUAGE_CODE):
        body = _(
            "Hello,\n\nThe selection committee of “%(call)s” has decided on your dossier “%(title)s”: %(outcome)s.\n"
            "Details are in your space: %(link)s\n\nThe Convergence team"
        ) % {
            "call": localize(decision.application.call.title),
            "title": decision.application.title,
            "outcome": decision.get_outcome_display(),
            "link": settings.SITE_URL + decision.application.get_absolute_url(),
        }
        send_mail(_("Decision on your dossier"), body, None, [owner.email])
    return True


@shared_task(acks_late=True)
def notify_decisions(decision_ids: list[int]) -> int:
    """A batch of decisions told to their applicants: a call of thousands sends tens of messages to the broker,
    not thousands; each decision is still claimed on its own, so a batch run again sends nothing twice."""
    return sum(notify_decision(pk) for pk in decision_ids)


@shared_task(acks_late=True)
def send_review_reminder(member_id: int) -> None:
    member = CommitteeMember.objects.select_related("user", "call").get(pk=member_id)
    to_do = member.assignments.exclude(review__status="submitted").count()
    with override(member.user.preferred_language or settings.LANGUAGE_CODE):
        body = _(
            "Hello,\n\n%(count)d of the dossiers assigned to you for “%(call)s” still await your review.\n"
            "Your reviews: %(link)s\n\nThe Convergence team"
        ) % {"count": to_do, "call": localize(member.call.title), "link": settings.SITE_URL + reverse("review:home")}
        send_mail(_("Reviews awaited by the committee"), body, None, [member.user.email])


@shared_task(acks_late=True)
def send_expert_invitation(invitation_id: int, new_account: bool) -> None:
    """The invitation with a link: to choose a password first for a new account. Nothing of the dossier but its
    reference is in the e-mail."""
    invitation = ExpertInvitation.objects.select_related("expert", "application__call").get(pk=invitation_id)
    user = invitation.expert
    page = reverse("review:expert", kwargs={"invitation_id": invitation.pk})
    with override(user.preferred_language or settings.LANGUAGE_CODE):
        if new_account:
            key = default_token_generator.make_token(user)
            link = settings.SITE_URL + reverse(
                "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key}
            )
            then = _("Choose a password with this link, then open: %(page)s") % {"page": settings.SITE_URL + page}
        else:
            link, then = settings.SITE_URL + page, ""
        body = _(
            "Hello,\n\nThe organisers of “%(call)s” ask for your opinion, as an outside expert, on the dossier "
            "%(reference)s.\nYou will first declare whether you have a conflict of interest with it; you read it "
            "only if you have none.\n%(link)s\n%(then)s\n\nThe Convergence team"
        ) % {
            "call": localize(invitation.application.call.title),
            "reference": invitation.application.reference,
            "link": link,
            "then": then,
        }
        send_mail(_("An opinion on a dossier is asked of you"), body, None, [user.email])
