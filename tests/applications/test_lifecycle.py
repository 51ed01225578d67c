import os
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from convergence.applications import services
from convergence.applications.errors import DeadlinePassed, IncompleteApplication, InvalidTransition, StaleVersion
from convergence.applications.models import Application, ApplicationEvent, Submission
from tests.conftest import complete_changes_for

PARIS = ZoneInfo("Europe/Paris")


def test_new_dossier_is_a_draft_with_a_created_event(draft, applicant):
    assert draft.status == Application.Status.DRAFT
    event = draft.events.get()
    assert (event.kind, event.actor, event.to_status) == ("created", applicant, "draft")


def test_incomplete_dossier_lists_every_missing_field_at_once(draft, applicant):
    with pytest.raises(IncompleteApplication) as caught:
        services.application_submit(application_id=draft.pk, user=applicant)
    fields = set(caught.value.field_errors)
    assert {"title", "summary", "description", "themes", "domains", "format", "trl", "expected_results"} <= fields
    assert {"carrier_name", "carrier_type", "carrier_country", "contact_name", "claims"} <= fields
    assert not Submission.objects.exists()


def test_incomplete_messages_follow_the_users_language(draft, applicant):
    from django.utils.translation import override

    with override("fr"), pytest.raises(IncompleteApplication) as french:
        services.application_submit(application_id=draft.pk, user=applicant)
    with override("en"), pytest.raises(IncompleteApplication) as english:
        services.application_submit(application_id=draft.pk, user=applicant)
    assert french.value.field_errors["title"] == ["Donnez un titre au défi."]
    assert english.value.field_errors["title"] == ["Give the challenge a title."]


def test_a_criterion_without_justification_is_refused(complete_draft, applicant, call):
    criterion = call.criteria.get(number=2)
    services.application_update(
        application=complete_draft,
        user=applicant,
        expected_version=complete_draft.version,
        changes={"claims": {criterion: "   "}},
    )
    with pytest.raises(IncompleteApplication) as caught:
        services.application_submit(application_id=complete_draft.pk, user=applicant)
    assert "claims" in caught.value.field_errors


def test_summary_over_the_limit_is_kept_in_draft_but_refused_at_submission(complete_draft, applicant, call):
    long_summary = "x" * (call.summary_max_length + 1)
    updated = services.application_update(
        application=complete_draft,
        user=applicant,
        expected_version=complete_draft.version,
        changes={"summary": long_summary},
    )
    assert updated.summary == long_summary
    with pytest.raises(IncompleteApplication) as caught:
        services.application_submit(application_id=updated.pk, user=applicant)
    assert caught.value.field_errors["summary"]


def test_submission_gives_a_receipt_with_number_digest_and_email(
    complete_draft, applicant, call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application_id=complete_draft.pk, user=applicant)
    assert submission.receipt_number == "CIA-2024-000001"
    assert len(submission.digest) == 64
    assert submission.digest == services.content_digest(submission.content)
    assert submission.content["partners"][0]["country"] == "ET"
    complete_draft.refresh_from_db()
    assert complete_draft.status == Application.Status.SUBMITTED
    assert complete_draft.events.filter(kind="submitted", actor=applicant).exists()
    assert len(mail.outbox) == 1
    assert "CIA-2024-000001" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    # The time reads as a date in words in the applicant's language, to the second.
    local = timezone.localtime(submission.submitted_at, call.tz)
    with override("fr"):
        assert f"{date_format(local, 'DATE_FORMAT')} à {local:%H:%M:%S}" in mail.outbox[0].body
    submission.refresh_from_db()
    assert submission.receipt_emailed_at is not None


def test_receipt_email_task_is_idempotent(complete_draft, applicant, django_capture_on_commit_callbacks):
    from convergence.applications.tasks import send_receipt_email

    with django_capture_on_commit_callbacks(execute=True):
        submission = services.application_submit(application_id=complete_draft.pk, user=applicant)
    assert send_receipt_email.run(submission.pk) is False
    assert len(mail.outbox) == 1


