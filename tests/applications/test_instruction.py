"""A dossier's instruction: requests for completion after the deadline, the message thread, notes and tags."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from convergence.applications import completion, instruction, services
from convergence.applications.errors import DeadlinePassed, InvalidApplicationData, InvalidTransition
from convergence.applications.models import ApplicationEvent, CompletionRequest, Message
from convergence.applications.presentation import history_lines
from tests.conftest import make_user, pdf_bytes

NEW_PARTNERS = [
    {"organisation": "Addis AI Lab", "organisation_type": "research", "country": "ET", "role": "data"},
    {"organisation": "Université de Dakar", "organisation_type": "research", "country": "SN", "role": "letters"},
]


@pytest.fixture
def submitted(complete_draft, applicant):
    services.application_submit(application_id=complete_draft.pk, user=applicant)
    complete_draft.refresh_from_db()
    return complete_draft


@pytest.fixture
def after_deadline(call):
    with time_machine.travel(call.closes_at + timedelta(hours=2), tick=True):
        yield


def ask(application, organiser, fields, days=3, message="Il manque la lettre du partenaire sénégalais."):
    return completion.completion_request_open(
        application=application,
        user=organiser,
        fields=fields,
        message=message,
        due_at=application.call.closes_at + timedelta(days=days),
    )


def test_a_completion_reopens_only_the_requested_fields_after_the_deadline(
    submitted, applicant, organiser, after_deadline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(submitted, organiser, ["partners"])
    assert "Partenaires" in mail.outbox[-1].body or "Partners" in mail.outbox[-1].body
    assert "lettre" not in mail.outbox[-1].body  # the request's text stays on the platform

    with pytest.raises(DeadlinePassed) as refused:
        services.application_update(
            application=submitted, user=applicant, expected_version=submitted.version, changes={"title": "Autre"}
        )
    assert set(refused.value.field_errors) == {"title"}

    updated = services.application_update(
        application=submitted,
        user=applicant,
        expected_version=submitted.version,
        changes={"partners": NEW_PARTNERS, "title": submitted.title},  # a step sends unchanged fields too
    )
    submission = services.application_submit(application_id=updated.pk, user=applicant)

    assert submission.number == 2
    assert [p["organisation"] for p in submission.content["partners"]][-1] == "Université de Dakar"
    request.refresh_from_db()
    assert request.answer == submission and request.state_at(submission.submitted_at) == "answered"
    changes = completion.version_changes(request.asked_on.content, submission.content)
    assert [change.field for change in changes] == ["partners"]
    assert "<ins>" in changes[0].words and "Dakar" in changes[0].words
    kinds = list(submitted.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["edited", "submitted", "completion_answered"]
    # Answered: the window is closed again.
    with pytest.raises(DeadlinePassed):
        services.application_update(
            application=submitted, user=applicant, expected_version=submission.application.version + 1, changes={}
        )


def test_a_completion_submits_the_last_version_with_only_the_requested_fields(submitted, applicant, organiser, call):
    # Before the deadline the applicant changed the title without submitting again.
    services.application_update(
        application=submitted, user=applicant, expected_version=submitted.version, changes={"title": "Brouillon"}
    )
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=True):
        ask(submitted, organiser, ["summary"])
        submitted.refresh_from_db()
        services.application_update(
            application=submitted,
            user=applicant,
            expected_version=submitted.version,
            changes={"summary": "Résumé complété."},
        )
        submission = services.application_submit(application_id=submitted.pk, user=applicant)
    assert submission.content["summary"] == "Résumé complété."
    assert submission.content["title"] == "Détection précoce du paludisme"  # not "Brouillon": not reopened
    submitted.refresh_from_db()
    assert submitted.has_unsubmitted_changes


def test_a_completion_ends_at_its_due_date_and_leaves_other_dossiers_closed(
    submitted, applicant, organiser, other_applicant, call, complete_changes
):
    other = services.application_create(call=call, user=other_applicant, changes=complete_changes)
    services.application_submit(application_id=other.pk, user=other_applicant)
    other.refresh_from_db()
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=True):
        ask(submitted, organiser, ["title"], days=1)
        with pytest.raises(DeadlinePassed):
            services.application_update(
                application=other, user=other_applicant, expected_version=other.version, changes={"title": "X"}
            )
    with time_machine.travel(call.closes_at + timedelta(days=1, seconds=1), tick=True):
        submitted.refresh_from_db()
        with pytest.raises(DeadlinePassed):
            services.application_update(
                application=submitted, user=applicant, expected_version=submitted.version, changes={"title": "Y"}
            )
        assert CompletionRequest.objects.get().state_at(call.closes_at + timedelta(days=2)) == "expired"


def test_attachments_change_after_the_deadline_only_when_requested(submitted, applicant, organiser, after_deadline):
    upload = SimpleUploadedFile("lettre.pdf", pdf_bytes("Lettre"), "application/pdf")
    with pytest.raises(DeadlinePassed):
        services.attachment_add(application=submitted, user=applicant, upload=upload)
    ask(submitted, organiser, ["attachments"])
    attachment = services.attachment_add(application=submitted, user=applicant, upload=upload)
    submission = services.application_submit(application_id=submitted.pk, user=applicant)
    assert [item["name"] for item in submission.content["attachments"]] == [attachment.original_name]


def test_a_completion_request_is_refused_when_it_cannot_apply(submitted, draft, organiser, applicant, call):
    with pytest.raises(InvalidTransition):  # before the deadline everything may change anyway
        ask(submitted, organiser, ["title"])
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=True):
        with pytest.raises(InvalidTransition):
            ask(draft, organiser, ["title"])
        with pytest.raises(InvalidApplicationData) as bad:
            completion.completion_request_open(
                application=submitted, user=organiser, fields=["secret"], message=" ", due_at=call.closes_at
            )
        assert set(bad.value.field_errors) == {"fields", "due_at", "message"}
        request = ask(submitted, organiser, ["title"])
        with pytest.raises(InvalidTransition):
            ask(submitted, organiser, ["summary"])
        completion.completion_request_cancel(request=request, user=organiser)
        with pytest.raises(DeadlinePassed):
            services.application_update(
                application=submitted, user=applicant, expected_version=submitted.version, changes={"title": "Z"}
            )
        with pytest.raises(PermissionDenied):
            ask(submitted, applicant, ["title"])


def test_messages_go_both_ways_and_e_mails_never_carry_them(
    submitted, applicant, organiser, django_capture_on_commit_callbacks
):
    english_organiser = make_user("eve@example.gouv.fr", is_organiser=True, preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        instruction.message_send(application=submitted, user=applicant, body="Puis-je ajouter un partenaire ?")
    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {organiser.email, english_organiser.email}
    assert "New message about the dossier" in told[english_organiser.email].subject
    assert all("partenaire" not in message.body for message in mail.outbox)

    mail.outbox.clear()
    upload = SimpleUploadedFile("modele.pdf", pdf_bytes("Modèle"), "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        instruction.message_send(application=submitted, user=organiser, body="Oui, avant le 5.", upload=upload)
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "Nouveau message" in mail.outbox[0].subject

    assert instruction.thread_read(application=submitted, user=applicant) == 1
    assert instruction.thread_read(application=submitted, user=applicant) == 0
    first = Message.objects.get(side="applicant")
    assert first.read_at is None  # the organisers have not opened the thread yet
    assert instruction.thread_read(application=submitted, user=organiser) == 1
    # Later organisers' messages tell only those who follow the dossier.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        instruction.message_send(application=submitted, user=applicant, body="Merci.")
    assert [message.to for message in mail.outbox] == [[organiser.email]]


def test_a_message_attachment_must_be_a_pdf_and_a_message_some_text(submitted, applicant):
    with pytest.raises(Exception, match="PDF"):
        instruction.message_send(
            application=submitted,
            user=applicant,
            body="Voici",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        )
    with pytest.raises(InvalidApplicationData):
        instruction.message_send(application=submitted, user=applicant, body="   ")
    assert not Message.objects.exists()


def test_notes_and_tags_stay_with_the_organisers(submitted, applicant, organiser, client):
    note = "Carrier known to us: 2023 grant."
    instruction.note_add(application=submitted, user=organiser, body=note, audience="organisers")
    labels = ["lettre manquante", " à discuter ", "à discuter"]
    instruction.tags_set(application=submitted, user=organiser, labels=labels)
    assert instruction.tags_of(submitted) == sorted(["lettre manquante", "à discuter"])
    assert [line.event.kind for line in history_lines(submitted)] == ["created", "edited", "submitted"]
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "2023 grant" not in page and "lettre manquante" not in page
    api = client.get(f"/api/v1/applications/{submitted.pk}/").content.decode()
    assert "2023 grant" not in api and "lettre manquante" not in api
    assert ApplicationEvent.objects.filter(kind="tags_changed").count() == 1


def test_the_round_trip_through_the_pages(submitted, applicant, organiser, client, call):
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=True):
        client.force_login(organiser)
        page = reverse("applications:backoffice_detail", args=[submitted.pk])
        due = (call.closes_at + timedelta(days=4)).astimezone(call.tz).strftime("%Y-%m-%dT%H:%M")
        refused = client.post(
            reverse("applications:completion_create", args=[submitted.pk]),
            {"fields_to_complete": ["summary"], "due_at": due, "message": ""},
        )
        assert refused.status_code == 400 and "Résumé" in refused.content.decode()
        answer = client.post(
            reverse("applications:completion_create", args=[submitted.pk]),
            {"fields_to_complete": ["summary"], "due_at": due, "message": "Précisez le protocole."},
        )
        assert answer.status_code == 302
        client.force_login(applicant)
        detail = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
        assert "Précisez le protocole." in detail
        step = client.get(reverse("applications:step", args=[submitted.pk, "challenge"])).content.decode()
        assert 'name="title"' in step and "disabled" in step
        submitted.refresh_from_db()
        client.post(
            reverse("applications:step", args=[submitted.pk, "challenge"]),
            {"version": submitted.version, "title": "Titre changé", "summary": "Protocole en trois phases."},
        )
        submitted.refresh_from_db()
        assert submitted.summary == "Protocole en trois phases." and submitted.title == "Détection précoce du paludisme"
        client.post(reverse("applications:step", args=[submitted.pk, "review"]), {"version": submitted.version})
        assert submitted.submissions.count() == 2
        client.force_login(organiser)
        organiser_page = client.get(page).content.decode()
        assert "<ins>Protocole en trois phases.</ins>" in organiser_page


def test_the_diff_keeps_lines_escapes_text_and_shows_a_rewrite_whole():
    kept = {"organisation": "Lab <b>Nord</b>", "organisation_type": "research", "country": "FR", "role": "données"}
    added = {"organisation": "UCAD", "organisation_type": "research", "country": "SN", "role": ""}
    before = {"partners": [kept], "summary": "Un texte court sur le paludisme.", "title": "Même titre"}
    after = {"partners": [kept, added], "summary": "Tout autre chose, vraiment.", "title": "Même titre"}
    changes = {change.field: change for change in completion.version_changes(before, after)}
    assert set(changes) == {"partners", "summary"}
    partners = changes["partners"].words
    assert "&lt;b&gt;" in partners and "<b>" not in partners
    assert partners.count("<ins>") == 1 and "<del>" not in partners and "UCAD (SN, Recherche" in partners
    assert (
        changes["summary"].words == "<del>Un texte court sur le paludisme.</del> <ins>Tout autre chose, vraiment.</ins>"
    )


def test_a_flood_of_messages_is_held_back(submitted, applicant, settings):
    from convergence.core.errors import DomainError

    for number in range(instruction.MESSAGE_BURST[0]):
        instruction.message_send(application=submitted, user=applicant, body=f"Message {number}")
    with pytest.raises(DomainError) as refused:
        instruction.message_send(application=submitted, user=applicant, body="Encore un")
    assert refused.value.status == 429 and "attendez" in str(refused.value.message).lower()
