"""The organisers' dashboard: every figure checked against dossiers counted by hand."""

import csv
import io
from datetime import timedelta

import pytest

from convergence.applications import services as dossiers
from convergence.applications.models import ApplicationEvent
from convergence.insights import selectors
from convergence.insights.dashboard import call_tables
from tests.conftest import complete_changes_for, make_user


@pytest.fixture
def three_dossiers(call, applicant, other_applicant):
    """Two submitted (FR carrier with ET and CA partners; SN carrier with an FR partner), one incomplete draft."""
    first = dossiers.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    dossiers.application_submit(application_id=first.pk, user=applicant)
    second_changes = {
        **complete_changes_for(call),
        "title": "Traduction du wolof",
        "themes": [call.themes.get(code="innovation-culture")],
        "domains": [call.domains.get(code="work")],
        "format": call.formats.get(number=2),
        "trl": 6,
        "carrier_country": "SN",
        "carrier_type": "nonprofit",
        "partners": [{"organisation": "Inria", "organisation_type": "research", "country": "FR", "role": "modèles"}],
        "claims": {
            call.criteria.get(number=1): "Sénégal et France.",
            call.criteria.get(number=2): "Premier corpus ouvert.",
        },
    }
    second = dossiers.application_create(call=call, user=other_applicant, changes=second_changes)
    dossiers.application_submit(application_id=second.pk, user=other_applicant)
    late = make_user("late@example.org")
    draft = dossiers.application_create(call=call, user=late, changes={"title": "Brouillon", "summary": "Début."})
    return first, second, draft


def test_distributions_count_the_submitted_dossiers(call, three_dossiers):
    tables = call_tables(call)
    themes = dict(tables["themes"].rows)
    first_two = [t.label for t in call.themes.all()[:2]]
    assert themes == {first_two[0]: 1, first_two[1]: 1, call.themes.get(code="innovation-culture").label: 1}
    assert dict(tables["trl"].rows) == {"TRL 4": 1, "TRL 6": 1}
    assert sorted(tables["formats"].rows, key=lambda r: r[0])[0][1] == 1
    assert sum(n for _, n in tables["criteria"].rows) == 3  # 1 claim + 2 claims
    assert sum(n for _, n in tables["carrier_types"].rows) == 2


def test_countries_and_pairs(call, three_dossiers):
    tables = call_tables(call)
    countries = {row[0]: row[2:] for row in tables["countries"].rows}
    assert countries == {"FR": (1, 1, 2), "SN": (1, 0, 1), "ET": (0, 1, 1), "CA": (0, 1, 1)}
    pairs = {(a, b): n for a, b, n in tables["pairs"].rows}
    assert len(pairs) == 3 and all(n == 1 for n in pairs.values())


def test_timeline_counts_drafts_started_and_dossiers_submitted(call, three_dossiers):
    rows = call_tables(call)["timeline"].rows
    filled = [row for row in rows if row[1] != ""]
    assert filled[-1][1:3] == (3, 2)
    assert rows[-1][0] >= filled[-1][0]  # the axis runs to the deadline


def test_drafts_at_risk_near_the_deadline_and_reminder_sent_once(
    call, three_dossiers, organiser, client, mailoutbox, django_capture_on_commit_callbacks
):
    _first, _second, draft = three_dossiers
    at_risk = selectors.drafts_at_risk(call)
    assert [d.application.pk for d in at_risk] == [draft.pk]
    assert "description" in at_risk[0].missing
    missing = dict(call_tables(call)["missing"].rows)
    assert missing and max(missing.values()) == 1

    client.force_login(organiser)
    url = f"/backoffice/calls/{call.slug}/insights/remind-drafts/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, HTTP_ACCEPT_LANGUAGE="en")
        client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert ApplicationEvent.objects.filter(application=draft, kind="reminded").count() == 1
    reminders = [m for m in mailoutbox if m.to == ["late@example.org"]]
    assert len(reminders) == 1 and "Brouillon" in reminders[0].body


def test_drafts_are_not_at_risk_while_the_deadline_is_far(call, three_dossiers):
    from convergence.calls.models import Call

    Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at + timedelta(days=30))
    call.refresh_from_db()
    assert selectors.drafts_at_risk(call) == []


