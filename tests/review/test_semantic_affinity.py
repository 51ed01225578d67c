"""Affinity read as meaning, a choice beside TF-IDF: members writing their expertise in English are matched with
dossiers written in French; the organiser chooses it on the selection page; members add their publications."""

import numpy as np
import pytest
from django.test import Client

from convergence.review import services
from convergence.review.models import Selection, SelectionEvent


@pytest.fixture
def english_experts(round_, organiser):
    """Three more members, who describe their expertise in English only."""
    call = round_["call"]
    experts = []
    for email, expertise in (
        ("malaria@lab.example", "Malaria diagnosis from blood smear microscopy images with deep learning"),
        ("floods@hydro.example", "Flash flood forecasting, hydrological models, rainfall and river gauges"),
        ("nlp@lang.example", "Machine translation for low-resource African languages, parallel corpora"),
    ):
        member, _added = services.committee_member_invite(
            call=call, email=email, invited_by=organiser, expertise=expertise, organisation="Elsewhere"
        )
        experts.append(member)
    services.eligibility_check(call=call, user=organiser)
    return round_, experts


def _scores_of(call, experts, choice):
    Selection.objects.update_or_create(call=call, defaults={"affinity_model": choice})
    table = services.affinity_table(call)
    columns = [[member.pk for member in table.members].index(expert.pk) for expert in experts]
    return table, table.scores[:, columns]


def test_meaning_matches_english_expertise_with_french_dossiers_where_spellings_do_not(english_experts):
    round_, experts = english_experts
    call = round_["call"]
    table, meaning = _scores_of(call, experts, "embeddings")
    titles = [application.pk for application in table.applications]
    for index in range(len(experts)):
        # The expert's best dossier is the one of their field (dossiers 0, 1, 2 of the round).
        assert titles[meaning[:, index].argmax()] == round_["applications"][index].pk, meaning
    _table, spellings = _scores_of(call, experts, "tfidf")
    assert not np.allclose(meaning, spellings)  # the choice is the one used
    assert (meaning >= 0).all() and (meaning <= 1).all()


def test_the_organiser_chooses_it_and_members_add_publications(english_experts, organiser):
    round_, experts = english_experts
    call = round_["call"]
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/selection/{call.slug}/").content.decode()
    assert 'value="embeddings"' in page and "Le sens, en français comme en anglais" in page
    selection, _created = Selection.objects.get_or_create(call=call)
    form = {
        "settings": "1",
        "reviewers_per_dossier": selection.reviewers_per_dossier,
        "min_load": 0,
        "max_load": 5,
        "affinity_model": "embeddings",
    }
    client.post(f"/selection/{call.slug}/", form)
    assert Selection.objects.get(call=call).affinity_model == "embeddings"
    event = SelectionEvent.objects.filter(kind="settings_updated").latest("at")
    assert event.details["affinity"] == "embeddings" and event.actor == organiser
    services.assignment_run(call=call, user=organiser)  # runs with the choice

    member = experts[0]
    member_client = Client()
    member_client.force_login(member.user)
    profile = {
        "organisation": "Elsewhere",
        "expertise": member.expertise,
        "keywords": "",
        "languages": "en",
        "publications": "Deep learning for Plasmodium detection in thin smears\nMobile microscopy in the field",
    }
    member_client.post(f"/committee/{call.slug}/profile/", profile)
    member.refresh_from_db()
    assert "Plasmodium" in member.publications and "Plasmodium" in member.profile_text


def test_the_worker_embeds_before_the_day_what_the_assignment_will_read(english_experts):
    from convergence.insights.models import EmbeddingVector
    from convergence.insights.triage import embed_changed_texts

    round_, _experts = english_experts
    Selection.objects.update_or_create(call=round_["call"], defaults={"affinity_model": "embeddings"})
    embed_changed_texts()
    dossiers_embedded = EmbeddingVector.objects.count()
    services.affinity_table(round_["call"])
    # Only the members' profiles were new: the dossiers' texts as the assignment reads them were stored.
    assert EmbeddingVector.objects.count() - dossiers_embedded <= len(round_["members"]) + len(_experts)
    assert embed_changed_texts() == 0
