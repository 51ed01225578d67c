from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from convergence.core.errors import NotAllowed
from convergence.execution import services
from convergence.execution.models import MilestoneReminder, ProgressReport
from convergence.execution.services import ReportError
from convergence.labels.models import Label
from convergence.labels.services import label_revoke
from convergence.review.services import committee_member_invite


@pytest.fixture
def interim(labelled):
    return labelled["call"].milestones.get(report="interim")


def _label(labelled, index=0):
    return Label.objects.get(application=labelled["applications"][index])


def test_carrier_submits_the_january_report_and_the_committee_comments(labelled, interim, organiser, client):
    label = _label(labelled)
    report = services.report_for(label=label, milestone=interim)
    with pytest.raises(ReportError):
        services.report_save(
            report=report,
            user=labelled["carriers"][0],
            text="",
            key_figures=[],
            links=[],
            submit=True,
        )
    services.report_save(
        report=report,
        user=labelled["carriers"][0],
        text="Premier modèle entraîné sur 1 200 lames.",
        key_figures=[{"label": "Lames", "value": "1 200"}, {"label": "", "value": ""}],
        links=["https://example.org/rapport"],
        submit=True,
    )
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED and report.key_figures == [
        {"label": "Lames", "value": "1 200"}
    ]
    services.report_comment(report=report, user=organiser, text="Bravo, précisez la méthode.")
    client.force_login(labelled["carriers"][0])
    page = client.get(f"/label/{label.identifier}/reports/{interim.code}/").content.decode()
    assert "Bravo, précisez la méthode." in page and "Olivia" not in page


def test_links_must_be_web_addresses(labelled, interim):
    report = services.report_for(label=_label(labelled), milestone=interim)
    with pytest.raises(ReportError):
        services.report_save(
            report=report, user=labelled["carriers"][0], text="x", key_figures=[], links=["javascript:alert(1)"]
        )


def test_only_the_carrier_writes_and_others_cannot_read(labelled, interim, client, organiser):
    label = _label(labelled)
    report = services.report_for(label=label, milestone=interim)
    with pytest.raises(NotAllowed):
        services.report_save(report=report, user=labelled["carriers"][1], text="x", key_figures=[], links=[])
    client.force_login(labelled["carriers"][1])
    assert client.get(f"/label/{label.identifier}/reports/{interim.code}/").status_code == 404
    assert client.get(f"/follow-up/reports/{report.pk}/").status_code == 404
    assert client.get(f"/follow-up/{labelled['call'].slug}/").status_code == 403
    with pytest.raises(NotAllowed):
        services.report_comment(report=report, user=labelled["carriers"][1], text="hello")


def test_a_conflicted_committee_member_never_reads_the_report(labelled, interim, organiser, client):
    label = _label(labelled)
    report = services.report_for(label=label, milestone=interim)
    services.report_save(
        report=report, user=labelled["carriers"][0], text="Avancement", key_figures=[], links=[], submit=True
    )
    conflicted, _ = committee_member_invite(
        call=labelled["call"], email="marc@addis.example", invited_by=organiser, organisation="Addis AI Lab"
    )
    neutral, _ = committee_member_invite(
        call=labelled["call"], email="nina@neutral.example", invited_by=organiser, organisation="Neutral Lab"
    )
    client.force_login(conflicted.user)
    assert client.get(f"/follow-up/reports/{report.pk}/").status_code == 404
    assert label.identifier not in client.get(f"/follow-up/{labelled['call'].slug}/").content.decode()
    client.force_login(neutral.user)
    assert client.get(f"/follow-up/reports/{report.pk}/").status_code == 200
    client.post(f"/follow-up/reports/{report.pk}/", {"comment": "1", "text": "Très bien"})
    assert report.comments.get().author == neutral.user


