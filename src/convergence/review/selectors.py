"""Queries of the selection round: what was submitted, who reviews what, the ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from convergence.applications.models import Application
from convergence.calls.models import Call

from .calibration import calibrated_scores
from .models import Assignment, CommitteeMember, Decision, Review, Selection

# Reviewers diverge when their scores (0–4) are this far apart, or when one says "label" and another "no".
DISAGREEMENT_SPREAD = 1.5


def latest_content(application: Application) -> dict:
    """What the committee reads: the last submitted version, never the working copy."""
    submission = application.submissions.order_by("-number").first()
    return submission.content if submission else {}


def selection_for(call: Call) -> Selection:
    selection, _created = Selection.objects.get_or_create(call=call)
    return selection


def submitted_applications(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, status=Application.Status.SUBMITTED).select_related("owner", "format")


def eligible_applications(call: Call) -> list[Application]:
    applications = submitted_applications(call).select_related("eligibility").order_by("pk")
    return [a for a in applications if hasattr(a, "eligibility") and a.eligibility.is_eligible]


def committee(call: Call) -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(call=call).select_related("user").order_by("pk")


def review_of(assignment: Assignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).first()


def reviews_visible_to_member(*, member: CommitteeMember, application: Application) -> list[Review]:
    """Others' reviews show only once the member has submitted their own (as in the best review systems)."""
    own = Review.objects.filter(assignment__application=application, assignment__member=member).first()
    if own is None or own.status != Review.Status.SUBMITTED:
        return []
    return list(
        Review.objects.filter(assignment__application=application, status=Review.Status.SUBMITTED)
        .exclude(assignment__member=member)
        .select_related("assignment__member__user")
    )


@dataclass
class RankedDossier:
    application: Application
    content: dict
    reviews: list[Review] = field(default_factory=list)
    mean: float | None = None
    calibrated: float | None = None
    disagreement: bool = False
    decision: Decision | None = None
    rank: int = 0

    @property
    def recommendations(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for review in self.reviews:
            counts[review.recommendation] = counts.get(review.recommendation, 0) + 1
        return counts


def ranking(call: Call, *, filters: dict[str, str] | None = None) -> list[RankedDossier]:
    """Eligible dossiers by calibrated score (best first), with their submitted reviews side by side."""
    applications = {a.pk: a for a in eligible_applications(call)}
    reviews = (
        Review.objects.filter(assignment__application__in=list(applications), status=Review.Status.SUBMITTED)
        .select_related("assignment__member__user")
        .order_by("assignment__member__pk")
    )
    rows = {pk: RankedDossier(application=a, content=latest_content(a)) for pk, a in applications.items()}
    triples = []
    for review in reviews:
        rows[review.assignment.application_id].reviews.append(review)
        if review.total is not None:
            triples.append((review.assignment.application_id, review.assignment.member_id, review.total))
    calibrated, _bias = calibrated_scores(triples)
    decisions = {d.application_id: d for d in Decision.objects.filter(application__in=list(applications))}
    for pk, row in rows.items():
        totals = [r.total for r in row.reviews if r.total is not None]
        row.mean = sum(totals) / len(totals) if totals else None
        row.calibrated = calibrated.get(pk)
        recommendations = {r.recommendation for r in row.reviews}
        row.disagreement = bool(totals) and (
            max(totals) - min(totals) >= DISAGREEMENT_SPREAD
            or {Review.Recommendation.LABEL, Review.Recommendation.NO} <= recommendations
        )
        row.decision = decisions.get(pk)
    ordered = sorted(rows.values(), key=lambda r: (r.calibrated is None, -(r.calibrated or 0), r.application.pk))
    for index, row in enumerate(ordered, start=1):
        row.rank = index
    return [row for row in ordered if _matches(row, filters or {})]


def _matches(row: RankedDossier, filters: dict[str, str]) -> bool:
    content = row.content
    if filters.get("theme") and filters["theme"] not in {t["code"] for t in content.get("themes", [])}:
        return False
    if filters.get("domain") and filters["domain"] not in {d["code"] for d in content.get("domains", [])}:
        return False
    if filters.get("format") and filters["format"] != (content.get("format") or {}).get("code"):
        return False
    if filters.get("country"):
        countries = {content.get("carrier_country")} | {p["country"] for p in content.get("partners", [])}
        if filters["country"].upper() not in countries:
            return False
    return True


@dataclass(frozen=True)
class MemberProgress:
    member: CommitteeMember
    assigned: int
    submitted: int

    @property
    def is_late(self) -> bool:
        return self.submitted < self.assigned


def review_progress(call: Call) -> list[MemberProgress]:
    members = committee(call).annotate(
        assigned=Count("assignments", distinct=True),
        submitted=Count("assignments", filter=Q(assignments__review__status=Review.Status.SUBMITTED), distinct=True),
    )
    return [MemberProgress(member=m, assigned=m.assigned, submitted=m.submitted) for m in members]


def published_decision(application: Application) -> Decision | None:
    """The decision an applicant may see: only once the organiser has published them."""
    selection = Selection.objects.filter(call=application.call, decisions_published_at__isnull=False).first()
    if selection is None:
        return None
    return Decision.objects.filter(application=application).first()
