"""Redis as the shared cache is a help, not a condition: while it cannot be reached, pages still answer."""

import logging
import socket
import time

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient

from convergence.calls.models import Call
from convergence.core import cache as failsafe
from convergence.web import public_cache


def _redis(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "convergence.core.cache.FailSafeRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def fresh_breaker(monkeypatch):
    monkeypatch.setattr(failsafe, "_unreachable_since", None)
    public_cache._memory.clear()
    public_cache._renew_pending.clear()
    yield
    public_cache._memory.clear()
    public_cache._renew_pending.clear()


@pytest.fixture
def redis_down(settings, fresh_breaker):
    """The cache is Redis on a port where nothing listens: every connection is refused."""
    settings.CACHES = _redis("redis://127.0.0.1:1/0")


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_public_pages_the_api_and_login_answer_while_redis_is_down(redis_down, client, api_client, call, applicant):
    assert client.get("/").status_code == 200
    assert client.get("/catalogue/").status_code == 200
    api_client.force_authenticate(applicant)
    assert api_client.get(f"/api/v1/calls/{call.slug}/").json()["slug"] == call.slug
    # allauth keeps its login rate limits in the cache.
    client.post("/accounts/login/", {"login": applicant.email, "password": "correct horse battery"})
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_an_organiser_change_is_saved_and_shown_while_redis_is_down(redis_down, client, call, organiser):
    client.force_login(organiser)
    response = client.post(f"/calls/{call.slug}/close/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    call.refresh_from_db()
    assert not call.is_open
    assert "Applications are closed." in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_public_value_is_built_once_per_process_for_a_few_seconds_while_redis_is_down(redis_down, call):
    builds = []

    def build():
        builds.append(1)
        return list(Call.objects.values_list("slug", flat=True))

    for _ in range(3):
        assert public_cache.cached_public("calls", "test-slugs", build) == [call.slug]
    assert len(builds) == 1


def test_after_one_refusal_the_process_stops_asking_for_a_while(redis_down, monkeypatch, caplog):
    asked = []
    original = RedisCacheClient.get_client

    def counting(self, key=None, *, write=False):
        asked.append(key)
        return original(self, key, write=write)

    monkeypatch.setattr(RedisCacheClient, "get_client", counting)
    with caplog.at_level(logging.WARNING, logger="convergence.core.cache"):
        assert cache.get("a", "missing") == "missing"
        cache.set("b", 1)
        assert cache.add("c", 1) is True
        assert cache.get_many(["a", "b"]) == {}
    assert len(asked) == 1
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "Cache unreachable, pages go on without it"
    ]
    monkeypatch.setattr(failsafe, "CACHE_PAUSE_SECONDS", 0)
    cache.get("a")
    assert len(asked) == 2


@pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_up_it_is_django_s_redis_cache(settings, fresh_breaker, caplog):
    settings.CACHES = _redis("redis://127.0.0.1:6379/13")
    cache.set("answer", {"value": 42}, 30)
    assert cache.get("answer") == {"value": 42}
    assert cache.add("answer", 0) is False
    assert cache.get_many(["answer", "nothing"]) == {"answer": {"value": 42}}
    cache.delete("answer")
    assert cache.get("answer") is None
    assert not caplog.records


@pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_a_change_made_while_redis_was_cut_off_shows_once_it_is_back(settings, fresh_breaker, monkeypatch, db):
    settings.CACHES = _redis("redis://127.0.0.1:6379/13")
    cache.clear()
    state = {"title": "before"}
    assert public_cache.cached_public("calls", "title", lambda: state["title"]) == "before"
    # Cut off: Redis keeps its entries, but this process cannot reach it.
    monkeypatch.setattr(failsafe, "_unreachable_since", time.monotonic())
    state["title"] = "after"
    public_cache.public_content_changed("calls")
    assert public_cache.cached_public("calls", "title", lambda: state["title"]) == "after"
    # Back: the entry cached before the outage must not come back.
    monkeypatch.setattr(failsafe, "_unreachable_since", None)
    assert public_cache.cached_public("calls", "title", lambda: state["title"]) == "after"
    assert not public_cache._renew_pending
    cache.clear()
