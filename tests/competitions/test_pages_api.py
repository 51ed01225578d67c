import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from convergence.competitions import services
from convergence.competitions.bundle import competition_from_bundle
from convergence.competitions.models import Competition, Submission
from tests.competitions.conftest import TRUTH, predictions
from tests.conftest import make_user


def zip_bundle(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


NATIVE = """
title: Détection de chats
description: Classez les images.
rules: Une soumission par jour.
participation: closed
teams: true
public_files:
  - {path: data/train.csv, title: Données d'entraînement}
phases:
  - name: Développement
    starts_at: 2020-01-01T00:00:00
    ends_at: 2099-01-01T00:00:00
    metric: accuracy
    max_per_day: 2
    ground_truth: reference/truth.csv
"""

CODABENCH = """
version: 2
title: Codabench style
description: From Codabench
terms: terms.md
phases:
  - index: 0
    name: Feedback
    start: 2020-01-01
    end: 2099-01-01
    max_submissions_per_day: 4
    max_submissions: 40
    tasks: [0]
tasks:
  - index: 0
    name: task
    reference_data: reference_data
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {title: Accuracy, key: accuracy, index: 0, sorting: desc}
"""


def test_a_bundle_creates_the_competition_its_data_and_ground_truth(host):
    data = zip_bundle({"competition.yaml": NATIVE, "data/train.csv": "id,x\n1,2", "reference/truth.csv": TRUTH})
    competition = competition_from_bundle(user=host, data=data).competition
    phase = competition.phases.get()
    assert competition.participation == "closed" and competition.teams_allowed
    assert phase.max_per_day == 2 and phase.ground_truths.get().rows == 12
    assert competition.public_files.get().title == "Données d'entraînement"


def test_the_common_subset_of_codabench_is_read(host):
    data = zip_bundle({"competition.yaml": CODABENCH, "terms.md": "Be nice.", "reference_data/truth.csv": TRUTH})
    competition = competition_from_bundle(user=host, data=data).competition
    phase = competition.phases.get()
    assert (phase.metric, phase.max_per_day, phase.max_total) == ("accuracy", 4, 40)
    assert competition.rules == "Be nice."


@pytest.mark.parametrize(
    "files, message",
    [
        ({"readme.txt": "x"}, "no competition.yaml"),
        ({"competition.yaml": "title: [unclosed"}, "not valid YAML"),
        ({"competition.yaml": NATIVE.replace("metric: accuracy", "metric: bleu")}, "unknown metric bleu"),
        ({"competition.yaml": NATIVE, "data/train.csv": "x"}, "no file “reference/truth.csv”"),
        ({"competition.yaml": NATIVE.replace("title: Détection de chats\n", "")}, "title"),
    ],
)
def test_an_invalid_bundle_is_refused_naming_the_problem(host, files, message):
    with override("en"), pytest.raises(services.CompetitionError) as refused:
        competition_from_bundle(user=host, data=zip_bundle(files))
    assert message in str(refused.value.message)
    assert not Competition.objects.exists()


def test_not_a_zip(host):
    with pytest.raises(services.CompetitionError):
        competition_from_bundle(user=host, data=b"PK-not-really")


def test_only_organisers_and_format_1_carriers_host(db, call, complete_draft, applicant):
    with pytest.raises(services.NotAllowed):
        services.competition_create(user=applicant, title="Mine")
    competition = services.competition_create(user=applicant, title="Mine", application=complete_draft)
    assert competition.call == call  # complete_draft is of format 1, hosted as a competition


def test_participants_never_reach_the_ground_truth_or_private_scores_before_the_end(
    competition, phase, participant, client, api_client
):
    submission = services.submission_create(phase=phase, user=participant.user, upload=predictions())
    submission.refresh_from_db()
    assert submission.private_score is not None
    client.force_login(participant.user)
    page = client.get(competition.get_absolute_url()).content.decode()
    assert "leaderboard-private" not in page
    assert client.get(f"/competitions/{competition.slug}/host/").status_code == 403
    truth = phase.ground_truths.get()
    assert truth.file.url not in page and "truth" not in page.lower().replace("ground truth", "")
    api_client.force_authenticate(participant.user)
    body = api_client.get(f"/api/v1/competitions/submissions/{submission.pk}/").json()
    assert body["public_score"] == 1.0 and body["private_score"] is None
    assert (
        api_client.get(
            f"/api/v1/competitions/{competition.slug}/phases/{phase.code}/leaderboard/?private=1"
        ).status_code
        == 403
    )
    phase.ends_at = timezone.now() - timedelta(seconds=1)
    phase.save()
    assert api_client.get(f"/api/v1/competitions/submissions/{submission.pk}/").json()["private_score"] == 1.0
    lines = api_client.get(f"/api/v1/competitions/{competition.slug}/phases/{phase.code}/leaderboard/?private=1").json()
    assert lines[0]["score"] == 1.0


def test_other_participants_files_and_submissions_are_out_of_reach(
    competition, phase, participant, host, client, api_client
):
    submission = services.submission_create(phase=phase, user=participant.user, upload=predictions())
    other = make_user("eve@example.org")
    services.competition_join(competition=competition, user=other, accept_rules=True)
    client.force_login(other)
    assert client.get(f"/competitions/submissions/{submission.pk}/").status_code == 404
    api_client.force_authenticate(other)
    assert api_client.get(f"/api/v1/competitions/submissions/{submission.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/competitions/{competition.slug}/submissions/").json() == []
    # Not admitted yet (closed competition): no data files either.
    public = services.public_file_add(competition=competition, user=host, title="train", upload=predictions())
    assert client.get(f"/competitions/files/{public.pk}/").status_code == 403
    client.force_login(participant.user)
    assert client.get(f"/competitions/files/{public.pk}/").status_code == 200


def test_submitting_through_the_api(competition, phase, participant, api_client):
    api_client.force_authenticate(participant.user)
    url = f"/api/v1/competitions/{competition.slug}/phases/{phase.code}/submissions/"
    response = api_client.post(url, {"file": predictions()}, format="multipart")
    assert response.status_code == 201 and response.json()["status"] == Submission.Status.SCORED
    bad = api_client.post(url, {"file": predictions({0: "cat"})}, format="multipart")
    assert bad.status_code == 201 and bad.json()["status"] == "failed" and bad.json()["error"]
    stranger = make_user("sam@example.org")
    api_client.force_authenticate(stranger)
    assert api_client.post(url, {"file": predictions()}, format="multipart").status_code == 403


def test_pages_join_submit_and_poll(competition, phase, host, client):
    user = make_user("tom@example.org", full_name="Tom")
    client.force_login(user)
    client.post(f"/competitions/{competition.slug}/join/", {"accept_rules": "on", "display_name": "tom-the-cat"})
    client.force_login(host)
    participant = competition.participants.get(user=user)
    client.post(f"/competitions/{competition.slug}/participants/{participant.pk}/", {"decision": "approve"})
    client.force_login(user)
    client.post(f"/competitions/{competition.slug}/{phase.code}/submit/", {"file": predictions()})
    submission = Submission.objects.get()
    row = client.get(f"/competitions/submissions/{submission.pk}/").content.decode()
    assert 'data-status="scored"' in row and "hx-get" not in row
    page = client.get(competition.get_absolute_url()).content.decode()
    assert "tom-the-cat" in page and "1,00000" in page
    assert "1 sur 3 aujourd'hui" in page
    csv_export = client.get(f"/competitions/{competition.slug}/{phase.code}/leaderboard.csv").content.decode()
    assert csv_export.splitlines()[1].startswith("1,tom-the-cat,1.0,1,")


def test_host_pages_create_a_competition_and_a_phase(host, client):
    client.force_login(host)
    response = client.post(
        "/competitions/new/",
        {"create": "1", "title": "Crues", "description": "", "rules": "", "participation": "open"},
    )
    competition = Competition.objects.get(title="Crues")
    assert response.url == f"/competitions/{competition.slug}/host/"
    client.post(
        f"/competitions/{competition.slug}/host/",
        {
            "phase": "1",
            "phase-name": "Final",
            "phase-starts_at": "2026-01-01T00:00",
            "phase-ends_at": "2026-01-31T00:00",
            "phase-metric": "rmse",
            "phase-max_per_day": "3",
            "phase-max_total": "30",
        },
    )
    assert competition.phases.get().metric == "rmse"
    truth = io.BytesIO(b"id,target\n1,0.5\n2,oops")
    truth.name = "truth.csv"
    page = client.post(f"/competitions/{competition.slug}/final/ground-truth/", {"truth-file": truth}, follow=True)
    assert "pas des nombres" in page.content.decode()


def test_demo_competition_is_open_with_scored_submissions(host, client):
    from convergence.competitions.demo import seed_demo_competition
    from convergence.competitions.selectors import leaderboard

    players = [
        make_user("a@demo.example", full_name="Alice Skilled"),
        make_user("b@demo.example", full_name="Bob Guess"),
    ]
    competition = seed_demo_competition(host=host, participants=players)
    assert Submission.objects.filter(phase__competition=competition, status="scored").count() == 2
    lines = leaderboard(competition.phases.get())
    # The more skilled demo participant predicts better: the seeded leaderboard is meaningful, not random.
    assert [line.entrant for line in lines] == ["crues-pasteur", "addis-hydro"]
    assert lines[0].score > lines[1].score > 0.5
    page = client.get(competition.get_absolute_url()).content.decode()
    assert "crues-pasteur" in page and "Alice Skilled" not in page


def test_teams_through_the_page_and_the_api(competition, phase, participant, host, client, api_client):
    mate = make_user("mia@example.org", full_name="Mia Mate")
    services.competition_join(competition=competition, user=mate, accept_rules=True)
    services.participant_decide(participant=competition.participants.get(user=mate), user=host, approve=True)
    client.force_login(participant.user)
    page = client.post(
        f"/competitions/{competition.slug}/team/", {"action": "create", "name": "Les Chats"}, follow=True
    ).content.decode()
    code = competition.teams.get().join_code
    assert "Les Chats" in page and code in page
    api_client.force_authenticate(mate)
    assert api_client.get(f"/api/v1/competitions/{competition.slug}/team/").status_code == 404
    wrong = api_client.post(f"/api/v1/competitions/{competition.slug}/team/", {"action": "join", "code": "guess"})
    assert wrong.status_code == 400 and "code" in wrong.json()["detail"]
    joined = api_client.post(f"/api/v1/competitions/{competition.slug}/team/", {"action": "join", "code": code})
    assert joined.status_code == 200
    assert sorted(joined.json()["members"]) == ["Mia Mate", "Paul Participant"]
    # Someone outside the team sees neither the code nor the members.
    outsider = make_user("olga@example.org")
    services.competition_join(competition=competition, user=outsider, accept_rules=True)
    services.participant_decide(participant=competition.participants.get(user=outsider), user=host, approve=True)
    client.force_login(outsider)
    assert code not in client.get(competition.get_absolute_url()).content.decode()
    services.submission_create(phase=phase, user=mate, upload=predictions())
    board = api_client.get(f"/api/v1/competitions/{competition.slug}/phases/{phase.code}/leaderboard/").json()
    assert [line["entrant"] for line in board] == ["Les Chats"]
    left = api_client.post(f"/api/v1/competitions/{competition.slug}/team/", {"action": "leave"})
    assert left.status_code == 400  # the team has submitted: membership is frozen


def test_the_host_sees_every_submission_and_the_activity_log(competition, phase, participant, host, client):
    services.submission_create(phase=phase, user=participant.user, upload=predictions())
    services.submission_create(phase=phase, user=participant.user, upload=predictions({0: "cat"}))
    client.force_login(host)  # the host reads French (preferred language)
    page = client.get(f"/competitions/{competition.slug}/host/").content.decode()
    submissions = page[page.index('id="host-submissions"') : page.index('id="activity"')]
    assert submissions.count("paul@participant.example") == 2
    assert submissions.count("1,00000") == 2  # public and private: hosts see both
    assert "manquants" in submissions  # the failure's reason, for the host to help
    log = page[page.index('id="activity"') :]
    for line in ("Admis", "Soumission reçue", "Soumission évaluée", "Soumission en échec", "plateforme"):
        assert line in log
    # Details read as sentences: the phase's name, the score with a French decimal comma.
    assert f"Phase : {phase.name}" in log and "Score : 1,0000" in log and "phase: " not in log
    client.force_login(participant.user)
    assert client.get(f"/competitions/{competition.slug}/host/").status_code == 403


def test_a_submitted_file_is_downloadable_by_its_author_and_the_host_only(
    competition, phase, participant, host, client, api_client
):
    upload = predictions()
    sent = upload.read()
    upload.seek(0)
    submission = services.submission_create(phase=phase, user=participant.user, upload=upload)
    address = f"/competitions/submissions/{submission.pk}/predictions.csv"
    api_client.force_authenticate(participant.user)
    assert api_client.get(f"/api/v1/competitions/submissions/{submission.pk}/").json()["file_url"] == address
    for user, status in ((participant.user, 200), (host, 200), (make_user("eve@example.org"), 404)):
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == sent
    client.logout()
    assert client.get(address).status_code == 404


def test_the_list_shows_each_competitions_state_and_participants(competition, participant, host, client):
    upcoming = services.competition_create(user=host, title="Later", participation="open")
    services.phase_add(
        competition=upcoming,
        user=host,
        code="dev",
        name="Dev",
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=9),
        metric="accuracy",
        max_per_day=1,
        max_total=1,
    )
    services.competition_create(user=host, title="Draft", participation="open")
    services.competition_join(competition=competition, user=make_user("wait@example.org"), accept_rules=True)
    page = client.get("/competitions/").content.decode()
    assert page.count('data-state="running"') == page.count('data-state="upcoming"') == 1
    assert page.count('data-state="preparing"') == 1
    assert "1 participant" in page  # the admitted one; a pending request does not count
