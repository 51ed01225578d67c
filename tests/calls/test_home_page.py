from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse


def test_home_page_shows_the_call_in_french_by_default(client, call):
    page = client.get("/").content.decode()
    assert '<html lang="fr"' in page
    assert "L&#x27;IA de confiance" in page
    assert "Ouverture internationale" in page
    assert "Transition écologique" in page
    assert "Compétition ouverte ou fermée" in page
    assert "Cohérence et maîtrise du processus de mise en œuvre" in page
    assert "Qui peut candidater ?" in page
    assert 'id="time-left"' in page
    assert "Commencer un dossier" in page or "créer un compte" in page


def test_home_page_follows_accept_language(client, call):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in page
    assert "Trusted AI" in page
    assert "Who can apply?" in page
    assert "left" in page


def test_language_switcher_sets_english(client, call):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "International openness" in client.get("/").content.decode()


def test_timeline_highlights_the_current_step(client, call):
    page = client.get("/").content.decode()
    current = page.split('aria-current="step"')[0].rsplit("<li", 1)[1] + page.split('aria-current="step"')[1][:400]
    assert "Ouverture des candidatures" in current


def test_after_the_deadline_the_page_says_applications_are_closed(client, call):
    with time_machine.travel(call.closes_at + timedelta(seconds=1)):
        page = client.get("/").content.decode()
    assert "Les candidatures sont closes." in page
    assert 'id="time-left"' not in page


@pytest.mark.parametrize("url", ["/", "/calls/convergence-ia-2025/"])
def test_call_pages_have_landmarks(client, call, url):
    page = client.get(url).content.decode()
    for landmark in ('role="banner"', 'role="main"', 'role="contentinfo"', 'role="navigation"'):
        assert landmark in page


def test_calls_api_is_public(api_client, call):
    response = api_client.get("/api/v1/calls/convergence-ia-2025/")
    assert response.status_code == 200
    body = response.json()
    assert [f["number"] for f in body["formats"]] == [1, 2, 3]
    assert body["is_open"] is True
    assert len(body["criteria"]) == 4


def test_the_cached_call_page_follows_a_closing_and_a_new_load(client, call, organiser, django_assert_max_num_queries):
    from convergence.calls.services import call_close_now, call_load
    from tests.conftest import CALL_FILE

    assert 'id="time-left"' in client.get("/").content.decode()
    with django_assert_max_num_queries(0):  # read by everyone on deadline night: from the cache
        client.get("/")

    call_close_now(call=call, user=organiser)
    assert "Les candidatures sont closes." in client.get("/").content.decode()

    text = CALL_FILE.read_text(encoding="utf-8").replace("L'IA de confiance", "L'IA digne de confiance", 1)
    call_load(text=text, source=str(CALL_FILE), demo=True)
    assert "L&#x27;IA digne de confiance" in client.get("/calls/convergence-ia-2025/").content.decode()
    assert client.get("/calls/no-such-call/").status_code == 404
