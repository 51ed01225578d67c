import re

import pytest
from django.core import mail

from convergence.accounts.models import User
from convergence.accounts.services import DemoModeRequired, demo_accounts_ensure


def test_sign_up_verify_email_then_log_in(client, call):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Nouvelle@Example.org",
            "password1": "un mot de passe solide 42",
            "password2": "un mot de passe solide 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "nouvelle@example.org"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    # Unverified: logging in is refused until the address is confirmed.
    client.logout()
    client.post("/accounts/login/", {"login": "nouvelle@example.org", "password": "un mot de passe solide 42"})
    assert "_auth_user_id" not in client.session
    client.post(path)
    assert user.emailaddress_set.get().verified
    client.post("/accounts/login/", {"login": "nouvelle@example.org", "password": "un mot de passe solide 42"})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_is_locked_after_repeated_failures(client, applicant):
    for _ in range(5):
        client.post("/accounts/login/", {"login": applicant.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": applicant.email, "password": "correct horse battery"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    # django-axes locks the email+IP pair; allauth's own limiter answers first on its page. Either way: refused.
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_api_token_is_locked_too(api_client, applicant):
    for _ in range(5):
        api_client.post("/api/v1/auth/token/", {"email": applicant.email, "password": "wrong"}, format="json")
    response = api_client.post(
        "/api/v1/auth/token/", {"email": applicant.email, "password": "correct horse battery"}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


def test_password_reset_sends_a_link(client, applicant):
    client.post("/accounts/password/reset/", {"email": applicant.email})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_demo_accounts_need_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(DemoModeRequired):
        demo_accounts_ensure()


def test_demo_accounts_are_idempotent(db, settings):
    settings.DEMO_MODE = True
    demo_accounts_ensure()
    demo_accounts_ensure()
    assert User.objects.filter(email__endswith="@demo.test").count() == 9
    organiser = User.objects.get(email="organiser@demo.test")
    assert organiser.is_organiser and organiser.check_password("demo")


def test_signing_up_in_english_sets_the_preferred_language(client, call):
    client.post(
        "/accounts/signup/",
        {"email": "ada@example.com", "password1": "a strong password 42", "password2": "a strong password 42"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert User.objects.get().preferred_language == "en"
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body.lower()
