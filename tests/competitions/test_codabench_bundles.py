"""The project's example bundles (competitions/examples/), written as CodaLab (v1) and Codabench (v2) users
write them, imported and scored end to end: the v1 with a Python scoring program, the v2 with an ingestion
program that runs a participant's code."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from convergence.competitions import services
from convergence.competitions.bundle import competition_from_bundle
from convergence.competitions.models import Submission
from tests.conftest import make_user

EXAMPLES = Path(__file__).resolve().parents[2] / "competitions" / "examples"


def zipped(folder: Path, nested: tuple[str, ...] = ()) -> bytes:
    """The folder as a bundle; the `nested` sub-folders as zips inside it, as CodaLab's bundles carry them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            relative = path.relative_to(folder)
            if relative.parts[0] in nested:
                continue
            archive.writestr(str(relative), path.read_bytes())
        for name in nested:
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as sub:
                for path in sorted((folder / name).rglob("*")):
                    if path.is_file():
                        sub.writestr(str(path.relative_to(folder / name)), path.read_bytes())
            archive.writestr(f"{name}.zip", inner.getvalue())
    return buffer.getvalue()


def _open_now(competition):
    """The examples' dates are the 2025 edition's: open the phases now to submit (a test shortcut)."""
    now = timezone.now()
    for offset, phase in enumerate(competition.phases.order_by("position")):
        phase.starts_at, phase.ends_at = now - timedelta(days=1), now + timedelta(days=10 + offset)
        phase.save(update_fields=["starts_at", "ends_at"])


def _player(competition, email):
    user = make_user(email)
    services.competition_join(competition=competition, user=user, accept_rules=True)
    return user


@pytest.fixture
def host(db):
    return make_user("host-bundles@example.org", is_organiser=True)


def test_a_codalab_v1_bundle_with_a_scoring_program(host):
    data = zipped(EXAMPLES / "codalab-v1-flood", nested=("scoring_program", "reference_data"))
    with translation.override("en"):
        imported = competition_from_bundle(user=host, data=data)
    competition = imported.competition
    development, final = competition.phases.order_by("position")
    assert (development.name, final.name) == ("Development", "Final")
    # A v1 phase ends when the next starts; the last at the competition's end; `2-15-2025` is month first.
    assert development.ends_at == final.starts_at
    assert timezone.localtime(final.starts_at).date().isoformat() == "2025-02-15"
    assert timezone.localtime(final.ends_at).date().isoformat() == "2025-03-31"
    assert development.uses_program and development.score_column == "f1" and development.higher_is_better
    assert (development.max_per_day, final.max_total, development.time_limit_seconds) == (5, 3, 120)
    # Its columns: labels and numeric formats kept, ranked on the lowest rank.
    assert [(c["key"], c["title"], c["precision"]) for c in development.leaderboard_columns] == [
        ("f1", "F1 score", 4),
        ("accuracy", "Accuracy", 4),
    ]
    assert development.score_label == "F1 score"
    assert "cumulated rainfall" in competition.description and "<script>" not in competition.description
    assert "never run" not in competition.description  # a script's content is dropped with it
    assert competition.rules == "One account per person. The data stay within the challenge."
    assert competition.logo and competition.logo.read().startswith(b"\x89PNG")
    assert "Phase 1: “color” is not used by the platform." in imported.warnings

    _open_now(competition)
    development.refresh_from_db()
    player = _player(competition, "player-v1@example.org")
    truth = (EXAMPLES / "codalab-v1-flood" / "reference_data" / "truth.csv").read_text()
    upload = SimpleUploadedFile("predictions.csv", truth.replace("id,flood", "id,prediction").encode())
    submission = services.submission_create(phase=development, user=player, upload=upload)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED, (submission.error, submission.scoring_log)
    assert submission.scores == {"f1": 1.0, "accuracy": 1.0}  # "Duration: 0.1s" is not a number: left out
    assert "40 sites scored" in submission.scoring_log


