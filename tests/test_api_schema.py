"""schemathesis generates requests from the OpenAPI schema; no request may get a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from convergence.wsgi import application as wsgi_application

schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application)


@pytest.fixture
def keep_test_connection():
    # Calling the WSGI app directly would close the test's database connection after each request,
    # as Django does between real requests; Django's own test client disconnects this signal too.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(call, applicant, keep_test_connection):
    from convergence.applications import services
    from tests.conftest import complete_changes_for

    # Something to find: a draft and a submitted dossier with ids 1 and 2.
    services.application_create(call=call, user=applicant)
    submitted = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    services.application_submit(application=submitted, user=applicant)
    return Token.objects.create(user=applicant).key


@pytest.fixture
def organiser_token(token, call, organiser, applicant):
    """An organiser with a committee and a member's assignment, so that selection endpoints have something to do."""
    from convergence.review import services

    services.committee_member_invite(call=call, email="member@example.edu", invited_by=organiser)
    return Token.objects.create(user=organiser).key


def call_with(case, token):
    if case.path != "/api/v1/auth/token/":
        case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
    case.call_and_validate(checks=[not_a_server_error])


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_never_answers_5xx(case, token):
    call_with(case, token)


@schema.include(path_regex="^/api/v1/(selection|committee)/").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_selection_api_never_answers_5xx_to_an_organiser(case, organiser_token):
    call_with(case, organiser_token)
