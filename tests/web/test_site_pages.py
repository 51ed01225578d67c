"""The site's own pages, its error pages, the Content Security Policy and where each role lands after login."""

import pytest
from django.test import override_settings
from django.urls import reverse

from convergence.web.pages import PAGES
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["site_map", "accessibility", "legal_notice", "personal_data"])
def test_footer_pages_answer_in_both_languages(client, name):
    for language, word in [("fr", "Convergence"), ("en", "Convergence")]:
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert word in response.content.decode()


def test_footer_carries_what_every_state_site_carries(client, call):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for text in ["Plan du site", "Accessibilité : non conforme", "Mentions légales", "Données personnelles"]:
        assert text in page


def test_accessibility_statement_lists_every_page_the_browser_test_checks(client):
    page = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "non conforme avec le RGAA 4.1" in page
    assert f"Les {len(PAGES)} pages vérifiées automatiquement" in page
    assert "Défenseur des droits" in page


def test_unknown_page_is_a_french_dsfr_404(client):
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page non trouvée" in page and "fr-header" in page and "Plan du site" in page


def test_anonymous_visitor_following_a_link_is_asked_to_log_in_and_sent_back(client, call):
    url = reverse("applications:backoffice", args=[call.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_logged_in_person_without_the_right_gets_a_403_page_in_their_language(client, call, applicant):
    client.force_login(applicant)
    response = client.get(reverse("applications:backoffice", args=[call.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access refused" in page and applicant.email in page


@override_settings(DEBUG=False)
def test_server_error_page_is_self_contained(client, monkeypatch):
    from convergence.web import views

    response = views.server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode() or "Unexpected error" in response.content.decode()


def test_content_security_policy_refuses_inline_scripts_and_styles(client, call):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    assert script_src.strip() == "script-src 'self'"
    assert style_src.strip() == "style-src 'self'"
    assert "frame-ancestors 'none'" in policy
    page = response.content.decode()
    assert "<script>" not in page and " style=" not in page


@pytest.mark.parametrize(
    ("fields", "landing"),
    [
        ({"is_organiser": True}, "applications:backoffice_home"),
        ({"is_committee_member": True}, "review:home"),
        ({}, "applications:mine"),
    ],
)
def test_each_role_lands_on_its_own_work_after_login(client, fields, landing):
    make_user("person@example.org", **fields)
    response = client.post(
        reverse("account_login"), {"login": "person@example.org", "password": "correct horse battery"}
    )
    assert response["Location"] == reverse(landing)


def test_login_follows_next_first(client, call):
    make_user("olivia@example.gouv.fr", is_organiser=True)
    target = reverse("labels:catalogue")
    response = client.post(
        f"{reverse('account_login')}?next={target}",
        {"login": "olivia@example.gouv.fr", "password": "correct horse battery", "next": target},
    )
    assert response["Location"] == target


def test_menu_highlights_the_section_of_the_page(client, call, organiser):
    client.force_login(organiser)
    page = client.get(reverse("labels:manage", args=[call.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/backoffice/" aria-current="page">Back-office' in page
    assert 'aria-current="page">Catalogue' not in page
    catalogue = client.get(reverse("labels:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-current="page">Catalogue' in catalogue
