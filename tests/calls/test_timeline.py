"""The call's timeline: the step under way, and none once the programme is over."""

from datetime import datetime
from zoneinfo import ZoneInfo

from convergence.calls.selectors import call_timeline

PARIS = ZoneInfo("Europe/Paris")


def test_the_step_under_way_is_the_last_that_started(real_dates_call):
    steps = call_timeline(real_dates_call, now=datetime(2024, 12, 6, 10, tzinfo=PARIS))
    current = [step.milestone.code for step in steps if step.is_current]
    assert len(current) == 1
    assert all(step.is_past for step in steps[: [s.is_current for s in steps].index(True)])


def test_a_finished_programme_has_no_step_under_way(real_dates_call):
    steps = call_timeline(real_dates_call, now=datetime(2026, 11, 30, tzinfo=PARIS))
    assert not any(step.is_current for step in steps)
    assert all(step.is_past for step in steps)


def test_the_last_step_is_under_way_during_the_summit(real_dates_call):
    steps = call_timeline(real_dates_call, now=datetime(2025, 2, 10, 15, tzinfo=PARIS))
    assert steps[-1].is_current and steps[-1].milestone.code == "summit"
