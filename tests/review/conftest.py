"""A selection round after the close: four submitted dossiers, a committee of four, one of them conflicted."""

from datetime import timedelta

import pytest
import time_machine

from convergence.applications import services as dossiers
from convergence.review import services
from tests.conftest import complete_changes_for, make_user

TEXTS = [
    ("Diagnostic du paludisme par apprentissage profond", "imagerie médicale, santé, frottis sanguins", "health"),
    ("Prévision des crues par IA frugale", "hydrologie, climat, transition écologique", "ecological-transition"),
    ("Traduction automatique des langues africaines", "traitement automatique des langues, corpus, traduction", "work"),
    ("Optimisation des bus à la demande", "mobilité, transport, optimisation combinatoire", "mobility"),
]
EXPERTISE = [
    ("rita@inserm.example", "Inserm", "imagerie médicale santé diagnostic apprentissage profond"),
    ("hugo@meteo.example", "Météo Lab", "hydrologie climat prévision des crues"),
    ("lina@nlp.example", "NLP Institute", "traitement automatique des langues traduction corpus"),
    (
        "marc@transport.example",
        "Addis AI Lab",
        "transport mobilité optimisation",
    ),  # partner of every dossier: conflicted
]


@pytest.fixture
def round_(call, organiser):
    owners, applications = [], []
    for index, (title, summary, domain) in enumerate(TEXTS):
        owner = make_user(f"carrier{index}@carrier{index}.example", preferred_language="en" if index % 2 else "fr")
        changes = {
            **complete_changes_for(call),
            "title": title,
            "summary": summary,
            "description": summary,
            "domains": [call.domains.get(code=domain)],
            "contact_email": owner.email,
        }
        application = dossiers.application_create(call=call, user=owner, changes=changes)
        dossiers.application_submit(application_id=application.pk, user=owner)
        owners.append(owner)
        applications.append(application)
    members = []
    for email, organisation, expertise in EXPERTISE:
        member, _added = services.committee_member_invite(
            call=call, email=email, invited_by=organiser, expertise=expertise, organisation=organisation
        )
        members.append(member)
    traveller = time_machine.travel(call.closes_at + timedelta(hours=1))
    traveller.start()
    yield {"call": call, "applications": applications, "owners": owners, "members": members}
    traveller.stop()


@pytest.fixture
def assigned(round_, organiser):
    call = round_["call"]
    services.eligibility_check(call=call, user=organiser)
    services.selection_settings_update(
        call=call, user=organiser, reviewers_per_dossier=2, min_load=0, max_load=3, fairness_first=False
    )
    services.assignment_run(call=call, user=organiser)
    return round_


def complete_review(call, score=3, recommendation="label"):
    return {
        "criteria": {
            c.code: {"assessment": "met", "score": score, "justification": "Solide."} for c in call.criteria.all()
        },
        "implementation_score": score,
        "recommendation": recommendation,
        "confidence": 2,
        "comment": "",
    }
