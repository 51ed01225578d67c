"""Public leaderboards show a display name or a number, never a person's real name; participants choose it."""

import zoneinfo

import pytest
from django.utils import timezone

from convergence.competitions import services
from convergence.competitions.selectors import leaderboard
from convergence.competitions.services import CompetitionError
from tests.competitions.conftest import predictions
from tests.conftest import make_user


def _scored(phase, user):
    services.submission_create(phase=phase, user=user, upload=predictions())


def test_without_a_display_name_the_board_shows_a_number_not_the_name(competition, phase):
    user = make_user("marie.curie@example.org", full_name="Marie Curie")
    participant = services.competition_join(competition=competition, user=user, accept_rules=True)
    participant.status = "approved"
    participant.save()
    _scored(phase, user)
    entrant = leaderboard(phase)[0].entrant
    assert entrant == f"Participant {participant.pk}"
    assert "Curie" not in entrant and "marie" not in entrant


def test_a_display_name_chosen_later_reaches_the_cached_board(competition, phase, participant):
    _scored(phase, participant.user)
    assert leaderboard(phase)[0].entrant == participant.entrant_name
    services.display_name_change(participant=participant, user=participant.user, name="  Les   Chats  ")
    assert leaderboard(phase)[0].entrant == "Les Chats"
    assert competition.events.filter(kind="renamed", details__display_name="Les Chats").exists()


def test_a_display_name_is_unique_in_the_competition_whatever_the_case(competition, participant):
    services.display_name_change(participant=participant, user=participant.user, name="Kyoto")
    other = make_user("other@example.org")
    with pytest.raises(CompetitionError) as refused:
        services.competition_join(competition=competition, user=other, accept_rules=True, display_name="kyoto")
    assert "déjà utilisé" in str(refused.value.message) or "already used" in str(refused.value.message)


def test_only_the_participant_renames_themselves(competition, participant, host):
    with pytest.raises(CompetitionError):
        services.display_name_change(participant=participant, user=host, name="pirate")


def test_the_page_and_the_api_take_a_display_name(competition, phase, participant, client, api_client):
    client.force_login(participant.user)
    response = client.post(
        f"/competitions/{competition.slug}/display-name/", {"display_name": "data-wizard"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response["Location"].endswith("?tab=participate")
    participant.refresh_from_db()
    assert participant.display_name == "data-wizard"
    newcomer = make_user("new@example.org")
    api_client.force_authenticate(newcomer)
    answer = api_client.post(
        f"/api/v1/competitions/{competition.slug}/join/", {"accept_rules": True, "display_name": "data-wizard"}
    )
    assert answer.status_code == 400
    answer = api_client.post(
        f"/api/v1/competitions/{competition.slug}/join/", {"accept_rules": True, "display_name": "newbie"}
    )
    assert answer.status_code == 200 and answer.json()["display_name"] == "newbie"


def test_the_quota_says_how_many_are_left_and_when_it_resets(competition, phase, participant):
    _scored(phase, participant.user)
    quota = services.submission_quota(phase, participant)
    assert (quota.used_today, quota.per_day, quota.left_today) == (1, phase.max_per_day, phase.max_per_day - 1)
    resets = quota.resets_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (resets.hour, resets.minute) == (0, 0) and resets > timezone.now()  # the coming midnight in Paris


def test_a_participant_renames_themselves_through_the_api(competition, phase, participant, api_client):
    api_client.force_authenticate(participant.user)
    url = f"/api/v1/competitions/{competition.slug}/display-name/"
    answer = api_client.put(url, {"display_name": "la-team-de-paul"}, format="json")
    assert answer.status_code == 200 and answer.json() == {"display_name": "la-team-de-paul"}
    answer = api_client.put(url, {"display_name": ""}, format="json")
    assert answer.json() == {"display_name": f"Participant {participant.pk}"}
    outsider = make_user("outsider@example.org")
    api_client.force_authenticate(outsider)
    assert api_client.put(url, {"display_name": "x"}, format="json").status_code == 403