def test_resubmission_keeps_every_version(complete_draft, applicant):
    first = services.application_submit(application_id=complete_draft.pk, user=applicant)
    complete_draft.refresh_from_db()
    edited = services.application_update(
        application=complete_draft,
        user=applicant,
        expected_version=complete_draft.version,
        changes={"title": "Nouveau titre"},
    )
    assert edited.has_unsubmitted_changes
    second = services.application_submit(application_id=edited.pk, user=applicant)
    assert (first.number, second.number) == (1, 2)
    assert first.content["title"] == "Détection précoce du paludisme"
    assert second.content["title"] == "Nouveau titre"
    assert first.digest != second.digest
    assert second.receipt_number == "CIA-2024-000002"
    edited.refresh_from_db()
    assert not edited.has_unsubmitted_changes


def test_withdraw_then_submit_again(complete_draft, applicant):
    services.application_submit(application_id=complete_draft.pk, user=applicant)
    withdrawn = services.application_withdraw(application=complete_draft, user=applicant)
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert withdrawn.events.filter(kind="withdrawn", from_status="submitted", to_status="withdrawn").exists()
    services.application_submit(application_id=withdrawn.pk, user=applicant)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Application.Status.SUBMITTED


def test_a_draft_cannot_be_withdrawn(draft, applicant):
    with pytest.raises(InvalidTransition):
        services.application_withdraw(application=draft, user=applicant)


def test_stale_save_is_refused_and_nothing_is_overwritten(complete_draft, applicant):
    opened_version = complete_draft.version
    services.application_update(
        application=complete_draft, user=applicant, expected_version=opened_version, changes={"title": "Tab one"}
    )
    with pytest.raises(StaleVersion):
        services.application_update(
            application=complete_draft, user=applicant, expected_version=opened_version, changes={"title": "Tab two"}
        )
    complete_draft.refresh_from_db()
    assert complete_draft.title == "Tab one"


def test_every_save_is_recorded(draft, applicant):
    services.application_update(
        application=draft, user=applicant, expected_version=draft.version, changes={"title": "T"}
    )
    event = draft.events.filter(kind=ApplicationEvent.Kind.EDITED).get()
    assert event.actor == applicant
    assert event.details["fields"] == ["title"]


def test_someone_else_cannot_change_or_submit(complete_draft, other_applicant):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        services.application_update(
            application=complete_draft,
            user=other_applicant,
            expected_version=complete_draft.version,
            changes={"title": "x"},
        )
    # Submitting reads only the submitter's own dossiers: someone else's is missing, as on every owner's address.
    with pytest.raises(Http404):
        services.application_submit(application_id=complete_draft.pk, user=other_applicant)
    with pytest.raises(PermissionDenied):
        services.application_submit(application_id=complete_draft.pk, user=AnonymousUser())
    assert not complete_draft.submissions.exists()