def test_reminders_are_sent_exactly_once_before_and_once_when_missed(labelled, interim):
    due = interim.report_due_at
    mail.outbox.clear()
    with time_machine.travel(due - timedelta(days=interim.reminder_days_before + 1)):
        assert services.milestone_reminders_send() == 0
    with time_machine.travel(due - timedelta(days=3)):
        assert services.milestone_reminders_send() == 2
        assert services.milestone_reminders_send() == 0
    report = services.report_for(label=_label(labelled, 1), milestone=interim)
    with time_machine.travel(due - timedelta(days=1)):
        services.report_save(
            report=report, user=labelled["carriers"][1], text="Fait", key_figures=[], links=[], submit=True
        )
    with time_machine.travel(due + timedelta(hours=2)):
        assert services.milestone_reminders_send() == 1
        assert services.milestone_reminders_send() == 0
    with time_machine.travel(due + timedelta(days=30)):
        assert services.milestone_reminders_send() == 0
    kinds = sorted(MilestoneReminder.objects.filter(milestone=interim).values_list("kind", flat=True))
    assert kinds == ["before", "before", "missed"]
    interim_mails = [m for m in mail.outbox if "lab" in m.to[0]]
    assert len(interim_mails) == 3
    assert any("late" in m.subject or "retard" in m.subject for m in interim_mails)


def test_follow_up_dashboard_shows_status_per_milestone(labelled, interim, organiser, client):
    report = services.report_for(label=_label(labelled), milestone=interim)
    services.report_save(report=report, user=labelled["carriers"][0], text="Ok", key_figures=[], links=[], submit=True)
    with time_machine.travel(interim.report_due_at + timedelta(days=1)):
        rows = {
            label.identifier: [s.state for s in statuses]
            for label, statuses in services.follow_up_rows(labelled["call"])
        }
    assert rows == {"CIA-2024-L001": ["done", "on_track"], "CIA-2024-L002": ["late", "on_track"]}
    client.force_login(organiser)
    assert client.get(f"/follow-up/{labelled['call'].slug}/").status_code == 200
    body = client.get(f"/api/v1/follow-up/{labelled['call'].slug}/").json()
    assert {row["label"]: row["milestones"][interim.code] for row in body}["CIA-2024-L001"] == "done"


def test_final_results_are_public_once_published(labelled, organiser, client):
    final = labelled["call"].milestones.get(report="final")
    label = _label(labelled)
    report = services.report_for(label=label, milestone=final)
    services.report_save(
        report=report, user=labelled["carriers"][0], text="Précision de 97 %", key_figures=[], links=[], submit=True
    )
    assert client.get(f"/catalogue/{label.identifier}/results/").status_code == 404
    services.final_results_publish(report=report, user=organiser)
    page = client.get(f"/catalogue/{label.identifier}/results/").content.decode()
    assert "Précision de 97 %" in page
    assert 'id="results-link"' in client.get(f"/catalogue/{label.identifier}/").content.decode()
    with pytest.raises(ReportError):
        services.report_save(report=report, user=labelled["carriers"][0], text="changé", key_figures=[], links=[])


def test_report_api_for_the_carrier(labelled, interim, api_client):
    label = _label(labelled)
    api_client.force_authenticate(labelled["carriers"][0])
    url = f"/api/v1/labels/{label.identifier}/reports/{interim.code}/"
    response = api_client.put(url, {"text": "Avancement", "links": ["ftp://x"], "submit": True}, format="json")
    assert response.status_code == 400 and "links" in response.json()["errors"]
    assert response.json()["code"] == "invalid"
    response = api_client.put(url, {"text": "Avancement", "submit": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    api_client.force_authenticate(labelled["carriers"][1])
    assert api_client.get(url).status_code == 404


def test_a_revoked_label_no_longer_reports(labelled, interim, organiser):
    label = _label(labelled)
    report = services.report_for(label=label, milestone=interim)
    label_revoke(label=label, user=organiser, reason="Retrait")
    with pytest.raises(ReportError):
        services.report_save(report=report, user=labelled["carriers"][0], text="x", key_figures=[], links=[])
