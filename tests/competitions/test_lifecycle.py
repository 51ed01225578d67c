from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from convergence.competitions import runner, services
from convergence.competitions.models import Participant, Submission
from convergence.competitions.selectors import leaderboard
from tests.competitions.conftest import TRUTH, predictions, queued_again
from tests.conftest import make_user


def test_closed_competition_requires_the_hosts_approval(competition, host, phase):
    user = make_user("zoe@example.org")
    with pytest.raises(services.CompetitionError):
        services.competition_join(competition=competition, user=user, accept_rules=False)
    participant = services.competition_join(competition=competition, user=user, accept_rules=True)
    assert participant.status == Participant.Status.PENDING
    with pytest.raises(services.NotAllowed):
        services.submission_create(phase=phase, user=user, upload=predictions())
    with pytest.raises(services.NotAllowed):
        services.participant_decide(participant=participant, user=user, approve=True)
    services.participant_decide(participant=participant, user=host, approve=True)
    submission = services.submission_create(phase=phase, user=user, upload=predictions())
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED and submission.public_score == 1.0


def test_an_invited_user_is_admitted_on_accepting_the_rules(competition, host):
    user = make_user("ivan@example.org")
    services.participant_invite(competition=competition, user=host, email="IVAN@example.org")
    participant = services.competition_join(competition=competition, user=user, accept_rules=True)
    assert participant.status == Participant.Status.APPROVED


