"""Actions of the selection round. Each checks its rule, writes atomically and leaves an event."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.accounts.models import User
from convergence.applications.models import Application
from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.core.errors import ErrorCode

from .affinity import affinity_model
from .conflicts import conflict_reasons, member_is_conflicted
from .errors import (
    ApplicationsStillOpen,
    AssignmentHasReview,
    DecisionsPublished,
    NotEligible,
    ReviewIncomplete,
    ReviewsLocked,
    SelectionError,
)
from .events import record
from .models import AffinityOverride, Assignment, CommitteeMember, Conflict, Decision, Eligibility, Review, Selection
from .selectors import committee, eligible_applications, latest_content, latest_contents, submitted_applications
from .solver import AssignmentProblem, solve_assignment, solve_fair_assignment

ASSESSMENTS = ("met", "partly", "not_met")


def _locked_selection(call: Call) -> Selection:
    """The call's selection round, created on its first change, locked for the rest of the transaction."""
    Selection.objects.get_or_create(call=call)
    return Selection.objects.select_for_update().get(call=call)


# Committee and conflicts ---------------------------------------------------------------------------


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
        record(call, invited_by, "member_invited", member=member, email=email)
        from .tasks import send_committee_invitation

        transaction.on_commit(lambda: send_committee_invitation.delay(member.pk, created))
    return member, added


@transaction.atomic
def member_profile_update(
    *, member: CommitteeMember, user, expertise: str, keywords: str, languages: str, organisation: str
) -> None:
    if member.user_id != user.pk:
        raise PermissionDenied
    CommitteeMember.objects.filter(pk=member.pk).update(
        expertise=expertise, keywords=keywords, languages=languages, organisation=organisation
    )
    record(member.call, user, "member_profile_updated", member=member)


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
    record(member.call, user, "conflict_declared", application=application, member=member, organisation=organisation)
    for assignment in member.assignments.filter(review__isnull=True).select_related("application__owner"):
        if member_is_conflicted(member, assignment.application, latest_content(assignment.application)):
            record(
                member.call, user, "assignment_removed_for_conflict", application=assignment.application, member=member
            )
            assignment.delete()
    return conflict


# Eligibility ----------------------------------------------------------------------------------------


REQUIRED_FOR_ELIGIBILITY = ("title", "summary", "description", "format", "themes", "carrier_name", "contact_email")


def eligibility_reasons(call: Call, content: dict) -> list[str]:
    """Reason codes (translated when shown: Eligibility.reason_texts), empty when the dossier is eligible."""
    reasons = [f"missing:{key}" for key in REQUIRED_FOR_ELIGIBILITY if not content.get(key)]
    justified = [claim for claim in content.get("claims", []) if (claim.get("justification") or "").strip()]
    if len(justified) < call.minimum_criteria:
        reasons.append("too_few_criteria")
    return reasons


@transaction.atomic
def eligibility_check(*, call: Call, user, early: bool = False) -> dict[str, int]:
    """Check every submitted dossier against the call's rules; an organiser's override is kept.

    Before the deadline only as an early review (asked for explicitly): the committee starts on the dossiers
    already submitted, which their carriers may still revise (the committee reads the last submitted version);
    the check runs again after the deadline for the others."""
    if not call.has_closed and not early:
        raise ApplicationsStillOpen()
    now = timezone.now()
    counts = {"eligible": 0, "ineligible": 0}
    applications = list(submitted_applications(call))
    contents = latest_contents([a.pk for a in applications])
    for application in applications:
        reasons = eligibility_reasons(call, contents.get(application.pk, {}))
        eligibility, _created = Eligibility.objects.update_or_create(
            application=application,
            defaults={"is_eligible_by_rules": not reasons, "reasons": reasons, "checked_at": now},
        )
        counts["eligible" if eligibility.is_eligible else "ineligible"] += 1
    record(call, user, "eligibility_checked", early=not call.has_closed, **counts)
    return counts


@transaction.atomic
def eligibility_override(*, application: Application, user, eligible: bool, rationale: str) -> Eligibility:
    if not rationale.strip():
        raise SelectionError(_("Give the rationale of your decision."), code=ErrorCode.INVALID_DATA)
    eligibility = Eligibility.objects.select_for_update().get(application=application)
    before = eligibility.is_eligible
    eligibility.override, eligibility.rationale = eligible, rationale.strip()
    eligibility.decided_by, eligibility.decided_at = user, timezone.now()
    eligibility.save(update_fields=["override", "rationale", "decided_by", "decided_at"])
    record(
        application.call,
        user,
        "eligibility_overridden",
        application=application,
        before=before,
        after=eligible,
        rationale=rationale,
    )
    return eligibility


# Affinity and assignment ------------------------------------------------------------------------------


