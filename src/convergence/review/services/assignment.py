"""Assignment of dossiers to members: settings, affinities the organiser sets, the optimal run, manual changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.errors import ErrorCode

from ..affinity import affinity_table
from ..conflicts import member_is_conflicted
from ..errors import AssignmentHasReview, NotEligible, ReviewsLocked, SelectionError
from ..models import (
    AffinityOverride,
    AffinitySource,
    Assignment,
    CommitteeMember,
    Eligibility,
    Review,
    Selection,
    SelectionEvent,
)
from ..selectors import latest_content
from ..solver import AssignmentProblem, solve_assignment, solve_fair_assignment
from .selection import locked_selection


@transaction.atomic
def affinity_set(*, member: CommitteeMember, application: Application, score: float, user) -> None:
    if not 0 <= score <= 1:
        raise SelectionError(_("An affinity is between 0 and 1."), code=ErrorCode.INVALID_DATA)
    AffinityOverride.objects.update_or_create(
        member=member, application=application, defaults={"score": score, "set_by": user}
    )
    SelectionEvent.record(
        SelectionEvent.Kind.AFFINITY_SET,
        user,
        call=member.call,
        application=application,
        member=member,
        details={"score": score},
    )


@transaction.atomic
def selection_settings_update(
    *,
    call: Call,
    user,
    reviewers_per_dossier: int,
    min_load: int,
    max_load: int,
    fairness_first: bool,
    affinity_model: str | None = None,
) -> Selection:
    selection = locked_selection(call)
    affinity_model = affinity_model or selection.affinity_model
    if affinity_model not in AffinitySource.values:
        raise SelectionError(
            _("Choose how affinity is read: %(choices)s.") % {"choices": ", ".join(AffinitySource.values)},
            code=ErrorCode.INVALID_DATA,
        )
    Selection.objects.filter(pk=selection.pk).update(
        reviewers_per_dossier=reviewers_per_dossier,
        min_load=min_load,
        max_load=max_load,
        fairness_first=fairness_first,
        affinity_model=affinity_model,
    )
    SelectionEvent.record(
        SelectionEvent.Kind.SETTINGS_UPDATED,
        user,
        call=call,
        details={
            "k": reviewers_per_dossier,
            "min_load": min_load,
            "max_load": max_load,
            "fairness": fairness_first,
            "affinity": affinity_model,
        },
    )
    selection.refresh_from_db()
    return selection


@transaction.atomic
def assignment_run(*, call: Call, user) -> dict[str, Any]:
    """Assign reviewers optimally. Assignments with a review started are kept and counted; the others are redone."""
    selection = locked_selection(call)
    if selection.reviews_locked_at:
        raise ReviewsLocked()
    if not Eligibility.objects.filter(application__call=call).exists():
        raise SelectionError(_("Run the eligibility check first."), code=ErrorCode.ELIGIBILITY_NOT_CHECKED)
    table = affinity_table(call)
    rows = {a.pk: i for i, a in enumerate(table.applications)}
    columns = {m.pk: j for j, m in enumerate(table.members)}
    kept = Assignment.objects.filter(application__call=call, review__isnull=False)
    fixed = frozenset(
        (rows[a.application_id], columns[a.member_id])
        for a in kept
        if a.application_id in rows and a.member_id in columns
    )
    problem = AssignmentProblem(
        affinity=table.scores,
        conflicts=table.conflict_mask(),
        reviewers_per_dossier=selection.reviewers_per_dossier,
        min_load=selection.min_load,
        max_load=selection.max_load,
        fixed=fixed,
        dossier_labels=tuple(a.reference for a in table.applications),
        member_labels=tuple(m.user.email for m in table.members),
    )
    solution = (solve_fair_assignment if selection.fairness_first else solve_assignment)(problem)
    removed = Assignment.objects.filter(application__call=call, review__isnull=True).delete()[0]
    Assignment.objects.bulk_create(
        Assignment(
            application=table.applications[d],
            member=table.members[m],
            source=Assignment.Source.SOLVER,
            affinity=float(table.scores[d, m]),
            created_by=user,
        )
        for d, m in solution.pairs
        if (d, m) not in fixed
    )
    summary = {
        "dossiers": len(table.applications),
        "members": len(table.members),
        "assignments": len(solution.pairs),
        "kept": len(fixed),
        "replaced": removed,
        "objective": round(solution.objective, 4),
        "fairness_first": selection.fairness_first,
    }
    SelectionEvent.record(SelectionEvent.Kind.ASSIGNMENT_RUN, user, call=call, details={**summary})
    return summary


@transaction.atomic
def assignment_add(*, application: Application, member: CommitteeMember, user) -> Assignment:
    if member_is_conflicted(member, application, latest_content(application)):
        raise SelectionError(
            _("This member has a conflict of interest with this dossier."), code=ErrorCode.CONFLICT_OF_INTEREST
        )
    if not getattr(application, "eligibility", None) or not application.eligibility.is_eligible:
        raise NotEligible()
    assignment, created = Assignment.objects.get_or_create(
        application=application, member=member, defaults={"source": Assignment.Source.MANUAL, "created_by": user}
    )
    if created:
        SelectionEvent.record(
            SelectionEvent.Kind.ASSIGNMENT_ADDED, user, call=application.call, application=application, member=member
        )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, user) -> None:
    if Review.objects.filter(assignment=assignment).exists():
        raise AssignmentHasReview()
    SelectionEvent.record(
        SelectionEvent.Kind.ASSIGNMENT_REMOVED,
        user,
        call=assignment.application.call,
        application=assignment.application,
        member=assignment.member,
    )
    assignment.delete()
