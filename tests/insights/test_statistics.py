"""The public statistics of the completed edition, from its open data."""

from pathlib import Path

import pytest

from convergence.accounts.services import DEMO_ACCOUNTS
from convergence.execution.demo import seed_completed_edition
from convergence.labels.models import Label
from tests.conftest import make_user

CALL_FILE = Path(__file__).resolve().parents[2] / "calls" / "convergence-ia-2025.yaml"


@pytest.fixture
def edition(db, organiser):
    for spec in DEMO_ACCOUNTS:
        if spec["email"].startswith("reviewer"):
            make_user(spec["email"], full_name=spec["full_name"], is_committee_member=True)
    return seed_completed_edition(
        text=CALL_FILE.read_text(encoding="utf-8"),
        source=str(CALL_FILE),
        slug="convergence-ia-2024-2025",
        receipt_prefix="CIA-24E",
        organiser=organiser,
    )


def test_statistics_page_counts_the_labelled_challenges(edition, client):
    labels = Label.objects.filter(call=edition)
    page = client.get("/statistics/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-figure="labelled">{labels.count()}<' in page
    countries = {label.payload["carrier_country"] for label in labels} | {
        country for label in labels for country in label.payload.get("partner_countries", [])
    }
    assert f'data-figure="countries">{len(countries)}<' in page
    assert client.get("/statistics/countries.svg").content.startswith(b"<?xml")
    body = client.get("/statistics/themes.csv").content.decode("utf-8-sig")
    assert sum(int(line.rsplit(",", 1)[1]) for line in body.splitlines()[1:]) >= labels.count()


def test_statistics_page_without_any_edition(db, client):
    assert client.get("/statistics/").status_code == 200
    assert client.get("/statistics/themes.svg").status_code == 404
