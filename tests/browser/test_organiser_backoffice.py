"""The organiser logs in and filters the dossiers, as a person would."""

import re

import pytest

from convergence.applications import services
from tests.conftest import complete_changes_for, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_filters_the_list(page, live_server, call):
    make_user("olivia@example.gouv.fr", is_organiser=True)
    health = services.application_create(call=call, user=make_user("a@example.org"), changes=complete_changes_for(call))
    services.application_submit(application_id=health.pk, user=health.owner)
    services.application_create(
        call=call,
        user=make_user("b@example.org"),
        changes={
            **complete_changes_for(call),
            "title": "Bus à la demande",
            "domains": [call.domains.get(code="mobility")],
        },
    )

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "olivia@example.gouv.fr")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name=re.compile("Connexion|connecter", re.I)).click()
    page.get_by_role("link", name="Back-office").click()
    page.wait_for_url(re.compile("/backoffice/calls/convergence-ia-2025/insights/"))  # where the call stands
    assert page.locator('[data-figure="submitted"]').inner_text() == "1"
    page.get_by_role("link", name="Dossiers", exact=True).click()
    page.wait_for_url(re.compile("/backoffice/calls/convergence-ia-2025/$"))
    assert page.locator("#result-count").inner_text() == "2 dossiers correspondent."

    page.select_option("#id_domain", "mobility")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile("domain=mobility"))
    assert page.locator("#result-count").inner_text() == "1 dossier correspond."
    assert page.get_by_role("link", name="Bus à la demande").is_visible()

    page.select_option("#id_domain", "")
    page.select_option("#id_status", "submitted")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile("status=submitted"))
    assert page.get_by_role("link", name="Détection précoce du paludisme").is_visible()
    assert page.get_by_role("link", name="Bus à la demande").count() == 0
