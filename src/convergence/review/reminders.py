"""Reminding committee members whose reviews are late: once per member and call, recorded in the round's trail."""

from __future__ import annotations

from django.db import transaction

from convergence.calls.models import Call
from convergence.core.queueing import queue_after_commit

from .models import CommitteeMember, SelectionEvent
from .selectors import review_progress


@transaction.atomic
def review_reminders_send(*, call: Call, user) -> int:
    """E-mail each member with reviews still to submit (after commit), unless already reminded. Returns how many."""
    from .tasks import send_review_reminder

    CommitteeMember.objects.select_for_update().filter(call=call).exists()  # one organiser at a time
    already = set(
        SelectionEvent.objects.filter(call=call, kind=SelectionEvent.Kind.REVIEW_REMINDER_SENT).values_list(
            "member_id", flat=True
        )
    )
    sent = 0
    for progress in review_progress(call):
        if not progress.is_late or progress.member.pk in already:
            continue
        SelectionEvent.record(
            SelectionEvent.Kind.REVIEW_REMINDER_SENT,
            user,
            call=call,
            member=progress.member,
            details={"to_do": progress.assigned - progress.submitted},
        )
        queue_after_commit(send_review_reminder, progress.member.pk)
        sent += 1
    return sent
