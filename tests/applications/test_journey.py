"""The applicant's journey without friction: one draft per click, deleting a draft, removing rows, a review step
that shows the dossier, says what is missing and where, and always offers to submit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from convergence.applications import services
from convergence.applications.errors import InvalidTransition
from convergence.applications.models import Application
from convergence.calls.models import CallEvent
from tests.conftest import pdf_bytes


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def test_starting_twice_gives_back_the_empty_draft(client, call, applicant):
    client.force_login(applicant)
    first = client.post(reverse("applications:create", args=[call.slug]))
    second = client.post(reverse("applications:create", args=[call.slug]), follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert Application.objects.filter(owner=applicant).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Vous aviez déjà un brouillon vide pour cet appel" in second.content.decode()


def test_starting_after_filling_a_draft_makes_a_second_dossier(call, applicant):
    draft, created = services.application_start(call=call, user=applicant)
    services.application_update(application=draft, user=applicant, expected_version=1, changes={"title": "Premier"})
    second, created_again = services.application_start(call=call, user=applicant)
    assert created and created_again and second.pk != draft.pk


def test_a_draft_is_deleted_with_its_attachments_and_the_call_remembers_who(
    client, draft, applicant, call, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.attachment_add(
        application=draft, user=applicant, upload=SimpleUploadedFile("plan.pdf", pdf_bytes(), "application/pdf")
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:delete", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Location"] == reverse("applications:mine")
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(stored)
    event = CallEvent.objects.get(call=call, kind="draft_deleted")
    assert event.actor == applicant and event.details["application"] == draft.pk


@pytest.mark.django_db(transaction=True)
def test_a_submitted_dossier_cannot_be_deleted(complete_draft, applicant):
    services.application_submit(application_id=complete_draft.pk, user=applicant)
    with pytest.raises(InvalidTransition):
        services.draft_delete(application=complete_draft, user=applicant)
    assert Application.objects.filter(pk=complete_draft.pk).exists()


def test_someone_else_cannot_delete_my_draft(client, draft, other_applicant):
    client.force_login(other_applicant)
    response = client.post(reverse("applications:delete", args=[draft.pk]))
    assert response.status_code == 404
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_partner_row_marked_for_removal_is_removed(client, draft, applicant):
    client.force_login(applicant)
    services.application_update(
        application=draft,
        user=applicant,
        expected_version=draft.version,
        changes={
            "partners": [
                {"organisation": "Addis AI Lab", "organisation_type": "research", "country": "ET", "role": ""},
                {"organisation": "Mila", "organisation_type": "research", "country": "CA", "role": ""},
            ]
        },
    )
    draft.refresh_from_db()
    data = {
        "version": draft.version,
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": "Addis AI Lab",
        "partners-0-organisation_type": "research",
        "partners-0-country": "ET",
        "partners-1-organisation": "Mila",
        "partners-1-organisation_type": "research",
        "partners-1-country": "CA",
        "partners-1-DELETE": "on",
        "datasets-TOTAL_FORMS": "1",
        "datasets-INITIAL_FORMS": "0",
    }
    response = client.post(step_url(draft, "partners"), data)
    assert response.status_code == 302
    assert list(draft.partners.values_list("organisation", flat=True)) == ["Addis AI Lab"]


def test_review_step_of_an_incomplete_dossier_shows_it_links_each_problem_and_offers_submit(client, draft, applicant):
    services.application_update(
        application=draft, user=applicant, expected_version=draft.version, changes={"title": "Défi des langues"}
    )
    client.force_login(applicant)
    page = client.get(step_url(draft, "review"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # The recap, as the committee will read it.
    assert "Défi des langues" in page and "Résumé court" in page
    # Each problem names its step and field and links to the field.
    assert f'href="{step_url(draft, "carrier")}#id_carrier_country"' in page
    assert "Étape 2 (Porteur et contact) — Pays de l&#x27;organisation porteuse" in page
    assert f'href="{step_url(draft, "challenge")}#id_themes_0"' in page
    assert "Déposer le dossier" in page
    # Submitting lists the problems again; nothing is submitted.
    response = client.post(step_url(draft, "review"), {"version": draft.version}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Rédigez un résumé court." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_stepper_marks_complete_and_incomplete_steps(client, complete_draft, draft, applicant):
    client.force_login(applicant)
    complete = client.get(step_url(complete_draft, "challenge"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert complete.count("— complète") == 6 and "à compléter" not in complete
    incomplete = client.get(step_url(draft, "challenge"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # The challenge, the carrier, the criteria and so the review; partners and attachments are optional.
    assert incomplete.count("— à compléter") == 4
    assert "Titre du défi *" in incomplete


def test_autosaves_of_one_session_make_one_history_line_naming_the_fields(client, draft, applicant, time_machine):
    start = timezone.now()
    version = draft.version
    for minute, changes in enumerate([{"title": "Dé"}, {"title": "Défi"}, {"summary": "Un résumé"}]):
        time_machine.move_to(start + timedelta(minutes=minute), tick=False)
        version = services.application_update(
            application=draft, user=applicant, expected_version=version, changes=changes
        ).version
    edits = draft.events.filter(kind="edited")
    assert edits.count() == 1
    assert edits.get().details["fields"] == ["summary", "title"] and edits.get().details["saves"] == 3
    # Forty minutes later is another session.
    time_machine.move_to(start + timedelta(minutes=42), tick=False)
    services.application_update(application=draft, user=applicant, expected_version=version, changes={"trl": 4})
    assert draft.events.filter(kind="edited").count() == 2
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Résumé court, Titre du défi (3 enregistrements)" in page


@pytest.mark.django_db(transaction=True)
def test_the_whole_dossier_as_submitted_downloads_as_pdf_for_its_owner_only(
    client, complete_draft, applicant, other_applicant
):
    from io import BytesIO

    from pypdf import PdfReader

    services.application_submit(application_id=complete_draft.pk, user=applicant)
    url = reverse("applications:submission_pdf", args=[complete_draft.pk, 1])
    client.force_login(applicant)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    complete_draft.refresh_from_db()
    for expected in [complete_draft.title, complete_draft.carrier_name, "Partenaires", "Critères revendiqués"]:
        assert expected in text
    for partner in complete_draft.partners.all():
        assert partner.organisation in text
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404


def test_the_history_names_only_what_a_save_changed(client, draft, applicant, call):
    services.application_update(
        application=draft, user=applicant, expected_version=draft.version, changes={"title": "Défi", "trl": 3}
    )
    draft.refresh_from_db()
    # The step's form sends every field; only the summary and the partners differ from what is saved.
    services.application_update(
        application=draft,
        user=applicant,
        expected_version=draft.version,
        changes={
            "title": "Défi",
            "trl": 3,
            "summary": "Nouveau résumé",
            "themes": [],
            "partners": [{"organisation": "Mila", "organisation_type": "research", "country": "CA", "role": ""}],
        },
    )
    assert draft.events.get(kind="edited").details["fields"] == ["partners", "summary", "title", "trl"]
