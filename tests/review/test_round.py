import pytest
from django.core import mail

from convergence.review import services
from convergence.review.errors import ApplicationsStillOpen, DecisionsPublished, ReviewIncomplete, ReviewsLocked
from convergence.review.models import Assignment, Eligibility, Review, SelectionEvent
from convergence.review.selectors import ranking, reviews_visible_to_member
from tests.review.conftest import complete_review


def test_eligibility_waits_for_the_deadline(call, organiser):
    with pytest.raises(ApplicationsStillOpen):
        services.eligibility_check(call=call, user=organiser)


def test_eligibility_lists_the_reason_and_accepts_an_override(round_, organiser):
    call = round_["call"]
    call.minimum_criteria = 2
    call.save(update_fields=["minimum_criteria"])
    counts = services.eligibility_check(call=call, user=organiser)
    assert counts == {"eligible": 0, "ineligible": 4}
    eligibility = Eligibility.objects.get(application=round_["applications"][0])
    assert eligibility.reasons == ["too_few_criteria"]
    from django.utils.translation import override

    with override("en"):
        assert eligibility.reason_texts == ["fewer than 2 selection criteria claimed with a justification"]
    with override("fr"):
        assert eligibility.reason_texts == ["moins de 2 critères de sélection revendiqués avec une justification"]
    services.eligibility_override(
        application=round_["applications"][0], user=organiser, eligible=True, rationale="Critère 2 implicite."
    )
    eligibility.refresh_from_db()
    assert eligibility.is_eligible and not eligibility.is_eligible_by_rules
    assert SelectionEvent.objects.filter(kind="eligibility_overridden", actor=organiser).exists()
    # A new check keeps the organiser's decision.
    services.eligibility_check(call=call, user=organiser)
    eligibility.refresh_from_db()
    assert eligibility.is_eligible


def test_conflicts_are_detected_from_organisations_and_email_domains(round_, organiser):
    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    table = services.affinity_table(call)
    marc = round_["members"][3]
    assert all((a.pk, marc.pk) in table.conflicts for a in round_["applications"])  # a partner of every dossier
    owner_domain_member, _ = services.committee_member_invite(
        call=call, email="boss@carrier0.example", invited_by=organiser
    )
    gmail_member, _ = services.committee_member_invite(call=call, email="someone@gmail.com", invited_by=organiser)
    table = services.affinity_table(call)
    assert (round_["applications"][0].pk, owner_domain_member.pk) in table.conflicts
    assert not any(member == gmail_member.pk for _app, member in table.conflicts)


def test_shared_email_domains_are_not_conflicts(round_, organiser, settings):
    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    member, _ = services.committee_member_invite(call=call, email="boss@carrier0.example", invited_by=organiser)
    settings.CONFLICT_SHARED_EMAIL_DOMAINS = ["carrier0.example"]
    assert not any(m == member.pk for _app, m in services.affinity_table(call).conflicts)


def test_affinity_prefers_the_matching_expert(round_, organiser):
    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    table = services.affinity_table(call)
    for index in range(3):
        assert table.scores[index].argmax() == index, table.scores


def test_assignment_respects_k_loads_and_conflicts_and_maximises_affinity(assigned):
    call = assigned["call"]
    marc = assigned["members"][3]
    assignments = Assignment.objects.filter(application__call=call)
    assert assignments.count() == 8
    for application in assigned["applications"]:
        assert assignments.filter(application=application).count() == 2
    assert not assignments.filter(member=marc).exists()
    loads = [assignments.filter(member=m).count() for m in assigned["members"][:3]]
    assert all(load <= 3 for load in loads)
    for index in range(3):
        assert assignments.filter(
            application=assigned["applications"][index], member=assigned["members"][index]
        ).exists()
    assert SelectionEvent.objects.filter(kind="assignment_run").get().details["assignments"] == 8


def test_rerun_keeps_assignments_with_a_review(assigned, organiser):
    call = assigned["call"]
    assignment = Assignment.objects.filter(application__call=call).first()
    services.review_save(assignment=assignment, user=assignment.member.user, data={"comment": "début"}, submit=False)
    services.assignment_run(call=call, user=organiser)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert Assignment.objects.filter(application__call=call).count() == 8


def test_infeasible_request_says_what_is_missing(round_, organiser):
    from convergence.review.solver import AssignmentInfeasible

    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=4, min_load=0, max_load=4, fairness_first=False
    )
    with pytest.raises(AssignmentInfeasible) as caught:
        services.assignment_run(call=call, user=organiser)
    assert "4 dossiers ont moins de 4 membres sans conflit d'intérêts (CIA-2024-D" in " ".join(caught.value.reasons)


def test_a_member_conflicted_everywhere_cannot_reach_a_minimum_load(round_, organiser):
    from convergence.review.solver import AssignmentInfeasible

    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=1, max_load=3, fairness_first=False
    )
    with pytest.raises(AssignmentInfeasible) as caught:
        services.assignment_run(call=call, user=organiser)
    assert "marc@transport.example" in " ".join(caught.value.reasons)


def test_fairness_option_runs_through_the_service(round_, organiser):
    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=0, max_load=3, fairness_first=True
    )
    summary = services.assignment_run(call=call, user=organiser)
    assert summary["assignments"] == 8 and summary["fairness_first"]


