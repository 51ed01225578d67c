"""Receipts e-mailed by the worker: one message for the submits of a moment, each receipt sent once."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from convergence.applications import services
from convergence.applications.models import Submission
from convergence.applications.tasks import ReceiptNotSent, send_new_receipts
from tests.conftest import ready_dossier


@pytest.fixture
def waiting_receipts(call, django_capture_on_commit_callbacks):
    """Three submissions whose receipts wait for the worker (their message not run)."""
    submissions = []
    with django_capture_on_commit_callbacks(execute=False):
        for index in range(3):
            dossier, user = ready_dossier(call, f"waiting{index}@example.org")
            submissions.append(services.application_submit(application_id=dossier.pk, user=user))
    assert mail.outbox == []
    return submissions


def test_one_run_emails_every_waiting_receipt_and_a_second_run_none(waiting_receipts):
    assert send_new_receipts.run() == 3
    assert sorted(message.to[0] for message in mail.outbox) == [f"waiting{n}@example.org" for n in range(3)]
    assert send_new_receipts.run() == 0
    assert len(mail.outbox) == 3
    assert not Submission.objects.filter(receipt_emailed_at__isnull=True).exists()


def test_a_receipt_that_cannot_leave_is_released_and_the_others_still_go(waiting_receipts, monkeypatch):
    refused = waiting_receipts[0]
    send = EmailMessage.send

    def send_unless_refused(message, *args, **kwargs):
        if message.to == [refused.submitted_by.email]:
            raise ConnectionRefusedError("the mail server refused the message")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send_unless_refused)
    assert send_new_receipts.run() == 2
    refused.refresh_from_db()
    assert refused.receipt_emailed_at is None  # released: the next run or the sweep sends it
    monkeypatch.setattr(EmailMessage, "send", send)
    assert send_new_receipts.run() == 1
    assert len(mail.outbox) == 3


def test_a_mail_server_that_is_down_pauses_the_run_and_releases_every_claim(waiting_receipts, monkeypatch):
    def refuse(message, *args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with pytest.raises(ReceiptNotSent):  # a worker would retry the run a minute later
        send_new_receipts.run()
    assert Submission.objects.filter(receipt_emailed_at__isnull=True).count() == 3
    assert mail.outbox == []
