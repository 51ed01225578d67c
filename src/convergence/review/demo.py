"""The demo committee and its work, written by hand in demo_reviews.yaml and made through the real services.

On the completed edition, a whole round: members, a declared conflict, optimal assignment, reviews with a
justification per criterion (some reviewers disagree, one is harsh), lock, calibrated ranking and decisions.
On the call open now, an early review: some dossiers assigned, a few reviews written, reviewer1 yet to start.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from convergence.accounts.models import User
from convergence.applications.demo import demo_dossiers
from convergence.calls.models import Call

from . import services
from .models import Assignment, CommitteeMember, Decision, Review, SelectionEvent
from .selectors import latest_content, ranking

DEMO_FILE = Path(__file__).resolve().parent / "demo_reviews.yaml"
# Reviewers' severity: reviewer5 scores a point lower than the others (what calibration corrects).
SEVERITY = {"reviewer1@demo.test": 0.2, "reviewer2@demo.test": 0.0, "reviewer3@demo.test": 0.1,
            "reviewer4@demo.test": -0.1, "reviewer5@demo.test": -1.1}  # fmt: skip


@cache
def demo_reviews() -> dict:
    with DEMO_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def seed_demo_committee(*, call: Call, inviter: User) -> int:
    """The demo reviewers as members of the call's committee, with their expertise (no invitation sent)."""
    added = 0
    for spec in demo_reviews()["members"]:
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            continue
        member, created = CommitteeMember.objects.get_or_create(
            call=call,
            user=user,
            defaults={
                "organisation": spec["organisation"],
                "expertise": spec["expertise"],
                "keywords": spec["keywords"],
                "languages": "fr, en",
                "invited_by": inviter,
            },
        )
        if created:
            SelectionEvent.record(
                SelectionEvent.Kind.MEMBER_INVITED, inviter, call=call, member=member, details={"email": user.email}
            )
        added += created
    return added


def _clamp(value: float) -> int:
    return max(0, min(4, round(value)))


def _level(score: int) -> str:
    return "high" if score >= 3 else "mid" if score == 2 else "low"


def review_data(*, call: Call, content: dict, quality: float, language: str, rng: random.Random) -> dict:
    """A complete review of a dossier of the given quality, in the reviewer's language."""
    texts = demo_reviews()
    claimed = {claim["code"] for claim in content.get("claims", [])}
    criteria = {}
    for criterion in call.criteria.all():
        if criterion.code in claimed:
            score = _clamp(quality + rng.gauss(0, 0.5))
            justification = rng.choice(texts["justifications"][language][criterion.code][_level(score)])
        else:
            score = min(1, _clamp(quality - 1.5 + rng.gauss(0, 0.4)))  # an unclaimed criterion is not met
            justification = texts["justifications"][language][criterion.code]["unclaimed"]
        assessment = {"high": "met", "mid": "partly", "low": "not_met"}[_level(score)]
        criteria[criterion.code] = {"assessment": assessment, "score": score, "justification": justification}
    implementation = _clamp(quality + rng.gauss(0, 0.5))
    scores = [entry["score"] for entry in criteria.values()] + [implementation]
    total = sum(scores) / len(scores)
    recommendation = "label" if total >= 2.6 else "discuss" if total >= 1.8 else "no"
    return {
        "criteria": criteria,
        "implementation_score": implementation,
        "recommendation": recommendation,
        "confidence": rng.choice([2, 3, 3]),
        "comment": rng.choice(texts["comments"][language][recommendation]),
    }


def _qualities(call: Call, pool: str) -> dict[int, dict]:
    """Each dossier of the call with its hand-written entry (found by title)."""
    by_title = {dossier["title"]: dossier for dossier in demo_dossiers(pool)}
    return {
        application.pk: by_title[application.title]
        for application in call.applications.all()
        if application.title in by_title
    }


