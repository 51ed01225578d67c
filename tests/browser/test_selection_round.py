"""The whole selection round, clicked through as people would: organiser, two members, an applicant."""

import re

import pytest

from convergence.applications import services as dossiers
from convergence.review import services
from tests.conftest import complete_changes_for, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def log_in(browser, live_server, email):
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    return context, page


def test_selection_round(browser, live_server, call):
    organiser = make_user("olivia@example.gouv.fr", is_organiser=True)
    applicant = make_user("awa@univ.example.sn")
    application = dossiers.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    dossiers.application_submit(application_id=application.pk, user=applicant)
    for email, expertise in [("rita@inserm.example", "santé imagerie"), ("lina@nlp.example", "langues corpus")]:
        member, _ = services.committee_member_invite(call=call, email=email, invited_by=organiser, expertise=expertise)
        member.user.set_password(PASSWORD)
        member.user.save()
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=0, max_load=5, fairness_first=False
    )

    # The organiser closes the call, checks eligibility and assigns reviewers.
    context, page = log_in(browser, live_server, organiser.email)
    page.goto(f"{live_server.url}/selection/{call.slug}/")
    page.get_by_role("button", name="Clore les candidatures maintenant").click()
    page.get_by_text("Les candidatures sont closes.").wait_for()
    page.get_by_role("button", name="Vérifier l'éligibilité").first.click()
    page.get_by_text("1 éligibles, 0 non éligibles").wait_for()
    page.goto(f"{live_server.url}/selection/{call.slug}/")
    page.get_by_role("button", name="Affecter les évaluateurs").first.click()
    page.get_by_text(re.compile("Affectation faite : 2 évaluations pour 1 dossiers")).wait_for()
    context.close()

    # Two members review.
    for email, score in [("rita@inserm.example", "4"), ("lina@nlp.example", "3")]:
        context, page = log_in(browser, live_server, email)
        page.goto(live_server.url + "/committee/")
        page.get_by_role("link", name="Rédiger l'évaluation").click()
        for criterion in call.criteria.all():
            page.select_option(f"#id_{criterion.code}__assessment", "met")
            page.select_option(f"#id_{criterion.code}__score", score)
            page.fill(f"#id_{criterion.code}__justification", "Convaincant.")
        page.select_option("#id_implementation_score", score)
        page.select_option("#id_recommendation", "label")
        page.select_option("#id_confidence", "3")
        page.get_by_role("button", name="Soumettre l'évaluation").click()
        page.get_by_text("Évaluation enregistrée.").wait_for()
        context.close()

    # The organiser records and publishes the decision.
    context, page = log_in(browser, live_server, organiser.email)
    page.goto(f"{live_server.url}/selection/{call.slug}/meeting/")
    row = page.locator(f"#dossier-{application.pk}")
    assert row.locator("td").first.inner_text() == "1"  # ranked: it has reviews
    row.get_by_role("link").click()  # the reviews side by side, and the decision
    page.get_by_role("table", name="Évaluations côte à côte").wait_for()
    page.get_by_label("Labellisé").check(force=True)
    page.fill("#rationale", "Unanimité du comité.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée.").wait_for()
    page.get_by_role("button", name="Publier les décisions et prévenir les porteurs").click()
    page.get_by_text(re.compile("Décisions publiées")).first.wait_for()
    context.close()

    # The applicant sees the decision.
    context, page = log_in(browser, live_server, applicant.email)
    page.goto(live_server.url + application.get_absolute_url())
    decision = page.locator("#decision")
    assert "Labellisé" in decision.inner_text()
    assert "Unanimité du comité." in decision.inner_text()
    context.close()
