"""Who may call each operation of the API, generated from the URL configuration: every route under /api/v1/ and
every method its view answers needs a row here (a new endpoint without one fails), and each is called as every
role of the programme — anonymous, a stranger, the dossier's applicant, another applicant, an assigned committee
member, a member in conflict with the dossier, the label's carrier, a competition's participant and another
participant, its host, an organiser.

A refused role must get 401, 403 or 404 and nothing else. A role that may read gets 200. A role that may write is
not called here (writing has side effects; the functional tests of each app do it): the matrix proves that
everyone else is refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from convergence.competitions.access import hostable_applications, may_host

from .conftest import ACCOUNTS, EVERYONE, ROLES

pytestmark = pytest.mark.django_db

REFUSED = {401, 403, 404}


@dataclass(frozen=True)
class Row:
    args: tuple
    # Who may call each method (every method the view answers must be listed).
    who: dict[str, set[str]]
    query: str = ""  # what a reader's request needs besides the address


def _api_routes() -> dict[str, set[str]]:
    """Every named route under api/v1/ and the HTTP methods its view answers."""
    routes: dict[str, set[str]] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith("api/v1/"):
                view = getattr(pattern.callback, "view_class", None)
                methods = {m for m in ("get", "post", "put", "patch", "delete") if view and hasattr(view, m)}
                routes[f"{namespace}{pattern.name}"] = methods

    walk(get_resolver().url_patterns, "", "")
    return routes


def _rows(data: dict) -> dict[str, Row]:
    application, label, past = data["applicant_application"], data["label"], data["past"]
    competition, submission = data["competition"], data["competition_submission"]
    phase = submission.phase
    report = label.reports.filter(submitted_at__isnull=False).order_by("pk").first()
    receipt = data["submission"]
    attachment_id = 999_999  # no such attachment: the owner gets 404 too, so only refusals are checked
    message = application.messages.order_by("pk").first()
    invitation = data["invitation"]
    readers = {"applicant", "organiser"}  # the dossier's thread and its requests for completion
    organisers = {"organiser"}
    report_readers = {"organiser", "carrier", "reviewer"}  # the carrier, organisers, members without a conflict
    own_competition = {"participant", "other_participant", "host", "organiser"}
    hosts = {role for role, user in data["users"].items() if may_host(user, None) or hostable_applications(user)}
    return {
        "api:token": Row((), {"post": EVERYONE}),
        "api:calls": Row((), {"get": EVERYONE}),
        "api:call": Row((past.slug,), {"get": EVERYONE}),
        "api:api-call-insights": Row((past.slug,), {"get": organisers}),
        "api:call-duplicates": Row((past.slug,), {"get": organisers}),
        "api:call-theme-review": Row((past.slug,), {"get": organisers}),
        # Organisers, and members who may open the dossier (never one in conflict with it).
        "api:application-similar": Row((label.application.pk,), {"get": {"organiser", "reviewer"}}),
        "api:catalogue-similar": Row((label.identifier,), {"get": EVERYONE}),
        "api:catalogue-semantic-search": Row((), {"get": EVERYONE}, query="?q=paludisme"),
        # Lists show each person their own (empty for most): open to every account.
        "api:applications": Row((), {"get": ACCOUNTS, "post": ACCOUNTS}),
        "api:application": Row((application.pk,), {"get": {"applicant"}, "patch": {"applicant"}}),
        "api:application-submit": Row((application.pk,), {"post": {"applicant"}}),
        "api:application-withdraw": Row((application.pk,), {"post": {"applicant"}}),
        "api:application-receipt": Row((application.pk,), {"get": {"applicant"}}),
        "api:attachments": Row((application.pk,), {"post": {"applicant"}}),
        "api:attachment": Row((application.pk, attachment_id), {"delete": set()}),
        "api:messages": Row((application.pk,), {"get": readers, "post": readers}),
        "api:message-share": Row((application.pk, message.pk), {"post": organisers}),
        "api:completion-requests": Row((application.pk,), {"get": readers, "post": organisers}),
        "api:completion-cancel": Row((application.pk, 999_999), {"post": organisers}),
        "api:notes": Row((application.pk,), {"get": organisers, "post": organisers}),
        "api:note": Row((application.pk, 999_999), {"delete": organisers}),
        "api:tags": Row((application.pk,), {"get": organisers, "put": organisers}),
        "api:dossier-experts": Row((invitation.application_id,), {"get": organisers, "post": organisers}),
        "api:dossier-expert-revoke": Row((invitation.application_id, invitation.pk), {"post": organisers}),
        "api:expertises": Row((), {"get": ACCOUNTS}),  # one's own: empty for most
        "api:expertise": Row((invitation.pk,), {"get": {"expert"}}),
        "api:expertise-declaration": Row((invitation.pk,), {"post": {"expert"}}),
        "api:expertise-opinion": Row((invitation.pk,), {"put": {"expert"}}),
        "api:receipt-pdf": Row((receipt.pk,), {"get": {"applicant", "organiser"}}),
        "api:application-decision": Row((application.pk,), {"get": set()}),  # not published yet: 404 for all
        "api:committee-assignments": Row((), {"get": ACCOUNTS}),
        "api:committee-assignment": Row((data["assignment"].pk,), {"get": {"reviewer"}}),
        "api:committee-review": Row((data["assignment"].pk,), {"get": {"reviewer"}, "put": {"reviewer"}}),
        "api:selection-eligibility": Row((past.slug,), {"get": organisers, "post": organisers}),
        "api:selection-eligibility-override": Row((past.slug, application.pk), {"post": organisers}),
        "api:selection-assignment": Row((past.slug,), {"get": organisers, "post": organisers}),
        "api:selection-ranking": Row((past.slug,), {"get": organisers}),
        "api:selection-publish": Row((past.slug,), {"post": organisers}),
        "api:selection-decision": Row((label.application.pk,), {"put": organisers, "post": organisers}),
        "api:labels": Row((), {"get": ACCOUNTS}),
        "api:label-award": Row((), {"post": organisers}),
        "api:label": Row((label.identifier,), {"get": {"carrier", "organiser"}}),
        "api:label-verify": Row((label.identifier,), {"get": EVERYONE}),
        "api:label-revoke": Row((label.identifier,), {"post": organisers}),
        "api:label-certificate": Row((label.identifier,), {"get": {"carrier", "organiser"}}),
        "api:kit-download": Row((data["kit_file"].pk,), {"get": {"carrier", "organiser"}}),
        "api:catalogue": Row((), {"get": EVERYONE}),
        "api:catalogue-entry": Row((label.identifier,), {"get": EVERYONE}),
        "api:label-reports": Row((label.identifier,), {"get": {"carrier", "organiser"}}),
        "api:label-report": Row(
            (label.identifier, report.milestone.code), {"get": {"carrier", "organiser"}, "put": {"carrier"}}
        ),
        "api:report-comments": Row((report.pk,), {"get": report_readers, "post": {"organiser", "reviewer"}}),
        # The dashboard: organisers, and the call's members (who see only the challenges they may read).
        "api:follow-up": Row((past.slug,), {"get": {"organiser", "reviewer", "conflicted_reviewer"}}),
        "api:programme": Row((), {"get": EVERYONE}),
        "api:competitions": Row((), {"get": EVERYONE}),
        "api:competition": Row((competition.slug,), {"get": EVERYONE}),
        # Organisers and carriers of a format-1 challenge host; the others are refused before their file is read.
        "api:competition-import": Row((), {"post": hosts}),
        "api:competition-join": Row((competition.slug,), {"post": ACCOUNTS}),
        "api:competition-logo": Row(
            (competition.slug,), {"put": {"host", "organiser"}, "delete": {"host", "organiser"}}
        ),
        # "My team": found only for someone in a team.
        "api:competition-team": Row((competition.slug,), {"get": {"participant"}, "post": own_competition}),
        "api:competition-display-name": Row((competition.slug,), {"put": own_competition}),
        "api:competition-submissions": Row((competition.slug,), {"get": ACCOUNTS}),  # one's own: empty for most
        "api:competition-submit": Row((competition.slug, phase.code), {"post": own_competition}),
        "api:competition-scoring-program": Row((competition.slug, phase.code), {"put": {"host", "organiser"}}),
        "api:competition-solutions": Row(
            (competition.slug, phase.code), {"get": {"host", "organiser"}, "post": {"host", "organiser"}}
        ),
        "api:competition-columns": Row(
            (competition.slug, phase.code), {"get": {"host", "organiser"}, "put": {"host", "organiser"}}
        ),
        "api:competition-leaderboard": Row((competition.slug, phase.code), {"get": EVERYONE}),
        "api:competition-submission": Row((submission.pk,), {"get": {"participant", "host", "organiser"}}),
    }


def test_every_api_operation_refuses_everyone_it_should(programme):
    routes = _api_routes()
    rows = _rows(programme)
    assert not set(routes) - set(rows), f"give these API routes a row: {sorted(set(routes) - set(rows))}"
    assert not set(rows) - set(routes), f"these rows name no route: {sorted(set(rows) - set(routes))}"
    # One client per role: each new client loads the middleware again (whitenoise indexes every static file).
    clients = {role: APIClient() for role in ROLES}
    for role, user in programme["users"].items():
        clients[role].force_authenticate(user)
    wrong = []
    for name, methods in sorted(routes.items()):
        row = rows[name]
        missing = methods - set(row.who)
        assert not missing, f"{name}: say who may call {sorted(missing)}"
        path = reverse(name, args=row.args) + row.query
        for method in sorted(methods):
            for role in ROLES:
                allowed = role in row.who[method]
                if allowed and method != "get":
                    continue  # writes are exercised by each app's tests
                client = clients[role]
                # An empty form: every endpoint parses it, so the answer is about the caller, not the content type.
                status = getattr(client, method)(path, {}, format="multipart" if method != "get" else None).status_code
                if allowed and status != 200:
                    wrong.append(f"{role} may {method.upper()} {name} {path} but got {status}")
                elif not allowed and status not in REFUSED:
                    wrong.append(f"{role} must be refused {method.upper()} {name} {path} but got {status}")
    assert not wrong, "\n".join(wrong)