def test_a_codabench_v2_bundle_with_an_ingestion_program_and_a_code_submission(
    host, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        imported = competition_from_bundle(user=host, data=zipped(EXAMPLES / "codabench-v2-code"))
    competition = imported.competition
    phase = competition.phases.get()
    assert phase.takes_code and phase.input_data and phase.reference_data
    assert (phase.score_column, phase.higher_is_better, phase.time_limit_seconds) == ("missed", False, 60)
    assert [(c["key"], c["title"], c["hidden"]) for c in phase.leaderboard_columns] == [
        ("missed", "Missed alerts", False),
        ("accuracy", "Accuracy", True),
    ]
    assert timezone.localtime(phase.starts_at).date().isoformat() == "2025-01-06"
    assert "Each reading gives the temperature" in competition.description
    # Markdown kept as text, its headings without their `#`, each page once under its title.
    assert "#" not in competition.description and competition.description.count("Overview") == 1
    assert competition.rules.startswith("Your code runs without network")
    assert "“docker_image” is not used by the platform." in imported.warnings
    assert not any("logo" in warning for warning in imported.warnings)
    # Its solution (the organisers' baseline, a folder of code) ran through both programs at import.
    solution = phase.solutions.get()
    assert solution.status == "passed", (solution.error, solution.ingestion_log, solution.log)
    assert "60 readings predicted" in solution.ingestion_log and set(solution.scores) == {"missed", "accuracy"}
    # The phase's starting kit is the participants' download, its folder zipped.
    kit = competition.public_files.get()
    assert kit.title == "Starting kit — Development" and kit.original_name == "starting_kit.zip"
    with zipfile.ZipFile(kit.file.open("rb")) as archive:
        assert sorted(archive.namelist()) == ["README.md", "model.py"]

    _open_now(competition)
    phase.refresh_from_db()
    player = _player(competition, "player-v2@example.org")
    code = (EXAMPLES / "codabench-v2-code" / "solution" / "model.py").read_text()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("model.py", code)
    submission = services.submission_create(
        phase=phase, user=player, upload=SimpleUploadedFile("baseline.zip", buffer.getvalue())
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED, (submission.error, submission.ingestion_log)
    assert "60 readings predicted" in submission.ingestion_log
    assert set(submission.scores) == {"missed", "accuracy"} and submission.public_score == submission.scores["missed"]
    assert "alerts missed out of 60" in submission.detailed_results


def test_the_platforms_own_form_and_codabench_dates_stay_strict(host):
    broken = (EXAMPLES / "codabench-v2-code" / "competition.yaml").read_text().replace("start: 1-6-2025", "start: soon")
    with translation.override("en"), pytest.raises(services.CompetitionError, match="“soon” is not a date"):
        competition_from_bundle(user=host, data=zipped_with(EXAMPLES / "codabench-v2-code", broken))


def zipped_with(folder: Path, yaml_text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, zipfile.ZipFile(io.BytesIO(zipped(folder))) as original:
        for name in original.namelist():
            archive.writestr(name, yaml_text if name == "competition.yaml" else original.read(name))
    return buffer.getvalue()


def test_a_competition_exported_as_a_bundle_is_imported_back_the_same(client, host):
    original = competition_from_bundle(user=host, data=zipped(EXAMPLES / "codabench-v2-code")).competition
    services.public_file_add(
        competition=original, user=host, title="Sample", upload=SimpleUploadedFile("sample.csv", b"id,x\n1,2\n")
    )
    client.force_login(host)
    response = client.get(f"/competitions/{original.slug}/bundle.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    copy = competition_from_bundle(user=host, data=response.content)
    assert copy.warnings == []
    again, phase = copy.competition, copy.competition.phases.get()
    source = original.phases.get()
    fields = (
        "name", "starts_at", "ends_at", "max_per_day", "max_total", "score_column", "time_limit_seconds",
        "leaderboard_columns",
    )  # fmt: skip
    assert [getattr(phase, name) for name in fields] == [getattr(source, name) for name in fields]
    assert (phase.takes_code, phase.higher_is_better) == (True, False)
    assert (again.description, again.rules) == (original.description, original.rules)
    assert again.public_files.get(title="Sample").file.read() == b"id,x\n1,2\n"
    assert again.public_files.count() == 2  # with the starting kit
    assert [solution.name for solution in phase.solutions.all()] == ["solution"]
    assert again.logo.read() == original.logo.read()
    client.force_login(make_user("not-the-host@example.org"))
    assert client.get(f"/competitions/{original.slug}/bundle.zip").status_code in (403, 404)


def test_a_bundle_is_imported_through_the_api_with_its_warnings(host, api_client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user("player-api@example.org"))
    bundle = zipped(EXAMPLES / "codabench-v2-code")
    url = "/api/v1/competitions/import/"
    assert api.post(url, {"bundle": SimpleUploadedFile("b.zip", bundle)}, format="multipart").status_code == 403
    api.force_authenticate(host)
    answer = api.post(url, {"bundle": SimpleUploadedFile("b.zip", bundle)}, format="multipart")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["competition"]["phases"][0]["takes_code"] is True
    assert any("docker_image" in warning for warning in body["warnings"])
    refused = api.post(url, {"bundle": SimpleUploadedFile("b.zip", b"not a zip")}, format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "bundle_invalid"
