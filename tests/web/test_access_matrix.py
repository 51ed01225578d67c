"""Who may open each page, generated from the pages of the site (convergence.web.pages.PAGES, which the URL
configuration inventory keeps complete), as every role of the programme (tests/web/conftest.py): the public opens
public pages; anyone else's page sends an anonymous visitor to log in with `next`, and refuses (403 or 404) every
other person but those it names; each person opens their own."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.test_every_page import _visits

from .conftest import ACCOUNTS, ROLES

pytestmark = pytest.mark.django_db

# Pages every logged-in person has: their account, their (empty) dossiers and committee space, and the page that
# explains who may host a competition.
EVERY_ACCOUNT = {
    "account_change_password",
    "account_email",
    "account_logout",
    "applications:mine",
    "review:home",
    "review:expert_home",
    "competitions:new",
}
# Who else may open a page that belongs to someone (besides the person `_visits` opens it as).
ALSO = {
    # The committee's pages of the past edition: any member of its committee (their own profile and conflicts);
    # the dossier and the review only the assigned member.
    "review:profile": {"conflicted_reviewer"},
    "review:conflicts": {"conflicted_reviewer"},
    # A submitted report: organisers, and the committee members without a conflict with the challenge; the
    # follow-up of the call: its members (each sees the challenges they may read).
    "execution:report_detail": {"reviewer", "carrier"},
    "execution:follow_up": {"reviewer", "conflicted_reviewer"},
    # Organisers read a submitted version, a label's page and its reports as their carrier does.
    "applications:submission": {"organiser"},
    "labels:mine": {"organiser"},
    "execution:report": {"organiser"},
    # Organisers host any competition.
    "competitions:host": {"organiser"},
}


def _outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302:
        return "login" if location.startswith("/accounts/login/?next=") else "redirect"
    return {200: "page", 403: "refused", 404: "refused"}.get(response.status_code, str(response.status_code))


def test_who_may_open_each_page(programme):
    users = programme["users"]
    role_of = {user.pk: role for role, user in users.items()}
    # One client per role: each new client loads the middleware again.
    clients = {role: Client() for role in ROLES}
    for role, user in users.items():
        clients[role].force_login(user)
    wrong = []
    for visit in _visits(programme):
        if visit.user is None:
            allowed = set(ROLES)
        elif visit.url_name in EVERY_ACCOUNT:
            allowed = ACCOUNTS
        else:
            assert visit.user.pk in role_of, f"{visit.url_name} is opened by someone with no role"
            allowed = {role_of[visit.user.pk]} | ALSO.get(visit.url_name, set())
        for role in ROLES:
            outcome = _outcome(clients[role].get(visit.path))
            if role == "anonymous" and visit.url_name == "account_logout":
                expected = {"redirect"}  # logging out when logged out goes home
            elif role in allowed:
                expected = {"page", "redirect"}
            else:
                expected = {"login"} if role == "anonymous" else {"refused"}
            if outcome not in expected:
                wrong.append(f"{role} on {visit.url_name} {visit.path}: {outcome}, expected {sorted(expected)}")
    assert not wrong, "\n".join(wrong)
