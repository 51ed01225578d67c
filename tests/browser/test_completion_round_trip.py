"""After the deadline, an organiser asks for a field to be completed; the applicant reads the request, changes that
field (the others cannot be), submits again; the organiser reads the answer and what changed. In the browser."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from convergence.applications import services
from convergence.calls.models import Call
from tests.conftest import complete_changes_for, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_organiser_asks_applicant_completes_organiser_reads_the_diff(page, live_server, call):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    organiser = make_user("olivia@example.gouv.fr", is_organiser=True)
    applicant = make_user("amina@example.org")
    dossier = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    services.application_submit(application_id=dossier.pk, user=applicant)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1))  # the deadline has passed

    _log_in(page, organiser, live_server)
    page.goto(f"{live_server.url}/backoffice/dossiers/{dossier.pk}/")
    page.get_by_text("Demander un complément").click()
    page.locator("label[for$='fields_to_complete_1']").click()  # the second field: the short summary
    page.fill("#id_message", "Précisez le protocole de validation clinique dans le résumé.")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url(re.compile("#completion$"))
    assert page.locator("#completion .fr-badge--warning").inner_text().strip().lower() == "ouverte"

    _log_in(page, applicant, live_server)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    assert "Précisez le protocole" in page.locator("#completion").inner_text()
    page.get_by_role("link", name="Compléter le dossier").click()
    assert page.locator("#id_title").is_disabled() and not page.locator("#id_summary").is_disabled()
    page.fill("#id_summary", "Un diagnostic assisté par IA, validé sur 1 000 lames dans trois centres.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/edit/review/")
    page.get_by_role("button", name="Déposer à nouveau").click()
    page.wait_for_url(re.compile(f"/dossiers/{dossier.pk}/$"))
    latest = dossier.submissions.order_by("-number").first()
    assert latest.number == 2 and latest.receipt_number in page.content()
    page.fill("#id_body", "C’est fait : le protocole est dans le résumé.")
    page.get_by_role("button", name="Envoyer le message").click()
    page.wait_for_url(re.compile("#messages$"))

    _log_in(page, organiser, live_server)
    page.goto(f"{live_server.url}/backoffice/dossiers/{dossier.pk}/")
    assert page.locator("#completion .fr-badge--success").inner_text().strip().lower() == "complétée"
    added = " ".join(page.locator("#completion ins").all_inner_texts())
    assert "validé" in added and "trois centres." in added
    assert "frottis sanguins." in " ".join(page.locator("#completion del").all_inner_texts())
    assert "C’est fait" in page.locator("#messages").inner_text()
    assert dossier.submissions.count() == 2
    assert not errors, errors
