import csv
import io

from convergence.labels import services
from convergence.labels.models import Label

PRIVATE = ["+33 1 23 45 67 89", "carrier0@lab0.example", "carrier1@lab1.example", "Partenaires en Éthiopie"]


def test_catalogue_lists_valid_labels_and_never_private_data(labelled, client, organiser):
    services.label_revoke(label=Label.objects.get(identifier="CIA-2024-L002"), user=organiser, reason="x")
    page = client.get("/catalogue/").content.decode()
    assert "Détection précoce du paludisme" in page
    assert "Flood forecasting" not in page
    assert "Traduction des langues" not in page
    detail = client.get("/catalogue/CIA-2024-L001/").content.decode()
    for text in [*PRIVATE, "amina@example.org"]:
        assert text not in page and text not in detail
    assert "Addis AI Lab" in detail


def test_fields_kept_private_by_the_organiser_do_not_show(labelled, client, organiser, api_client):
    label = Label.objects.get(identifier="CIA-2024-L001")
    services.label_public_fields_update(label=label, user=organiser, fields=["summary"])
    detail = client.get("/catalogue/CIA-2024-L001/").content.decode()
    assert "Addis AI Lab" not in detail
    assert "Éthiopie" in detail  # partner countries stay public
    entry = api_client.get("/api/v1/catalogue/CIA-2024-L001/").json()
    assert entry["partners"] is None and entry["partner_countries"] == ["CA", "ET"]
    row = next(
        r for r in client.get("/open-data/challenges.json").json()["challenges"] if r["identifier"] == label.identifier
    )
    assert row["partner_organisations"] == []


def test_catalogue_filters_and_accent_insensitive_search(labelled, client, api_client):
    assert "Flood" not in client.get("/catalogue/?country=ET").content.decode()
    assert "Flood" in client.get("/catalogue/?country=NG").content.decode()
    assert [e["identifier"] for e in api_client.get("/api/v1/catalogue/?q=detection paludisme").json()] == [
        "CIA-2024-L001"
    ]
    assert api_client.get("/api/v1/catalogue/?theme=nope").json() == []
    assert client.get("/catalogue/?format=zzz&country=QQ").status_code == 200


def test_country_counts_at_a_glance(labelled, client):
    page = client.get("/catalogue/").content.decode()
    assert 'id="countries"' in page
    assert "Inde</a> — 1" in page and "Canada</a> — 1" in page


def test_open_data_csv_and_json_follow_the_documented_schema(labelled, client):
    schema = client.get("/open-data/schema.json").json()
    names = [field["name"] for field in schema["fields"]]
    rows = list(csv.DictReader(io.StringIO(client.get("/open-data/challenges.csv").content.decode())))
    assert list(rows[0].keys()) == names
    assert [row["identifier"] for row in rows] == ["CIA-2024-L001", "CIA-2024-L002"]
    assert rows[0]["partner_countries"] == "CA ; ET"
    body = client.get("/open-data/challenges.json").json()
    assert body["licence"]["name"].startswith("Licence Ouverte")
    assert set(body["challenges"][0]) == set(names)
    raw = (
        client.get("/open-data/challenges.json").content.decode()
        + client.get("/open-data/challenges.csv").content.decode()
    )
    for text in PRIVATE:
        assert text not in raw
    assert client.get("/open-data/").status_code == 200


def test_nul_characters_in_addresses_are_refused_not_sent_to_the_database(labelled, client, api_client):
    assert api_client.get("/api/v1/catalogue/?call=%00").status_code == 400
    assert client.get("/catalogue/?q=a%00b").status_code == 400
    assert client.get("/programme/?call=%00").status_code == 400
    assert client.get("/label/%00/").status_code == 404
    assert api_client.get("/api/v1/labels/%00/verify/").json()["status"] == "unknown"


def test_the_cached_catalogue_and_open_data_follow_every_change_of_a_label(labelled, client, organiser):
    """Read once (cached), then changed: the next read shows the change, on the page, the API and open data."""
    label = Label.objects.get(identifier="CIA-2024-L001")
    assert "Addis AI Lab" in client.get("/open-data/challenges.csv").content.decode()
    assert "Flood forecasting" in client.get("/catalogue/").content.decode()

    services.label_public_fields_update(label=label, user=organiser, fields=["summary"])
    services.label_revoke(label=Label.objects.get(identifier="CIA-2024-L002"), user=organiser, reason="Retrait")

    assert "Addis AI Lab" not in client.get("/open-data/challenges.csv").content.decode()
    assert "Flood forecasting" not in client.get("/catalogue/").content.decode()
    assert [e["identifier"] for e in client.get("/api/v1/catalogue/").json()] == ["CIA-2024-L001"]


def test_a_large_catalogue_is_shown_page_by_page_keeping_the_filters(labelled, client, organiser):
    from convergence.labels.views_catalogue import CATALOGUE_PAGE_SIZE

    template = Label.objects.get(identifier="CIA-2024-L001")
    copies = []
    for index in range(CATALOGUE_PAGE_SIZE + 5):
        application = template.application
        application.pk = None
        application.save()
        copies.append(
            Label(
                call=template.call,
                application=application,
                identifier=f"CIA-2024-L{index + 100:03d}",
                payload=template.payload,
                signature=template.signature,
                key_id=template.key_id,
                catalogue={**template.catalogue, "title": f"Défi copié {index + 100}"},
                awarded_at=template.awarded_at,
                awarded_by=organiser,
            )
        )
    Label.objects.bulk_create(copies)
    services.label_revoke(label=Label.objects.get(identifier="CIA-2024-L002"), user=organiser, reason="Retrait")

    first = client.get("/catalogue/?country=ET").content.decode()
    second = client.get("/catalogue/?country=ET&page=2").content.decode()

    total = CATALOGUE_PAGE_SIZE + 6
    assert f"{total} résultats" in first
    assert first.count("fr-card__title") == CATALOGUE_PAGE_SIZE
    assert second.count("fr-card__title") == total - CATALOGUE_PAGE_SIZE
    assert 'href="?country=ET&amp;page=2"' in first
    assert client.get("/catalogue/?page=999").status_code == 200
