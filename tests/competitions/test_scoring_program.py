"""A phase scored by the host's own program, as on Codabench: the host uploads it (page and API), each
submission's results are scored by it in the sandbox, the leaderboard ranks on the score it names."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from convergence.competitions import services
from convergence.competitions.models import CompetitionEvent, Submission
from convergence.competitions.selectors import leaderboard
from tests.conftest import make_user

from .conftest import TRUTH

SCORE_PY = """
import json, pathlib, sys
truth = pathlib.Path(sys.argv[1], "ref", "truth.csv").read_text().splitlines()[1:]
reference = dict(line.split(",")[:2] for line in truth)
results = pathlib.Path(sys.argv[1], "res")
answers = dict(line.split(",")[:2] for line in next(results.glob("*.csv")).read_text().splitlines()[1:])
right = sum(answers.get(key) == value for key, value in reference.items())
print(f"scored {len(reference)} rows")
output = pathlib.Path(sys.argv[2])
(output / "scores.json").write_text(json.dumps({"accuracy": right / len(reference), "errors": len(reference) - right}))
(output / "detailed_results.html").write_text("<p>per class</p>")
"""


def _zip(files: dict[str, str], folder: str = "") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(folder + name, text)
    return SimpleUploadedFile("bundle.zip", buffer.getvalue(), content_type="application/zip")


def program(code: str = SCORE_PY, command: str = "python $program/score.py $input $output", folder: str = ""):
    return _zip({"metadata": f"command: {command}\n", "score.py": code}, folder)


def reference():
    return _zip({"truth.csv": TRUTH})


def results(wrong: int = 0) -> SimpleUploadedFile:
    rows = [f"{i},{'cat' if (i % 3 == 0) != (i < wrong) else 'dog'}" for i in range(12)]
    return _zip({"predictions.csv": "id,prediction\n" + "\n".join(rows)})


@pytest.fixture
def program_phase(phase, host):
    # Zipped with its folder, as people often do: the platform looks inside.
    return services.phase_program_set(
        phase=phase, user=host, program=program(folder="scoring_program/"), reference=reference()
    )


def test_each_submission_is_scored_by_the_hosts_program_in_the_sandbox(program_phase, participant):
    submission = services.submission_create(phase=program_phase, user=participant.user, upload=results(wrong=3))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED, submission.error
    assert submission.scores == {"accuracy": 9 / 12, "errors": 3.0}
    assert submission.public_score == pytest.approx(0.75)
    assert "scored 12 rows" in submission.scoring_log
    assert submission.detailed_results == "<p>per class</p>"
    assert CompetitionEvent.objects.filter(kind="scoring_program_uploaded").exists()


def test_the_leaderboard_ranks_on_the_named_score_in_its_direction(phase, host, participant, competition):
    services.phase_program_set(
        phase=phase, user=host, program=program(), reference=reference(), score_column="errors", higher_is_better=False
    )
    other = make_user("olga@participant.example")
    services.competition_join(competition=competition, user=other, accept_rules=True, display_name="olga")
    services.participant_decide(participant=competition.participants.get(user=other), user=host, approve=True)
    services.submission_create(phase=phase, user=participant.user, upload=results(wrong=4))
    services.submission_create(phase=phase, user=other, upload=results(wrong=1))
    phase.refresh_from_db()
    board = leaderboard(phase)
    assert [line.score for line in board] == [1.0, 4.0]
    # The other scores the program wrote stand beside the ranked one, on the page, in the CSV and the API.
    assert [line.columns for line in board] == [(("accuracy", 11 / 12),), (("accuracy", 8 / 12),)]
    slug = phase.competition.slug
    csv_lines = Client().get(f"/competitions/{slug}/{phase.code}/leaderboard.csv").content.decode().splitlines()
    assert csv_lines[0] == "rank,entrant,score,accuracy,submissions,submitted_at"
    api = APIClient().get(f"/api/v1/competitions/{slug}/phases/{phase.code}/leaderboard/").json()
    lines = api if isinstance(api, list) else api["results"]
    assert lines[0]["other_scores"] == {"accuracy": 11 / 12}


def test_a_program_that_fails_fails_the_submission_and_keeps_its_output_for_the_host(phase, host, participant):
    crash = "import sys\nprint('reading the reference')\nraise SystemExit('reference missing: truth.csv')\n"
    services.phase_program_set(phase=phase, user=host, program=program(crash), reference=None)
    submission = services.submission_create(phase=phase, user=participant.user, upload=results())
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert "code de sortie 1" in submission.error  # in the participant's language
    assert "reading the reference" in submission.scoring_log and "truth.csv" in submission.scoring_log


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.zip", b"not a zip"), "zip"),
        (_zip({"score.py": "print(1)"}), "metadata"),
        (_zip({"metadata": "image: codalab/codalab-legacy:py37\n"}), "command"),
        (_zip({"../evil.py": "x", "metadata": "command: python x"}), "outside"),
    ],
)
def test_an_unusable_program_is_refused_saying_why(phase, host, upload, message):
    with translation.override("en"), pytest.raises(services.CompetitionError, match=message):
        services.phase_program_set(phase=phase, user=host, program=upload)
    phase.refresh_from_db()
    assert not phase.uses_program


def test_the_host_uploads_it_on_the_page_and_through_the_api(client, api_client, phase, host, participant):
    client.force_login(host)
    url = f"/competitions/{phase.competition.slug}/{phase.code}/scoring-program/"
    prefix = f"program-{phase.code}"
    response = client.post(
        url,
        {f"{prefix}-program": program(), f"{prefix}-reference": reference(), f"{prefix}-higher_is_better": "on"},
        follow=True,
    )
    assert response.status_code == 200
    phase.refresh_from_db()
    assert phase.uses_program and phase.reference_data
    page = response.content.decode()
    assert "Programme d&#x27;évaluation enregistré" in page and "Le classement se fait sur le premier score" in page

    api = APIClient()
    api.force_authenticate(participant.user)
    api_url = f"/api/v1/competitions/{phase.competition.slug}/phases/{phase.code}/scoring-program/"
    assert api.put(api_url, {"program": program()}, format="multipart").status_code == 403
    api.force_authenticate(host)
    answer = api.put(
        api_url, {"program": program(), "score_column": "errors", "higher_is_better": "false"}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["uses_program"] is True and answer.json()["score_column"] == "errors"
    refused = api.put(api_url, {"program": _zip({"score.py": ""})}, format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "bundle_invalid"


def test_the_participant_sees_the_programs_output_only_when_the_host_allows_it(program_phase, participant, host):
    submission = services.submission_create(phase=program_phase, user=participant.user, upload=results())
    api = APIClient()
    api.force_authenticate(participant.user)
    url = f"/api/v1/competitions/submissions/{submission.pk}/"
    assert api.get(url).json()["scoring_log"] is None
    assert api.get(url).json()["scores"] == {"accuracy": 1.0, "errors": 0.0}
    api.force_authenticate(host)
    assert "scored 12 rows" in api.get(url).json()["scoring_log"]
    program_phase.logs_visible = True
    program_phase.save(update_fields=["logs_visible"])
    api.force_authenticate(participant.user)
    assert "scored 12 rows" in api.get(url).json()["scoring_log"]


def test_a_zip_bomb_is_refused_before_unpacking(phase, host, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata", "command: python score.py\n")
        for index in range(3):
            archive.writestr(f"zeros-{index}.bin", b"\0" * (1024**3))  # 3 GB that compress to a few MB
    upload = SimpleUploadedFile("bomb.zip", buffer.getvalue())
    assert len(buffer.getvalue()) < 20 * 1024**2
    with translation.override("en"), pytest.raises(services.CompetitionError, match="too large once unpacked"):
        services.phase_program_set(phase=phase, user=host, program=upload)


INGESTION_PY = """
import importlib.util, pathlib, sys
input_dir, output_dir, program_dir, code_dir = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("model", pathlib.Path(code_dir, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
rows = [line.split(",") for line in pathlib.Path(input_dir, "test.csv").read_text().splitlines()[1:]]
lines = ["id,prediction"] + [f"{key},{model.predict(int(x))}" for key, x in rows]
pathlib.Path(output_dir, "predictions.csv").write_text("\\n".join(lines))
print("ingested", len(rows))
"""
GOOD_MODEL = "print('model loaded')\n\ndef predict(x):\n    return 'cat' if x % 3 == 0 else 'dog'\n"


@pytest.fixture
def code_phase(phase, host):
    ingestion = _zip(
        {
            "metadata": "command: python $ingestion_program/ingestion.py $input $output $ingestion_program "
            "$submission_program\n",
            "ingestion.py": INGESTION_PY,
        }
    )
    inputs = _zip({"test.csv": "id,x\n" + "\n".join(f"{i},{i}" for i in range(12))})
    return services.phase_program_set(
        phase=phase,
        user=host,
        program=program(),
        reference=reference(),
        ingestion=ingestion,
        input_data=inputs,
        time_limit_seconds=3,
    )


def test_code_is_run_by_the_ingestion_program_and_its_predictions_scored(code_phase, participant):
    assert code_phase.takes_code
    submission = services.submission_create(
        phase=code_phase, user=participant.user, upload=_zip({"model.py": GOOD_MODEL}, "my-model/")
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED, (submission.error, submission.ingestion_log)
    assert submission.scores == {"accuracy": 1.0, "errors": 0.0}
    assert "model loaded" in submission.ingestion_log and "ingested 12" in submission.ingestion_log


@pytest.mark.parametrize(
    "model, reason",
    [
        ("def predict(x):\n    return 1 / 0\n", "Your code stopped with an error"),
        ("def predict(x):\n    while True:\n        pass\n", "longer than the 3 seconds"),
    ],
)
def test_code_that_fails_or_never_ends_fails_its_submission_with_its_output(code_phase, participant, model, reason):
    user = participant.user
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    submission = services.submission_create(phase=code_phase, user=user, upload=_zip({"model.py": model}))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.FAILED
    assert reason in submission.error
    api = APIClient()
    api.force_authenticate(user)
    shown = api.get(f"/api/v1/competitions/submissions/{submission.pk}/").json()
    assert shown["ingestion_log"] == submission.ingestion_log
    if "error" in reason:
        assert "ZeroDivisionError" in submission.ingestion_log


def test_a_code_phase_takes_a_zip_only(code_phase, participant):
    with translation.override("en"), pytest.raises(services.CompetitionError, match="submit it as a zip"):
        services.submission_create(
            phase=code_phase, user=participant.user, upload=SimpleUploadedFile("model.py", b"x = 1")
        )


def test_detailed_results_are_shown_to_their_author_in_a_sandbox_of_their_own(client, program_phase, participant):
    submission = services.submission_create(phase=program_phase, user=participant.user, upload=results())
    url = f"/competitions/submissions/{submission.pk}/detailed-results/"
    client.force_login(participant.user)
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"<p>per class</p>"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    client.force_login(make_user("someone@else.example"))
    assert client.get(url).status_code == 404


def test_an_unusable_ingestion_program_is_named_in_the_refusal(phase, host):
    with translation.override("en"), pytest.raises(services.CompetitionError, match="The ingestion program has no"):
        services.phase_program_set(phase=phase, user=host, program=program(), ingestion=_zip({"run.py": ""}))
