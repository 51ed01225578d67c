from datetime import timedelta

import time_machine

from convergence.calls.services import call_close_now


def test_the_call_api_follows_a_closing_and_the_clock_though_it_is_cached(api_client, call, organiser):
    first = api_client.get(f"/api/v1/calls/{call.slug}/").json()
    assert first["is_open"] is True
    assert [theme["code"] for theme in first["themes"]][:1] == ["public-interest"]

    with time_machine.travel(call.closes_at + timedelta(seconds=1)):
        assert api_client.get(f"/api/v1/calls/{call.slug}/").json()["is_open"] is False

    call_close_now(call=call, user=organiser)
    closed = api_client.get(f"/api/v1/calls/{call.slug}/").json()
    assert closed["is_open"] is False
    assert closed["closes_at"] != first["closes_at"]


def test_an_unknown_call_is_404(api_client, call):
    assert api_client.get("/api/v1/calls/no-such-call/").status_code == 404
