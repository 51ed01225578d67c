"""schemathesis generates requests from the OpenAPI schema, as an anonymous visitor, an applicant, a committee
member and an organiser; every answer must be what the schema says (status, media type, body), valid requests
accepted, invalid ones refused, and never a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance

from convergence.wsgi import application as wsgi_application

schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application)


@pytest.fixture
def token(call, applicant, keep_test_connection):
    from convergence.applications import services
    from tests.conftest import complete_changes_for

    # Something to find: a draft and a submitted dossier with ids 1 and 2.
    services.application_create(call=call, user=applicant)
    submitted = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    services.application_submit(application_id=submitted.pk, user=applicant)
    return Token.objects.create(user=applicant).key


@pytest.fixture
def organiser_token(token, call, organiser, applicant):
    """An organiser with a committee and a member's assignment, so that selection endpoints have something to do."""
    from convergence.review import services

    services.committee_member_invite(call=call, email="member@example.edu", invited_by=organiser)
    return Token.objects.create(user=organiser).key


ROLES = ["anonymous", "applicant", "reviewer", "organiser"]
FILE_FORMATS = {
    ("POST", "/api/v1/competitions/import/"),
    ("POST", "/api/v1/applications/{id}/attachments/"),
    ("PUT", "/api/v1/competitions/{slug}/logo/"),
    ("PUT", "/api/v1/competitions/{slug}/phases/{phase}/scoring-program/"),
    ("POST", "/api/v1/competitions/{slug}/phases/{phase}/submissions/"),
    ("PUT", "/api/v1/labels/{identifier}/reports/{milestone}/"),
}


@pytest.fixture
def tokens(token, organiser_token, call, reviewer):
    """A token for each role; the reviewer is a member of the call's committee."""
    from convergence.review import services

    services.committee_member_invite(call=call, email=reviewer.email, invited_by=call.applications.first().owner)
    return {
        "anonymous": None,
        "applicant": token,
        "reviewer": Token.objects.create(user=reviewer).key,
        "organiser": organiser_token,
    }


@schema.parametrize()
# Derandomized: the same cases in every run (a failure is a change of the code, not of the draw).
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_published_contract(case, role, tokens):
    """Every check of schemathesis (status codes, content types, response schemas, valid requests accepted and
    invalid ones refused), as each role."""
    headers = {"Authorization": f"Token {tokens[role]}"} if tokens[role] and case.path != "/api/v1/auth/token/" else {}
    # A file whose format the platform reads (a zip, a PDF, an image) cannot be described in OpenAPI beyond
    # "binary": random bytes are valid by the schema and rightly refused (400, the reason given).
    excluded = [positive_data_acceptance] if (case.method, case.path) in FILE_FORMATS else []
    case.call_and_validate(headers=headers, excluded_checks=excluded)
