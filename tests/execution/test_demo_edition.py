from django.utils.html import escape

from convergence.execution.models import ProgressReport, ShowcaseSlot
from convergence.labels.models import Label
from convergence.review.calibration import calibrated_scores
from convergence.review.models import Conflict, Review
from convergence.review.selectors import ranking


def test_completed_edition_fills_every_public_page(call, completed_edition, client, mailoutbox):
    edition = completed_edition
    assert edition.closes_at.year == 2024 and call.closes_at.year > 2024
    labels = Label.objects.filter(call=edition)
    assert labels.count() == 12
    assert (
        ProgressReport.objects.filter(label__call=edition, milestone__report="interim", status="submitted").count()
        == 12
    )
    assert ProgressReport.objects.filter(label__call=edition, published_at__isnull=False).count() == 10
    assert ShowcaseSlot.objects.filter(session__call=edition).count() == 12
    assert not [m for m in mailoutbox if "label" in m.subject.lower() or "kit" in m.subject.lower()]
    first = labels.order_by("identifier").first()
    assert first.payload["awarded_on"] == "2024-12-10"
    for url in [
        "/catalogue/",
        f"/catalogue/{first.identifier}/",
        f"/catalogue/{first.identifier}/results/",
        "/programme/",
    ]:
        assert client.get(url).status_code == 200
    assert escape(first.payload["title"]) in client.get("/programme/").content.decode()


def test_completed_edition_has_a_whole_committee_round(call, completed_edition):
    edition = completed_edition
    rows = ranking(edition)
    assert rows and all(len(row.reviews) == 3 for row in rows)
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    assert [row.decision.outcome for row in rows[:12]] == ["labelled"] * 12
    assert all(row.decision.rationale for row in rows)
    assert any(row.disagreement for row in rows)
    assert Conflict.objects.filter(member__call=edition).count() == 1
    reviews = Review.objects.filter(assignment__application__call=edition).select_related("assignment__member__user")
    assert all(r.status == "submitted" and r.submitted_at.date().isoformat() == "2024-12-06" for r in reviews)
    _quality, bias = calibrated_scores(
        (r.assignment.application_id, r.assignment.member.user.email, r.total) for r in reviews
    )
    assert min(bias, key=bias.get) == "reviewer5@demo.test"  # the harsh reviewer is found out


def test_completed_edition_shows_a_completion_answered_on_committee_morning(completed_edition, organiser, client):
    from convergence.applications.models import CompletionRequest
    from convergence.review.models import ExpertInvitation

    request = CompletionRequest.objects.get(application__call=completed_edition)
    assert request.state_at(request.due_at) == "answered" and request.answer.number == 2
    assert request.answered_at.date().isoformat() == "2024-12-06" and request.requested_at < request.answered_at
    assert request.answer.submitted_at < request.due_at
    assert [item["country"] for item in request.answer.content["partners"]][-1] == "SN"
    expert = ExpertInvitation.objects.get(application__call=completed_edition)
    assert expert.state == "given" and expert.opinion_at.year == 2024
    client.force_login(organiser)
    page = client.get(f"/backoffice/dossiers/{request.application_id}/").content.decode()
    assert "<ins>" in page and "Cheikh Anta Diop" in page and "lettre-engagement-ucad.pdf" in page


def test_instruction_never_reaches_open_data_the_catalogue_or_the_selection_exports(
    completed_edition, organiser, client
):
    from convergence.applications import instruction

    label = Label.objects.filter(call=completed_edition).order_by("identifier").first()
    application = label.application
    secret_note, secret_message, secret_tag = "Note interne très privée", "Message confidentiel du porteur", "tag-privé"
    instruction.note_add(application=application, user=organiser, body=secret_note, audience="committee")
    instruction.message_send(application=application, user=application.owner, body=secret_message)
    instruction.tags_set(application=application, user=organiser, labels=[secret_tag])
    public = [
        "/open-data/challenges.json",
        "/open-data/challenges.csv",
        "/open-data/",
        f"/catalogue/{label.identifier}/",
        "/catalogue/",
    ]
    client.force_login(organiser)
    exports = [f"/selection/{completed_edition.slug}/export/{what}.csv" for what in ("reviews", "decisions")]
    exports.append(f"/backoffice/calls/{completed_edition.slug}/export.csv")
    for url in public + exports:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        assert secret_note not in text and secret_message not in text and secret_tag not in text, url
