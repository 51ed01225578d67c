"""Reminding the owners of drafts at risk: once per draft, recorded in the dossier's history."""

from __future__ import annotations

from django.db import transaction

from convergence.calls.models import Call
from convergence.core.queueing import queue_after_commit

from .models import Application, ApplicationEvent


@transaction.atomic
def draft_reminders_send(*, call: Call, user, applications: list[Application]) -> int:
    """E-mail the owners of these drafts (after commit); a draft already reminded is skipped. Returns how many."""
    from .tasks import send_draft_reminder

    pks = [a.pk for a in applications if a.call_id == call.pk]
    locked = Application.objects.select_for_update().filter(pk__in=pks, status=Application.Status.DRAFT)
    already = set(
        ApplicationEvent.objects.filter(application__in=pks, kind=ApplicationEvent.Kind.REMINDED).values_list(
            "application_id", flat=True
        )
    )
    sent = 0
    for application in locked.order_by("pk"):
        if application.pk in already:
            continue
        ApplicationEvent.record(ApplicationEvent.Kind.REMINDED, user, application=application)
        queue_after_commit(send_draft_reminder, application.pk)
        sent += 1
    return sent
