"""The API's growing lists come whole or page by page: the body stays an array, the pages travel in the query and
the headers (X-Total-Count, Link)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))}


def test_without_paging_the_whole_list_comes_with_its_count(labelled, api_client):
    response = api_client.get("/api/v1/catalogue/")
    assert [entry["identifier"] for entry in response.json()] == ["CIA-2024-L001", "CIA-2024-L002"]
    assert response["X-Total-Count"] == "2"
    assert "Link" not in response


def test_pages_cover_the_list_once_and_link_to_each_other(labelled, api_client):
    first = api_client.get("/api/v1/catalogue/?page_size=1")
    assert [entry["identifier"] for entry in first.json()] == ["CIA-2024-L001"]
    assert first["X-Total-Count"] == "2"
    links = _links(first)
    assert set(links) == {"next", "first", "last"}
    second = api_client.get(links["next"])
    assert [entry["identifier"] for entry in second.json()] == ["CIA-2024-L002"]
    assert set(_links(second)) == {"prev", "first", "last"}
    assert api_client.get(_links(second)["prev"]).json() == first.json()
    beyond = api_client.get("/api/v1/catalogue/?page=9&page_size=1")
    assert beyond.status_code == 200 and beyond.json() == []
    assert "page=2" in _links(beyond)["prev"]  # back to the last page that holds something


def test_a_page_keeps_the_filters_of_the_query(published, organiser, api_client):
    api_client.force_authenticate(organiser)
    call = published["call"]
    whole = api_client.get(f"/api/v1/selection/{call.slug}/ranking/?view=all").json()
    first = api_client.get(f"/api/v1/selection/{call.slug}/ranking/?view=all&page=1&page_size=2")
    assert first.json() == whole[:2] and first["X-Total-Count"] == str(len(whole)) == "3"
    assert "view=all" in _links(first)["next"]
    assert api_client.get(_links(first)["next"]).json() == whole[2:]


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page_size=0", "page_size=501", "page=-1&page_size=5"])
def test_a_page_out_of_range_is_refused_in_the_reader_language(labelled, client, query):
    response = client.get(f"/api/v1/catalogue/?{query}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    field = "page_size" if query.startswith("page_size") else "page"
    assert body["errors"][field][0].startswith("Donnez un nombre entier")
