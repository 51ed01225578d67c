"""The DSFR's JavaScript runs: accordions open, and at 390 px the burger menu gives log-in and the language switch."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_criterion_and_faq_accordions_open(page, live_server, call):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/")

    criterion = page.get_by_role("button", name="1. Ouverture internationale")
    expect(criterion).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_text("Le défi mobilise des acteurs de plusieurs pays")).to_be_hidden()
    criterion.click()
    expect(criterion).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Le défi mobilise des acteurs de plusieurs pays")).to_be_visible()

    question = page.get_by_role("button", name="Qui peut candidater ?")
    question.click()
    expect(page.get_by_text("seuls ou en consortium")).to_be_visible()
    assert errors == []


def test_mobile_menu_logs_in_and_switches_language(browser, live_server, call):
    make_user("awa@univ.example.sn")
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/")

    # At 390 px the header's links are folded into the menu.
    expect(page.get_by_role("link", name="Se connecter")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-menu-modal")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Se connecter").click()

    page.fill("#id_login", "awa@univ.example.sn")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Mes dossiers")).to_be_visible()

    page.get_by_role("button", name="Menu").click()
    page.locator("#header-menu-modal").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My dossiers")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    context.close()
