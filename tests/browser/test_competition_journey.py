"""A closed competition, clicked through: the host creates it and admits a participant, who submits and
watches the score arrive and the leaderboard fill."""

import threading

import pytest
from playwright.sync_api import expect

from convergence.competitions import services
from convergence.competitions.tasks import score_submission
from tests.browser.test_selection_round import log_in
from tests.competitions.conftest import TRUTH
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_worker(monkeypatch):
    """Scoring starts a moment after the upload, as with a real worker, so the page shows it arrive."""

    def queue(ids):
        for pk in ids:
            threading.Timer(1.5, score_submission.delay, args=[pk]).start()

    monkeypatch.setattr(services.submissions, "queue_scoring_after_commit", queue)


def test_competition_journey(browser, live_server, slow_worker, tmp_path):
    host = make_user("hana@host.example", full_name="Hana", is_organiser=True)
    participant = make_user("paul@participant.example", full_name="Paul Participant")
    truth = tmp_path / "truth.csv"
    truth.write_text(TRUTH)
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,prediction\n" + "\n".join(f"{i},{'cat' if i % 3 == 0 else 'dog'}" for i in range(12)))

    # The host creates a closed competition, its phase and its ground truth.
    context, page = log_in(browser, live_server, host.email)
    page.goto(f"{live_server.url}/competitions/new/")
    page.fill("#id_title", "Chats et chiens")
    page.fill("#id_rules", "Une équipe par personne.")
    page.select_option("#id_participation", "closed")
    page.get_by_role("button", name="Créer la compétition").click()
    page.get_by_role("status").get_by_text("Compétition créée").wait_for()
    page.fill("#id_phase-name", "Développement")
    page.fill("#id_phase-starts_at", "2020-01-01T00:00")
    page.fill("#id_phase-ends_at", "2099-01-01T00:00")
    page.select_option("#id_phase-metric", "accuracy")
    page.get_by_role("button", name="Ajouter la phase").click()
    page.get_by_role("status").get_by_text("Phase ajoutée").wait_for()
    page.set_input_files("#truth-developpement", str(truth))
    page.get_by_role("button", name="Déposer la vérité terrain").click()
    page.get_by_role("status").get_by_text("Vérité terrain enregistrée").wait_for()

    # The participant asks to take part…
    participant_context, participant_page = log_in(browser, live_server, participant.email)
    participant_page.goto(f"{live_server.url}/competitions/chats-et-chiens/")
    participant_page.get_by_role("tab", name="Règlement").click()
    participant_page.get_by_text("Une équipe par personne.").wait_for()
    participant_page.fill("#id_display_name", "paul-p")
    # The DSFR draws the box over the native input and the tab panel may still be settling its height (under load
    # a click can land while it moves): click its label as a person does, until the box is ticked.
    rules = participant_page.locator("#id_accept_rules")
    for _attempt in range(5):
        if rules.is_checked():
            break
        participant_page.locator("label[for=id_accept_rules]").click()
        participant_page.wait_for_timeout(200)
    assert rules.is_checked()
    participant_page.get_by_role("button", name="Demander à participer").click()
    # Sent to the "Participate" tab, which says the request is waiting.
    participate = participant_page.get_by_role("tabpanel", name="Participer")
    participate.get_by_text("Votre demande attend l'accord de l'hôte.").wait_for()

    # …the host admits them…
    page.reload()
    page.get_by_role("button", name="Admettre").click()
    page.get_by_role("status").get_by_text("Participant admis.").wait_for()
    context.close()

    # …and they submit, then watch the score arrive without reloading.
    participant_page.reload()
    expect(participant_page.get_by_role("tab", name="Participer")).to_have_attribute("aria-selected", "true")
    participant_page.get_by_text("0 sur 5 aujourd'hui, remis à zéro à 00:00 (heure de Paris)").wait_for()
    participant_page.set_input_files("#id_file", str(predictions))
    participant_page.get_by_role("button", name="Soumettre les prédictions").click()
    row = participant_page.locator("#submissions tbody tr").first
    assert row.get_attribute("data-status") in ("queued", "running")
    participant_page.locator('#submissions tr[data-status="scored"]').wait_for(timeout=15000)
    assert participant_page.locator("#submissions .public-score").first.inner_text() == "1,00000"
    participant_page.reload()
    participant_page.get_by_text("1 sur 5 aujourd'hui").wait_for()
    participant_page.get_by_role("tab", name="Classement").click()
    board = participant_page.locator("table.leaderboard")
    # The chosen display name, never the person's real name.
    expect(board).to_contain_text("paul-p")
    assert "Paul Participant" not in board.inner_text()
    participant_context.close()
