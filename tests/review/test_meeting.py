"""The committee meeting as a table: only reviewed dossiers are ranked; views; reviews side by side; decisions."""

from convergence.review import services
from convergence.review.models import Assignment
from convergence.review.selectors import ranking, reviews_side_by_side
from tests.review.conftest import complete_review


def _review_all_but_last(assigned, scores=(4, 1)):
    call = assigned["call"]
    for application in assigned["applications"][:-1]:
        for index, assignment in enumerate(Assignment.objects.filter(application=application).order_by("pk")):
            services.review_save(
                assignment=assignment,
                user=assignment.member.user,
                data=complete_review(call, scores[index % len(scores)], "label" if index % 2 == 0 else "no"),
                submit=True,
            )
    return assigned["applications"][-1]


def test_a_dossier_without_reviews_is_never_ranked_above_reviewed_ones(assigned):
    unread = _review_all_but_last(assigned)
    rows = ranking(assigned["call"])
    assert rows[-1].application == unread
    assert rows[-1].rank is None and rows[-1].unranked_reason == "aucune évaluation déposée"
    assert [row.rank for row in rows[:-1]] == list(range(1, len(rows)))


def test_spread_uncertainty_and_the_disputed_and_undecided_views(assigned, organiser):
    _review_all_but_last(assigned)
    call = assigned["call"]
    rows = ranking(call)
    reviewed = rows[0]
    assert reviewed.spread == 3.0 and reviewed.disagreement
    assert round(reviewed.uncertainty, 2) == 1.5  # stdev 2.12 / √2
    assert {row.application for row in ranking(call, view="disputed")} == {row.application for row in rows[:-1]}
    services.decision_record(application=reviewed.application, user=organiser, outcome="labelled")
    undecided = ranking(call, view="undecided")
    assert reviewed.application not in {row.application for row in undecided} and len(undecided) == len(rows) - 1


def test_reviews_side_by_side_one_line_per_criterion_and_implementation(assigned):
    _review_all_but_last(assigned)
    call = assigned["call"]
    row = ranking(call)[0]
    lines = reviews_side_by_side(call, row.reviews)
    assert len(lines) == call.criteria.count() + 1
    assert [cell["score"] for cell in lines[0].cells] == [
        r.criteria[call.criteria.first().code]["score"] for r in row.reviews
    ]


def test_meeting_page_panel_decision_then_next_dossier(assigned, organiser, client):
    _review_all_but_last(assigned)
    call = assigned["call"]
    first, second = ranking(call)[:2]
    client.force_login(organiser)
    url = f"/selection/{call.slug}/meeting/"
    page = client.get(f"{url}?dossier={first.application.pk}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Évaluations côte à côte" in page and "Enregistrer et ouvrir le dossier suivant sans décision" in page
    answer = client.post(
        f"{url}?dossier={first.application.pk}",
        {
            "application": first.application.pk,
            "outcome": "labelled",
            "rationale": "Unanime.",
            "then": second.application.pk,
        },
    )
    assert answer.status_code == 302 and f"dossier={second.application.pk}" in answer["Location"]
    first.application.refresh_from_db()
    assert first.application.decision.outcome == "labelled"
    api = client.get(f"/api/v1/selection/{call.slug}/ranking/?view=undecided").json()
    assert first.application.pk not in [row["application"] for row in api]
    assert api[-1]["rank"] is None and api[-1]["unranked_reason"]
    assert client.get(f"/api/v1/selection/{call.slug}/ranking/?view=nonsense").status_code == 400


def test_reading_the_selection_pages_writes_nothing(call, organiser, client):
    from convergence.review.models import Selection

    client.force_login(organiser)
    for page in ("", "meeting/", "eligibility/", "assignments/"):
        assert client.get(f"/selection/{call.slug}/{page}").status_code == 200
    assert not Selection.objects.filter(call=call).exists()
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=0, max_load=5, fairness_first=False
    )
    assert Selection.objects.get(call=call).reviewers_per_dossier == 2


def test_the_organiser_adds_and_removes_a_reviewer_on_the_page_they_were_on(assigned, organiser, client):
    from convergence.review.models import Assignment

    call = assigned["call"]
    client.force_login(organiser)
    page = f"/selection/{call.slug}/assignments/?page=1"
    assert 'list="committee-members"' in client.get(page).content.decode()
    application = assigned["applications"][0]
    free = next(
        m for m in assigned["members"][:3] if not Assignment.objects.filter(application=application, member=m).exists()
    )
    response = client.post(page, {"application": application.pk, "member": free.user.email.upper()})
    assert response.status_code == 302 and response["Location"] == page
    added = Assignment.objects.get(application=application, member=free)
    assert added.source == Assignment.Source.MANUAL
    conflicted = assigned["members"][3]  # a partner of every dossier
    response = client.post(page, {"application": application.pk, "member": conflicted.user.email}, follow=True)
    assert "un conflit d" in response.content.decode()
    response = client.post(page, {"application": application.pk, "member": "nobody@example.org"}, follow=True)
    assert "Choisissez un membre du comité" in response.content.decode()
    client.post(page, {"remove": added.pk})
    assert not Assignment.objects.filter(pk=added.pk).exists()
    assert client.post(page, {"remove": "abc"}).status_code == 404
    assert client.post(page, {"application": "1 OR 1", "member": free.user.email}).status_code == 404


def test_long_tables_of_the_round_come_page_by_page(assigned, organiser, client, monkeypatch):
    from convergence.review import views_organiser
    from convergence.review.selectors import ranking

    monkeypatch.setattr(views_organiser, "TABLE_PAGE_SIZE", 1)
    call = assigned["call"]
    client.force_login(organiser)
    first = client.get(f"/selection/{call.slug}/eligibility/").content.decode()
    assert 'class="fr-pagination' in first and "1 / 4" in first
    second = client.get(f"/selection/{call.slug}/eligibility/?page=2").content.decode()
    assert "2 / 4" in second and first.count('id="eligibility-') == second.count('id="eligibility-') == 1
    rows = ranking(call, with_ineligible=True)
    third = rows[2].application.pk
    # The chosen dossier's page is shown, whatever page the link came from.
    page = client.get(f"/selection/{call.slug}/meeting/?page=1&dossier={third}").content.decode()
    assert "3 / 4" in page and f'id="dossier-{third}" class="cv-selected-row"' in page
    assert client.get(f"/selection/{call.slug}/assignments/?page=99").status_code == 200  # the last page
