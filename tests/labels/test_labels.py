import io
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from convergence.labels import services, signing
from convergence.labels.certificate import certificate_pdf
from convergence.labels.models import KitDownload, Label, LabelEvent
from convergence.labels.selectors import label_verification
from convergence.labels.services import LabelError
from tests.conftest import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_awarding_signs_the_label_of_each_selected_challenge(labelled):
    labels = list(Label.objects.order_by("identifier"))
    assert [label.identifier for label in labels] == ["CIA-2024-L001", "CIA-2024-L002"]
    first = labels[0]
    assert first.payload["title"] == "Détection précoce du paludisme"
    assert first.payload["partner_countries"] == ["CA", "ET"]
    assert signing.signature_is_valid(first.payload, first.signature)
    assert LabelEvent.objects.filter(label=first, kind="awarded").exists()


def test_a_challenge_not_selected_cannot_receive_the_label(published, organiser):
    with pytest.raises(LabelError):
        services.label_award(application=published["applications"][2], user=organiser)


def test_no_label_before_the_decisions_are_published(call, organiser, complete_draft, applicant):
    with pytest.raises(LabelError):
        services.label_award(application=complete_draft, user=organiser)


def test_awarding_twice_is_refused(labelled, organiser):
    with pytest.raises(LabelError):
        services.label_award(application=labelled["applications"][0], user=organiser)


def test_certificate_is_bilingual_and_carries_a_signed_label_that_fails_on_any_changed_byte(labelled):
    label = Label.objects.get(identifier="CIA-2024-L001")
    reader = PdfReader(io.BytesIO(certificate_pdf(label)))
    assert len(reader.pages) == 2
    french, english = (page.extract_text() for page in reader.pages)
    assert "Certificat de label" in french and "Certificate of label" in english
    assert "CIA-2024-L001" in french and "Ethiopia" in english
    document = reader.attachments["label.json"][0]
    assert signing.document_is_valid(document)
    assert json.loads(document)["payload"]["identifier"] == "CIA-2024-L001"
    for position in range(len(document)):
        changed = bytearray(document)
        changed[position] ^= 0x01
        assert not signing.document_is_valid(bytes(changed)), f"byte {position} changed and still valid"


def test_a_document_signed_by_another_key_is_refused(labelled):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    label = Label.objects.first()
    other = Ed25519PrivateKey.generate()
    assert not signing.signature_is_valid(label.payload, label.signature, other.public_key())


def test_revoked_labels_show_as_revoked_with_the_reason_recorded(labelled, organiser, client):
    label = Label.objects.get(identifier="CIA-2024-L002")
    with pytest.raises(LabelError):
        services.label_revoke(label=label, user=organiser, reason="  ")
    services.label_revoke(label=label, user=organiser, reason="Fausse déclaration de partenaires")
    assert label_verification("CIA-2024-L002").status == "revoked"
    event = LabelEvent.objects.get(label=label, kind="revoked")
    assert event.actor == organiser and event.details["reason"] == "Fausse déclaration de partenaires"
    page = client.get("/verify/CIA-2024-L002/")
    assert page.status_code == 200 and 'data-status="revoked"' in page.content.decode()
    assert client.get("/catalogue/CIA-2024-L002/").status_code == 404
    with pytest.raises(LabelError):
        services.label_revoke(label=label, user=organiser, reason="again")


@pytest.mark.parametrize("identifier", ["CIA-2024-L999", "x", "%00", "é" * 300, "' OR 1=1 --"])
def test_unknown_identifiers_are_answered_unknown_never_an_error(labelled, api_client, identifier):
    response = api_client.get(f"/api/v1/labels/{identifier}/verify/")
    assert response.status_code == 200
    assert response.json()["status"] == "unknown"


def test_verification_api_answers_valid(labelled, api_client):
    body = api_client.get("/api/v1/labels/CIA-2024-L001/verify/").json()
    assert body["status"] == "valid" and body["title"] == "Détection précoce du paludisme"


