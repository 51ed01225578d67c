"""After the committee, clicked through: the organiser awards the label and shares the kit, the carrier downloads
the certificate and the kit and submits the January report, the public finds the challenge and its slot."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from convergence.labels import signing
from tests.browser.test_selection_round import log_in
from tests.conftest import pdf_bytes
from tests.labels.conftest import published  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_label_journey(browser, live_server, published, organiser, tmp_path):  # noqa: F811
    call = published["call"]
    kit = tmp_path / "charte.pdf"
    kit.write_bytes(pdf_bytes("Charte graphique"))

    # The organiser shares the kit and awards the labels.
    context, page = log_in(browser, live_server, organiser.email)
    page.goto(f"{live_server.url}/labels/manage/{call.slug}/")
    page.fill("#id_title", "Charte graphique")
    page.set_input_files("#id_file", str(kit))
    page.get_by_role("button", name="Ajouter au kit").click()
    page.get_by_text("Fichier ajouté au kit").wait_for()
    page.get_by_role("button", name="Attribuer les labels").click()
    page.get_by_text("2 label(s) attribué(s).").wait_for()
    # …and opens a session of the Summit programme with the first challenge in it.
    page.goto(f"{live_server.url}/programme/manage/{call.slug}/")
    page.fill("#id_session-title", "Santé et IA")
    page.fill("#id_session-starts_at", "2025-02-10T09:00")
    page.fill("#id_session-ends_at", "2025-02-10T12:00")
    page.fill("#id_session-room", "Salle Curie")
    page.get_by_role("button", name="Ajouter la session").click()
    page.get_by_text("Session ajoutée.").wait_for()
    page.select_option("[id^=id_slot-][id$=-label]", label="CIA-2024-L001 — Détection précoce du paludisme")
    page.fill("[id^=id_slot-][id$=-starts_at]", "2025-02-10T09:00")
    page.fill("[id^=id_slot-][id$=-ends_at]", "2025-02-10T09:30")
    page.get_by_role("button", name="Placer un défi").click()
    page.get_by_text("Défi placé dans le programme.").wait_for()
    context.close()

    # The carrier downloads the certificate and the kit, and submits the January report.
    context, page = log_in(browser, live_server, published["carriers"][0].email)
    page.goto(f"{live_server.url}{published['applications'][0].get_absolute_url()}")
    page.get_by_role("link", name="Mon label, certificat et kit").click()
    with page.expect_download() as certificate:
        page.click("#certificate")
    reader = PdfReader(io.BytesIO(Path(certificate.value.path()).read_bytes()))
    assert signing.document_is_valid(reader.attachments["label.json"][0])
    with page.expect_download() as kit_download:
        page.get_by_role("link", name="Charte graphique").click()
    assert Path(kit_download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Présentation des premiers résultats au comité").click()
    page.fill("#id_text", "Un premier modèle évalué sur 1 200 lames.")
    page.fill("#id_key_figures", "Lames annotées: 1 200")
    page.click("#submit-report")
    page.get_by_text("Rapport transmis au comité.").wait_for()
    context.close()

    # The public finds the challenge in the catalogue and in the programme.
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/catalogue/")
    page.fill("#id_q", "paludisme")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Détection précoce du paludisme").click()
    page.get_by_text("CIA-2024-L001").first.wait_for()
    page.goto(f"{live_server.url}/programme/")
    page.get_by_text("Salle Curie").first.wait_for()
    assert page.get_by_role("link", name="Détection précoce du paludisme").count() == 1
    context.close()
