"""The set-based steps of the committee's day give what the simple ones gave, dossier by dossier (issue 17)."""

import math
import statistics

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.test import TestCase

from convergence.applications.models import Submission
from convergence.review import services
from convergence.review.calibration import calibrated_scores
from convergence.review.models import Assignment, Eligibility, Review
from convergence.review.selectors import latest_content, latest_contents, ranking, submitted_applications
from tests.review.conftest import complete_review

pytestmark = pytest.mark.django_db


def assignments_of(call):
    return Assignment.objects.filter(application__call=call).select_related("member__user", "application__call")


def _revise(application, **changes):
    """A later submitted version of the dossier (as a revision before the deadline leaves)."""
    last = application.submissions.order_by("-number").first()
    Submission.objects.create(
        application=application,
        number=last.number + 1,
        receipt_number=f"{last.receipt_number}-v{last.number + 1}",
        submitted_at=last.submitted_at,
        submitted_by=last.submitted_by,
        content={**last.content, **changes},
        digest="0" * 64,
    )


def test_the_last_versions_read_at_once_are_those_read_one_by_one(round_):
    first, second = round_["applications"][:2]
    _revise(first, title="Version 2")
    _revise(first, title="Version 3")
    every = list(submitted_applications(round_["call"]))
    assert latest_contents([a.pk for a in every]) == {a.pk: latest_content(a) for a in every}
    assert latest_contents([first.pk])[first.pk]["title"] == "Version 3"


def test_eligibility_set_based_gives_each_dossier_its_own_reasons_and_keeps_overrides(round_, organiser):
    call = round_["call"]
    first, second, third, _fourth = round_["applications"]
    _revise(second, claims=[])  # its last version claims no criterion
    _revise(third, claims=[], summary="")  # two reasons
    services.eligibility_check(call=call, user=organiser)
    services.eligibility_override(application=third, user=organiser, eligible=True, rationale="Lettre reçue.")
    _revise(first, claims=[])  # changes again before a second check (early review)
    counts = services.eligibility_check(call=call, user=organiser)
    expected = {
        a.pk: services.eligibility_reasons(call, latest_content(a)) for a in submitted_applications(call)
    }  # the simple way: one dossier at a time
    stored = {e.application_id: e for e in Eligibility.objects.filter(application__call=call)}
    assert {pk: e.reasons for pk, e in stored.items()} == expected
    assert {pk: e.is_eligible_by_rules for pk, e in stored.items()} == {pk: not r for pk, r in expected.items()}
    assert stored[third.pk].override is True and stored[third.pk].is_eligible  # the organiser's decision kept
    assert counts == {"eligible": 2, "ineligible": 2}


def test_the_ranking_from_stored_totals_is_the_ranking_from_the_reviews(assigned, organiser):
    call = assigned["call"]
    scores = iter([4, 1, 3, 2, 0, 4, 2, 3])
    for assignment in assignments_of(call):
        data = complete_review(call, score=next(scores), recommendation="maybe")
        data["criteria"][next(iter(data["criteria"]))]["score"] = 1  # a total that is not an integer
        services.review_save(assignment=assignment, user=assignment.member.user, data=data, submit=True)
    rows = {row.application.pk: row for row in ranking(call)}
    # The simple way: every review read whole, its total computed, the mean and deviation in Python's statistics.
    reviews = Review.objects.filter(assignment__application__call=call, status="submitted").select_related("assignment")
    totals: dict[int, list[float]] = {}
    for review in reviews:
        totals.setdefault(review.assignment.application_id, []).append(review.total)
        assert review.total_score == review.total
    calibrated, _bias = calibrated_scores(
        (r.assignment.application_id, r.assignment.member_id, r.total) for r in reviews
    )
    for pk, values in totals.items():
        row = rows[pk]
        assert row.review_count == len(values) and sorted(row.review_totals) == sorted(values)
        assert row.mean == pytest.approx(statistics.fmean(values))
        assert row.uncertainty == pytest.approx(statistics.stdev(values) / math.sqrt(len(values)))
        assert row.calibrated == pytest.approx(calibrated[pk])
        assert [r.pk for r in row.reviews] == sorted(
            (r.pk for r in reviews if r.assignment.application_id == pk),
            key=lambda review_pk: Review.objects.get(pk=review_pk).assignment.member_id,
        )


def test_reviews_saved_before_the_stored_total_get_it_from_the_migration(assigned, organiser):
    call = assigned["call"]
    assignment = assignments_of(call).first()
    review = services.review_save(
        assignment=assignment, user=assignment.member.user, data=complete_review(call, score=3), submit=True
    )
    Review.objects.filter(pk=review.pk).update(total_score=None)
    migration = __import__("convergence.review.migrations.0004_review_total_score", fromlist=["store_totals"])
    migration.store_totals(django_apps, None)
    review.refresh_from_db()
    assert review.total_score == review.total == 3


def test_publication_sends_the_decisions_in_batches_each_told_once(assigned, organiser, monkeypatch):
    from convergence.review.services import decisions as decisions_module
    from convergence.review.tasks import notify_decisions

    call = assigned["call"]
    for application in assigned["applications"]:
        application.refresh_from_db()
        if application.eligibility.is_eligible:
            services.decision_record(application=application, user=organiser, outcome="not_selected")
    batches = []
    monkeypatch.setattr(decisions_module, "NOTIFICATION_BATCH", 2)
    monkeypatch.setattr(
        notify_decisions, "apply_async", lambda args, **options: batches.append(args[0]) or notify_decisions(*args)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        told = services.decisions_publish(call=call, user=organiser)
    assert [len(batch) for batch in batches] == [2] * (told // 2) + ([told % 2] if told % 2 else [])
    assert len(mail.outbox) == told
    assert notify_decisions(sum(batches, [])) == 0  # a batch run again tells nobody twice


def test_the_meeting_ranking_is_kept_until_the_round_changes(assigned, organiser):
    from convergence.review.selectors import meeting_ranking

    call = assigned["call"]
    first = meeting_ranking(call)
    assert meeting_ranking(call)[0] is first[0]  # kept: nothing changed
    assignment = assignments_of(call).first()
    services.review_save(assignment=assignment, user=assignment.member.user, data=complete_review(call), submit=True)
    again = meeting_ranking(call)
    assert again[0] is not first[0]
    assert [(r.application.pk, r.rank, r.review_count) for r in again] == [
        (r.application.pk, r.rank, r.review_count) for r in ranking(call, with_ineligible=True)
    ]
    application = next(row.application for row in again if row.eligible)
    application.refresh_from_db()
    services.decision_record(application=application, user=organiser, outcome="labelled")
    decided = {row.application.pk: row.decision for row in meeting_ranking(call)}
    assert decided[application.pk].outcome == "labelled"
