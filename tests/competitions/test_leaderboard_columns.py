"""The columns of a program's leaderboard, as Codabench's `leaderboards[].columns`: titles, decimals, columns
hidden from participants (the host sees them), columns the platform computes; set on the host's page, through the
API and by a bundle; stored scores follow a change without running any program again."""

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from convergence.competitions import services
from convergence.competitions.columns import parse_columns, with_computed
from convergence.competitions.models import CompetitionEvent, Submission
from convergence.competitions.selectors import board
from tests.conftest import make_user

from .test_scoring_program import program, reference, results

COLUMNS = [
    {"key": "accuracy", "title": "Accuracy", "precision": 3},
    {"key": "errors", "title": "Errors", "precision": 0, "hidden": True},
]


@pytest.fixture
def scored(phase, host, participant, competition):
    """A program's phase with two entrants scored: paul (3 wrong of 12) and olga (1 wrong)."""
    phase = services.phase_program_set(phase=phase, user=host, program=program(), reference=reference())
    other = make_user("olga@participant.example")
    services.competition_join(competition=competition, user=other, accept_rules=True, display_name="olga")
    services.participant_decide(participant=competition.participants.get(user=other), user=host, approve=True)
    services.submission_create(phase=phase, user=participant.user, upload=results(wrong=3))
    services.submission_create(phase=phase, user=other, upload=results(wrong=1))
    return phase


def test_titles_decimals_and_hidden_columns_as_each_reader_sees_them(scored, host, participant):
    phase = services.phase_columns_set(phase=scored, user=host, columns=COLUMNS)
    public = board(phase)
    assert (public.ranked.label, public.ranked.precision) == ("Accuracy", 3)
    assert public.others == []  # the error count is the host's
    hosts = board(phase, host=True)
    assert [(column.label, column.precision) for column in hosts.others] == [("Errors", 0)]
    assert [cells for _line, cells in hosts.rows] == [[(1.0, 0)], [(3.0, 0)]]

    slug, code = phase.competition.slug, phase.code
    page = Client().get(f"/competitions/{slug}/?tab=leaderboard").content.decode()
    assert '<th scope="col">Accuracy</th>' in page and "Errors" not in page
    assert "0,917" in page  # 11/12 with three decimals, in French
    anonymous_csv = Client().get(f"/competitions/{slug}/{code}/leaderboard.csv").content.decode().splitlines()
    assert anonymous_csv[0] == "rank,entrant,score,submissions,submitted_at"
    host_client = Client()
    host_client.force_login(host)
    host_csv = host_client.get(f"/competitions/{slug}/{code}/leaderboard.csv").content.decode().splitlines()
    assert host_csv[0] == "rank,entrant,score,errors,submissions,submitted_at"
    assert host_csv[1].split(",")[3] == "1.0"
    api_url = f"/api/v1/competitions/{slug}/phases/{code}/leaderboard/"
    assert APIClient().get(api_url).json()[0]["other_scores"] == {}
    api = APIClient()
    api.force_authenticate(host)
    assert api.get(api_url).json()[0]["other_scores"] == {"errors": 1.0}
    api.force_authenticate(participant.user)
    assert api.get(api_url).json()[0]["other_scores"] == {}


def test_a_computed_column_ranks_and_follows_a_change_without_running_the_program_again(scored, host):
    scored_at = dict(scored.submissions.values_list("pk", "finished_at"))
    columns = [
        {"key": "accuracy"},
        {"key": "errors"},
        {"key": "penalised", "title": "Accuracy − errors", "computation": "sum", "of": ["accuracy", "errors"]},
    ]
    # Rank on the computed column: a lower sum is better here only to see the order follow it.
    scored.score_column, scored.program_higher_is_better = "penalised", False
    scored.save(update_fields=["score_column", "program_higher_is_better"])
    phase = services.phase_columns_set(phase=scored, user=host, columns=columns)
    lines = board(phase).rows
    assert [line.score for line, _cells in lines] == [pytest.approx(11 / 12 + 1), pytest.approx(9 / 12 + 3)]
    stored = sorted(phase.submissions.values_list("public_score", flat=True))
    assert stored == [pytest.approx(11 / 12 + 1), pytest.approx(9 / 12 + 3)]
    assert dict(phase.submissions.values_list("pk", "finished_at")) == scored_at  # no run again
    event = CompetitionEvent.objects.get(kind="columns_set")
    assert event.actor == host and event.details["columns"] == ["accuracy", "errors", "penalised"]


