"""The applicant's pages: the editor steps, autosave, stale saves, submission and withdrawal."""

import json

from django.urls import reverse

from convergence.applications.models import Application


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def test_start_a_dossier_from_the_call_page(client, call, applicant):
    client.force_login(applicant)
    response = client.post(reverse("applications:create", args=[call.slug]))
    application = Application.objects.get(owner=applicant)
    assert response["Location"] == step_url(application, "challenge")


def test_challenge_step_saves_and_moves_on(client, draft, applicant, call):
    client.force_login(applicant)
    response = client.post(
        step_url(draft, "challenge"),
        {
            "version": draft.version,
            "title": "Mon défi",
            "summary": "Résumé",
            "themes": ["trusted-ai"],
            "domains": ["health"],
            "format": "project",
            "trl": "5",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "carrier")
    draft.refresh_from_db()
    assert draft.title == "Mon défi"
    assert draft.format.code == "project"
    assert list(draft.themes.values_list("code", flat=True)) == ["trusted-ai"]


def test_too_many_themes_is_a_form_error(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        step_url(draft, "challenge"),
        {"version": draft.version, "themes": ["trusted-ai", "future-of-work", "global-governance"]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Choisissez au plus 2 thématiques." in response.content.decode()


def test_autosave_answers_json_with_the_new_version(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        step_url(draft, "carrier"), {"version": draft.version, "carrier_name": "Labo"}, HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 200
    assert json.loads(response.content) == {"saved": True, "version": draft.version + 1}


def test_stale_tab_is_refused_and_keeps_the_typed_text_on_screen(client, draft, applicant):
    client.force_login(applicant)
    opened = draft.version
    client.post(step_url(draft, "carrier"), {"version": opened, "carrier_name": "Premier onglet"})
    response = client.post(
        step_url(draft, "carrier"), {"version": opened, "carrier_name": "Second onglet"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "a été modifié ailleurs" in page
    assert "Second onglet" in page  # nothing typed is lost: it is still in the form
    draft.refresh_from_db()
    assert draft.carrier_name == "Premier onglet"


def test_stale_autosave_gets_409(client, draft, applicant):
    client.force_login(applicant)
    client.post(step_url(draft, "carrier"), {"version": draft.version, "carrier_name": "A"}, HTTP_X_AUTOSAVE="1")
    response = client.post(
        step_url(draft, "carrier"), {"version": draft.version, "carrier_name": "B"}, HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "stale_version"


def test_partners_step_replaces_the_list(client, draft, applicant):
    client.force_login(applicant)
    data = {
        "version": draft.version,
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": "Addis AI Lab",
        "partners-0-organisation_type": "research",
        "partners-0-country": "ET",
        "partners-0-role": "données",
        "partners-1-organisation": "",
        "datasets-TOTAL_FORMS": "1",
        "datasets-INITIAL_FORMS": "0",
        "datasets-0-name": "",
    }
    response = client.post(step_url(draft, "partners"), data)
    assert response.status_code == 302
    assert list(draft.partners.values_list("organisation", "country")) == [("Addis AI Lab", "ET")]


def test_criteria_step_records_claims(client, draft, applicant):
    client.force_login(applicant)
    client.post(
        step_url(draft, "criteria"),
        {"version": draft.version, "claim_value-creation": "on", "justification_value-creation": "Impact."},
    )
    assert [(c.criterion.code, c.justification) for c in draft.claims.all()] == [("value-creation", "Impact.")]


def test_review_lists_problems_then_submits(client, complete_draft, applicant, draft):
    client.force_login(applicant)
    incomplete = client.get(step_url(draft, "review"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Donnez un titre au défi." in incomplete
    page = client.get(step_url(complete_draft, "review")).content.decode()
    assert 'id="problems"' not in page
    response = client.post(step_url(complete_draft, "review"), {"version": complete_draft.version}, follow=True)
    assert "CIA-2024-000001" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"


def test_submitting_from_the_review_page_reads_the_dossier_once(
    client, complete_draft, applicant, django_assert_max_num_queries
):
    """Deadline night's page: the submit that goes through does not list the problems the service checks anyway."""
    client.force_login(applicant)
    # session, user, then only the service: its locked read + 6 relations, 2 updates, 2 inserts, and the test's
    # savepoint pair (the page reads the dossier itself only to show a refusal)
    with django_assert_max_num_queries(15):
        response = client.post(step_url(complete_draft, "review"), {"version": complete_draft.version})
    assert response.status_code == 302 and complete_draft.submissions.count() == 1


def test_a_refused_submit_shows_what_to_fix_on_the_review_page(client, draft, applicant):
    client.force_login(applicant)
    page = client.post(step_url(draft, "review"), {"version": draft.version}, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200 and "Donnez un titre au défi." in page.content.decode()
    stale = client.post(step_url(draft, "review"), {"version": draft.version + 5}, HTTP_ACCEPT_LANGUAGE="fr")
    # another tab changed the dossier: said so, and what is still missing is listed again
    assert stale.status_code == 200 and "Donnez un titre au défi." in stale.content.decode()
    assert not draft.submissions.exists()


def test_nobody_submits_someone_elses_dossier_from_the_review_page(client, complete_draft, other_applicant):
    client.force_login(other_applicant)
    response = client.post(step_url(complete_draft, "review"), {"version": complete_draft.version})
    assert response.status_code == 404
    assert not complete_draft.submissions.exists()
    assert not complete_draft.events.filter(kind="submitted").exists()


def test_a_submit_after_the_deadline_is_refused_on_the_review_page(client, complete_draft, applicant, call):
    from datetime import timedelta

    import time_machine

    client.force_login(applicant)
    with time_machine.travel(call.closes_at + timedelta(seconds=1)):
        page = client.post(
            step_url(complete_draft, "review"), {"version": complete_draft.version}, HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert page.status_code == 200 and "fr-alert--error" in page.content.decode()
    assert "La date limite est passée : le dossier ne peut plus être modifié." in page.content.decode()
    assert not complete_draft.submissions.exists()


def test_the_dossier_page_lists_each_version_with_its_receipt_and_fingerprint(client, complete_draft, applicant):
    from convergence.applications.services import application_submit

    client.force_login(applicant)
    draft_page = client.get(complete_draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<p>Pas encore déposé.</p>" in draft_page
    submission = application_submit(application_id=complete_draft.pk, user=applicant)
    page = client.get(complete_draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Récépissé et empreinte" in page and "Récépissé CIA-2024-000001" in page
    assert reverse("applications:receipt", args=[submission.pk]) in page
    assert reverse("applications:submission_pdf", args=[complete_draft.pk, 1]) in page
    assert submission.digest in page
    # the status badge sits inside the reference's paragraph: a <p> there would end the paragraph early
    assert '<span class="fr-badge fr-badge--success fr-badge--sm">Déposé</span>' in page


def test_a_double_click_on_submit_gives_one_receipt_and_says_so(client, complete_draft, applicant):
    client.force_login(applicant)
    version = complete_draft.version
    client.post(step_url(complete_draft, "review"), {"version": version}, HTTP_ACCEPT_LANGUAGE="fr")
    second = client.post(
        step_url(complete_draft, "review"), {"version": version}, follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    page = second.content.decode()
    assert "déjà été déposé avec ce contenu" in page and "CIA-2024-000001" in page
    assert complete_draft.submissions.count() == 1


def test_submitting_again_without_a_change_gives_back_the_receipt_already_given(client, complete_draft, applicant):
    """The review page reloaded after a submission carries the new version: nothing changed, so no new receipt."""
    from convergence.applications.services import application_update

    client.force_login(applicant)
    client.post(step_url(complete_draft, "review"), {"version": complete_draft.version})
    complete_draft.refresh_from_db()
    again = client.post(
        step_url(complete_draft, "review"), {"version": complete_draft.version}, follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "déjà été déposé avec ce contenu" in again.content.decode()
    assert complete_draft.submissions.count() == 1
    changed = application_update(
        application=complete_draft, user=applicant, expected_version=complete_draft.version, changes={"title": "Revu"}
    )
    client.post(step_url(complete_draft, "review"), {"version": changed.version})
    assert [submission.content["title"] for submission in complete_draft.submissions.all()] == [
        "Revu",
        "Détection précoce du paludisme",
    ]


def test_withdraw_from_the_detail_page(client, complete_draft, applicant):
    from convergence.applications.services import application_submit

    application_submit(application_id=complete_draft.pk, user=applicant)
    client.force_login(applicant)
    client.post(reverse("applications:withdraw", args=[complete_draft.pk]))
    complete_draft.refresh_from_db()
    assert complete_draft.status == "withdrawn"


def test_receipt_pdf_download(client, complete_draft, applicant):
    import io

    from pypdf import PdfReader

    from convergence.applications.services import application_submit

    submission = application_submit(application_id=complete_draft.pk, user=applicant)
    client.force_login(applicant)
    response = client.get(reverse("applications:receipt", args=[submission.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "CIA-2024-000001" in text
    assert submission.digest in text.replace("\n", "")
    assert "Récépissé de dépôt" in text


def test_after_the_deadline_editor_redirects_to_read_only_detail(client, complete_draft, applicant, call):
    from datetime import timedelta

    import time_machine

    client.force_login(applicant)
    with time_machine.travel(call.closes_at + timedelta(minutes=1)):
        response = client.get(step_url(complete_draft, "challenge"))
        assert response["Location"] == complete_draft.get_absolute_url()
        page = client.get(complete_draft.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "lecture seule" in page
    assert "Modifier le dossier" not in page


def test_an_earlier_version_stays_readable_as_submitted(client, complete_draft, applicant, organiser):
    from convergence.applications import services

    services.application_submit(application_id=complete_draft.pk, user=applicant)
    complete_draft.refresh_from_db()
    services.application_update(
        application=complete_draft,
        user=applicant,
        expected_version=complete_draft.version,
        changes={"title": "Titre 2"},
    )
    url = reverse("applications:submission", args=[complete_draft.pk, 1])
    for reader in (applicant, organiser):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "Détection précoce du paludisme" in page
        assert "Titre 2" not in page
        assert "CIA-2024-000001" in page


def test_save_and_add_rows_stays_on_the_partners_step(client, draft, applicant):
    client.force_login(applicant)
    data = {
        "version": draft.version,
        "more": "1",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-organisation": "Kyoto Robotics",
        "partners-0-organisation_type": "company",
        "partners-0-country": "JP",
        "datasets-TOTAL_FORMS": "0",
        "datasets-INITIAL_FORMS": "0",
    }
    response = client.post(step_url(draft, "partners"), data)
    assert response["Location"] == step_url(draft, "partners")
    page = client.get(step_url(draft, "partners")).content.decode()
    assert 'value="Kyoto Robotics"' in page
    assert 'name="partners-1-organisation"' in page  # a fresh empty row after the saved one
