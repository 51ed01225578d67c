"""The public statistics of the completed edition, from its open data."""

from convergence.labels.models import Label


def test_statistics_page_counts_the_labelled_challenges(completed_edition, client):
    edition = completed_edition
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