def test_the_scoring_worker_computes_the_columns_of_a_new_submission(scored, host, participant):
    columns = [{"key": "best", "computation": "max", "of": ["accuracy", "errors"]}]
    with translation.override("en"), pytest.raises(services.CompetitionError, match="before it"):
        services.phase_columns_set(phase=scored, user=host, columns=columns)
    columns = [
        {"key": "accuracy"},
        {"key": "errors"},
        {"key": "best", "computation": "max", "of": ["accuracy", "errors"]},
    ]
    phase = services.phase_columns_set(phase=scored, user=host, columns=columns)
    submission = services.submission_create(phase=phase, user=participant.user, upload=results(wrong=0))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SCORED, submission.error
    assert submission.scores == {"accuracy": 1.0, "errors": 0.0, "best": 1.0}


def test_a_change_that_would_leave_a_submission_without_its_ranked_score_is_refused(scored, host):
    scored.score_column = "accuracy"
    scored.save(update_fields=["score_column"])
    with translation.override("fr"), pytest.raises(services.CompetitionError, match="gardez-le parmi les colonnes"):
        services.phase_columns_set(phase=scored, user=host, columns=[{"key": "errors"}])
    scored.score_column = ""
    scored.save(update_fields=["score_column"])
    with translation.override("en"), pytest.raises(services.CompetitionError, match="2 scored submissions have no"):
        services.phase_columns_set(phase=scored, user=host, columns=[{"key": "recall"}])
    scored.refresh_from_db()
    assert scored.leaderboard_columns == []


@pytest.mark.parametrize(
    "columns, message",
    [
        ([{"key": "a"}, {"key": "a"}], "donnée deux fois"),
        ([{"key": ""}], "clé"),
        ([{"key": "a", "precision": 11}], "décimales"),
        ([{"key": "a", "precision": "two"}], "décimales"),
        ([{"key": "a", "computation": "median", "of": ["b"]}], "sum, avg, min, max"),
        ([{"key": "a", "computation": "sum"}], "calculée"),
        ([{"key": "a", "of": ["b"]}], "sans calcul"),
        ([{"key": "a", "colour": "red"}], "colour"),
        ([{"key": "a", "hidden": "yes"}], "hidden"),
        ("a", "liste"),
    ],
)
def test_a_wrong_column_is_refused_in_the_hosts_language(columns, message):
    with translation.override("fr"), pytest.raises(services.CompetitionError, match=message):
        parse_columns(columns)


def test_a_computation_missing_one_of_its_scores_is_left_out():
    columns = parse_columns([{"key": "a"}, {"key": "b"}, {"key": "mean", "computation": "avg", "of": ["a", "b"]}])
    assert with_computed(columns, {"a": 1.0, "b": 0.5}) == {"a": 1.0, "b": 0.5, "mean": 0.75}
    assert with_computed(columns, {"a": 1.0, "mean": 9.0}) == {"a": 1.0}


def test_the_host_sets_them_on_the_page_and_through_the_api(scored, host, participant):
    client = Client()
    client.force_login(host)
    slug, code = scored.competition.slug, scored.code
    page = client.get(f"/competitions/{slug}/host/").content.decode()
    assert "Colonnes du classement (0)" in page
    prefix = f"columns-{code}"
    form = {
        f"{prefix}-TOTAL_FORMS": "3",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-key": "accuracy",
        f"{prefix}-0-title": "Exactitude",
        f"{prefix}-0-precision": "2",
        f"{prefix}-1-key": "errors",
        f"{prefix}-1-precision": "0",
        f"{prefix}-1-hidden": "on",
        f"{prefix}-2-key": "",  # an empty row is no column
    }
    response = client.post(f"/competitions/{slug}/{code}/columns/", form, follow=True)
    assert "Colonnes du classement enregistrées." in response.content.decode()
    scored.refresh_from_db()
    assert [(c["key"], c["title"], c["precision"], c["hidden"]) for c in scored.leaderboard_columns] == [
        ("accuracy", "Exactitude", 2, False),
        ("errors", "", 0, True),
    ]
    wrong = {**form, f"{prefix}-1-computation": "sum"}
    response = client.post(f"/competitions/{slug}/{code}/columns/", wrong, follow=True)
    assert "une colonne calculée nomme les colonnes" in response.content.decode()

    api = APIClient()
    url = f"/api/v1/competitions/{slug}/phases/{code}/columns/"
    api.force_authenticate(participant.user)
    assert api.put(url, {"columns": []}, format="json").status_code == 403
    api.force_authenticate(host)
    assert api.get(url).json()["ranked"] == "accuracy"
    answer = api.put(url, {"columns": [{"key": "errors", "title": "Errors"}, {"key": "accuracy"}]}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["ranked"] == "errors" and answer.json()["columns"][0]["precision"] == 2
    refused = api.put(url, {"columns": [{"key": "errors"}, {"key": "errors"}]}, format="json")
    assert refused.status_code == 400 and "donnée deux fois" in str(refused.json())


def test_a_phase_scored_by_a_builtin_metric_has_no_columns(phase, host):
    with translation.override("en"), pytest.raises(services.CompetitionError, match="built-in metric"):
        services.phase_columns_set(phase=phase, user=host, columns=[{"key": "accuracy"}])