@pytest.mark.parametrize("persona", ["applicant", "reviewer"])
def test_dashboard_is_for_organisers_only(call, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for suffix in ["", "themes.csv", "themes.svg", "countries.png"]:
        assert client.get(f"/backoffice/calls/{call.slug}/insights/{suffix}").status_code == 403
    assert client.post(f"/backoffice/calls/{call.slug}/insights/remind-drafts/").status_code == 403
    assert client.get(f"/api/v1/calls/{call.slug}/insights/").status_code == 403


def test_dashboard_page_csv_charts_and_api_agree(call, three_dossiers, organiser, client):
    client.force_login(organiser)
    page = client.get(f"/backoffice/calls/{call.slug}/insights/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-figure="submitted">2<' in page and 'data-figure="countries">4<' in page
    assert "Brouillons à risque" in page
    body = client.get(f"/backoffice/calls/{call.slug}/insights/countries.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Code" and ["FR", "France", "1", "1", "2"] in rows
    svg = client.get(f"/backoffice/calls/{call.slug}/insights/countries.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert "unsafe-inline" in svg["Content-Security-Policy"] and "script-src" not in svg["Content-Security-Policy"]
    png = client.get(f"/backoffice/calls/{call.slug}/insights/timeline.png?download=1")
    assert png.content.startswith(b"\x89PNG") and "attachment" in png["Content-Disposition"]
    assert client.get(f"/backoffice/calls/{call.slug}/insights/nothing.svg").status_code == 404
    api = client.get(f"/api/v1/calls/{call.slug}/insights/").json()
    countries = next(table for table in api if table["key"] == "countries")
    assert ["FR", "France", 1, 1, 2] in countries["rows"]


def test_committee_progress_reviews_per_dossier_and_score_spreads(assigned, organiser):
    from convergence.review import services as selection
    from convergence.review.models import Assignment
    from tests.review.conftest import complete_review

    call = assigned["call"]
    first = assigned["applications"][0]
    reviewed = list(Assignment.objects.filter(application=first).select_related("member__user"))
    for assignment, score in zip(reviewed, (4, 1), strict=True):
        selection.review_save(
            assignment=assignment, user=assignment.member.user, data=complete_review(call, score), submit=True
        )
    tables = call_tables(call)
    progress = {row[0]: row[1:] for row in tables["committee"].rows}
    total_assigned = Assignment.objects.filter(application__call=call).count()
    assert sum(row[0] for row in progress.values()) == total_assigned
    assert sum(row[1] for row in progress.values()) == 2
    for assignment, score in zip(reviewed, (4.0, 1.0), strict=True):
        name = assignment.member.user.full_name or assignment.member.user.email
        assert progress[name][3:] == (score, score, score)  # mean, lowest, highest of one review
    assert dict(tables["reviews_per_dossier"].rows) == {0: len(assigned["applications"]) - 1, 2: 1}
    assert [row[0] for row in tables["disagreements"].rows] == [first.reference]
    spreads = dict(selectors.score_spreads(call))
    assert sorted(score for scores in spreads.values() for score in scores) == [1.0, 4.0]


def test_anonymous_visitor_is_sent_to_log_in_and_an_unknown_call_is_not_found(call, client, organiser):
    response = client.get(f"/backoffice/calls/{call.slug}/insights/")
    assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"]
    client.force_login(organiser)
    assert client.get("/backoffice/calls/no-such-call/insights/").status_code == 404
    assert client.get("/api/v1/calls/no-such-call/insights/").status_code == 404


def test_the_dashboard_tells_organisers_when_tasks_wait_for_the_broker(call, organiser, client):
    from convergence.core.models import PendingTask

    client.force_login(organiser)
    url = f"/backoffice/calls/{call.slug}/insights/"
    assert 'data-notice="tasks-waiting"' not in client.get(url).content.decode()
    for pk in (1, 2):
        PendingTask.objects.create(task="convergence.applications.tasks.send_receipt_email", args=[pk])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "2 tâches (courriels, évaluations) attendent le courtier de messages. Rien n’est perdu" in french
    PendingTask.objects.filter(args=[2]).delete()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 task (an e-mail or a scoring run) has been waiting for the message broker. Nothing is lost" in english
