"""Triage with the multilingual text model: probable duplicates (translated or rewritten, and against another
edition's labels), theme suggestions with their reasons, similar challenges on a dossier (a member never sees one
they are in conflict with) and in the public catalogue; pages and API for organisers only where it must be."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from convergence.applications import services as dossiers
from convergence.insights import triage
from convergence.insights.models import EmbeddingVector
from convergence.insights.similarity import digest, similarity, text_model
from convergence.review import services as review
from tests.conftest import complete_changes_for, make_user

HEAT_FR = (
    "Cartographier la chaleur rue par rue pour protéger les personnes âgées isolées",
    "Des cartes de l'exposition à la chaleur pendant les canicules, croisées avec les lieux de vie des personnes âgées"
    " isolées, pour que les services sociaux des villes appellent et visitent d'abord ceux qui en ont besoin.",
)
HEAT_EN = (
    "Street-by-street heat maps to protect isolated older people",
    "Maps of heat exposure during heat waves, crossed with where isolated elderly people live, so that city social"
    " services call and visit first those who need it.",
)
TRAINING = (
    "Former les conducteurs d'engins du BTP à la reconversion",
    "Un parcours de formation pour accompagner les salariés du bâtiment vers de nouveaux métiers, les compétences et le"
    " dialogue social dans l'entreprise.",
)


@pytest.fixture
def submitted(call, organiser):
    """Three submitted dossiers: a French one, its English translation by another carrier, and an unrelated one
    whose carrier chose a theme its text does not suggest."""
    made = {}
    themes = {theme.code: theme for theme in call.themes.all()}
    for key, (title, summary), theme in (
        ("heat_fr", HEAT_FR, "public-interest"),
        ("heat_en", HEAT_EN, "public-interest"),
        ("training", TRAINING, "trusted-ai"),
    ):
        owner = make_user(f"{key}@carrier.example")
        changes = {
            **complete_changes_for(call),
            "title": title,
            "summary": summary,
            "description": summary,
            "themes": [themes[theme]],
            "partners": [],
            "contact_email": owner.email,
        }
        application = dossiers.application_create(call=call, user=owner, changes=changes)
        dossiers.application_submit(application_id=application.pk, user=owner)
        made[key] = application
    return made


def test_a_translation_by_another_carrier_is_a_probable_duplicate(call, submitted):
    pairs = triage.near_duplicates(call)
    assert [(pair.first.pk, pair.second.pk) for pair in pairs] == [(submitted["heat_fr"].pk, submitted["heat_en"].pk)]
    assert pairs[0].similarity >= 0.65 and not pairs[0].against_past_edition
    # The vectors are kept by text and model: the same texts are not embedded again.
    stored = EmbeddingVector.objects.filter(model=text_model().name).count()
    triage.near_duplicates(call)
    assert stored == EmbeddingVector.objects.filter(model=text_model().name).count() >= 3


def test_tfidf_the_baseline_does_not_see_the_translation(db):
    tfidf = text_model("tfidf")
    assert similarity(["\n".join(HEAT_FR)], ["\n".join(HEAT_EN)], tfidf)[0, 0] < 0.5
    assert similarity(["\n".join(HEAT_FR)], ["\n".join(HEAT_EN)])[0, 0] >= 0.65


def test_the_organisers_triage_page_and_api(call, submitted, organiser):
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/backoffice/calls/{call.slug}/triage/").content.decode()
    heat_fr, heat_en = submitted["heat_fr"], submitted["heat_en"]
    assert f'data-pair="{heat_fr.reference} {heat_en.reference}"' in page
    assert "Doublons probables" in page
    # The dossier whose carrier chose "trusted AI" for a text about training builders' workers differs.
    assert page.count('data-differs="1"') == 1 and "Former les conducteurs" in page
    api = APIClient()
    api.force_authenticate(organiser)
    body = api.get(f"/api/v1/calls/{call.slug}/triage/duplicates/").json()
    assert [(row["first"]["id"], row["second"]["id"]) for row in body] == [(heat_fr.pk, heat_en.pk)]
    themes = api.get(f"/api/v1/calls/{call.slug}/triage/themes/?differs=true").json()
    assert [row["dossier"]["id"] for row in themes] == [submitted["training"].pk]
    assert themes[0]["suggestions"][0]["code"] == "future-of-work" and themes[0]["declared"] == ["trusted-ai"]
    applicant = submitted["heat_fr"].owner
    client.force_login(applicant)
    assert client.get(f"/backoffice/calls/{call.slug}/triage/").status_code == 403
    api.force_authenticate(applicant)
    assert api.get(f"/api/v1/calls/{call.slug}/triage/duplicates/").status_code == 403


def test_theme_suggestions_say_why(call):
    with translation.override("en"):
        suggestions = triage.theme_suggestions("\n".join(TRAINING), call, examples=[])
    first = suggestions[0]
    assert first.code == "future-of-work" and first.name == "The future of work"
    assert first.score == first.description_similarity and first.examples == ()
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_a_member_never_sees_through_the_panel_a_dossier_in_conflict(call, submitted, organiser):
    member, _added = review.committee_member_invite(
        call=call, email="rita@inserm.example", invited_by=organiser, expertise="santé", organisation="Inserm"
    )
    heat_fr, heat_en = submitted["heat_fr"], submitted["heat_en"]
    with time_machine.travel(call.closes_at + timedelta(hours=1)):
        client = Client()
        client.force_login(member.user)
        url = f"/insights/dossiers/{heat_fr.pk}/similar/"
        assert f'data-similar="{heat_en.reference}"' in client.get(url).content.decode()
        page = client.get(f"/committee/dossiers/{heat_fr.pk}/").content.decode()
        assert f'hx-get="{url}"' in page
        review.conflict_declare(member=member, user=member.user, application=heat_en, reason="Ancien employeur")
        assert f'data-similar="{heat_en.reference}"' not in client.get(url).content.decode()
        api = APIClient()
        api.force_authenticate(member.user)
        listed = api.get(f"/api/v1/applications/{heat_fr.pk}/similar/").json()
        assert heat_en.pk not in [row["challenge"]["id"] for row in listed]
        # Nor the panel of the dossier in conflict itself.
        assert client.get(f"/insights/dossiers/{heat_en.pk}/similar/").status_code == 404
        organiser_client = Client()
        organiser_client.force_login(organiser)
        assert f'data-similar="{heat_en.reference}"' in organiser_client.get(url).content.decode()
        assert f'hx-get="{url}"' in organiser_client.get(f"/backoffice/dossiers/{heat_fr.pk}/").content.decode()
        client.force_login(heat_en.owner)
        assert client.get(url).status_code in (403, 404)


def test_the_public_catalogue_shows_the_closest_labelled_challenges(completed_edition):
    from convergence.labels.models import Label

    labels = list(Label.objects.filter(status=Label.Status.VALID))
    assert len(labels) >= 2
    label = labels[0]
    similar = triage.similar_in_catalogue(label.identifier)
    assert similar and all(item.challenge.reference != label.identifier for item in similar)
    page = Client().get(f"/catalogue/{label.identifier}/").content.decode()
    assert "Défis similaires" in page and f'data-similar="{similar[0].challenge.reference}"' in page
    body = APIClient().get(f"/api/v1/catalogue/{label.identifier}/similar/").json()
    assert [row["challenge"]["reference"] for row in body] == [item.challenge.reference for item in similar]
    assert all(row["challenge"]["id"] is None for row in body)  # no dossier id in public
    assert APIClient().get("/api/v1/catalogue/CIA-00-XXXX/similar/").status_code == 404


def test_the_worker_embeds_what_changed(call, submitted, completed_edition):
    EmbeddingVector.objects.all().delete()
    added = triage.embed_changed_texts()
    assert added >= 3 and triage.embed_changed_texts() == 0


def test_the_applicant_asks_which_themes_their_text_suggests(call, draft, applicant, other_applicant):
    client = Client()
    client.force_login(applicant)
    step = client.get(f"/dossiers/{draft.pk}/edit/challenge/").content.decode()
    url = f"/insights/dossiers/{draft.pk}/theme-suggestions/"
    assert f'hx-get="{url}"' in step and "Suggérer des thèmes à partir de mon texte" in step
    assert "Écrivez d" in client.get(url).content.decode()  # the draft is empty
    title, summary = TRAINING
    answer = client.get(url, {"title": title, "summary": summary}).content.decode()
    assert answer.split('data-suggested="')[1].split('"')[0] == "future-of-work"
    assert answer.count("data-suggested=") == 2
    typed = digest(triage.challenge_text({"title": title, "summary": summary}))
    assert not EmbeddingVector.objects.filter(digest=typed).exists()  # a text being typed is never kept
    draft.refresh_from_db()
    assert list(draft.themes.all()) == []  # nothing chosen for them
    client.force_login(other_applicant)
    assert client.get(url, {"title": title}).status_code in (403, 404)


def test_a_french_query_finds_an_english_challenge_in_the_catalogue(completed_edition):
    from convergence.labels.models import Label

    english = next(
        label
        for label in Label.objects.filter(status=Label.Status.VALID)
        if "satellite" in label.catalogue.get("title", "").lower()
        and "deforestation" in label.catalogue["title"].lower()
    )
    query = "alertes de déforestation par satellite"
    page = Client().get("/catalogue/", {"q": query}).content.decode()
    # No keyword match (the entry is in English), but the model finds it, under "close in meaning".
    assert "Proches par le sens" in page and f'data-related-entry="{english.identifier}"' in page
    answer = APIClient().get("/api/v1/catalogue-search/", {"q": query}).json()
    assert answer[0]["challenge"]["reference"] == english.identifier
    assert Client().get("/catalogue/", {"q": "xqzv wplk"}).content.decode().count("data-related-entry") == 0


def test_the_back_office_search_adds_dossiers_close_in_meaning(call, submitted, organiser):
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/backoffice/calls/{call.slug}/", {"search": "heat waves and elderly people"}).content.decode()
    # The English dossier matches the words; its French twin comes through the model.
    assert f'data-related-entry="{submitted["heat_fr"].reference}"' in page
    assert f'data-related-entry="{submitted["heat_en"].reference}"' not in page


def test_the_map_of_the_call_has_its_table_chart_and_csv(call, submitted, organiser):
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/backoffice/calls/{call.slug}/triage/").content.decode()
    assert f"/backoffice/calls/{call.slug}/insights/call_map.svg" in page
    assert "Carte de l&#x27;appel" in page and submitted["training"].reference in page  # the table, its alternative
    svg = client.get(f"/backoffice/calls/{call.slug}/insights/call_map.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    rows = client.get(f"/backoffice/calls/{call.slug}/insights/call_map.csv").content.decode().splitlines()
    assert len(rows) == 4 and rows[0].lstrip("\ufeff").startswith("Dossier,")
    # The two texts of the same challenge sit together on the map, the third away from them.
    table = triage.call_map(call)
    points = {row[0]: (row[3], row[4]) for row in table.rows}

    def distance(a, b):
        return ((points[a][0] - points[b][0]) ** 2 + (points[a][1] - points[b][1]) ** 2) ** 0.5

    fr, en, other = (submitted[key].reference for key in ("heat_fr", "heat_en", "training"))
    assert distance(fr, en) < distance(fr, other)
    client.force_login(submitted["heat_fr"].owner)
    assert client.get(f"/backoffice/calls/{call.slug}/insights/call_map.svg").status_code == 403


def test_the_meeting_page_lists_the_probable_duplicates(call, submitted, organiser):
    client = Client()
    client.force_login(organiser)
    fragment = f"/backoffice/calls/{call.slug}/triage/duplicates/"
    assert f'hx-get="{fragment}"' in client.get(f"/selection/{call.slug}/meeting/").content.decode()
    listed = client.get(fragment).content.decode()
    heat_fr, heat_en = submitted["heat_fr"], submitted["heat_en"]
    assert f"?dossier={heat_fr.pk}#panel" in listed and f"?dossier={heat_en.pk}#panel" in listed
    client.force_login(heat_fr.owner)
    assert client.get(fragment).status_code == 403


def _simple_near_duplicates(call, threshold):
    """The whole-matrix search, pair by pair, as it was before it ran by blocks (issue 17)."""
    found = triage.call_dossiers(call)
    others = found + triage.labelled(exclude_call=call)
    scores = similarity([d.text for d in found], [o.text for o in others])
    pairs = []
    for i in range(len(found)):
        for j in range(len(others)):
            if scores[i, j] < threshold or (others[j].kind == "dossier" and j <= i):
                continue
            if others[j].kind == "label" and others[j].pk == found[i].pk:
                continue
            pairs.append((found[i].pk, others[j].reference, round(float(scores[i, j]), 3)))
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))


@pytest.mark.parametrize("limit", [None, 0, 1, 2])
def test_duplicates_found_by_blocks_and_bounded_are_those_of_the_whole_matrix(call, submitted, monkeypatch, limit):
    monkeypatch.setattr(triage, "DUPLICATE_BLOCK", 2)  # three dossiers: two blocks
    expected = _simple_near_duplicates(call, threshold=0.0)  # every pair: ties and order tested
    pairs, total = triage.near_duplicates_counted(call, threshold=0.0, limit=limit)
    found = [(pair.first.pk, pair.second.reference, pair.similarity) for pair in pairs]
    assert total == len(expected) == 3
    assert found == (expected if limit is None else expected[:limit])
