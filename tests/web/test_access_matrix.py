"""Who may open each page, generated from the pages of the site (convergence.web.pages.PAGES, which the URL
configuration inventory keeps complete): the public opens public pages; anyone else's page sends an anonymous
visitor to log in and refuses (403 or 404) a logged-in stranger, who only reaches the pages every account has;
each person opens their own."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.test_every_page import _seed_programme, _visits
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

# Pages every logged-in person has: their account, their (empty) dossiers and committee space, and the page that
# explains who may host a competition.
EVERY_ACCOUNT = {
    "account_change_password",
    "account_email",
    "account_logout",
    "applications:mine",
    "review:home",
    "competitions:new",
}


def _outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302:
        return "login" if location.startswith("/accounts/login/?next=") else "redirect"
    return {200: "page", 403: "refused", 404: "refused"}.get(response.status_code, str(response.status_code))


def test_who_may_open_each_page():
    visits = _visits(_seed_programme())
    stranger = Client()
    stranger.force_login(make_user("stranger@example.org"))
    wrong = []
    for visit in visits:
        public = visit.user is None
        anonymous = _outcome(Client().get(visit.path))
        # Logging out when logged out goes home.
        expected_anonymous = {"redirect"} if visit.url_name == "account_logout" else {"page"} if public else {"login"}
        if anonymous not in expected_anonymous:
            wrong.append(f"anonymous on {visit.url_name} {visit.path}: {anonymous}")
        seen = _outcome(stranger.get(visit.path))
        if seen not in ({"page", "redirect"} if public or visit.url_name in EVERY_ACCOUNT else {"refused"}):
            wrong.append(f"a stranger on {visit.url_name} {visit.path}: {seen}")
        own = Client()
        if visit.user is not None:
            own.force_login(visit.user)
        if (outcome := _outcome(own.get(visit.path))) not in {"page", "redirect"}:
            wrong.append(f"its person on {visit.url_name} {visit.path}: {outcome}")
    assert not wrong, "\n".join(wrong)
