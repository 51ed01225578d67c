from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from convergence.web.dates import readable_moment

from .models import Submission
from .receipts import receipt_pdf
from .selectors import receipts_waiting

logger = logging.getLogger(__name__)


class ReceiptNotSent(Exception):
    """The e-mail could not leave (the mail server refused it or is down); its claim was released."""


def _receipt_email(submission_id: int) -> bool:
    """E-mail the receipt unless it was already: claimed with a conditional UPDATE, so that two runs never send it
    twice, and released when the e-mail cannot leave (ReceiptNotSent). True when this run sent it."""
    claimed = Submission.objects.filter(pk=submission_id, receipt_emailed_at__isnull=True).update(
        receipt_emailed_at=timezone.now()
    )
    if not claimed:
        return False
    submission = Submission.objects.select_related("application__call", "submitted_by").get(pk=submission_id)
    user = submission.submitted_by
    language = user.preferred_language or settings.LANGUAGE_CODE
    with override(language):
        subject = _("Receipt %(number)s: your dossier was submitted") % {"number": submission.receipt_number}
        body = _(
            "Hello,\n\nYour dossier “%(title)s” was submitted on %(at)s (Paris time).\n"
            "Receipt number: %(number)s\nSHA-256 digest of the content: %(digest)s\n\n"
            "You may change it and submit it again until the deadline; each submission gives a new receipt.\n\n"
            "The Convergence team"
        ) % {
            "title": submission.content.get("title", ""),
            "at": readable_moment(timezone.localtime(submission.submitted_at, submission.application.call.tz)),
            "number": submission.receipt_number,
            "digest": submission.digest,
        }
        message = EmailMessage(subject, body, to=[user.email])
        message.attach(
            f"{submission.receipt_number}.pdf", receipt_pdf(submission, language=language), "application/pdf"
        )
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 (any transport failure: release the claim, the caller retries)
        Submission.objects.filter(pk=submission_id).update(receipt_emailed_at=None)
        logger.warning("receipt email for submission %s failed: %s", submission_id, error)
        raise ReceiptNotSent(submission_id) from error
    return True


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_receipt_email(self, submission_id: int) -> bool:
    """E-mail one receipt (the sweep queues these). A re-run sends nothing twice."""
    try:
        return _receipt_email(submission_id)
    except ReceiptNotSent as error:
        raise self.retry(exc=error) from error


# After this many receipts in a row that could not leave, the mail server is taken as down: the rest wait for a retry.
FAILURES_BEFORE_PAUSE = 3


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_new_receipts(self) -> int:
    """E-mail every receipt still waiting, oldest first. Submits queue it after commit, one message for all those a
    web process commits within a moment (core/queueing.py); runs at once share the work, each receipt claimed by one.
    Returns how many this run sent."""
    sent, failures = 0, 0
    passed: set[int] = set()  # could not leave in this run: left to the next run or to the sweep
    while waiting := receipts_waiting(excluding=passed):
        for submission_id in waiting:
            try:
                sent += _receipt_email(submission_id)
                failures = 0
            except ReceiptNotSent as error:
                passed.add(submission_id)
                failures += 1
                if failures >= FAILURES_BEFORE_PAUSE:
                    raise self.retry(exc=error) from error
    return sent


@shared_task(acks_late=True)
def send_unsent_receipts() -> int:
    from .services import unsent_receipts_requeue

    return unsent_receipts_requeue()


@shared_task(acks_late=True)
def send_draft_reminder(application_id: int) -> None:
    """The organiser's reminder: the deadline, and what the draft still needs, in the owner's language."""
    from .models import Application
    from .presentation import labels_of
    from .rules import application_problems

    application = Application.objects.select_related("owner", "call").get(pk=application_id)
    owner = application.owner
    with override(owner.preferred_language or settings.LANGUAGE_CODE):
        missing = ", ".join(labels_of(sorted(application_problems(application))))
        body = _(
            "Hello,\n\nYour dossier “%(title)s” is still a draft and applications close on %(deadline)s.\n"
            "Still to complete: %(missing)s.\nA draft that is not submitted by the deadline cannot be examined.\n"
            "Finish it here: %(link)s\n\nThe Convergence team"
        ) % {
            "title": application.title or _("Untitled dossier"),
            "deadline": readable_moment(
                timezone.localtime(application.call.closes_at, application.call.tz), seconds=False
            ),
            "missing": missing or _("nothing: it only needs to be submitted"),
            "link": settings.SITE_URL + application.get_absolute_url(),
        }
        EmailMessage(_("Your dossier is not submitted yet"), body, to=[owner.email]).send()


def _organisers_following(application) -> list:
    """Who is told of an applicant's message: the organisers who already wrote on the dossier or asked for its
    completion; while nobody has, every organiser."""
    from convergence.accounts.models import User

    from .models import CompletionRequest, Message

    following = set(
        Message.objects.filter(application=application, side=Message.Side.ORGANISERS).values_list("author", flat=True)
    ) | set(CompletionRequest.objects.filter(application=application).values_list("requested_by", flat=True))
    who = {"pk__in": following} if following else {"is_organiser": True}
    return list(User.objects.filter(is_active=True, **who))


@shared_task(acks_late=True)
def send_message_notification(message_id: int) -> int:
    """Tell the other side of the thread that a message waits, in each reader's language, with a link and never
    the message itself. Returns how many people were told."""
    from .models import Message

    message = Message.objects.select_related("application__call", "application__owner").get(pk=message_id)
    application = message.application
    if message.side == Message.Side.ORGANISERS:
        recipients = [(application.owner, settings.SITE_URL + application.get_absolute_url())]
    else:
        link = settings.SITE_URL + reverse("applications:backoffice_detail", kwargs={"pk": application.pk})
        recipients = [(user, link) for user in _organisers_following(application) if user.pk != message.author_id]
    for user, link in recipients:
        with override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("New message about the dossier %(reference)s") % {"reference": application.reference}
            body = _(
                "Hello,\n\nA new message about the dossier %(reference)s waits for you on the platform.\n"
                "Read it and answer there: %(link)s\n\nThe Convergence team"
            ) % {"reference": application.reference, "link": link + "#messages"}
            EmailMessage(subject, body, to=[user.email]).send()
    return len(recipients)


@shared_task(acks_late=True)
def send_completion_request_email(request_id: int) -> None:
    """Tell the applicant what to complete and until when, in their language; the request is on the platform."""
    from .models import CompletionRequest
    from .presentation import labels_of

    request = CompletionRequest.objects.select_related("application__call", "application__owner").get(pk=request_id)
    application = request.application
    owner = application.owner
    with override(owner.preferred_language or settings.LANGUAGE_CODE):
        body = _(
            "Hello,\n\nThe organisers ask you to complete your dossier %(reference)s: %(fields)s.\n"
            "You may change these fields, and only these, then submit again until %(due)s (Paris time).\n"
            "Their request and the form are here: %(link)s\n\nThe Convergence team"
        ) % {
            "reference": application.reference,
            "fields": ", ".join(labels_of(request.fields)),
            "due": readable_moment(timezone.localtime(request.due_at, application.call.tz), seconds=False),
            "link": settings.SITE_URL + application.get_absolute_url(),
        }
        EmailMessage(_("Your dossier is to be completed"), body, to=[owner.email]).send()
