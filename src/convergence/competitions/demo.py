"""A demo competition, open now: synthetic flood-risk data, a development phase running now, a few scored
submissions from the demo applicants, so that the pages and leaderboards have content."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from convergence.accounts.models import User

from . import services
from .models import Competition

ROWS = 2000


def _rows(rng: random.Random) -> list[tuple[str, float, float, int]]:
    rows = []
    for index in range(ROWS):
        rain, slope = rng.uniform(0, 200), rng.uniform(0, 30)
        risk = 1 if rain / 200 - slope / 60 + rng.gauss(0, 0.2) > 0.4 else 0
        rows.append((f"site-{index:05d}", round(rain, 1), round(slope, 1), risk))
    return rows


def _csv(header: str, lines) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", (header + "\n" + "\n".join(lines)).encode(), content_type="text/csv")


DEMO_DISPLAY_NAMES = ["crues-pasteur", "addis-hydro", "pluie-et-pente"]


EXAMPLES = Path(__file__).resolve().parents[3] / "competitions" / "examples"


@transaction.atomic
def seed_demo_competition(*, host: User, participants: list[User], seed: int = 7) -> Competition:
    rng = random.Random(seed)
    rows = _rows(rng)
    train, test = rows[: ROWS // 2], rows[ROWS // 2 :]
    competition = services.competition_create(
        user=host,
        title="Prévision du risque d'inondation",
        description=(
            "Prédire, pour chaque site, la probabilité d'une inondation à partir de la pluie cumulée et de la pente. "
            "Predict, for each site, the probability of a flood from cumulated rain and slope."
        ),
        rules="Une personne, un compte. Les données restent dans le cadre du défi. / One person, one account.",
        participation="open",
        teams_allowed=True,
    )
    logo = EXAMPLES / "codalab-v1-flood" / "logo.png"
    services.competition_logo_set(competition=competition, user=host, data=logo.read_bytes(), name=logo.name)
    services.public_file_add(
        competition=competition,
        user=host,
        title="train.csv",
        upload=_csv("id,rain_mm,slope_deg,flood", (f"{i},{r},{s},{y}" for i, r, s, y in train)),
    )
    services.public_file_add(
        competition=competition,
        user=host,
        title="test.csv",
        upload=_csv("id,rain_mm,slope_deg", (f"{i},{r},{s}" for i, r, s, _y in test)),
    )
    now = timezone.now()
    phase = services.phase_add(
        competition=competition,
        user=host,
        code="development",
        name="Développement",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=20),
        metric="roc_auc",
        max_per_day=5,
        max_total=100,
    )
    truth = "id,target\n" + "\n".join(f"{i},{y}" for i, _r, _s, y in test)
    services.ground_truth_upload(phase=phase, user=host, data=truth.encode())
    # The names people chose for the leaderboard: a public board never shows their real names.
    for skill, name, user in zip((0.9, 0.6, 0.3), DEMO_DISPLAY_NAMES, participants, strict=False):
        services.competition_join(competition=competition, user=user, accept_rules=True, display_name=name)
        lines = []
        for identifier, rain, slope, _flood in test:
            guess = rain / 200 - slope / 60 if rng.random() < skill else rng.random()
            lines.append(f"{identifier},{min(max(guess, 0.0), 1.0):.4f}")
        services.submission_create(phase=phase, user=user, upload=_csv("id,prediction", lines))
    return competition


def _folder_as_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.writestr(str(path.relative_to(folder)), path.read_bytes())
    return buffer.getvalue()


@transaction.atomic
def seed_demo_code_competition(*, host: User, participant: User) -> Competition:
    """The Codabench (v2) example bundle, imported as a host would, its phase running now: participants submit
    code that runs in the sandbox. The organisers' baseline is submitted once by a demo participant."""
    from .bundle import competition_from_bundle

    competition = competition_from_bundle(user=host, data=_folder_as_zip(EXAMPLES / "codabench-v2-code")).competition
    now = timezone.now()
    competition.phases.update(starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=30))
    phase = competition.phases.get()
    services.competition_join(competition=competition, user=participant, accept_rules=True, display_name="pare-feu")
    baseline = io.BytesIO()
    with zipfile.ZipFile(baseline, "w") as archive:
        archive.write(EXAMPLES / "codabench-v2-code" / "solution" / "model.py", "model.py")
    services.submission_create(
        phase=phase,
        user=participant,
        upload=SimpleUploadedFile("baseline.zip", baseline.getvalue()),
        description="Règle de base : chaud, sec et venteux",
    )
    return competition
