"""Queries of the selection round: what was submitted, who reviews what, the ranking."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convergence.applications.models import Application, Submission
from convergence.calls.i18n import localize
from convergence.calls.models import Call

from .calibration import calibrated_scores
from .models import Assignment, CommitteeMember, Decision, Eligibility, Review, Selection, SelectionEvent

# Reviewers diverge when their scores (0–4) are this far apart, or when one says "label" and another "no".
DISAGREEMENT_SPREAD = 1.5


def latest_content(application: Application) -> dict:
    """What the committee reads: the last submitted version, never the working copy."""
    submission = application.submissions.order_by("-number").first()
    return submission.content if submission else {}


def selection_for(call: Call) -> Selection:
    """The call's selection round as it stands; before anyone changed it, its defaults (unsaved: reading a page
    writes nothing)."""
    return Selection.objects.filter(call=call).first() or Selection(call=call)


def submitted_applications(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, status=Application.Status.SUBMITTED).select_related("owner", "format")


def eligible_applications_query(call: Call) -> QuerySet[Application]:
    """The submitted dossiers found eligible (by the rules, unless an organiser decided otherwise), by id."""
    by_rules = Q(eligibility__override__isnull=True, eligibility__is_eligible_by_rules=True)
    return submitted_applications(call).filter(by_rules | Q(eligibility__override=True)).order_by("pk")


def eligible_applications(call: Call) -> list[Application]:
    return list(eligible_applications_query(call))


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
    # What the ranking needs of each submitted review, read from stored columns (Review.total_score).
    review_totals: list[float] = field(default_factory=list)
    review_recommendations: list[str] = field(default_factory=list)
    mean: float | None = None
    calibrated: float | None = None
    # Standard error of the mean of the reviews' scores: how far the committee could be from its own view.
    uncertainty: float | None = None
    spread: float | None = None
    disagreement: bool = False
    decision: Decision | None = None
    eligible: bool = True
    eligibility_overridden: bool = False
    rank: int | None = None

    @property
    def review_count(self) -> int:
        return len(self.review_recommendations)

    @cached_property
    def reviews(self) -> list[Review]:
        """The submitted reviews themselves, read when one dossier is shown (its reviews side by side)."""
        return list(
            Review.objects.filter(assignment__application=self.application, status=Review.Status.SUBMITTED)
            .select_related("assignment__member__user")
            .order_by("assignment__member__pk")
        )

    @property
    def recommendations(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for recommendation in self.review_recommendations:
            counts[recommendation] = counts.get(recommendation, 0) + 1
        return counts

    @property
    def unranked_reason(self) -> str:
        """Why a dossier has no rank: said on the page rather than left to a dash."""
        if not self.eligible:
            return _("not eligible")
        return _("no submitted review yet") if self.rank is None else ""


MEETING_VIEWS = ("all", "disputed", "undecided")


def ranking(
    call: Call, *, filters: dict[str, str] | None = None, view: str = "all", with_ineligible: bool = False
) -> list[RankedDossier]:
    """Eligible dossiers by calibrated score, best first, with their submitted reviews side by side.

    Only reviewed dossiers are ranked; the others follow, unranked, so that a dossier nobody has read never
    appears above one the committee has scored. With `with_ineligible`, the dossiers found not eligible close
    the list (the meeting shows them; they cannot be decided)."""
    eligibilities = {
        e.application_id: e
        for e in Eligibility.objects.filter(application__call=call, application__status=Application.Status.SUBMITTED)
    }
    applications = {
        a.pk: a
        for a in submitted_applications(call).order_by("pk")
        if a.pk in eligibilities and (with_ineligible or eligibilities[a.pk].is_eligible)
    }
    for application in applications.values():
        application.call = call  # for its reference; joining the call would decode its definition on every row
    contents = latest_contents(list(applications))
    reviews = (
        Review.objects.filter(assignment__application__in=list(applications), status=Review.Status.SUBMITTED)
        .order_by("assignment__member__pk")
        .values_list("assignment__application_id", "assignment__member_id", "total_score", "recommendation")
    )
    rows = {pk: RankedDossier(application=a, content=contents.get(pk, {})) for pk, a in applications.items()}
    triples = []
    for application_id, member_id, total, recommendation in reviews:
        row = rows[application_id]
        row.review_recommendations.append(recommendation)
        if total is not None:
            row.review_totals.append(total)
            triples.append((application_id, member_id, total))
    eligible_pks = {pk for pk in applications if eligibilities[pk].is_eligible}
    calibrated, _bias = calibrated_scores(t for t in triples if t[0] in eligible_pks)
    decisions = {d.application_id: d for d in Decision.objects.filter(application__in=list(applications))}
    for pk, row in rows.items():
        row.eligible = eligibilities[pk].is_eligible
        row.eligibility_overridden = eligibilities[pk].override is not None
        totals = row.review_totals
        if totals:
            row.mean = sum(totals) / len(totals)
            row.spread = max(totals) - min(totals)
            if len(totals) > 1:
                row.uncertainty = _sample_deviation(totals, row.mean) / math.sqrt(len(totals))
        row.calibrated = calibrated.get(pk) if row.eligible else None
        recommendations = set(row.review_recommendations)
        row.disagreement = bool(totals) and (
            (row.spread or 0) >= DISAGREEMENT_SPREAD
            or {Review.Recommendation.LABEL, Review.Recommendation.NO} <= recommendations
        )
        row.decision = decisions.get(pk)
    ordered = sorted(
        rows.values(),
        key=lambda r: (not r.eligible, r.calibrated is None, -(r.calibrated or 0), r.application.pk),
    )
    for index, row in enumerate((r for r in ordered if r.calibrated is not None), start=1):
        row.rank = index
    return [row for row in ordered if _matches(row, filters or {}) and _in_view(row, view)]


# The meeting's ranking, kept per process and per call until the round changes (a review, a decision, an
# eligibility, an assignment: each leaves a SelectionEvent; a revised or withdrawn dossier changes its rows).
_RANKINGS: dict[int, tuple[tuple, list[RankedDossier]]] = {}


def round_version(call: Call) -> tuple:
    """What changes whenever the ranking may: three indexed aggregates, a few milliseconds at 5,000 dossiers."""
    last_event = SelectionEvent.objects.filter(call=call).aggregate(last=Max("pk"))["last"]
    dossiers = Application.objects.filter(call=call).aggregate(changed=Max("updated_at"), count=Count("pk"))
    last_submission = Submission.objects.filter(application__call=call).aggregate(last=Max("pk"))["last"]
    return (last_event, dossiers["changed"], dossiers["count"], last_submission)


def meeting_ranking(call: Call, *, filters: dict[str, str] | None = None, view: str = "all") -> list[RankedDossier]:
    """ranking(call, with_ineligible=True), computed once per change of the round rather than on every page of
    the meeting (1.5 s at 5,000 dossiers; the rows are the same, filters and views applied after as there)."""
    version = round_version(call)
    kept = _RANKINGS.get(call.pk)
    if kept is None or kept[0] != version:
        kept = (version, ranking(call, with_ineligible=True))
        _RANKINGS[call.pk] = kept
    return [row for row in kept[1] if _matches(row, filters or {}) and _in_view(row, view)]


def _sample_deviation(values: list[float], mean: float) -> float:
    """statistics.stdev in floats (it computes in fractions: a tenth of the ranking's time at 5,000 dossiers)."""
    return math.sqrt(sum((value - mean) ** 2 for value in values) / (len(values) - 1))


def latest_contents(applications: Iterable[int]) -> dict[int, dict]:
    """The last submitted version of each dossier (ids, or a query of dossiers), in one query."""
    # Only the last version's row is read (a dossier revised five times sends one content, not five).
    last = Submission.objects.filter(application=OuterRef("application")).order_by("-number").values("number")[:1]
    submissions = Submission.objects.filter(application__in=applications, number=Subquery(last))
    return dict(submissions.values_list("application_id", "content"))


def _in_view(row: RankedDossier, view: str) -> bool:
    if view == "disputed":
        return row.disagreement
    if view == "undecided":
        return row.eligible and row.decision is None
    return True


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


ASSESSMENT_LABELS = {
    "met": gettext_lazy("met"),
    "partly": gettext_lazy("partly met"),
    "not_met": gettext_lazy("not met"),
}


@dataclass(frozen=True)
class ComparisonLine:
    """One line of the reviews side by side: a criterion (or the implementation) across reviewers."""

    label: str
    cells: list[dict]


def reviews_side_by_side(call: Call, reviews: list[Review]) -> list[ComparisonLine]:
    lines = []
    for criterion in call.criteria.all():
        cells = []
        for review in reviews:
            entry = review.criteria.get(criterion.code, {})
            cells.append(
                {
                    "score": entry.get("score"),
                    "assessment": ASSESSMENT_LABELS.get(entry.get("assessment", ""), ""),
                    "text": entry.get("justification", ""),
                }
            )
        lines.append(ComparisonLine(label=localize(criterion.name), cells=cells))
    lines.append(
        ComparisonLine(
            label=_("Implementation"),
            cells=[{"score": r.implementation_score, "assessment": "", "text": ""} for r in reviews],
        )
    )
    return lines
