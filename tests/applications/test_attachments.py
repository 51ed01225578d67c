import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convergence.applications import services
from convergence.applications.errors import AttachmentRejected
from tests.conftest import pdf_bytes


def upload(name="dossier.pdf", content=None):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


def test_a_pdf_is_stored_under_its_digest_not_its_name(draft, applicant):
    attachment = services.attachment_add(application=draft, user=applicant, upload=upload("../../etc/passwd.pdf"))
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.endswith(f"{attachment.sha256}.pdf")
    assert ".." not in attachment.file.name
    assert draft.events.filter(kind="attachment_added").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a fake image named pdf",
        b"PK\x03\x04 a zip archive",
        b"%PDF-1.7\n this is only a header, nothing else",
        b"",
    ],
)
def test_content_that_is_not_a_readable_pdf_is_refused(draft, applicant, content):
    with pytest.raises(AttachmentRejected):
        services.attachment_add(application=draft, user=applicant, upload=upload(content=content))
    assert not draft.attachments.exists()


def test_a_real_pdf_with_another_extension_is_accepted(draft, applicant):
    attachment = services.attachment_add(application=draft, user=applicant, upload=upload("annexe.bin"))
    assert attachment.size > 0


def test_files_over_10_mb_are_refused(draft, applicant, settings):
    big = pdf_bytes() + b"%" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(AttachmentRejected) as caught:
        services.attachment_add(application=draft, user=applicant, upload=upload(content=big))
    assert "10" in str(caught.value.message)


def test_at_most_five_attachments(draft, applicant):
    for index in range(5):
        services.attachment_add(application=draft, user=applicant, upload=upload(f"{index}.pdf"))
    with pytest.raises(AttachmentRejected):
        services.attachment_add(application=draft, user=applicant, upload=upload("6.pdf"))


def test_removed_attachment_stays_available_to_the_submitted_version(complete_draft, applicant):
    attachment = services.attachment_add(application=complete_draft, user=applicant, upload=upload())
    submission = services.application_submit(application_id=complete_draft.pk, user=applicant)
    services.attachment_remove(attachment=attachment, user=applicant)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert attachment.file.storage.exists(attachment.file.name)
    assert submission.content["attachments"][0]["sha256"] == attachment.sha256
    complete_draft.refresh_from_db()
    assert complete_draft.has_unsubmitted_changes


def test_web_upload_shows_the_error_in_the_page(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        f"/dossiers/{draft.pk}/edit/attachments/",
        {"file": upload("photo.pdf", b"\x89PNG\r\n fake")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "n&#x27;est pas un fichier PDF" in response.content.decode()


def test_the_submitted_content_holds_every_list_in_the_dossiers_order(complete_draft, draft, applicant, call):
    """The submit reads the six lists with plain SQL: they must say what the models say, in the same order."""
    themes = list(call.themes.all())
    criteria = {criterion.number: criterion for criterion in call.criteria.all()}
    complete_draft = services.application_update(  # the third theme first, then the first one with it
        application=complete_draft,
        user=applicant,
        changes={"themes": [themes[2]]},
        expected_version=complete_draft.version,
    )
    services.application_update(
        application=complete_draft,
        user=applicant,
        changes={
            "themes": [themes[2], themes[0]],
            "claims": {criteria[3]: "Un jeu de données ouvert.", criteria[1]: "Trois pays partenaires."},
        },
        expected_version=complete_draft.version,
    )
    kept = services.attachment_add(application=complete_draft, user=applicant, upload=upload("annexe-1.pdf"))
    removed = services.attachment_add(application=complete_draft, user=applicant, upload=upload("brouillon.pdf"))
    services.attachment_remove(attachment=removed, user=applicant)
    services.attachment_add(application=draft, user=applicant, upload=upload("autre-dossier.pdf"))

    content = services.application_submit(application_id=complete_draft.pk, user=applicant).content

    def item(obj):
        return {"code": obj.code, "name": obj.name}

    assert content["themes"] == [item(themes[0]), item(themes[2])]  # the call's order, not the order chosen
    assert content["domains"] == [item(domain) for domain in complete_draft.domains.all()]
    assert [p["organisation"] for p in content["partners"]] == ["Addis AI Lab", "Montreal Health"]
    assert content["partners"][0] == {
        "organisation": "Addis AI Lab",
        "organisation_type": "research",
        "country": "ET",
        "role": "data",
    }
    assert content["datasets"] == [{"name": "Lames annotées", "origin_country": "CI", "licence": "CC-BY 4.0"}]
    assert content["claims"] == [
        {**item(criteria[1]), "number": 1, "justification": "Trois pays partenaires."},
        {**item(criteria[3]), "number": 3, "justification": "Un jeu de données ouvert."},
    ]
    assert content["attachments"] == [
        {"id": kept.pk, "name": "annexe-1.pdf", "size": kept.size, "sha256": kept.sha256}
    ]  # not the removed one, nor the other dossier's
    assert isinstance(content["themes"][0]["name"], dict)  # the translated name, not its JSON text