def dossier_text(content: dict) -> str:
    parts = [content.get("title", ""), content.get("summary", ""), content.get("description", "")]
    for key in ("themes", "domains"):
        parts += [" ".join(item["name"].values()) for item in content.get(key, [])]
    return "\n".join(parts)


@dataclass(frozen=True)
class AffinityTable:
    applications: list[Application]
    members: list[CommitteeMember]
    scores: np.ndarray  # applications × members
    conflicts: dict[tuple[int, int], str]

    def conflict_mask(self) -> np.ndarray:
        mask = np.zeros(self.scores.shape, dtype=bool)
        rows = {a.pk: i for i, a in enumerate(self.applications)}
        columns = {m.pk: j for j, m in enumerate(self.members)}
        for application_id, member_id in self.conflicts:
            if application_id in rows and member_id in columns:
                mask[rows[application_id], columns[member_id]] = True
        return mask


def affinity_table(call: Call) -> AffinityTable:
    applications = eligible_applications(call)
    members = list(committee(call))
    contents = latest_contents([a.pk for a in applications])
    scores = affinity_model().scores(
        [dossier_text(contents[a.pk]) for a in applications], [m.profile_text for m in members]
    )
    rows = {a.pk: i for i, a in enumerate(applications)}
    columns = {m.pk: j for j, m in enumerate(members)}
    for override in AffinityOverride.objects.filter(member__call=call):
        if override.application_id in rows and override.member_id in columns:
            scores[rows[override.application_id], columns[override.member_id]] = override.score
    return AffinityTable(applications, members, scores, conflict_reasons(members, applications, contents))


@transaction.atomic
def affinity_set(*, member: CommitteeMember, application: Application, score: float, user) -> None:
    if not 0 <= score <= 1:
        raise SelectionError(_("An affinity is between 0 and 1."), code=ErrorCode.INVALID_DATA)
    AffinityOverride.objects.update_or_create(
        member=member, application=application, defaults={"score": score, "set_by": user}
    )
    record(member.call, user, "affinity_set", application=application, member=member, score=score)


@transaction.atomic
def selection_settings_update(
    *, call: Call, user, reviewers_per_dossier: int, min_load: int, max_load: int, fairness_first: bool
) -> Selection:
    selection = _locked_selection(call)
    Selection.objects.filter(pk=selection.pk).update(
        reviewers_per_dossier=reviewers_per_dossier, min_load=min_load, max_load=max_load, fairness_first=fairness_first
    )
    record(
        call,
        user,
        "settings_updated",
        k=reviewers_per_dossier,
        min_load=min_load,
        max_load=max_load,
        fairness=fairness_first,
    )
    selection.refresh_from_db()
    return selection


@transaction.atomic
def assignment_run(*, call: Call, user) -> dict[str, Any]:
    """Assign reviewers optimally. Assignments with a review started are kept and counted; the others are redone."""
    selection = _locked_selection(call)
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
    record(call, user, "assignment_run", **summary)
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
        record(application.call, user, "assignment_added", application=application, member=member)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, user) -> None:
    if Review.objects.filter(assignment=assignment).exists():
        raise AssignmentHasReview()
    record(
        assignment.application.call,
        user,
        "assignment_removed",
        application=assignment.application,
        member=assignment.member,
    )
    assignment.delete()


# Reviews ---------------------------------------------------------------------------------------------


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
    selection = _locked_selection(call)
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
    record(call, user, kind, application=assignment.application, member=assignment.member, total=review.total)
    return review


@transaction.atomic
def reviews_lock(*, call: Call, user) -> Selection:
    selection = _locked_selection(call)
    Selection.objects.filter(pk=selection.pk, reviews_locked_at__isnull=True).update(reviews_locked_at=timezone.now())
    record(call, user, "reviews_locked")
    selection.refresh_from_db()
    return selection


# Decisions -------------------------------------------------------------------------------------------


@transaction.atomic
def decision_record(*, application: Application, user, outcome: str, rationale: str = "") -> Decision:
    selection = _locked_selection(application.call)
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
    record(
        application.call,
        user,
        "decision_recorded",
        application=application,
        before=previous.outcome if previous else None,
        after=outcome,
        rationale=rationale,
    )
    return decision


@transaction.atomic
def decisions_publish(*, call: Call, user) -> int:
    """Make the decisions visible to applicants and notify each of them, once."""
    selection = _locked_selection(call)
    if selection.decisions_published_at:
        raise DecisionsPublished()
    decisions = list(Decision.objects.filter(application__call=call).values_list("pk", flat=True))
    if not decisions:
        raise SelectionError(_("Record at least one decision before publishing."), code=ErrorCode.NO_DECISION)
    Selection.objects.filter(pk=selection.pk).update(decisions_published_at=timezone.now())
    record(call, user, "decisions_published", count=len(decisions))
    from .tasks import notify_decision

    for pk in decisions:
        transaction.on_commit(partial(notify_decision.delay, pk))
    return len(decisions)
