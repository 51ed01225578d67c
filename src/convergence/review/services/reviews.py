"""Reviews: a member saves, submits and revises a review until the organiser locks them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.calls.i18n import localize
from convergence.calls.models import Call

from ..errors import ReviewIncomplete, ReviewsLocked
from ..models import Assignment, Review, Selection, SelectionEvent
from .selection import locked_selection

ASSESSMENTS = ("met", "partly", "not_met")


def review_problems(call: Call, data: dict) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for criterion in call.criteria.all():
        entry = data.get("criteria", {}).get(criterion.code, {})
        if (
            entry.get("assessment") not in ASSESSMENTS
            or entry.get("score") is None
            or not (entry.get("justification") or "").strip()
        ):
            problems.setdefault(f"criteria.{criterion.code}", []).append(
                _("Assess “%(criterion)s”: met or not, a score and a justification.")
                % {"criterion": localize(criterion.name)}
            )
    if data.get("implementation_score") is None:
        problems["implementation_score"] = [_("Score the coherence and mastery of the implementation.")]
    if not data.get("recommendation"):
        problems["recommendation"] = [_("Give your recommendation.")]
    if not data.get("confidence"):
        problems["confidence"] = [_("Say how confident you are.")]
    return problems


@transaction.atomic
def review_save(*, assignment: Assignment, user, data: dict, submit: bool) -> Review:
    """Save a draft, or submit. A submitted review stays submitted and complete when revised, until the lock."""
    if assignment.member.user_id != user.pk:
        raise PermissionDenied
    call = assignment.application.call
    selection = locked_selection(call)
    if selection.reviews_locked_at:
        raise ReviewsLocked()
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    submit = submit or review.status == Review.Status.SUBMITTED
    if submit:
        problems = review_problems(call, data)
        if problems:
            raise ReviewIncomplete(field_errors=problems)
    review.criteria = data.get("criteria", {})
    review.implementation_score = data.get("implementation_score")
    review.recommendation = data.get("recommendation") or ""
    review.confidence = data.get("confidence")
    review.comment = data.get("comment", "")
    was_submitted = review.status == Review.Status.SUBMITTED
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    kind = "review_revised" if was_submitted else ("review_submitted" if submit else "review_draft_saved")
    SelectionEvent.record(
        kind,
        user,
        call=call,
        application=assignment.application,
        member=assignment.member,
        details={"total": review.total},
    )
    return review


@transaction.atomic
def reviews_lock(*, call: Call, user) -> Selection:
    selection = locked_selection(call)
    Selection.objects.filter(pk=selection.pk, reviews_locked_at__isnull=True).update(reviews_locked_at=timezone.now())
    SelectionEvent.record(SelectionEvent.Kind.REVIEWS_LOCKED, user, call=call)
    selection.refresh_from_db()
    return selection
