import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from convergence.applications import services
from convergence.applications.models import Application
from tests.conftest import complete_changes_for, make_user


@pytest.fixture
def dossiers(call, applicant, other_applicant):
    first = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    services.application_submit(application_id=first.pk, user=applicant)
    changes = {
        **complete_changes_for(call),
        "title": "Optimisation des tournées de bus",
        "themes": [call.themes.get(code="future-of-work")],
        "domains": [call.domains.get(code="mobility")],
        "format": call.formats.get(number=3),
        "carrier_country": "DE",
        "partners": [{"organisation": "Warsaw Mobility", "organisation_type": "company", "country": "PL", "role": ""}],
        "claims": {call.criteria.get(number=4): "Écosystème fédéré."},
    }
    second = services.application_create(call=call, user=other_applicant, changes=changes)
    services.application_create(call=call, user=make_user("third@example.org"), changes={"title": "=HYPERLINK(1)"})
    return first, second


def listing(client, call, **params):
    return client.get(f"/backoffice/calls/{call.slug}/", params).content.decode()


def test_counts_and_filters(client, organiser, call, dossiers):
    client.force_login(organiser)
    page = listing(client, call)
    assert 'data-count="total">3<' in page
    assert 'data-count="submitted">1<' in page
    assert 'data-count="draft">2<' in page
    assert "Optimisation des tournées de bus" in listing(client, call, domain="mobility")
    assert "Optimisation des tournées de bus" not in listing(client, call, domain="health")
    assert "paludisme" in listing(client, call, status="submitted")
    assert "paludisme" not in listing(client, call, format="market-solution")
    assert "Optimisation" in listing(client, call, country="PL")
    assert "Optimisation" in listing(client, call, criterion="actor-mobilisation")
    assert "paludisme" not in listing(client, call, criterion="actor-mobilisation")
    assert "Optimisation" in listing(client, call, theme="future-of-work")


def test_full_text_search_covers_partners_and_description(client, organiser, call, dossiers):
    client.force_login(organiser)
    assert "Optimisation" in listing(client, call, search="warsaw")
    assert "paludisme" in listing(client, call, search="complète frottis")  # description + summary words
    assert "Aucun dossier ne correspond." in listing(client, call, search="zzzz")


def test_unknown_filter_values_do_not_fail(client, organiser, call, dossiers):
    client.force_login(organiser)
    response = client.get(f"/backoffice/calls/{call.slug}/", {"status": "bogus", "page": "999"})
    assert response.status_code == 200


def test_csv_export_follows_filters_and_neutralises_formulas(client, organiser, call, dossiers):
    client.force_login(organiser)
    response = client.get(f"/backoffice/calls/{call.slug}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    titles = [row[2] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in titles
    filtered = client.get(f"/backoffice/calls/{call.slug}/export.csv", {"status": "submitted"})
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2


def test_xlsx_export(client, organiser, call, dossiers):
    client.force_login(organiser)
    response = client.get(f"/backoffice/calls/{call.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    assert sheet["A2"].value.startswith("CIA-2024-D")


def test_detail_shows_versions_and_history(client, organiser, dossiers):
    client.force_login(organiser)
    first, second = dossiers
    page = client.get(f"/backoffice/dossiers/{first.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "CIA-2024-000001" in page
    assert "Brouillon → Déposé" in page  # the statuses and fields in the reader's language, not their codes
    assert f"par {first.owner.email}" in page  # who submitted each version
    submission = first.submissions.get()
    assert submission.digest in page and f"/dossiers/{first.pk}/versions/1.pdf" in page
    draft_page = client.get(f"/backoffice/dossiers/{second.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<p>Pas encore déposé.</p>" in draft_page and "Récépissé et empreinte" not in draft_page


def test_seed_demo_creates_varied_dossiers(call, capsys):
    call_command("seed_demo", "--applications", "12", "--call", call.slug)
    assert Application.objects.count() == 12
    submitted = Application.objects.filter(status="submitted")
    assert submitted.exists() and Application.objects.filter(status="draft").exists()
    countries = set(Application.objects.values_list("carrier_country", flat=True))
    assert len(countries) >= 5
    call_command("seed_demo", "--applications", "5", "--call", call.slug, "--if-empty")
    assert Application.objects.count() == 12
