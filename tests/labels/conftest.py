"""After the committee: three submitted dossiers, two labelled and one not selected, decisions published."""

from datetime import timedelta

import pytest
import time_machine

from convergence.applications import services as dossiers
from convergence.review import services as selection
from tests.conftest import complete_changes_for, make_user

DOSSIERS = [
    ("Détection précoce du paludisme", "FR", [("Addis AI Lab", "ET"), ("Montreal Health", "CA")], "labelled"),
    ("Flood forecasting with frugal AI", "IN", [("Lagos Water", "NG")], "labelled"),
    ("Traduction des langues peu dotées", "SN", [], "not_selected"),
]


@pytest.fixture
def published(call, organiser):
    carriers, applications = [], []
    for index, (title, country, partners, _outcome) in enumerate(DOSSIERS):
        owner = make_user(f"carrier{index}@lab{index}.example", preferred_language="en" if index == 1 else "fr")
        changes = {
            **complete_changes_for(call),
            "title": title,
            "carrier_country": country,
            "carrier_name": f"Carrier Organisation {index}",
            "contact_email": owner.email,
            "contact_phone": "+33 1 23 45 67 89",
            "partners": [
                {"organisation": name, "organisation_type": "research", "country": code, "role": "data"}
                for name, code in partners
            ],
        }
        application = dossiers.application_create(call=call, user=owner, changes=changes)
        dossiers.application_submit(application_id=application.pk, user=owner)
        carriers.append(owner)
        applications.append(application)
    traveller = time_machine.travel(call.closes_at + timedelta(days=2))
    traveller.start()
    selection.eligibility_check(call=call, user=organiser)
    for application, (_title, _country, _partners, outcome) in zip(applications, DOSSIERS, strict=True):
        application.refresh_from_db()
        selection.decision_record(application=application, user=organiser, outcome=outcome, rationale="Comité")
    selection.decisions_publish(call=call, user=organiser)
    yield {"call": call, "carriers": carriers, "applications": applications}
    traveller.stop()


@pytest.fixture
def labelled(published, organiser):
    from convergence.labels.services import labels_award_selected

    labels_award_selected(call=published["call"], user=organiser)
    return published
