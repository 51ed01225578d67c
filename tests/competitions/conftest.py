"""A closed competition with one phase open now, its ground truth, and an admitted participant."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convergence.competitions import services
from tests.conftest import make_user

TRUTH = "id,target,split\n" + "\n".join(
    f"{i},{'cat' if i % 3 == 0 else 'dog'},{'public' if i < 6 else 'private'}" for i in range(12)
)


def predictions(rows: dict[int, str] | None = None, header: str = "id,prediction") -> SimpleUploadedFile:
    rows = rows if rows is not None else {i: ("cat" if i % 3 == 0 else "dog") for i in range(12)}
    body = header + "\n" + "\n".join(f"{i},{value}" for i, value in rows.items())
    return SimpleUploadedFile("predictions.csv", body.encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def scoring_right_away(monkeypatch):
    """Tests run inside one transaction that never commits: score as soon as a submission is queued."""
    from convergence.competitions.tasks import score_submission

    def score_now(ids):
        for pk in ids:
            score_submission.delay(pk)

    monkeypatch.setattr(services.submissions, "queue_scoring_after_commit", score_now)


def queued_again(submission):
    """As if the worker had not picked it up yet."""
    from convergence.competitions.models import Submission

    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.QUEUED, attempts=0, public_score=None, private_score=None, error=""
    )
    submission.refresh_from_db()
    return submission


@pytest.fixture
def host(db):
    return make_user("hana@host.example", full_name="Hana Host", is_organiser=True)


def running_phase(competition, host, code: str = "development"):
    """A phase open since yesterday for ten days, accuracy, 3 a day and 10 in all, its ground truth TRUTH."""
    now = timezone.now()
    phase = services.phase_add(
        competition=competition,
        user=host,
        code=code,
        name=code.capitalize(),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        metric="accuracy",
        max_per_day=3,
        max_total=10,
    )
    services.ground_truth_upload(phase=phase, user=host, data=TRUTH.encode())
    return phase


@pytest.fixture
def competition(host):
    competition = services.competition_create(
        user=host, title="Pets classification", rules="Be fair.", participation="closed", teams_allowed=True
    )
    running_phase(competition, host)
    return competition


@pytest.fixture
def phase(competition):
    return competition.phases.get()


@pytest.fixture
def participant(competition, host):
    user = make_user("paul@participant.example", full_name="Paul Participant")
    services.competition_join(competition=competition, user=user, accept_rules=True, display_name="paul-p")
    participant = competition.participants.get(user=user)
    return services.participant_decide(participant=participant, user=host, approve=True)
