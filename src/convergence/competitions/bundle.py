"""Creating a competition from a bundle: a zip holding `competition.yaml` and the data files it names.

Two forms are read (documented in competitions/BUNDLE.md at the project root): the platform's own, and the
common subset of Codabench's `competition.yaml` (title, description, terms, phases, leaderboard column).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Literal

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from convergence.core.errors import ErrorCode

from .metrics import REGISTRY
from .models import Competition
from .services import CompetitionError, competition_create, ground_truth_upload, phase_add, public_file_add

MAX_UNCOMPRESSED = 1024 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhaseSpec(_Strict):
    code: str = ""
    name: str
    starts_at: datetime | date
    ends_at: datetime | date
    metric: str
    max_per_day: int = Field(default=5, ge=1)
    max_total: int = Field(default=100, ge=1)
    ground_truth: str


class FileSpec(_Strict):
    path: str
    title: str = ""


class BundleSpec(_Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    rules: str = ""
    participation: Literal["open", "closed"] = "open"
    teams: bool = False
    max_team_size: int | None = Field(default=None, ge=1, le=100)
    public_files: list[FileSpec] = Field(default_factory=list)
    phases: list[PhaseSpec] = Field(min_length=1)


class BundleInvalid(CompetitionError):
    code = ErrorCode.BUNDLE_INVALID


def _codabench_to_spec(data: dict, read_text) -> dict:
    """Map the common subset of a Codabench competition.yaml to the platform's form."""
    column = ((data.get("leaderboards") or [{}])[0].get("columns") or [{}])[0]
    metric = str(column.get("key", "")).lower()
    tasks = {task.get("index"): task for task in data.get("tasks") or []}
    phases = []
    for index, phase in enumerate(data.get("phases") or []):
        truth = phase.get("ground_truth")
        if not truth and phase.get("tasks"):
            truth = tasks.get(phase["tasks"][0], {}).get("reference_data")
        phases.append(
            {
                "code": str(phase.get("index", index)),
                "name": phase.get("name", f"Phase {index + 1}"),
                "starts_at": phase.get("start"),
                "ends_at": phase.get("end"),
                "metric": metric,
                "max_per_day": phase.get("max_submissions_per_day", 5),
                "max_total": phase.get("max_submissions", 100),
                "ground_truth": truth or "",
            }
        )
    terms = data.get("terms", "")
    return {
        "title": data.get("title", ""),
        "description": data.get("description", ""),
        "rules": read_text(terms) if isinstance(terms, str) and terms.endswith((".md", ".txt", ".html")) else terms,
        "participation": "closed" if data.get("registration_auto_approve") is False else "open",
        "phases": phases,
    }


def _aware(value: datetime | date) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Bundle:
    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise BundleInvalid(_("The bundle is not a zip file.")) from error
        if sum(info.file_size for info in self.archive.infolist()) > MAX_UNCOMPRESSED:
            raise BundleInvalid(_("The bundle is too large once uncompressed."))
        self.names = {
            self._clean(info.filename): info.filename for info in self.archive.infolist() if not info.is_dir()
        }

    @staticmethod
    def _clean(name: str) -> str:
        return str(PurePosixPath(name.replace("\\", "/")).as_posix()).lstrip("./")

    def read(self, path: str) -> bytes:
        clean = self._clean(path or "")
        if clean not in self.names:
            # A folder named for Codabench's reference data: take its only CSV file.
            inside = [name for name in self.names if name.startswith(clean.rstrip("/") + "/") and name.endswith(".csv")]
            if len(inside) != 1:
                raise BundleInvalid(_("The bundle has no file “%(path)s”.") % {"path": path})
            clean = inside[0]
        return self.archive.read(self.names[clean])

    def spec(self) -> BundleSpec:
        yaml_name = next((n for n in self.names if PurePosixPath(n).name == "competition.yaml"), None)
        if yaml_name is None:
            raise BundleInvalid(_("The bundle has no competition.yaml file."))
        try:
            data = yaml.safe_load(self.archive.read(self.names[yaml_name]).decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise BundleInvalid(
                _("competition.yaml is not valid YAML: %(error)s") % {"error": str(error)[:200]}
            ) from error
        if not isinstance(data, dict):
            raise BundleInvalid(_("competition.yaml must be a mapping of fields."))
        if "leaderboards" in data or "version" in data:
            data = _codabench_to_spec(data, lambda path: self.read(path).decode("utf-8", errors="replace"))
        try:
            spec = BundleSpec.model_validate(data)
        except ValidationError as error:
            problems = [
                f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']}" for detail in error.errors()[:10]
            ]
            raise BundleInvalid(_("competition.yaml: %(problems)s") % {"problems": "; ".join(problems)}) from error
        unknown = sorted({phase.metric for phase in spec.phases} - set(REGISTRY))
        if unknown:
            raise BundleInvalid(
                _("competition.yaml: unknown metric %(metric)s; choose among %(choices)s.")
                % {"metric": ", ".join(unknown), "choices": ", ".join(REGISTRY)}
            )
        return spec


@transaction.atomic
def competition_from_bundle(*, user, data: bytes, application=None) -> Competition:
    if len(data) > settings.COMPETITION_BUNDLE_MAX_BYTES:
        raise BundleInvalid(_("The bundle is over the size limit."))
    bundle = Bundle(data)
    spec = bundle.spec()
    competition = competition_create(
        user=user,
        title=spec.title,
        description=spec.description,
        rules=spec.rules,
        participation=spec.participation,
        teams_allowed=spec.teams,
        max_team_size=spec.max_team_size,
        application=application,
    )
    for public in spec.public_files:
        name = PurePosixPath(public.path).name
        upload = SimpleUploadedFile(name, bundle.read(public.path))
        public_file_add(competition=competition, user=user, title=public.title or name, upload=upload)
    for item in spec.phases:
        phase = phase_add(
            competition=competition,
            user=user,
            code=item.code or item.name,
            name=item.name,
            starts_at=_aware(item.starts_at),
            ends_at=_aware(item.ends_at),
            metric=item.metric,
            max_per_day=item.max_per_day,
            max_total=item.max_total,
        )
        try:
            ground_truth_upload(phase=phase, user=user, data=bundle.read(item.ground_truth))
        except CompetitionError as error:
            raise BundleInvalid(
                _("Phase “%(phase)s”: %(problem)s") % {"phase": item.name, "problem": error.message}
            ) from error
    return competition
