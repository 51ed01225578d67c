"""The host's example solutions (Codabench's `solutions`): run through the phase's programs in the sandbox, as a
participant's submission would be, to check them before participants come; run again when the programs change;
never on the leaderboard."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from convergence.competitions import services
from convergence.competitions.models import CompetitionEvent, Solution
from convergence.competitions.selectors import activity, leaderboard

from .test_scoring_program import program, reference, results


@pytest.fixture
def program_phase(phase, host):
    return services.phase_program_set(phase=phase, user=host, program=program(), reference=reference())


def test_an_example_solution_added_on_the_host_page_runs_and_shows_its_scores(
    program_phase, host, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(host)
    slug, code = program_phase.competition.slug, program_phase.code
    prefix = f"solution-{code}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/competitions/{slug}/{code}/solutions/",
            {f"{prefix}-file": results(wrong=2), f"{prefix}-name": "Baseline"},
            follow=True,
        )
    assert "Solution d&#x27;exemple ajoutée" in response.content.decode()
    solution = Solution.objects.get()
    assert (solution.name, solution.status, solution.scores) == (
        "Baseline",
        "passed",
        {"accuracy": 10 / 12, "errors": 2},
    )
    assert "scored 12 rows" in solution.log
    page = client.get(f"/competitions/{slug}/host/").content.decode()
    assert 'data-solution="passed"' in page and "accuracy = 0,8333" in page
    assert leaderboard(program_phase) == []  # never a participant's line
    kinds = list(CompetitionEvent.objects.filter(kind__startswith="solution").values_list("kind", "actor"))
    assert kinds == [("solution_added", host.pk), ("solution_checked", None)]
    with translation.override("fr"):
        details = [line.details for line in activity(program_phase.competition)]
    assert "Phase : Development · Solution : Baseline · Statut : Fonctionne" in details
    assert any("Données de référence : oui" in line for line in details)


def test_a_solution_that_breaks_the_program_fails_saying_why(program_phase, host, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.solution_add(
            phase=program_phase, user=host, upload=SimpleUploadedFile("empty.zip", b"PK\x05\x06" + b"\x00" * 18)
        )
    solution = Solution.objects.get()
    assert solution.status == "failed" and solution.error and solution.checked_at


def test_they_run_again_when_the_programs_change(program_phase, host, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.solution_add(phase=program_phase, user=host, upload=results())
    assert Solution.objects.get().status == "passed"
    crash = "raise SystemExit('the reference moved')\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.phase_program_set(phase=program_phase, user=host, program=program(crash), reference=reference())
    solution = Solution.objects.get()
    assert solution.status == "failed" and "the reference moved" in solution.log
    with django_capture_on_commit_callbacks(execute=True):
        services.phase_program_set(phase=program_phase, user=host, program=program(), reference=reference())
    assert Solution.objects.get().status == "passed"


def test_a_phase_scored_by_a_builtin_metric_takes_no_solution(phase, host):
    with translation.override("en"), pytest.raises(services.CompetitionError, match="scoring program"):
        services.solution_add(phase=phase, user=host, upload=results())


def test_the_host_adds_and_reads_them_through_the_api(
    program_phase, host, participant, django_capture_on_commit_callbacks
):
    url = f"/api/v1/competitions/{program_phase.competition.slug}/phases/{program_phase.code}/solutions/"
    api = APIClient()
    api.force_authenticate(participant.user)
    assert api.get(url).status_code == 403
    assert api.post(url, {"file": results()}, format="multipart").status_code == 403
    api.force_authenticate(host)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(url, {"file": results(wrong=12), "name": "All wrong"}, format="multipart")
    assert answer.status_code == 201 and answer.json()["status"] == "queued"
    listed = api.get(url).json()
    assert [(item["name"], item["status"], item["scores"]["accuracy"]) for item in listed] == [
        ("All wrong", "passed", 0.0)
    ]


def test_running_them_again_recovers_one_a_dead_worker_left_running(
    program_phase, host, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stuck = services.solution_add(phase=program_phase, user=host, upload=results(), name="stuck")
        busy = services.solution_add(phase=program_phase, user=host, upload=results(), name="busy")
    long_ago, now = timezone.now() - timedelta(days=1), timezone.now()
    Solution.objects.filter(pk=stuck.pk).update(status="running", started_at=long_ago, scores={})
    Solution.objects.filter(pk=busy.pk).update(status="running", started_at=now, scores={})
    with django_capture_on_commit_callbacks(execute=True):
        assert services.solutions_check(phase=program_phase, user=host) == 1
    assert dict(Solution.objects.values_list("name", "status")) == {"stuck": "passed", "busy": "running"}
