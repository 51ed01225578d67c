"""A competition's logo: the host uploads an image (page, API, bundle); the platform keeps only its pixels, drawn
again as a small PNG, and shows it on the competition's page and in the list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from convergence.competitions.models import CompetitionEvent
from tests.conftest import make_user


def picture(size=(1200, 600), kind="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB" if kind == "JPEG" else "1", size, "navy" if kind == "JPEG" else 1).save(buffer, format=kind)
    return buffer.getvalue()


def test_the_host_uploads_a_logo_shown_on_the_competitions_pages(competition, host):
    client = Client()
    client.force_login(host)
    upload = SimpleUploadedFile("logo.jpg", picture(), content_type="image/jpeg")
    response = client.post(f"/competitions/{competition.slug}/logo/", {"logo": upload}, follow=True)
    assert "Logo enregistré." in response.content.decode()
    competition.refresh_from_db()
    served = Client().get(f"/competitions/{competition.slug}/logo.png")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as stored:
        assert (stored.format, stored.size) == ("PNG", (400, 200))  # drawn again, 400 pixels at most
    logo_address = f'src="/competitions/{competition.slug}/logo.png"'
    assert logo_address in Client().get(f"/competitions/{competition.slug}/").content.decode()
    assert logo_address in Client().get("/competitions/").content.decode()
    assert CompetitionEvent.objects.filter(kind="logo_set", actor=host).exists()

    response = client.post(f"/competitions/{competition.slug}/logo/", {"remove": "on"}, follow=True)
    assert "Logo retiré." in response.content.decode()
    assert Client().get(f"/competitions/{competition.slug}/logo.png").status_code == 404


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "est pas une image"),
        ("logo.png", b"MZ\x90\x00 not a picture", "est pas une image"),
        ("logo.bmp", None, "est pas une image"),
        ("huge.png", picture((10000, 5000), "PNG"), "trop grande"),
    ],
)
def test_what_is_not_a_usable_picture_is_refused_saying_why(competition, host, name, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, format="BMP")
        data = buffer.getvalue()
    client = Client()
    client.force_login(host)
    response = client.post(
        f"/competitions/{competition.slug}/logo/", {"logo": SimpleUploadedFile(name, data)}, follow=True
    )
    assert message in response.content.decode()
    competition.refresh_from_db()
    assert not competition.logo


def test_only_the_host_changes_it_and_the_api_gives_its_address(competition, host):
    url = f"/api/v1/competitions/{competition.slug}/logo/"
    api = APIClient()
    api.force_authenticate(make_user("someone@example.org"))
    assert api.put(url, {"logo": SimpleUploadedFile("l.jpg", picture())}, format="multipart").status_code == 403
    api.force_authenticate(host)
    answer = api.put(url, {"logo": SimpleUploadedFile("l.jpg", picture())}, format="multipart")
    assert answer.status_code == 200 and answer.json()["logo"] == f"/competitions/{competition.slug}/logo.png"
    public = APIClient().get(f"/api/v1/competitions/{competition.slug}/").json()
    assert public["logo"] == f"/competitions/{competition.slug}/logo.png"
    refused = api.put(url, {"logo": SimpleUploadedFile("l.txt", b"hello")}, format="multipart")
    assert refused.status_code == 400 and "logo" in refused.json().get("errors", refused.json())
    assert api.delete(url).json()["logo"] is None