def test_requests_decisions_and_invitations_are_emailed_in_the_recipients_language(
    competition, host, mailoutbox, django_capture_on_commit_callbacks
):
    english = make_user("emma@example.org", full_name="Emma Stone")
    english.preferred_language = "en"
    english.save()
    with django_capture_on_commit_callbacks(execute=True):
        participant = services.competition_join(competition=competition, user=english, accept_rules=True)
    request = mailoutbox[-1]
    assert request.to == [host.email] and "Emma Stone" in request.body
    assert competition.get_host_url() in request.body
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_decide(participant=participant, user=host, approve=True)
    assert mailoutbox[-1].to == ["emma@example.org"]
    assert mailoutbox[-1].subject == "You are admitted to a competition"
    assert competition.get_absolute_url() in mailoutbox[-1].body
    french = make_user("paul@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_invite(competition=competition, user=host, email="paul@example.org")
    assert mailoutbox[-1].to == ["paul@example.org"] and "invité" in mailoutbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.competition_join(
            competition=competition, user=make_user("rex@example.org"), accept_rules=True
        )
        services.participant_decide(participant=refused, user=host, approve=False)
    assert mailoutbox[-1].to == ["rex@example.org"]
    assert len(mailoutbox) == 5  # a request, an admission, an invitation, a request, a refusal
    assert french.participations.get().status == Participant.Status.INVITED


def test_a_malformed_file_fails_with_its_reason_and_does_not_count(participant, phase):
    submission = services.submission_create(phase=phase, user=participant.user, upload=predictions({0: "cat"}))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert "manquant" in submission.error  # the participant's language: French by default
    for _ in range(3):
        services.submission_create(phase=phase, user=participant.user, upload=predictions())


def test_daily_limit_resets_at_midnight_paris_time(participant, phase):
    paris = ZoneInfo("Europe/Paris")
    late_evening = datetime.now(paris).replace(hour=23, minute=50, second=0, microsecond=0)
    with time_machine.travel(late_evening, tick=False):
        for _ in range(3):
            services.submission_create(phase=phase, user=participant.user, upload=predictions())
        with pytest.raises(services.LimitReached) as refused:
            services.submission_create(phase=phase, user=participant.user, upload=predictions())
        assert "00:00" in str(refused.value.message)
    with (
        time_machine.travel(late_evening + timedelta(minutes=9, seconds=59), tick=False),
        pytest.raises(services.LimitReached),
    ):
        services.submission_create(phase=phase, user=participant.user, upload=predictions())
    with time_machine.travel(late_evening + timedelta(minutes=10), tick=False):
        services.submission_create(phase=phase, user=participant.user, upload=predictions())


def test_total_limit(participant, phase):
    phase.max_total = 2
    phase.save()
    services.submission_create(phase=phase, user=participant.user, upload=predictions())
    services.submission_create(phase=phase, user=participant.user, upload=predictions())
    with pytest.raises(services.LimitReached):
        services.submission_create(phase=phase, user=participant.user, upload=predictions())


def test_a_worker_failure_is_retried_and_a_rerun_scores_nothing_twice(participant, phase):
    submission = queued_again(services.submission_create(phase=phase, user=participant.user, upload=predictions()))
    with (
        mock.patch.object(runner, "score_predictions", side_effect=MemoryError("worker died")),
        pytest.raises(runner.ScoringInterrupted),
    ):
        runner.submission_score(submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.QUEUED and submission.attempts == 1
    assert runner.submission_score(submission.pk) == "scored"
    assert runner.submission_score(submission.pk) == "skipped"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED and submission.attempts == 2


def test_repeated_failures_end_in_a_clear_failure(participant, phase, settings):
    settings.SCORING_MAX_ATTEMPTS = 2
    submission = queued_again(services.submission_create(phase=phase, user=participant.user, upload=predictions()))
    with mock.patch.object(runner, "score_predictions", side_effect=RuntimeError("boom")):
        with pytest.raises(runner.ScoringInterrupted):
            runner.submission_score(submission.pk)
        assert runner.submission_score(submission.pk) == "failed"
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED and submission.error


def test_a_submission_left_running_by_a_killed_worker_is_scored_again(participant, phase):
    submission = queued_again(services.submission_create(phase=phase, user=participant.user, upload=predictions()))
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.RUNNING, started_at=timezone.now() - timedelta(hours=1)
    )
    assert services.stale_submissions_requeue() == 1
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED
    kinds = list(phase.competition.events.filter(actor=None).values_list("kind", flat=True))
    assert kinds[-2:] == ["requeued", "scored"]  # the platform's own actions are in the log too


def test_replacing_the_ground_truth_rescores_the_phase(participant, phase, host):
    submission = services.submission_create(phase=phase, user=participant.user, upload=predictions())
    submission.refresh_from_db()
    assert submission.public_score == 1.0
    flipped = TRUTH.replace("cat", "xxx").replace("dog", "cat").replace("xxx", "dog")
    services.ground_truth_upload(phase=phase, user=host, data=flipped.encode())
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED and submission.public_score == 0.0
    assert submission.ground_truth_version == 2


def test_leaderboard_best_submission_ties_and_selection(competition, phase, participant, host):
    other = make_user("olga@example.org", full_name="Olga")
    services.competition_join(competition=competition, user=other, accept_rules=True, display_name="olga")
    services.participant_decide(participant=competition.participants.get(user=other), user=host, approve=True)
    half = {i: ("cat" if i % 3 == 0 else "dog") if i % 2 else "cat" for i in range(12)}
    first = services.submission_create(phase=phase, user=participant.user, upload=predictions(half))
    services.submission_create(phase=phase, user=participant.user, upload=predictions())
    services.submission_create(phase=phase, user=other.__class__.objects.get(pk=other.pk), upload=predictions())
    lines = leaderboard(phase)
    assert [(line.entrant, line.score, line.submissions) for line in lines] == [
        ("paul-p", 1.0, 2),
        ("olga", 1.0, 1),
    ]  # tie broken by the earlier submission
    first.refresh_from_db()
    services.submission_select(submission=first, user=participant.user)
    assert [line.entrant for line in leaderboard(phase)] == ["olga", "paul-p"]


def test_teams_share_the_limits_and_the_leaderboard_line(competition, phase, participant, host):
    mate = make_user("mia@example.org")
    services.competition_join(competition=competition, user=mate, accept_rules=True)
    mate_participant = services.participant_decide(
        participant=competition.participants.get(user=mate), user=host, approve=True
    )
    team = services.team_create(participant=participant, name="Les Chats")
    services.team_join(participant=mate_participant, code=team.join_code)
    participant.refresh_from_db()
    for user in (participant.user, mate, participant.user):
        services.submission_create(phase=phase, user=user, upload=predictions())
    with pytest.raises(services.LimitReached):
        services.submission_create(phase=phase, user=mate, upload=predictions())
    assert [(line.entrant, line.submissions) for line in leaderboard(phase)] == [("Les Chats", 3)]


def test_a_team_is_joined_only_with_its_code_and_within_its_size(competition, phase, participant, host):
    competition.max_team_size = 2
    competition.save()

    def admitted(email):
        services.competition_join(competition=competition, user=make_user(email), accept_rules=True)
        return services.participant_decide(
            participant=competition.participants.get(user__email=email), user=host, approve=True
        )

    mate, third = admitted("mia@example.org"), admitted("tom@example.org")
    team = services.team_create(participant=participant, name="Les Chats")
    with pytest.raises(services.CompetitionError, match="existe déjà"):
        services.team_create(participant=mate, name="  les   chats ")  # same name, other case and spaces
    with pytest.raises(services.CompetitionError, match="code"):
        services.team_join(participant=mate, code="not-the-code")
    services.team_join(participant=mate, code=team.join_code)
    with pytest.raises(services.CompetitionError, match="complète"):
        services.team_join(participant=third, code=team.join_code)
    services.team_leave(participant=mate)
    services.team_join(participant=third, code=team.join_code)
    assert sorted(m.user.email for m in team.members.all()) == ["paul@participant.example", "tom@example.org"]
    services.submission_create(phase=phase, user=third.user, upload=predictions())
    participant.refresh_from_db()
    with pytest.raises(services.CompetitionError, match="plus changer"):
        services.team_leave(participant=participant)  # a team-mate's submission binds the team too
    kinds = list(competition.events.filter(kind__startswith="team").values_list("kind", flat=True))
    assert kinds.count("team_joined") == 2 and "team_left" in kinds and "team_created" in kinds


def test_an_empty_team_without_submissions_disappears(competition, participant):
    team = services.team_create(participant=participant, name="Solo")
    services.team_leave(participant=participant)
    assert not competition.teams.filter(pk=team.pk).exists()
    assert services.team_create(participant=participant, name="Solo").name == "Solo"


def test_pending_participants_cannot_form_teams(competition):
    pending = services.competition_join(competition=competition, user=make_user("ann@example.org"), accept_rules=True)
    with pytest.raises(services.NotAllowed):
        services.team_create(participant=pending, name="Early")


def test_scoring_runs_are_queued_with_the_configured_time_limit(db, settings, django_capture_on_commit_callbacks):
    from convergence.competitions import tasks

    settings.SCORING_TIME_LIMIT_SECONDS = 120
    with (
        mock.patch.object(tasks.score_submission, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.queue_scoring(7)
    # Room for two sandboxed runs (ingestion, then scoring) of 120 s each.
    queued.assert_called_once_with((7,), time_limit=270, soft_time_limit=260)


def test_the_scoring_worker_refreshes_the_leaderboard_so_that_pages_only_read_it(
    phase, participant, monkeypatch, django_capture_on_commit_callbacks
):
    from convergence.competitions import selectors

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_create(phase=phase, user=participant.user, upload=predictions())

    def computed_per_request(*args, **kwargs):
        raise AssertionError("the board should have been computed by the worker, not by this request")

    with monkeypatch.context() as patched:
        patched.setattr(selectors, "compute_leaderboard", computed_per_request)
        assert [(line.entrant, line.score) for line in selectors.leaderboard(phase)] == [("paul-p", 1.0)]

    # A change a participant makes (choosing another submission) is shown at once, computed on the next read.
    half = {i: ("cat" if i % 3 == 0 else "dog") if i % 2 else "cat" for i in range(12)}
    worse = services.submission_create(phase=phase, user=participant.user, upload=predictions(half))
    worse.refresh_from_db()
    assert worse.status == "scored", (worse.status, worse.error)
    services.submission_select(submission=worse, user=participant.user)
    assert selectors.leaderboard(phase)[0].score == worse.public_score < 1.0