def _write_reviews(*, call: Call, assignments, pool: str, rng: random.Random) -> int:
    entries = _qualities(call, pool)
    languages = {spec["email"]: spec["language"] for spec in demo_reviews()["members"]}
    dissent: dict[int, int] = {}  # the one reviewer who departs from the others on a disputed dossier
    written = 0
    for assignment in assignments:
        entry = entries.get(assignment.application_id)
        if entry is None:
            continue
        email = assignment.member.user.email
        quality = entry["quality"] + SEVERITY.get(email, 0.0) + rng.gauss(0, 0.3)
        if entry.get("disputed") and dissent.setdefault(assignment.application_id, assignment.member_id) == (
            assignment.member_id
        ):
            quality += -1.8 if entry["quality"] >= 2.5 else 1.8
        data = review_data(
            call=call,
            content=latest_content(assignment.application),
            quality=quality,
            language=languages.get(email, "fr"),
            rng=rng,
        )
        services.review_save(assignment=assignment, user=assignment.member.user, data=data, submit=True)
        written += 1
    return written


def _first_claimed(content: dict, order) -> str:
    codes = [claim["code"] for claim in content.get("claims", [])]
    return next((code for code in order if code in codes), order[0])


@transaction.atomic
def seed_committee_round(*, call: Call, organiser: User, labelled: int, waiting: int, seed: int = 2024) -> None:
    """A whole selection round on a closed call: the committee's work up to its recorded decisions."""
    rng = random.Random(seed)
    seed_demo_committee(call=call, inviter=organiser)
    services.eligibility_check(call=call, user=organiser)
    members = {m.user.email: m for m in CommitteeMember.objects.filter(call=call).select_related("user")}
    # One member works for a carrier's partner and says so before the assignment.
    conflicted = call.applications.filter(partners__organisation="Sciences Po").first()
    if conflicted is not None and "reviewer5@demo.test" in members:
        member = members["reviewer5@demo.test"]
        services.conflict_declare(
            member=member, user=member.user, application=conflicted, reason="Ancienne collègue de l'équipe porteuse"
        )
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=3, min_load=8, max_load=16, fairness_first=False
    )
    services.assignment_run(call=call, user=organiser)
    assignments = Assignment.objects.filter(application__call=call).select_related("member__user", "application")
    _write_reviews(call=call, assignments=assignments.order_by("pk"), pool="edition", rng=rng)
    services.reviews_lock(call=call, user=organiser)
    texts = demo_reviews()
    order = list(texts["strengths"])
    for row in ranking(call):
        if row.rank is None:
            continue
        outcome = (
            Decision.Outcome.LABELLED
            if row.rank <= labelled
            else Decision.Outcome.WAITING_LIST
            if row.rank <= labelled + waiting
            else Decision.Outcome.NOT_SELECTED
        )
        best = max(order, key=lambda code: _criterion_mean(row.reviews, code))
        worst = min(order, key=lambda code: _criterion_mean(row.reviews, code))
        rationale = texts["rationales"][outcome].format(
            strength=texts["strengths"][best], weakness=texts["weaknesses"][worst]
        )
        services.decision_record(application=row.application, user=organiser, outcome=outcome, rationale=rationale)


def _criterion_mean(reviews: list[Review], code: str) -> float:
    scores = [r.criteria.get(code, {}).get("score") for r in reviews]
    scores = [s for s in scores if s is not None]
    return sum(scores) / len(scores) if scores else 0.0


@transaction.atomic
def seed_early_review(*, call: Call, organiser: User, seed: int = 2026) -> dict[str, int]:
    """The open call's early review: dossiers already submitted are assigned; two members have begun."""
    rng = random.Random(seed)
    seed_demo_committee(call=call, inviter=organiser)
    if Assignment.objects.filter(application__call=call).exists():
        return {"assignments": 0, "reviews": 0}
    counts = services.eligibility_check(call=call, user=organiser, early=True)
    members = CommitteeMember.objects.filter(call=call).count()
    max_load = max(8, -(-2 * counts["eligible"] // max(members, 1)))  # enough room for two reviews each
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=2, max_load=max_load, fairness_first=False
    )
    summary = services.assignment_run(call=call, user=organiser)
    started = Assignment.objects.filter(
        application__call=call, member__user__email__in=["reviewer2@demo.test", "reviewer3@demo.test"]
    ).select_related("member__user", "application")
    written = _write_reviews(call=call, assignments=started.order_by("pk")[:5], pool="current", rng=rng)
    return {"assignments": summary["assignments"], "reviews": written}