class TestDeadline:
    """The real call: applications close on 5 December 2024 at 23:59:59, Paris time."""

    @pytest.fixture
    def ready(self, real_dates_call, applicant):
        complete_changes = complete_changes_for(real_dates_call)
        with time_machine.travel(datetime(2024, 12, 1, 12, tzinfo=PARIS), tick=False):
            return services.application_create(call=real_dates_call, user=applicant, changes=complete_changes)

    @pytest.mark.parametrize("server_tz", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
    def test_last_second_is_accepted_whatever_the_server_timezone(self, ready, applicant, server_tz, monkeypatch):
        monkeypatch.setenv("TZ", server_tz)
        time.tzset()
        try:
            with time_machine.travel(datetime(2024, 12, 5, 23, 59, 59, 999000, tzinfo=PARIS), tick=False):
                submission = services.application_submit(application_id=ready.pk, user=applicant)
        finally:
            monkeypatch.setenv("TZ", os.environ.get("TZ", "UTC"))
        assert submission.submitted_at == datetime(2024, 12, 5, 23, 59, 59, 999000, tzinfo=PARIS)

    @pytest.mark.parametrize("server_tz", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
    def test_midnight_is_refused_whatever_the_server_timezone(self, ready, applicant, server_tz, monkeypatch):
        monkeypatch.setenv("TZ", server_tz)
        time.tzset()
        with (
            time_machine.travel(datetime(2024, 12, 6, 0, 0, 0, tzinfo=PARIS), tick=False),
            pytest.raises(DeadlinePassed),
        ):
            services.application_submit(application_id=ready.pk, user=applicant)
        assert not Submission.objects.exists()

    def test_after_the_deadline_nothing_changes(self, ready, applicant):
        with time_machine.travel(datetime(2024, 12, 5, 23, 0, tzinfo=PARIS), tick=False):
            services.application_submit(application_id=ready.pk, user=applicant)
        ready.refresh_from_db()
        with time_machine.travel(datetime(2024, 12, 6, 0, 0, 1, tzinfo=PARIS), tick=False):
            with pytest.raises(DeadlinePassed):
                services.application_update(
                    application=ready, user=applicant, expected_version=ready.version, changes={"title": "late"}
                )
            with pytest.raises(DeadlinePassed):
                services.application_withdraw(application=ready, user=applicant)
        ready.refresh_from_db()
        assert ready.title == "Détection précoce du paludisme"
        assert ready.status == Application.Status.SUBMITTED

    def test_before_the_opening_nothing_starts(self, real_dates_call, applicant):
        from convergence.applications.errors import CallNotOpen

        with time_machine.travel(datetime(2024, 11, 24, 23, 59, tzinfo=PARIS), tick=False), pytest.raises(CallNotOpen):
            services.application_create(call=real_dates_call, user=applicant)


def test_demo_call_is_open_now_and_closes_in_two_days(call):
    from django.utils import timezone

    assert call.is_open
    left = call.closes_at - timezone.now()
    assert timedelta(days=1) < left < timedelta(days=3)
    assert call.opens_at < timezone.now() - timedelta(days=7)  # a week of dossiers already in


def test_more_themes_than_the_call_allows_are_refused_by_the_service(draft, applicant, call):
    from convergence.applications.errors import InvalidApplicationData

    with pytest.raises(InvalidApplicationData) as refused:
        services.application_update(
            application=draft,
            user=applicant,
            expected_version=draft.version,
            changes={"themes": list(call.themes.all())},
        )
    assert "themes" in refused.value.field_errors
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.themes.exists()  # nothing saved


def test_more_themes_than_the_call_allows_are_refused_by_the_api(draft, applicant, call, api_client):
    api_client.force_authenticate(applicant)
    response = api_client.patch(
        f"/api/v1/applications/{draft.pk}/",
        {"version": draft.version, "themes": list(call.themes.values_list("code", flat=True))},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "Choose at most 2 themes." in str(response.json())


def test_the_dossier_read_to_submit_says_what_the_orm_says(complete_draft, draft, applicant, other_applicant):
    """The submit reads the dossier, its call and its format with hand-written SQL: every value must come back as
    the ORM gives it (dates, booleans, the call's zone), and only to the dossier's owner."""
    from convergence.applications.selectors import CALL_FIELDS_TO_SUBMIT, dossier_locked_to_submit

    complete_draft = services.application_update(
        application=complete_draft,
        user=applicant,
        changes={"already_launched": True, "launched_on": datetime(2024, 11, 4).date()},
        expected_version=complete_draft.version,
    )
    with transaction.atomic():
        read = dossier_locked_to_submit(complete_draft.pk, applicant.pk)
    expected = Application.objects.select_related("call", "format").get(pk=complete_draft.pk)
    for field in Application._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.already_launched is True and read.has_unsubmitted_changes is False
    assert read.launched_on == datetime(2024, 11, 4).date()
    assert read.updated_at.tzinfo is not None
    for name in CALL_FIELDS_TO_SUBMIT:
        assert getattr(read.call, name) == getattr(expected.call, name), name
    assert read.call.get_deferred_fields() >= {"title", "faq", "definition"}  # its long texts are not read
    assert read.call.title == expected.call.title  # and still load when asked for
    assert (read.format.pk, read.format.name, read.format.number) == (
        expected.format.pk,
        expected.format.name,
        expected.format.number,
    )

    with transaction.atomic():
        assert dossier_locked_to_submit(draft.pk, applicant.pk).format is None  # no format chosen yet
        assert dossier_locked_to_submit(complete_draft.pk, other_applicant.pk) is None  # not theirs
