"""Decisions: recorded per dossier with a rationale, then published to the applicants."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.errors import ErrorCode
from convergence.core.queueing import queue_after_commit

from ..errors import DecisionsPublished, NotEligible, SelectionError
from ..models import Decision, Selection, SelectionEvent
from .selection import locked_selection

NOTIFICATION_BATCH = 100  # decisions per message to the worker


@transaction.atomic
def decision_record(*, application: Application, user, outcome: str, rationale: str = "") -> Decision:
    selection = locked_selection(application.call)
    if selection.decisions_published_at:
        raise DecisionsPublished()
    if outcome not in Decision.Outcome.values:
        raise SelectionError(_("Unknown decision."), code=ErrorCode.INVALID_DATA)
    if not getattr(application, "eligibility", None) or not application.eligibility.is_eligible:
        raise NotEligible()
    previous = Decision.objects.filter(application=application).first()
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={"outcome": outcome, "rationale": rationale, "decided_by": user, "decided_at": timezone.now()},
    )
    SelectionEvent.record(
        SelectionEvent.Kind.DECISION_RECORDED,
        user,
        call=application.call,
        application=application,
        details={"before": previous.outcome if previous else None, "after": outcome, "rationale": rationale},
    )
    return decision


@transaction.atomic
def decisions_publish(*, call: Call, user) -> int:
    """Make the decisions visible to applicants and notify each of them, once."""
    selection = locked_selection(call)
    if selection.decisions_published_at:
        raise DecisionsPublished()
    decisions = list(Decision.objects.filter(application__call=call).values_list("pk", flat=True))
    if not decisions:
        raise SelectionError(_("Record at least one decision before publishing."), code=ErrorCode.NO_DECISION)
    Selection.objects.filter(pk=selection.pk).update(decisions_published_at=timezone.now())
    SelectionEvent.record(SelectionEvent.Kind.DECISIONS_PUBLISHED, user, call=call, details={"count": len(decisions)})
    from ..tasks import notify_decisions

    for start in range(0, len(decisions), NOTIFICATION_BATCH):
        queue_after_commit(notify_decisions, decisions[start : start + NOTIFICATION_BATCH])
    return len(decisions)
