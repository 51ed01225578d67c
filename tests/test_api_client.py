"""The schema is usable by the tools API users use: a typed client generated from it with openapi-python-client
runs the applicant's journey (token, draft, complete, attachment, submit, receipt) against the platform, and reads
a refusal as the schema's `Error`."""

import io
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command

from convergence.applications.models import Submission
from convergence.wsgi import application as wsgi_application
from tests.conftest import pdf_bytes

BASE_URL = "http://localhost"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """The client generated from the schema the platform publishes, imported as `convergence_client`."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    # Literal enums: a country code is accepted in either case ("FR", "fr"), which an Enum class cannot hold twice.
    (folder / "config.yaml").write_text("literal_enums: true\n")
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--config",
            str(folder / "config.yaml"),
            "--output-path",
            str(folder / "convergence_client"),
        ],  # fmt: skip
        check=True,
        capture_output=True,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )
    # openapi-python-client 0.29.1 annotates an optional body `X | Unset` without importing `Unset` (only
    # `UNSET`): annotations left unevaluated, as Python will do by default, make the generated code importable.
    for module in (folder / "convergence_client").rglob("*.py"):
        module.write_text("from __future__ import annotations\n" + module.read_text())
    sys.path.insert(0, str(folder))
    yield __import__("convergence_client")
    sys.path.remove(str(folder))


def test_a_generated_client_runs_the_applicants_journey(client_package, call, applicant, keep_test_connection):
    from convergence_client import AuthenticatedClient, Client
    from convergence_client.api.v1 import (
        v1_applications_attachments_create,
        v1_applications_create,
        v1_applications_partial_update,
        v1_applications_receipt_retrieve,
        v1_applications_submit_create,
        v1_auth_token_create,
    )
    from convergence_client.models import (
        ApplicationCreateInputRequest,
        ApplicationUpdateInputRequest,
        AttachmentUploadRequest,
        ClaimRequest,
        Error,
        PartnerRequest,
        TokenInputRequest,
        VersionInputRequest,
    )
    from convergence_client.types import File

    transport = {"transport": httpx.WSGITransport(app=wsgi_application)}
    anonymous = Client(base_url=BASE_URL, httpx_args=transport)
    refused = v1_auth_token_create.sync(client=anonymous, body=TokenInputRequest(email=applicant.email, password="no"))
    assert isinstance(refused, Error) and refused.code == "invalid_credentials"
    token = v1_auth_token_create.sync(
        client=anonymous, body=TokenInputRequest(email=applicant.email, password="correct horse battery")
    ).token
    api = AuthenticatedClient(base_url=BASE_URL, token=token, prefix="Token", httpx_args=transport)

    draft = v1_applications_create.sync(
        client=api, body=ApplicationCreateInputRequest(call=call.slug, title="Brouillon")
    )
    criterion = call.criteria.get(number=1).code
    complete = ApplicationUpdateInputRequest(
        version=draft.version,
        title="Détection précoce du paludisme",
        summary="Un diagnostic assisté par IA sur frottis sanguins.",
        description="Description complète du défi.",
        themes=[theme.code for theme in call.themes.all()[:2]],
        domains=["health"],
        format_=call.formats.get(number=1).code,
        trl=4,
        already_launched=False,
        expected_results="Un prototype évalué sur 1 000 lames.",
        carrier_name="Institut Exemple",
        carrier_type="research",
        carrier_country="FR",
        contact_name="Amina Porteuse",
        contact_email="amina@example.org",
        partners=[PartnerRequest(organisation="Addis AI Lab", organisation_type="research", country="ET")],
        claims=[ClaimRequest(criterion=criterion, justification="Partenaires en Éthiopie.")],
    )
    updated = v1_applications_partial_update.sync(draft.id, client=api, body=complete)
    assert updated.title == "Détection précoce du paludisme" and updated.version == draft.version + 1
    stale = v1_applications_partial_update.sync(draft.id, client=api, body=complete)  # the version read before
    assert isinstance(stale, Error) and stale.code == "stale_version"

    letter = File(
        payload=io.BytesIO(pdf_bytes("Lettre d'engagement")), file_name="lettre.pdf", mime_type="application/pdf"
    )
    attachment = v1_applications_attachments_create.sync(
        draft.id, client=api, body=AttachmentUploadRequest(file=letter)
    )
    assert attachment.name == "lettre.pdf"

    submitted = v1_applications_submit_create.sync(
        draft.id, client=api, body=VersionInputRequest(version=updated.version)
    )
    assert submitted.receipt_number.startswith("CIA-")
    receipt = v1_applications_receipt_retrieve.sync(draft.id, client=api)
    assert receipt.digest == Submission.objects.get().digest

    # The list of one's dossiers, one page at a time: the body the client knows, the count in the headers.
    from convergence_client.api.v1 import v1_applications_list

    second = v1_applications_create.sync(client=api, body=ApplicationCreateInputRequest(call=call.slug, title="Autre"))
    page = v1_applications_list.sync_detailed(client=api, page=1, page_size=1)
    assert page.headers["X-Total-Count"] == "2" and 'rel="next"' in page.headers["Link"]
    assert [dossier.id for dossier in page.parsed] == [second.id]  # the last changed first
    page = v1_applications_list.sync_detailed(client=api, page=2, page_size=1)
    assert [dossier.id for dossier in page.parsed] == [draft.id]
