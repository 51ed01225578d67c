"""The organiser's and the members' pages and endpoints, end to end through HTTP."""

import csv
import io

from convergence.review.models import Assignment, Decision, Review
from tests.review.conftest import complete_review


def test_organiser_runs_the_round_through_the_pages(client, round_, organiser):
    call = round_["call"]
    client.force_login(organiser)
    response = client.post(f"/selection/{call.slug}/eligibility/run/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "4 eligible, 0 not eligible" in response.content.decode()
    client.post(
        f"/selection/{call.slug}/",
        {"settings": "1", "reviewers_per_dossier": 2, "min_load": 0, "max_load": 3},
    )
    response = client.post(f"/selection/{call.slug}/assignments/run/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Assignment done: 8 reviews for 4 dossiers and 4 members" in response.content.decode()
    assert Assignment.objects.count() == 8


def test_infeasible_assignment_is_a_message_not_an_error_page(client, round_, organiser):
    call = round_["call"]
    client.force_login(organiser)
    client.post(f"/selection/{call.slug}/eligibility/run/")
    client.post(f"/selection/{call.slug}/", {"settings": "1", "reviewers_per_dossier": 4, "min_load": 0, "max_load": 4})
    response = client.post(f"/selection/{call.slug}/assignments/run/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "fewer than 4 members without a conflict of interest" in response.content.decode()


def test_invalid_settings_are_form_errors(client, round_, organiser):
    client.force_login(organiser)
    response = client.post(
        f"/selection/{round_['call'].slug}/",
        {"settings": "1", "reviewers_per_dossier": 2, "min_load": 5, "max_load": 3},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The minimum load is larger than the maximum load." in response.content.decode()


def test_member_writes_and_submits_a_review_through_the_form(client, assigned):
    call = assigned["call"]
    assignment = Assignment.objects.filter(application__call=call).first()
    client.force_login(assignment.member.user)
    data = {
        "implementation_score": "3",
        "recommendation": "discuss",
        "confidence": "2",
        "comment": "Bien.",
        "submit": "1",
    }
    for criterion in call.criteria.all():
        data |= {
            f"{criterion.code}__assessment": "partly",
            f"{criterion.code}__score": "2",
            f"{criterion.code}__justification": "Partiel.",
        }
    incomplete = client.post(
        f"/committee/assignments/{assignment.pk}/review/", {"comment": "x", "submit": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert 'id="problems"' in incomplete.content.decode()
    response = client.post(f"/committee/assignments/{assignment.pk}/review/", data)
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.status == "submitted" and review.total == (2 * 4 + 3) / 5


def test_meeting_page_records_a_decision_and_exports(client, assigned, organiser):
    call = assigned["call"]
    for assignment in Assignment.objects.filter(application__call=call):
        from convergence.review import services

        services.review_save(
            assignment=assignment, user=assignment.member.user, data=complete_review(call), submit=True
        )
    application = assigned["applications"][2]
    client.force_login(organiser)
    page = client.get(f"/selection/{call.slug}/meeting/?domain=work").content.decode()
    assert "Traduction automatique des langues africaines" in page
    assert "Prévision des crues" not in page
    client.post(
        f"/selection/{call.slug}/meeting/",
        {"application": application.pk, "outcome": "waiting_list", "rationale": "À revoir"},
    )
    assert Decision.objects.get(application=application).outcome == "waiting_list"
    reviews_csv = client.get(f"/selection/{call.slug}/export/reviews.csv").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(reviews_csv)))) == 9
    decisions_csv = client.get(f"/selection/{call.slug}/export/decisions.csv").content.decode("utf-8-sig")
    assert "À revoir" in decisions_csv
    audit = client.get(f"/selection/{call.slug}/audit/").content.decode()
    # Each kind of event in the reader's language.
    assert "Décision enregistrée" in audit and "Évaluation transmise" in audit and "Affectation calculée" in audit


def test_member_api_review_and_organiser_api_round(api_client, round_, organiser):
    call = round_["call"]
    api_client.force_authenticate(organiser)
    assert api_client.post(f"/api/v1/selection/{call.slug}/eligibility/").status_code == 200
    from convergence.review import services

    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=4, min_load=0, max_load=4, fairness_first=False
    )
    infeasible = api_client.post(f"/api/v1/selection/{call.slug}/assignment/")
    assert infeasible.status_code == 409 and infeasible.json()["code"] == "assignment_infeasible"
    assert infeasible.json()["reasons"]
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=0, max_load=3, fairness_first=False
    )
    assert api_client.post(f"/api/v1/selection/{call.slug}/assignment/").json()["assignments"] == 8

    assignment = Assignment.objects.filter(application__call=call).first()
    api_client.force_authenticate(assignment.member.user)
    listed = api_client.get("/api/v1/committee/assignments/").json()
    assert assignment.pk in [row["id"] for row in listed]
    bad = api_client.put(f"/api/v1/committee/assignments/{assignment.pk}/review/", {"submit": True}, format="json")
    assert bad.status_code == 400 and "recommendation" in bad.json()["errors"]
    good = api_client.put(
        f"/api/v1/committee/assignments/{assignment.pk}/review/",
        {**complete_review(call), "submit": True},
        format="json",
    )
    assert good.status_code == 200 and good.json()["status"] == "submitted"

    api_client.force_authenticate(organiser)
    ranking = api_client.get(f"/api/v1/selection/{call.slug}/ranking/").json()
    assert len(ranking) == 4 and ranking[0]["reviews"] == 1
    decided = api_client.post(
        f"/api/v1/selection/decisions/{assignment.application_id}/", {"outcome": "labelled"}, format="json"
    )
    assert decided.status_code == 200
    assert api_client.post(f"/api/v1/selection/{call.slug}/publish/").json() == {"published": 1}
    again = api_client.post(
        f"/api/v1/selection/decisions/{assignment.application_id}/", {"outcome": "not_selected"}, format="json"
    )
    assert again.status_code == 409
