"""Every selection page, export and endpoint, for every persona; a conflicted member never reaches the dossier."""

import pytest

from convergence.review import services
from convergence.review.models import Assignment, Conflict
from tests.conftest import make_user
from tests.review.conftest import complete_review


@pytest.fixture
def scene(assigned, organiser):
    call = assigned["call"]
    application = assigned["applications"][0]
    assignment = Assignment.objects.filter(application=application).first()
    services.review_save(assignment=assignment, user=assignment.member.user, data=complete_review(call), submit=True)
    slug = call.slug
    urls = {
        "member_dossier": f"/committee/dossiers/{application.pk}/",
        "review_form": f"/committee/assignments/{assignment.pk}/review/",
        "selection": f"/selection/{slug}/",
        "eligibility": f"/selection/{slug}/eligibility/",
        "assignments": f"/selection/{slug}/assignments/",
        "affinity": f"/selection/{slug}/affinity/{application.pk}/",
        "meeting": f"/selection/{slug}/meeting/",
        "audit": f"/selection/{slug}/audit/",
        "export_reviews": f"/selection/{slug}/export/reviews.csv",
        "export_decisions": f"/selection/{slug}/export/decisions.xlsx",
        "api_assignment": f"/api/v1/committee/assignments/{assignment.pk}/",
        "api_ranking": f"/api/v1/selection/{slug}/ranking/",
        "api_eligibility": f"/api/v1/selection/{slug}/eligibility/",
    }
    personas = {
        "assigned_member": assignment.member.user,
        "conflicted_member": assigned["members"][3].user,
        "owner": application.owner,
        "other_applicant": make_user("stranger@example.net"),
        "organiser": organiser,
    }
    return {"urls": urls, "personas": personas, "application": application, "assignment": assignment}


ORGANISER_ONLY = {
    "selection",
    "eligibility",
    "assignments",
    "affinity",
    "meeting",
    "audit",
    "export_reviews",
    "export_decisions",
    "api_ranking",
    "api_eligibility",
}
EXPECTED = {
    "assigned_member": {"member_dossier": 200, "review_form": 200, "api_assignment": 200},
    "conflicted_member": {"member_dossier": 404, "review_form": 404, "api_assignment": 404},
    "owner": {"member_dossier": 404, "review_form": 404, "api_assignment": 404},
    "other_applicant": {"member_dossier": 404, "review_form": 404, "api_assignment": 404},
    "organiser": {"member_dossier": 404, "review_form": 404, "api_assignment": 404},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_selection_permission_matrix(client, scene, persona):
    client.force_login(scene["personas"][persona])
    for name, url in scene["urls"].items():
        organiser_status = 200 if persona == "organiser" else 403
        expected = organiser_status if name in ORGANISER_ONLY else EXPECTED[persona][name]
        status = client.get(url).status_code
        assert status == expected, f"{persona} {name}: {status}"


def test_conflict_declared_later_closes_the_dossier_and_hides_it_from_lists(client, scene):
    member_user = scene["personas"]["assigned_member"]
    application = scene["application"]
    member = scene["assignment"].member
    Conflict.objects.create(member=member, application=application)
    client.force_login(member_user)
    assert client.get(scene["urls"]["member_dossier"]).status_code == 404
    assert client.get(scene["urls"]["api_assignment"]).status_code == 404
    listed = client.get("/api/v1/committee/assignments/").json()
    assert application.pk not in [row["application"] for row in listed]


def test_conflicted_member_does_not_see_the_dossier_content_in_the_conflicts_page(client, scene):
    client.force_login(scene["personas"]["conflicted_member"])
    page = client.get(f"/committee/{scene['application'].call.slug}/conflicts/").content.decode()
    assert "Description complète du défi." not in page
    assert "same organisation" in page or "même organisation" in page


def test_declaring_a_conflict_withdraws_an_unreviewed_assignment(assigned):
    application = assigned["applications"][1]
    assignment = Assignment.objects.filter(application=application).first()
    services.conflict_declare(member=assignment.member, user=assignment.member.user, application=application)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_applicant_decision_api_waits_for_publication(api_client, scene, organiser):
    application = scene["application"]
    api_client.force_authenticate(application.owner)
    assert api_client.get(f"/api/v1/applications/{application.pk}/decision/").status_code == 404
    services.decision_record(application=application, user=organiser, outcome="labelled")
    assert api_client.get(f"/api/v1/applications/{application.pk}/decision/").status_code == 404
    services.decisions_publish(call=application.call, user=organiser)
    assert api_client.get(f"/api/v1/applications/{application.pk}/decision/").json()["outcome"] == "labelled"
    api_client.force_authenticate(scene["personas"]["other_applicant"])
    assert api_client.get(f"/api/v1/applications/{application.pk}/decision/").status_code == 404