def test_review_draft_then_incomplete_then_submitted(assigned):
    call = assigned["call"]
    assignment = Assignment.objects.filter(application__call=call).first()
    reviewer = assignment.member.user
    draft = services.review_save(assignment=assignment, user=reviewer, data={"comment": "à compléter"}, submit=False)
    assert draft.status == Review.Status.DRAFT
    with pytest.raises(ReviewIncomplete) as caught:
        services.review_save(assignment=assignment, user=reviewer, data={"comment": "x"}, submit=True)
    assert {"implementation_score", "recommendation", "confidence"} <= set(caught.value.field_errors)
    review = services.review_save(assignment=assignment, user=reviewer, data=complete_review(call), submit=True)
    assert review.status == Review.Status.SUBMITTED and review.total == 3


def test_others_reviews_show_only_after_submitting_ones_own(assigned):
    call = assigned["call"]
    application = assigned["applications"][0]
    first, second = Assignment.objects.filter(application=application)
    services.review_save(assignment=first, user=first.member.user, data=complete_review(call), submit=True)
    assert reviews_visible_to_member(member=second.member, application=application) == []
    services.review_save(assignment=second, user=second.member.user, data=complete_review(call, 2), submit=True)
    visible = reviews_visible_to_member(member=second.member, application=application)
    assert [r.assignment.member for r in visible] == [first.member]


def test_decisions_published_while_the_broker_refuses_are_notified_once_it_takes_messages(
    assigned, organiser, broker, django_capture_on_commit_callbacks, client
):
    """Committee day: the decisions are committed before their e-mails are queued. A broker that refuses the
    messages must neither show the organiser an error page nor lose the applicants' e-mails."""
    from convergence.core.models import PendingTask
    from convergence.core.queueing import pending_tasks_publish
    from convergence.review.models import Selection

    call = assigned["call"]
    best, worst = assigned["applications"][0], assigned["applications"][-1]
    for index, application in enumerate([best, worst]):
        for assignment in Assignment.objects.filter(application=application):
            services.review_save(
                assignment=assignment, user=assignment.member.user, data=complete_review(call, 4 - index), submit=True
            )
    services.decision_record(application=best, user=organiser, outcome="labelled", rationale="Excellent.")
    services.decision_record(application=worst, user=organiser, outcome="not_selected")
    client.force_login(organiser)
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/selection/{call.slug}/publish/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert page.status_code == 200 and "Decisions published" in page.content.decode()
    assert Selection.objects.get(call=call).decisions_published_at is not None
    assert mail.outbox == [] and broker.refused == ["convergence.review.tasks.notify_decisions"]
    assert PendingTask.objects.count() == 1

    broker.down = False
    assert pending_tasks_publish() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([best.owner.email, worst.owner.email])
    assert pending_tasks_publish() == 0 and len(mail.outbox) == 2  # sent once


def test_locked_reviews_cannot_change(assigned, organiser):
    call = assigned["call"]
    assignment = Assignment.objects.filter(application__call=call).first()
    services.review_save(assignment=assignment, user=assignment.member.user, data=complete_review(call), submit=True)
    services.reviews_lock(call=call, user=organiser)
    with pytest.raises(ReviewsLocked):
        services.review_save(
            assignment=assignment, user=assignment.member.user, data=complete_review(call, 1), submit=True
        )


def test_ranking_decisions_publication_and_notification(
    assigned, organiser, django_capture_on_commit_callbacks, client
):
    call = assigned["call"]
    for index, application in enumerate(assigned["applications"]):
        for assignment in Assignment.objects.filter(application=application):
            services.review_save(
                assignment=assignment, user=assignment.member.user, data=complete_review(call, 4 - index), submit=True
            )
    rows = ranking(call)
    assert [row.application for row in rows] == assigned["applications"]
    assert rows[0].calibrated > rows[-1].calibrated
    best, worst = assigned["applications"][0], assigned["applications"][-1]
    services.decision_record(application=best, user=organiser, outcome="labelled", rationale="Excellent.")
    services.decision_record(application=worst, user=organiser, outcome="not_selected")

    client.force_login(best.owner)
    assert "Décision du comité" not in client.get(best.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decisions_publish(call=call, user=organiser) == 2
    assert sorted(m.to[0] for m in mail.outbox if "ecision" in m.subject or "écision" in m.subject) == sorted(
        [best.owner.email, worst.owner.email]
    )
    english = next(m for m in mail.outbox if m.to == [worst.owner.email] and "Decision" in m.subject)
    assert "Not selected" in english.body  # carrier1… is English-speaking? worst is index 3: English
    page = client.get(best.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Décision du comité de sélection" in page and "Labellisé" in page
    with pytest.raises(DecisionsPublished):
        services.decision_record(application=best, user=organiser, outcome="waiting_list")


def test_invitation_email_lets_a_new_member_set_a_password(call, organiser, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        member, added = services.committee_member_invite(
            call=call, email="New.Member@Example.org", invited_by=organiser
        )
    assert added and member.user.email == "new.member@example.org"
    member.user.refresh_from_db()
    assert member.user.is_committee_member
    message = mail.outbox[-1]
    assert message.to == ["new.member@example.org"]
    link = next(word for word in message.body.split() if "/accounts/password/reset/key/" in word)
    response = client.get(link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", ""), follow=True)
    assert response.status_code == 200
    assert b'name="password1"' in response.content
    again, added_again = services.committee_member_invite(
        call=call, email="new.member@example.org", invited_by=organiser
    )
    assert again == member and not added_again


def test_demo_committee_seed(call, organiser, settings):
    from convergence.accounts.services import demo_accounts_ensure
    from convergence.review.demo import seed_demo_committee

    settings.DEMO_MODE = True
    demo_accounts_ensure()
    assert seed_demo_committee(call=call, inviter=organiser) == 5
    assert seed_demo_committee(call=call, inviter=organiser) == 0
