"""Messages, notes, tags, requests for completion and invited experts, for every persona: the applicant, another
applicant, a committee member, a conflicted member, an invited expert, an organiser and an anonymous visitor."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from convergence.applications import completion, instruction
from convergence.applications.exports import applications_csv
from convergence.review import services
from convergence.review.models import ExpertInvitation
from tests.conftest import make_user, pdf_bytes

NOTE_FOR_COMMITTEE = "Vérifier la lettre du partenaire éthiopien."
NOTE_PRIVATE = "Porteur déjà financé en 2023."
SHARED = "Voici la lettre signée du partenaire."
UNSHARED = "Question budgétaire confidentielle."


@pytest.fixture
def scene(round_, organiser):
    call = round_["call"]
    application = round_["applications"][0]
    owner = round_["owners"][0]
    instruction.message_send(
        application=application,
        user=owner,
        body=SHARED,
        upload=SimpleUploadedFile("lettre.pdf", pdf_bytes("Lettre"), "application/pdf"),
    )
    instruction.message_send(application=application, user=owner, body=UNSHARED)
    shared = application.messages.get(body=SHARED)
    instruction.message_share(message=shared, user=organiser, shared=True)
    instruction.note_add(application=application, user=organiser, body=NOTE_FOR_COMMITTEE, audience="committee")
    instruction.note_add(application=application, user=organiser, body=NOTE_PRIVATE, audience="organisers")
    instruction.tags_set(application=application, user=organiser, labels=["lettre manquante"])
    completion.completion_request_open(
        application=application,
        user=organiser,
        fields=["partners"],
        message="Ajoutez la lettre.",
        due_at=call.closes_at + timedelta(days=5),
    )
    invitation, _new = services.expert_invite(
        application=application, email="expert@univ.example", invited_by=organiser
    )
    expert = invitation.expert
    services.expert_declare(invitation=invitation, user=expert)
    services.expert_opinion_save(invitation=invitation, user=expert, opinion="Projet solide.", recommendation="label")
    personas = {
        "owner": owner,
        "other_applicant": round_["owners"][1],
        "member": round_["members"][0].user,
        "conflicted_member": round_["members"][3].user,
        "expert": expert,
        "organiser": organiser,
        "anonymous": None,
    }
    pk = application.pk
    attachment = shared.attachments.get()
    urls = {
        "dossier_page": f"/dossiers/{pk}/",
        "backoffice_page": f"/backoffice/dossiers/{pk}/",
        "member_page": f"/committee/dossiers/{pk}/",
        "message_file": f"/messages/attachments/{attachment.pk}/",
        "shared_file": f"/committee/shared-files/{attachment.pk}/",
        "expert_page": f"/expertises/{invitation.pk}/",
        "api_messages": f"/api/v1/applications/{pk}/messages/",
        "api_completion": f"/api/v1/applications/{pk}/completion-requests/",
        "api_notes": f"/api/v1/applications/{pk}/notes/",
        "api_tags": f"/api/v1/applications/{pk}/tags/",
        "api_experts": f"/api/v1/applications/{pk}/experts/",
        "api_expertise": f"/api/v1/expertises/{invitation.pk}/",
    }
    return {"application": application, "personas": personas, "urls": urls, "invitation": invitation}


# persona -> url -> status. Pages send an anonymous visitor to log in (302); the API answers 401.
MATRIX = {
    "owner": {
        "dossier_page": 200, "backoffice_page": 403, "member_page": 404, "message_file": 200, "shared_file": 404,
        "expert_page": 404, "api_messages": 200, "api_completion": 200, "api_notes": 403, "api_tags": 403,
        "api_experts": 403, "api_expertise": 404,
    },
    "other_applicant": {
        "dossier_page": 404, "backoffice_page": 403, "member_page": 404, "message_file": 404, "shared_file": 404,
        "expert_page": 404, "api_messages": 404, "api_completion": 404, "api_notes": 403, "api_tags": 403,
        "api_experts": 403, "api_expertise": 404,
    },
    "member": {
        "dossier_page": 404, "backoffice_page": 403, "member_page": 200, "message_file": 404, "shared_file": 200,
        "expert_page": 404, "api_messages": 404, "api_completion": 404, "api_notes": 403, "api_tags": 403,
        "api_experts": 403, "api_expertise": 404,
    },
    "conflicted_member": {
        "dossier_page": 404, "backoffice_page": 403, "member_page": 404, "message_file": 404, "shared_file": 404,
        "expert_page": 404, "api_messages": 404, "api_completion": 404, "api_notes": 403, "api_tags": 403,
        "api_experts": 403, "api_expertise": 404,
    },
    "expert": {
        "dossier_page": 404, "backoffice_page": 403, "member_page": 404, "message_file": 404, "shared_file": 404,
        "expert_page": 200, "api_messages": 404, "api_completion": 404, "api_notes": 403, "api_tags": 403,
        "api_experts": 403, "api_expertise": 200,
    },
    "organiser": {
        "dossier_page": 404, "backoffice_page": 200, "member_page": 404, "message_file": 200, "shared_file": 404,
        "expert_page": 404, "api_messages": 200, "api_completion": 200, "api_notes": 200, "api_tags": 200,
        "api_experts": 200, "api_expertise": 404,
    },
    "anonymous": {
        "dossier_page": 302, "backoffice_page": 302, "member_page": 302, "message_file": 302, "shared_file": 302,
        "expert_page": 302, "api_messages": 401, "api_completion": 401, "api_notes": 401, "api_tags": 401,
        "api_experts": 401, "api_expertise": 401,
    },
}  # fmt: skip


@pytest.mark.parametrize("persona", MATRIX)
def test_instruction_permission_matrix(scene, persona):
    user = scene["personas"][persona]
    page_client, api_client = Client(), APIClient()
    if user is not None:
        page_client.force_login(user)
        api_client.force_authenticate(user)
    for name, expected in MATRIX[persona].items():
        client = api_client if name.startswith("api_") else page_client
        response = client.get(scene["urls"][name])
        assert response.status_code == expected, f"{persona} {name}: {response.status_code}"


def test_each_reader_sees_only_what_is_meant_for_them(scene):
    pages = {}
    for persona, url in [
        ("owner", "dossier_page"),
        ("member", "member_page"),
        ("organiser", "backoffice_page"),
        ("expert", "expert_page"),
    ]:
        client = Client()
        client.force_login(scene["personas"][persona])
        pages[persona] = client.get(scene["urls"][url]).content.decode()
    owner, member, organiser, expert = pages["owner"], pages["member"], pages["organiser"], pages["expert"]
    assert SHARED in owner and UNSHARED in owner
    assert "Vérifier la lettre" not in owner and "déjà financé" not in owner and "lettre manquante" not in owner
    assert "Projet solide" not in owner and "expert@univ.example" not in owner
    assert SHARED in member and "Vérifier la lettre" in member and "Projet solide" in member
    assert "confidentielle" not in member and "déjà financé" not in member
    assert all(text in organiser for text in (SHARED, UNSHARED, "Vérifier la lettre", "déjà financé", "Projet solide"))
    assert "confidentielle" not in expert and "Vérifier la lettre" not in expert and "Ajoutez la lettre" not in expert


def test_instruction_never_leaks_through_the_applicant_api_exports_or_open_data(scene, client):
    application = scene["application"]
    api = APIClient()
    api.force_authenticate(scene["personas"]["owner"])
    dossier = api.get(f"/api/v1/applications/{application.pk}/").content.decode()
    messages = api.get(scene["urls"]["api_messages"]).json()
    assert {message["author"] for message in messages} == {application.owner.email}
    assert "shared_with_committee_at" not in messages[0]
    completion_requests = api.get(scene["urls"]["api_completion"]).json()
    assert "changes" not in completion_requests[0]
    export = applications_csv(type(application).objects.filter(pk=application.pk))
    opendata = client.get("/open-data/").content.decode() if client.get("/open-data/").status_code == 200 else ""
    for text in (NOTE_FOR_COMMITTEE, NOTE_PRIVATE, "lettre manquante", UNSHARED, SHARED, "Projet solide"):
        assert text not in dossier and text not in export and text not in opendata


def test_an_expert_reads_only_after_declaring_and_until_revoked(round_, organiser):
    application = round_["applications"][1]
    invitation, new_account = services.expert_invite(
        application=application, email="Reviewer@Lab.example", invited_by=organiser, request="Avis sur la méthode."
    )
    assert new_account and invitation.expert.email == "reviewer@lab.example"
    api = APIClient()
    api.force_authenticate(invitation.expert)
    url = f"/api/v1/expertises/{invitation.pk}/"
    assert api.get(url).json()["content"] is None
    refused = api.put(url + "opinion/", {"opinion": "Trop tôt."}, format="json")
    assert refused.status_code == 403
    declared = api.post(url + "declaration/", {}, format="json").json()
    assert declared["state"] == "accepted" and declared["content"]["title"] == application.title
    assert api.post(url + "declaration/", {}, format="json").status_code == 409
    saved = api.put(url + "opinion/", {"opinion": "Méthode solide.", "recommendation": "discuss"}, format="json")
    assert saved.status_code == 200 and saved.json()["state"] == "given"
    organiser_api = APIClient()
    organiser_api.force_authenticate(organiser)
    revoked = organiser_api.post(f"/api/v1/applications/{application.pk}/experts/{invitation.pk}/revoke/")
    assert revoked.json()["state"] == "revoked"
    assert api.get(url).status_code == 404
    assert ExpertInvitation.objects.get().opinion == "Méthode solide."  # what they wrote stays
    kinds = set(application.call.selection_events.values_list("kind", flat=True))
    assert {"expert_invited", "expert_declared", "expert_opinion_saved", "expert_revoked"} <= kinds


def test_an_expert_who_declares_a_conflict_never_reads_the_dossier(round_, organiser):
    application = round_["applications"][2]
    expert = make_user("proche@carrier2.example")
    invitation, _new = services.expert_invite(application=application, email=expert.email, invited_by=organiser)
    client = Client()
    client.force_login(expert)
    page = client.get(f"/expertises/{invitation.pk}/").content.decode()
    assert application.description not in page
    client.post(f"/expertises/{invitation.pk}/", {"action": "conflict", "conflict": "Ancien salarié du porteur."})
    invitation.refresh_from_db()
    assert invitation.state == "conflicted"
    page = client.get(f"/expertises/{invitation.pk}/").content.decode()
    assert application.description not in page
    api = APIClient()
    api.force_authenticate(expert)
    assert api.get(f"/api/v1/expertises/{invitation.pk}/").json()["content"] is None


def test_the_applicant_cannot_be_the_expert_and_a_bad_address_is_refused_in_french(round_, organiser):
    application = round_["applications"][0]
    api = APIClient()
    api.force_authenticate(organiser)
    url = f"/api/v1/applications/{application.pk}/experts/"
    own = api.post(url, {"email": application.owner.email}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert own.status_code == 409 and "porteur" in own.json()["detail"]
    bad = api.post(url, {"email": "pas-une-adresse"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert bad.status_code == 400


def test_the_api_round_trip_of_a_completion(round_, organiser):
    application = round_["applications"][3]
    owner = round_["owners"][3]
    call = round_["call"]
    staff, applicant = APIClient(), APIClient()
    staff.force_authenticate(organiser)
    applicant.force_authenticate(owner)
    base = f"/api/v1/applications/{application.pk}/"
    due = (call.closes_at + timedelta(days=3)).isoformat()
    asked = staff.post(
        base + "completion-requests/", {"fields": ["summary"], "message": "Précisez.", "due_at": due}, format="json"
    )
    assert asked.status_code == 201 and asked.json()["fields"] == ["summary"] and asked.json()["state"] == "open"
    version = applicant.get(base).json()["version"]
    refused = applicant.patch(base, {"version": version, "title": "Autre titre"}, format="json")
    assert refused.status_code == 409 and "title" in refused.json()["errors"]
    saved = applicant.patch(base, {"version": version, "summary": "Résumé précisé."}, format="json")
    assert saved.status_code == 200
    receipt = applicant.post(base + "submit/", {}, format="json")
    assert receipt.status_code == 201
    answered = staff.get(base + "completion-requests/").json()[0]
    assert answered["state"] == "answered" and answered["answer_version"] == 2
    assert [change["field"] for change in answered["changes"]] == ["summary"]
    staff.post(base + "messages/", {"body": "Merci, c’est complet."}, format="json")
    thread = applicant.get(base + "messages/").json()
    assert thread[-1]["body"] == "Merci, c’est complet." and thread[-1]["author"] == ""
    assert staff.get(base + "messages/").json()[-1]["read_at"] is not None
    assert staff.put(base + "tags/", {"tags": ["complet", "complet "]}, format="json").json() == {"tags": ["complet"]}


def test_an_organiser_shares_a_message_with_the_committee_through_the_api(scene, organiser):
    application = scene["application"]
    unshared = application.messages.get(body=UNSHARED)
    api = APIClient()
    api.force_authenticate(organiser)
    url = f"/api/v1/applications/{application.pk}/messages/{unshared.pk}/share/"
    answer = api.post(url, {"shared": True}, format="json")
    assert answer.status_code == 200 and answer.json()["shared_with_committee_at"]
    member = Client()
    member.force_login(scene["personas"]["member"])
    assert UNSHARED in member.get(scene["urls"]["member_page"]).content.decode()
    assert api.post(url, {"shared": False}, format="json").json()["shared_with_committee_at"] is None
    assert UNSHARED not in member.get(scene["urls"]["member_page"]).content.decode()
    assert api.post(url, {}, format="json").status_code == 400
