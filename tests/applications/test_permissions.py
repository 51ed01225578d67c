"""Every page and endpoint that shows a dossier, for every persona."""

import pytest
from django.urls import reverse

from convergence.applications import services

OWNER_ONLY_PAGES = [
    ("applications:detail", "application"),
    ("applications:step", "step"),
]


@pytest.fixture
def submitted(complete_draft, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import pdf_bytes

    services.attachment_add(
        application=complete_draft, user=applicant, upload=SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")
    )
    submission = services.application_submit(application_id=complete_draft.pk, user=applicant)
    return submission


def urls_for(submission):
    application = submission.application
    attachment = application.attachments.get()
    return {
        "detail": reverse("applications:detail", args=[application.pk]),
        "edit": reverse("applications:step", args=[application.pk, "challenge"]),
        "review": reverse("applications:step", args=[application.pk, "review"]),
        "receipt": reverse("applications:receipt", args=[submission.pk]),
        "version": reverse("applications:submission", args=[application.pk, submission.number]),
        "attachment": reverse("applications:attachment", args=[attachment.pk]),
        "backoffice_detail": reverse("applications:backoffice_detail", args=[application.pk]),
        "backoffice_list": reverse("applications:backoffice", args=[application.call.slug]),
        "export": reverse("applications:backoffice_export", args=[application.call.slug, "csv"]),
        "api_detail": f"/api/v1/applications/{application.pk}/",
        "api_receipt": f"/api/v1/applications/{application.pk}/receipt/",
        "api_pdf": f"/api/v1/receipts/{submission.pk}/pdf/",
    }


# persona -> url name -> expected status
MATRIX = {
    "owner": {
        "detail": 200, "edit": 200, "review": 200, "receipt": 200, "version": 200, "attachment": 200,
        "backoffice_detail": 403, "backoffice_list": 403, "export": 403,
        "api_detail": 200, "api_receipt": 200, "api_pdf": 200,
    },
    "other_applicant": {
        "detail": 404, "edit": 404, "review": 404, "receipt": 404, "version": 404, "attachment": 404,
        "backoffice_detail": 403, "backoffice_list": 403, "export": 403,
        "api_detail": 404, "api_receipt": 404, "api_pdf": 404,
    },
    "reviewer": {
        "detail": 404, "edit": 404, "review": 404, "receipt": 404, "version": 404, "attachment": 404,
        "backoffice_detail": 403, "backoffice_list": 403, "export": 403,
        "api_detail": 404, "api_receipt": 404, "api_pdf": 404,
    },
    "organiser": {
        "detail": 404, "edit": 404, "review": 404, "receipt": 200, "version": 200, "attachment": 200,
        "backoffice_detail": 200, "backoffice_list": 200, "export": 200,
        "api_detail": 404, "api_receipt": 404, "api_pdf": 200,
    },
}  # fmt: skip


@pytest.mark.parametrize("persona", list(MATRIX))
def test_permission_matrix(client, submitted, applicant, other_applicant, reviewer, organiser, persona):
    users = {"owner": applicant, "other_applicant": other_applicant, "reviewer": reviewer, "organiser": organiser}
    client.force_login(users[persona])
    for name, url in urls_for(submitted).items():
        status = client.get(url).status_code
        assert status == MATRIX[persona][name], f"{persona} {name} {url}: {status}"


def test_anonymous_is_sent_to_login_or_refused(client, submitted):
    for name, url in urls_for(submitted).items():
        response = client.get(url)
        if name.startswith("api_"):
            assert response.status_code in (401, 403), name
        else:
            # Back-office pages too: a link from an e-mail leads to the login page, then back.
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_other_applicant_cannot_write(client, submitted, other_applicant):
    application = submitted.application
    client.force_login(other_applicant)
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    response = client.post(
        reverse("applications:step", args=[application.pk, "challenge"]), {"version": 1, "title": "x"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_api_list_shows_only_own_dossiers(api_client, submitted, other_applicant):
    api_client.force_authenticate(other_applicant)
    assert api_client.get("/api/v1/applications/").json() == []
