"""An applicant signs up, verifies the address, drafts, submits and downloads the receipt; as a person would."""

import re

import pytest
from django.core import mail

from convergence.applications.models import Application, Submission
from tests.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_journey(page, live_server, call, tmp_path):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Candidater : créer un compte").click()

    page.fill("#id_email", "porteuse@example.org")
    page.fill("#id_password1", "un mot de passe solide 42")
    page.fill("#id_password2", "un mot de passe solide 42")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.split("/accounts/confirm-email/")[1])
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile("/dossiers/$"))

    page.get_by_role("button", name=re.compile("Commencer un dossier")).click()
    page.wait_for_url(re.compile("/edit/challenge/"))
    page.fill("#id_title", "Hackathon des langues africaines")
    page.fill("#id_summary", "Des corpus ouverts et des modèles de traduction pour des langues peu dotées.")
    page.get_by_text("/ 1000 caractères").wait_for()
    page.fill("#id_description", "Une compétition ouverte de traduction automatique.")
    page.get_by_label("L'IA au service de l'intérêt public").check(force=True)
    page.get_by_label("Travail", exact=True).check(force=True)
    page.get_by_label(re.compile("1. Compétition ouverte ou fermée")).check(force=True)
    page.select_option("#id_trl", "3")
    page.fill("#id_expected_results", "Un classement public et des modèles ouverts.")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.wait_for_url(re.compile("/edit/carrier/"))
    page.fill("#id_carrier_name", "Université Cheikh Anta Diop")
    page.select_option("#id_carrier_type", "research")
    page.select_option("#id_carrier_country", "SN")
    page.fill("#id_contact_name", "Awa Ndiaye")
    page.fill("#id_contact_email", "porteuse@example.org")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.wait_for_url(re.compile("/edit/partners/"))
    page.fill("#id_partners-0-organisation", "Lagos NLP")
    page.select_option("#id_partners-0-organisation_type", "nonprofit")
    page.select_option("#id_partners-0-country", "NG")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.wait_for_url(re.compile("/edit/criteria/"))
    page.get_by_label(re.compile("1. Ouverture internationale")).check(force=True)
    page.fill("#id_justification_international-openness", "Sénégal, Nigeria et France.")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.wait_for_url(re.compile("/edit/attachments/"))
    attachment = tmp_path / "presentation.pdf"
    attachment.write_bytes(pdf_bytes("Présentation"))
    page.set_input_files("#id_file", str(attachment))
    page.get_by_role("button", name="Téléverser").click()
    page.get_by_text("presentation.pdf").first.wait_for()
    page.get_by_role("link", name="Continuer").click()

    page.wait_for_url(re.compile("/edit/review/"))
    page.get_by_role("button", name="Déposer le dossier").click()
    page.get_by_text(re.compile(r"Votre dossier a été déposé. Récépissé CIA-2024-\d{6}")).wait_for()

    submission = Submission.objects.get()
    assert Application.objects.get().status == "submitted"
    assert submission.content["partners"][0]["country"] == "NG"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Récépissé {submission.receipt_number}").click()
    receipt = download_info.value
    assert receipt.suggested_filename == f"{submission.receipt_number}.pdf"
    assert receipt.path().read_bytes().startswith(b"%PDF")
    assert any(submission.receipt_number in message.subject for message in mail.outbox)