def test_a_label_whose_stored_content_was_altered_is_not_vouched_for(labelled):
    label = Label.objects.get(identifier="CIA-2024-L001")
    Label.objects.filter(pk=label.pk).update(payload={**label.payload, "title": "Autre chose"})
    assert label_verification("CIA-2024-L001").status == "unknown"


def _kit_upload(name="logo.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_kit_is_downloaded_only_by_carriers_of_valid_labels_and_downloads_are_recorded(labelled, organiser, client):
    kit_file = services.kit_file_add(call=labelled["call"], user=organiser, title="Logo", upload=_kit_upload())
    url = f"/labels/kit/{kit_file.pk}/download/"
    carrier, _second, not_selected = labelled["carriers"]
    client.force_login(carrier)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert KitDownload.objects.filter(kit_file=kit_file, user=carrier).count() == 1
    client.force_login(not_selected)
    assert client.get(url).status_code == 404
    client.force_login(make_user("stranger@elsewhere.example"))
    assert client.get(url).status_code == 404
    label = Label.objects.get(application__owner=carrier)
    services.label_revoke(label=label, user=organiser, reason="Retrait")
    client.force_login(carrier)
    assert client.get(url).status_code == 404
    assert KitDownload.objects.count() == 1


def test_kit_api_download_follows_the_same_rule(labelled, organiser, api_client):
    kit_file = services.kit_file_add(call=labelled["call"], user=organiser, title="Logo", upload=_kit_upload())
    api_client.force_authenticate(labelled["carriers"][2])
    assert api_client.get(f"/api/v1/kit/{kit_file.pk}/download/").status_code == 404
    api_client.force_authenticate(labelled["carriers"][0])
    assert api_client.get(f"/api/v1/kit/{kit_file.pk}/download/").status_code == 200


@pytest.mark.parametrize(
    "name, content",
    [
        ("logo.png", b"not an image at all"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("guide.pdf", b"%PDF-1.4 broken"),
    ],
)
def test_kit_refuses_files_by_their_content(labelled, organiser, name, content):
    with pytest.raises(services.KitFileRejected):
        services.kit_file_add(call=labelled["call"], user=organiser, title="x", upload=_kit_upload(name, content))


def test_carriers_are_told_once_that_the_kit_is_available(labelled, organiser, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.kit_file_add(call=labelled["call"], user=organiser, title="Logo", upload=_kit_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.kit_file_add(call=labelled["call"], user=organiser, title="Charte", upload=_kit_upload())
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["carrier0@lab0.example", "carrier1@lab1.example"]
    english = next(message for message in mail.outbox if message.to == ["carrier1@lab1.example"])
    assert "communication kit" in english.subject


def test_organiser_pages_award_and_revoke(published, organiser, client):
    client.force_login(organiser)
    call = published["call"]
    page = client.get(f"/labels/manage/{call.slug}/")
    assert page.status_code == 200 and 'id="award-labels"' in page.content.decode()
    client.post(f"/labels/manage/{call.slug}/award/")
    assert Label.objects.count() == 2
    client.post("/label/CIA-2024-L001/manage/", {"revoke": "1", "reason": "Erreur"})
    assert Label.objects.get(identifier="CIA-2024-L001").status == Label.Status.REVOKED
    response = client.post(
        f"/labels/manage/{call.slug}/", {"title": "Logo", "file": _kit_upload("x.png", b"text")}, follow=True
    )
    assert "PDF, PNG, JPEG ou ZIP" in response.content.decode()


def test_carrier_pages_are_refused_to_others(labelled, client, applicant):
    carrier, second, _ = labelled["carriers"]
    client.force_login(carrier)
    assert client.get("/label/CIA-2024-L001/").status_code == 200
    certificate = client.get("/label/CIA-2024-L001/certificate.pdf")
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf"
    assert client.get("/label/CIA-2024-L002/").status_code == 404
    assert client.get("/label/CIA-2024-L002/certificate.pdf").status_code == 404
    assert client.get("/label/CIA-2024-L001/manage/").status_code == 403
    client.force_login(second)
    assert client.get("/api/v1/labels/CIA-2024-L001/certificate/").status_code == 404
    client.logout()
    assert client.get("/label/CIA-2024-L001/certificate.pdf").status_code in (302, 403)


def test_carrier_dossier_page_shows_the_label(labelled, client):
    carrier = labelled["carriers"][0]
    client.force_login(carrier)
    page = client.get(labelled["applications"][0].get_absolute_url()).content.decode()
    assert "CIA-2024-L001" in page


def test_label_api_lists_only_the_carriers_own_labels(labelled, api_client, organiser):
    api_client.force_authenticate(labelled["carriers"][1])
    assert [item["identifier"] for item in api_client.get("/api/v1/labels/").json()] == ["CIA-2024-L002"]
    api_client.force_authenticate(organiser)
    assert len(api_client.get("/api/v1/labels/").json()) == 2
    response = api_client.post("/api/v1/labels/CIA-2024-L002/revoke/", {"reason": ""}, format="json")
    assert response.status_code == 400


def test_public_key_is_published(client, labelled):
    response = client.get("/labels/public-key.pem")
    assert response.status_code == 200 and response.content.startswith(b"-----BEGIN PUBLIC KEY-----")


def test_the_offline_script_checks_a_label_with_the_published_key(labelled, client, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "verify-label.py"
    document = tmp_path / "label.json"
    key = tmp_path / "key.pem"
    document.write_bytes(client.get("/label/CIA-2024-L001/label.json").content)
    key.write_bytes(client.get("/labels/public-key.pem").content)
    valid = subprocess.run([sys.executable, script, document, key], capture_output=True, text=True, check=False)
    assert valid.returncode == 0 and "VALID signature: CIA-2024-L001" in valid.stdout
    document.write_bytes(document.read_bytes().replace(b"paludisme", b"Paludisme"))
    invalid = subprocess.run([sys.executable, script, document, key], capture_output=True, text=True, check=False)
    assert invalid.returncode == 1 and "INVALID" in invalid.stdout


def test_production_refuses_to_invent_a_signing_key(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    settings.DEMO_MODE = False
    settings.DEBUG = False
    settings.LABEL_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured):
        signing.private_key()


def test_rotating_the_key_keeps_earlier_labels_valid_and_their_key_published(
    published, organiser, settings, tmp_path, client
):
    from pathlib import Path

    from cryptography.hazmat.primitives import serialization
    from django.core.management import call_command

    from convergence.review.models import Decision

    key_file = tmp_path / "keys" / "label.pem"
    settings.LABEL_SIGNING_KEY_FILE = str(key_file)
    signing.write_new_key(Path(key_file))
    first_app, second_app = [
        d.application for d in Decision.objects.filter(outcome="labelled").select_related("application")[:2]
    ]
    first = services.label_award(application=first_app, user=organiser)
    call_command("label_signing_key", "--rotate", stdout=io.StringIO())
    second = services.label_award(application=second_app, user=organiser)

    assert first.key_id != second.key_id == signing.key_id()
    assert [label_verification(label.identifier).status for label in (first, second)] == ["valid", "valid"]
    page = client.get(f"/verify/{first.identifier}/").content.decode()
    assert f"/labels/public-keys/{first.key_id}.pem" in page
    pem = client.get(f"/labels/public-keys/{first.key_id}.pem").content
    former_key = serialization.load_pem_public_key(pem)
    document = client.get(f"/label/{first.identifier}/label.json").content
    assert signing.document_is_valid(document, key=former_key)  # offline, with the key the verify page names
    assert signing.document_is_valid(document)  # and by the platform, which still trusts its retired key
    assert client.get("/labels/public-keys/0000000000000000.pem").status_code == 404

    # Without the retired key the platform can no longer vouch for what it signed.
    for retired in signing.retired_keys_dir().glob("*.pem"):
        retired.unlink()
    assert label_verification(first.identifier).status == "unknown"
