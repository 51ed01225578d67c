"""The programme every access matrix runs on: the demo's calls, committee round, labels and competition, and one
person for each role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convergence.applications.models import Application
from convergence.competitions import services as competitions
from convergence.competitions.models import Competition
from convergence.labels.models import KitFile
from convergence.review import services as review
from tests.browser.test_every_page import _seed_programme
from tests.conftest import make_user, pdf_bytes

ROLES = [
    "anonymous",
    "stranger",
    "applicant",
    "other_applicant",
    "reviewer",
    "conflicted_reviewer",
    "carrier",
    "participant",
    "other_participant",
    "host",
    "expert",
    "organiser",
]
EVERYONE = set(ROLES)
ACCOUNTS = EVERYONE - {"anonymous"}


@pytest.fixture
def programme(db):
    data = _seed_programme()
    past, label, organiser = data["past"], data["label"], data["organiser"]
    application = data["applicant_application"]
    other = (
        Application.objects.filter(call=application.call)
        .exclude(owner=application.owner)
        .exclude(owner__participations__isnull=False)
        .first()
    )
    # A member of the past edition in conflict with the labelled dossier and with the reviewer's dossier.
    conflicted, _ = review.committee_member_invite(call=past, email="reviewer2@demo.test", invited_by=organiser)
    for dossier in (label.application, data["reviewed"]):
        review.conflict_declare(member=conflicted, application=dossier, user=conflicted.user, reason="co-author")
    # A competition hosted by someone who is not an organiser; two people who take part in nothing else, the
    # first in a team.
    competition = Competition.objects.order_by("pk").first()  # the flood-risk one (the demo seeds two)
    host = make_user("host@example.org")
    Competition.objects.filter(pk=competition.pk).update(host=host)
    competition.refresh_from_db()
    participant, other_participant = make_user("lina@example.org"), make_user("omar@example.org")
    phase = competition.phases.get()
    for person in (participant, other_participant):
        competitions.competition_join(competition=competition, user=person, accept_rules=True)
    competitions.team_create(participant=competition.participants.get(user=participant), name="Crues")
    submission = competitions.submission_create(
        phase=phase,
        user=participant,
        upload=SimpleUploadedFile("predictions.csv", b"id,prediction\nsite-01000,0.5\n", content_type="text/csv"),
    )
    kit_file = KitFile(call=past, title="Logo", extension="pdf", content_type="application/pdf").store(
        SimpleUploadedFile("logo.pdf", pdf_bytes("logo")), user=organiser, stored_name="kit.pdf", default_name="x"
    )
    users = {
        "stranger": make_user("stranger@example.org"),
        "applicant": application.owner,
        "other_applicant": other.owner,
        "reviewer": data["reviewer"],
        "conflicted_reviewer": conflicted.user,
        "carrier": label.application.owner,
        "participant": participant,
        "other_participant": other_participant,
        "host": host,
        "expert": data["invitation"].expert,  # an outside expert reading one dossier of the open call
        "organiser": organiser,
    }
    assert len({user.pk for user in users.values()}) == len(users), "one person per role"
    return {
        **data,
        "users": users,
        "competition": competition,
        "competition_submission": submission,
        "kit_file": kit_file,
    }
