from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from convergence.applications import services
from convergence.applications.models import Application, Submission
from tests.conftest import pdf_bytes, ready_dossier

URL = "/api/v1/applications/"


@pytest.fixture
def token_client(api_client, applicant):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": applicant.email, "password": "correct horse battery"}, format="json"
    )
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return api_client


COMPLETE = {
    "title": "Hackathon de traduction des langues africaines",
    "summary": "Des corpus ouverts et des modèles de traduction.",
    "description": "Description complète.",
    "themes": ["public-interest", "global-governance"],
    "domains": ["work"],
    "format": "competition",
    "trl": 3,
    "expected_results": "Un classement public et des modèles ouverts.",
    "carrier_name": "Université Exemple",
    "carrier_type": "research",
    "carrier_country": "SN",
    "contact_name": "Awa",
    "contact_email": "awa@example.sn",
    "partners": [{"organisation": "Lagos NLP", "organisation_type": "nonprofit", "country": "NG", "role": "corpus"}],
    "datasets": [{"name": "Corpus wolof", "origin_country": "SN", "licence": "CC-BY 4.0"}],
    "claims": [{"criterion": "international-openness", "justification": "Sénégal, Nigeria, France."}],
}


def test_token_requires_the_right_password(api_client, applicant):
    response = api_client.post("/api/v1/auth/token/", {"email": applicant.email, "password": "wrong"}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "invalid_credentials"


def test_anonymous_gets_401(api_client, call):
    assert api_client.get(URL).status_code == 401


def test_create_update_submit_and_receipt(token_client, call):
    created = token_client.post(URL, {"call": call.slug, "title": "Brouillon"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    pk, version = body["id"], body["version"]

    incomplete = token_client.post(f"{URL}{pk}/submit/", {}, format="json")
    assert incomplete.status_code == 400
    assert incomplete.json()["code"] == "incomplete"
    assert {"summary", "themes", "claims"} <= set(incomplete.json()["errors"])

    updated = token_client.patch(f"{URL}{pk}/", {**COMPLETE, "version": version}, format="json")
    assert updated.status_code == 200, updated.json()
    assert updated.json()["themes"] == ["public-interest", "global-governance"]
    assert updated.json()["claims"][0]["criterion"] == "international-openness"

    submitted = token_client.post(f"{URL}{pk}/submit/", {"version": updated.json()["version"]}, format="json")
    assert submitted.status_code == 201, submitted.json()
    assert submitted.json()["receipt_number"].startswith("CIA-2024-")

    receipt = token_client.get(f"{URL}{pk}/receipt/").json()
    assert receipt["digest"] == Submission.objects.get().digest
    pdf = token_client.get(receipt["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    withdrawn = token_client.post(f"{URL}{pk}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"


def test_stale_version_gets_409(token_client, call):
    pk = token_client.post(URL, {"call": call.slug}, format="json").json()["id"]
    assert token_client.patch(f"{URL}{pk}/", {"title": "a", "version": 1}, format="json").status_code == 200
    stale = token_client.patch(f"{URL}{pk}/", {"title": "b", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert Application.objects.get().title == "a"


def test_update_without_version_is_a_field_error(token_client, call):
    pk = token_client.post(URL, {"call": call.slug}, format="json").json()["id"]
    response = token_client.patch(f"{URL}{pk}/", {"title": "a"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"] and response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"themes": ["nope"]}, "themes"),
        ({"themes": ["public-interest", "future-of-work", "trusted-ai"]}, "themes"),
        ({"format": "hackathon"}, "format"),
        ({"claims": [{"criterion": "beauty", "justification": "x"}]}, "claims"),
        ({"carrier_country": "XX"}, "carrier_country"),
        ({"partners": [{"organisation": "A", "organisation_type": "company", "country": "ZZ"}]}, "partners"),
        ({"trl": 12}, "trl"),
        ({"call": "unknown-call"}, "call"),
    ],
)
def test_bad_input_gets_a_field_error_not_a_500(token_client, call, payload, field):
    response = token_client.post(URL, {"call": call.slug, **payload}, format="json")
    # A call that does not exist is not found (as its address would be); the other mistakes are invalid input.
    assert response.status_code == (404 if field == "call" else 400), response.content
    body = response.json()
    assert field in body["errors"] and body["code"] in ("invalid", "not_found")
    assert not Application.objects.exists()


def test_errors_follow_accept_language(token_client, call):
    pk = token_client.post(URL, {"call": call.slug}, format="json").json()["id"]
    french = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    english = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert french.json()["errors"]["title"] == ["Donnez un titre au défi."]
    assert english.json()["errors"]["title"] == ["Give the challenge a title."]


def test_after_the_deadline_the_api_refuses_changes_with_409(token_client, call):
    pk = token_client.post(URL, {"call": call.slug, **COMPLETE}, format="json").json()["id"]
    with time_machine.travel(call.closes_at + timedelta(seconds=1)):
        response = token_client.patch(f"{URL}{pk}/", {"title": "late", "version": 2}, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "deadline_passed"
        assert token_client.post(f"{URL}{pk}/submit/", {}, format="json").status_code == 409


def test_attachment_upload_and_removal(token_client, call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pk = token_client.post(URL, {"call": call.slug}, format="json").json()["id"]
    upload = SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")
    response = token_client.post(f"{URL}{pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    fake = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = token_client.post(f"{URL}{pk}/attachments/", {"file": fake}, format="multipart")
    assert refused.status_code == 400
    assert refused.json()["code"] == "attachment_rejected"
    assert token_client.delete(f"{URL}{pk}/attachments/{attachment_id}/").status_code == 204
    assert token_client.get(f"{URL}{pk}/").json()["attachments"] == []


def test_country_codes_are_stored_upper_case_whatever_the_case_sent(token_client, call):
    payload = {
        "call": call.slug,
        "carrier_country": "sn",
        "partners": [{"organisation": "Lagos NLP", "organisation_type": "nonprofit", "country": "ng"}],
        "datasets": [{"name": "Corpus wolof", "origin_country": "Sn"}],
    }
    body = token_client.post(URL, payload, format="json").json()
    assert body["carrier_country"] == "SN"
    assert body["partners"][0]["country"] == "NG" and body["datasets"][0]["origin_country"] == "SN"


def _complete_dossier(token_client, call) -> tuple[int, int]:
    created = token_client.post(URL, {"call": call.slug, **COMPLETE}, format="json")
    assert created.status_code == 201, created.json()
    return created.json()["id"], created.json()["version"]


def test_a_repeated_submit_without_version_gets_the_same_receipt_and_says_so(token_client, call):
    pk, _version = _complete_dossier(token_client, call)

    first = token_client.post(f"{URL}{pk}/submit/", {}, format="json")
    second = token_client.post(f"{URL}{pk}/submit/", {}, format="json")

    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["receipt_number"] == first.json()["receipt_number"]
    assert Submission.objects.filter(application_id=pk).count() == 1


def test_a_double_click_with_the_submitted_version_gets_the_same_receipt(token_client, call):
    pk, version = _complete_dossier(token_client, call)

    first = token_client.post(f"{URL}{pk}/submit/", {"version": version}, format="json")
    second = token_client.post(f"{URL}{pk}/submit/", {"version": version}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["receipt_number"] == first.json()["receipt_number"]
    older = token_client.post(f"{URL}{pk}/submit/", {"version": version - 1}, format="json")
    assert older.status_code == 409 and older.json()["code"] == "stale_version"


def test_an_idempotency_key_replays_its_receipt_and_a_new_key_after_a_change_makes_a_new_one(token_client, call):
    pk, version = _complete_dossier(token_client, call)

    first = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    retry = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["receipt_number"] == first.json()["receipt_number"]

    current = token_client.get(f"{URL}{pk}/").json()["version"]
    changed = token_client.patch(f"{URL}{pk}/", {"title": "Titre révisé", "version": current}, format="json")
    assert changed.status_code == 200, changed.json()
    again = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="key-2")
    assert again.status_code == 201
    assert again.json()["receipt_number"] != first.json()["receipt_number"]
    late_retry = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert late_retry.status_code == 200
    assert late_retry.json()["receipt_number"] == first.json()["receipt_number"]
    assert Submission.objects.filter(application_id=pk).count() == 2


def test_an_overlong_idempotency_key_is_a_field_error(token_client, call):
    pk, _version = _complete_dossier(token_client, call)
    response = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Submission.objects.exists()


def test_a_submit_and_a_read_of_the_call_cost_a_known_number_of_queries(
    token_client, call, django_assert_num_queries, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """Deadline night's two requests: a submit reads the dossier once; the call's API answers from the cache."""
    pk, _version = _complete_dossier(token_client, call)
    token_client.get(f"/api/v1/calls/{call.slug}/")
    # As on the deadline night, the server process has taken a receipt of this call before (its sequence known).
    earlier, earlier_owner = ready_dossier(call, "earlier@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application_id=earlier.pk, user=earlier_owner)

    # The token, the test's savepoint pair, the locked read (it checks the owner), the lists in one query, and the
    # writes: one statement on PostgreSQL; on SQLite the dossier, the receipt counter, the submission, the event.
    # A first submit has no earlier submission to read.
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 9):
        assert token_client.post(f"{URL}{pk}/submit/", {}, format="json").status_code == 201
    with django_assert_max_num_queries(1):  # the token
        assert token_client.get(f"/api/v1/calls/{call.slug}/").status_code == 200


def test_a_retry_after_the_deadline_gets_the_receipt_given_before_it(token_client, call):
    pk, _version = _complete_dossier(token_client, call)
    with time_machine.travel(call.closes_at + timedelta(milliseconds=999), tick=False):
        first = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="last-second")
    assert first.status_code == 201

    with time_machine.travel(call.closes_at + timedelta(seconds=5), tick=False):
        retry = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="last-second")
        new = token_client.post(f"{URL}{pk}/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="another")
    assert retry.status_code == 200 and retry.json()["receipt_number"] == first.json()["receipt_number"]
    assert new.status_code == 409 and new.json()["code"] == "deadline_passed"
    assert Submission.objects.filter(application_id=pk).count() == 1


def _submitted_while_the_broker_refuses(token_client, call, broker, django_capture_on_commit_callbacks):
    """A complete dossier submitted through the API while the broker refuses messages: answered with its receipt."""
    from django.core import mail

    pk, _version = _complete_dossier(token_client, call)
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client.post(f"{URL}{pk}/submit/", {}, format="json")
    assert response.status_code == 201
    submission = Submission.objects.get(application_id=pk)
    assert response.json()["receipt_number"] == submission.receipt_number
    assert mail.outbox == [] and submission.receipt_emailed_at is None
    return submission


def test_a_receipt_the_broker_refused_is_still_given_then_emailed_by_the_sweep(
    token_client, call, broker, django_capture_on_commit_callbacks
):
    """The submission is committed before its receipt is queued: a broker that refuses the message must neither turn
    the answer into an error nor lose the e-mail."""
    from django.core import mail

    from convergence.core.models import PendingTask
    from convergence.core.queueing import pending_tasks_publish

    submission = _submitted_while_the_broker_refuses(token_client, call, broker, django_capture_on_commit_callbacks)
    kept = PendingTask.objects.get()
    assert (kept.task, kept.args) == ("convergence.applications.tasks.send_new_receipts", [])
    assert "Connection refused" in kept.last_error

    assert pending_tasks_publish() == 0  # still down: kept, one more attempt counted
    assert PendingTask.objects.get().attempts == 2
    broker.down = False
    assert pending_tasks_publish() == 1
    assert not PendingTask.objects.exists()
    assert len(mail.outbox) == 1 and submission.receipt_number in mail.outbox[0].subject


def test_a_receipt_neither_queued_nor_kept_is_emailed_by_the_receipts_sweep(
    token_client, call, broker, monkeypatch, django_capture_on_commit_callbacks
):
    """The last line: the broker refused the message and the database the copy kept for the sweep (the process
    logs both); the receipts still not e-mailed after a while are queued again from the submissions themselves."""
    from django.core import mail
    from django.db import DatabaseError

    from convergence.applications import services
    from convergence.core import queueing
    from convergence.core.models import PendingTask

    def database_gone(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(PendingTask.objects, "create", database_gone)
    submission = _submitted_while_the_broker_refuses(token_client, call, broker, django_capture_on_commit_callbacks)
    assert not PendingTask.objects.exists()

    broker.down = False
    monkeypatch.setattr(queueing, "_refused_at", None)
    assert services.unsent_receipts_requeue() == 0  # its worker may still be on it: not yet
    with time_machine.travel(submission.submitted_at + timedelta(days=8), tick=False):
        assert services.unsent_receipts_requeue() == 0  # a week later: too old to e-mail out of the blue
    with time_machine.travel(submission.submitted_at + timedelta(minutes=16), tick=False):
        assert services.unsent_receipts_requeue() == 1
        assert services.unsent_receipts_requeue() == 0  # e-mailed: never twice
    assert len(mail.outbox) == 1 and submission.receipt_number in mail.outbox[0].subject
