"""Creating a competition from a bundle: a zip holding `competition.yaml` and the data files it names.

Two forms are read (documented in competitions/BUNDLE.md at the project root): the platform's own, and
Codabench's (v2) and CodaLab's (v1) `competition.yaml`, with their scoring and ingestion programs.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from typing import Literal

import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from convergence.core.errors import ErrorCode

from .metrics import REGISTRY
from .models import Competition
from .services import (
    CompetitionError,
    competition_create,
    competition_logo_set,
    ground_truth_upload,
    phase_add,
    phase_columns_set,
    phase_program_set,
    public_file_add,
    solution_add,
)

MAX_UNCOMPRESSED = 1024 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhaseSpec(_Strict):
    code: str = ""
    name: str
    starts_at: datetime | date
    ends_at: datetime | date
    metric: str = ""
    max_per_day: int = Field(default=5, ge=1)
    max_total: int = Field(default=100, ge=1)
    ground_truth: str = ""
    # Scored by the host's program (Codabench's contract): paths of zips or folders of the bundle.
    scoring_program: str = ""
    reference_data: str = ""
    ingestion_program: str = ""
    input_data: str = ""
    score_column: str = ""
    higher_is_better: bool = True
    time_limit_seconds: int | None = Field(default=None, ge=1)
    # The board's columns (competitions/columns.py): key, title, precision, hidden, computation, of.
    columns: list[dict] = Field(default_factory=list)
    # Example solutions (files or folders of the bundle), run through the programs to check them.
    solutions: list[str] = Field(default_factory=list)


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
    logo: str = ""
    phases: list[PhaseSpec] = Field(min_length=1)


class BundleInvalid(CompetitionError):
    code = ErrorCode.BUNDLE_INVALID


# Keys of Codabench's and CodaLab's competition.yaml the platform reads; any other is reported as a warning.
CODABENCH_READ = {
    "version", "title", "description", "terms", "pages", "html", "phases", "tasks", "leaderboards", "leaderboard",
    "registration_auto_approve", "has_registration", "end_date", "solutions", "image",
}  # fmt: skip
PHASE_READ = {
    "index", "name", "label", "phasenumber", "description", "start", "start_date", "end", "end_date",
    "max_submissions_per_day", "max_submissions", "execution_time_limit", "tasks", "solutions", "scoring_program",
    "reference_data", "ingestion_program", "input_data", "ground_truth", "starting_kit", "public_data",
}  # fmt: skip
DATE_FORMATS = ("%m-%d-%Y", "%m/%d/%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")


def _when(value) -> datetime | date | None:
    """A date as bundles write them: YAML dates, ISO text, or Codabench's examples' `8-7-2019` (month first)."""
    if value is None or isinstance(value, datetime | date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)  # noqa: DTZ007 (made aware in Europe/Paris by _aware)
        except ValueError:
            continue
    raise BundleInvalid(_("competition.yaml: “%(value)s” is not a date.") % {"value": text[:40]})


def _text_of(name: str, content: str) -> str:
    """A page as plain text: HTML is stripped (never rendered), Markdown kept as written but for the `#` of its
    headings."""
    if name.lower().endswith((".html", ".htm")):
        return strip_tags(re.sub(r"<(script|style)\b.*?</\1\s*>", "", content, flags=re.DOTALL | re.IGNORECASE)).strip()
    return re.sub(r"^#{1,6}\s+", "", content, flags=re.MULTILINE).strip()


def _page(title: str, text: str) -> str:
    """A page under its title, unless its text already starts with it."""
    first = text.splitlines()[0].strip() if text else ""
    return text if not title or first.lower() == title.strip().lower() else f"{title}\n\n{text}"


V1_OPERATIONS = {"sum": "sum", "average": "avg", "avg": "avg", "mean": "avg", "min": "min", "max": "max"}


def _leaderboard_columns(data: dict, warnings: list[str]) -> tuple[dict, list[dict]]:
    """The column the board ranks on and every column as the platform keeps them (competitions/columns.py):
    Codabench's `leaderboards[].columns` (v2: ranked on the first by index; `computation_indexes` become keys),
    CodaLab's `leaderboard.columns` (v1: ranked on the lowest `rank`; `numeric_format`, `computed`)."""
    boards = data.get("leaderboards")
    columns: list[dict] = []
    ranked = {"key": "", "sorting": "desc"}
    if isinstance(boards, list) and boards:
        if len(boards) > 1:
            warnings.append(
                _("The bundle has %(count)d leaderboards: their columns are shown together on each phase's board.")
                % {"count": len(boards)}
            )
        for board in boards:
            if not isinstance(board, dict):
                continue
            ordered = sorted(
                (column for column in board.get("columns") or [] if isinstance(column, dict)),
                key=lambda column: column.get("index", 0),
            )
            keys_by_index = {column.get("index"): str(column.get("key", "")) for column in ordered}
            for column in ordered:
                columns.append(
                    {
                        "key": str(column.get("key", "")),
                        "title": str(column.get("title") or ""),
                        "precision": column.get("precision", 2),
                        "hidden": bool(column.get("hidden")) or bool(board.get("hidden")),
                        "computation": str(column.get("computation") or ""),
                        "of": [
                            keys_by_index.get(index, str(index)) for index in column.get("computation_indexes") or []
                        ],
                    }
                )
            if not ranked["key"] and ordered:
                ranked = {"key": str(ordered[0].get("key", "")), "sorting": str(ordered[0].get("sorting", "desc"))}
        return ranked, columns
    legacy = (data.get("leaderboard") or {}).get("columns") or {}
    if isinstance(legacy, dict) and legacy:
        ordered_items = sorted(legacy.items(), key=lambda item: (item[1] or {}).get("rank", 0))
        for key, column in ordered_items:
            column = column or {}
            computed = column.get("computed") or {}
            columns.append(
                {
                    "key": str(key),
                    "title": str(column.get("label") or ""),
                    "precision": column.get("numeric_format", 2),
                    "hidden": bool(column.get("hidden")),
                    "computation": V1_OPERATIONS.get(str(computed.get("operation", "")).lower(), "")
                    if computed
                    else "",
                    "of": [str(name) for name in computed.get("fields") or []] if computed else [],
                }
            )
        key, column = ordered_items[0]
        ranked = {"key": str(key), "sorting": str((column or {}).get("sort", "desc"))}
    return ranked, columns


def _phase_solutions(data: dict, phase: dict) -> list[str]:
    """The paths of the solutions a Codabench phase names (`solutions: [index]`), else of those made for its
    tasks."""
    solutions = [item for item in data.get("solutions") or [] if isinstance(item, dict) and item.get("path")]
    named = phase.get("solutions")
    if isinstance(named, list):
        return [str(item["path"]) for item in solutions if item.get("index") in named]
    tasks = set(phase.get("tasks") or [])
    return [str(item["path"]) for item in solutions if tasks & set(item.get("tasks") or [])]


def _codabench_to_spec(data: dict, read_text) -> tuple[dict, list[str]]:
    """Map a Codabench (v2, `tasks` and `leaderboards`) or CodaLab (v1, phases as a numbered map, `html` pages)
    competition.yaml to the platform's form, with a warning for each key the platform does not use."""
    warnings = [
        _("“%(key)s” is not used by the platform.") % {"key": key} for key in sorted(set(data) - CODABENCH_READ)
    ]
    column, columns = _leaderboard_columns(data, warnings)
    tasks = {task.get("index"): task for task in data.get("tasks") or [] if isinstance(task, dict)}
    raw_phases = data.get("phases") or []
    if isinstance(raw_phases, dict):  # CodaLab v1: {1: {...}, 2: {...}}
        raw_phases = [raw_phases[key] for key in sorted(raw_phases, key=lambda key: int(str(key)))]
    phases = []
    for index, phase in enumerate(raw_phases):
        if not isinstance(phase, dict):
            raise BundleInvalid(_("competition.yaml: phase %(index)d is not a mapping.") % {"index": index + 1})
        warnings += [
            _("Phase %(index)d: “%(key)s” is not used by the platform.") % {"index": index + 1, "key": key}
            for key in sorted(set(phase) - PHASE_READ)
        ]
        task = tasks.get((phase.get("tasks") or [None])[0], {}) if phase.get("tasks") else {}
        pick = {
            name: phase.get(name) or task.get(name) or ""
            for name in ("scoring_program", "reference_data", "ingestion_program", "input_data")
        }
        truth = phase.get("ground_truth") or ""
        solutions = _phase_solutions(data, phase)
        program = bool(pick["scoring_program"])
        phases.append(
            {
                "code": str(phase.get("index", phase.get("phasenumber", index))),
                "name": phase.get("name") or phase.get("label") or f"Phase {index + 1}",
                "starts_at": _when(phase.get("start") or phase.get("start_date")),
                "ends_at": _when(phase.get("end") or phase.get("end_date")),
                "metric": "" if program else column["key"].lower(),
                "max_per_day": phase.get("max_submissions_per_day") or 5,
                "max_total": phase.get("max_submissions") or 100,
                "ground_truth": "" if program else (truth or pick["reference_data"]),
                **(pick if program else {}),
                "score_column": column["key"] if program else "",
                "columns": columns if program else [],
                "solutions": solutions if program else [],
                "higher_is_better": column["sorting"].lower() != "asc",
                "time_limit_seconds": phase.get("execution_time_limit"),
            }
        )
    # Each phase's starting kit and public data are the participants' downloads (once, when phases share them).
    downloads: dict[str, str] = {}
    for phase, item in zip(raw_phases, phases, strict=True):
        for key, label in (("starting_kit", _("Starting kit")), ("public_data", _("Public data"))):
            path = phase.get(key)
            if isinstance(path, str) and path and path not in downloads:
                downloads[path] = f"{label} — {item['name']}"
    # CodaLab v1 phases have only a start: each ends when the next starts, the last at the competition's end.
    for current, following in zip(phases, phases[1:], strict=False):
        current["ends_at"] = current["ends_at"] or following["starts_at"]
    if phases and not phases[-1]["ends_at"]:
        end = _when(data.get("end_date"))
        if end is None and phases[-1]["starts_at"] is not None:
            end = _aware(phases[-1]["starts_at"]) + timedelta(days=365)
            warnings.append(_("The last phase has no end: it ends a year after it starts; change it on the host page."))
        phases[-1]["ends_at"] = end
    pages = data.get("pages") or []
    html = data.get("html") or {}
    texts = [data.get("description") or ""]
    for page in pages if isinstance(pages, list) else []:
        if isinstance(page, dict) and page.get("file"):
            texts.append(_page(str(page.get("title", "")), _text_of(page["file"], read_text(page["file"]))))
    terms = data.get("terms", "") or html.get("terms", "")
    for name, path in html.items() if isinstance(html, dict) else []:
        if name != "terms" and isinstance(path, str):
            texts.append(_page(str(name).capitalize(), _text_of(path, read_text(path))))
    if isinstance(terms, str) and terms.lower().endswith((".md", ".txt", ".html", ".htm")):
        terms = _text_of(terms, read_text(terms))
    return (
        {
            "title": data.get("title", ""),
            "description": "\n\n".join(text.strip() for text in texts if text and text.strip()),
            "rules": terms,
            "participation": "closed"
            if data.get("registration_auto_approve") is False or data.get("has_registration") is True
            else "open",
            "phases": phases,
            "public_files": [{"path": path, "title": title} for path, title in downloads.items()],
            "logo": data.get("image") if isinstance(data.get("image"), str) else "",
        },
        warnings,
    )


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

    def zip_of(self, path: str) -> bytes:
        """A program or data as a zip: the bundle's own zip file, or a folder of the bundle zipped."""
        clean = self._clean(path or "").rstrip("/")
        if clean in self.names and clean.lower().endswith(".zip"):
            return self.archive.read(self.names[clean])
        inside = [name for name in self.names if name.startswith(clean + "/")]
        if not inside:
            raise BundleInvalid(_("The bundle has no file or folder “%(path)s”.") % {"path": path})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in inside:
                archive.writestr(name[len(clean) + 1 :], self.archive.read(self.names[name]))
        return buffer.getvalue()

    def file_or_zip(self, path: str) -> tuple[str, bytes]:
        """A download for the participants: the bundle's file, or its folder as a zip."""
        clean = self._clean(path or "").rstrip("/")
        if clean in self.names:
            return PurePosixPath(clean).name, self.archive.read(self.names[clean])
        return f"{PurePosixPath(clean).name or 'data'}.zip", self.zip_of(clean)

    def spec(self) -> tuple[BundleSpec, list[str]]:
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
        warnings: list[str] = []
        if {"leaderboards", "leaderboard", "version", "tasks", "html"} & set(data) or isinstance(
            data.get("phases"), dict
        ):
            data, warnings = _codabench_to_spec(data, lambda path: self.read(path).decode("utf-8", errors="replace"))
        try:
            spec = BundleSpec.model_validate(data)
        except ValidationError as error:
            problems = [
                f"{'.'.join(str(part) for part in detail['loc'])}: {detail['msg']}" for detail in error.errors()[:10]
            ]
            raise BundleInvalid(_("competition.yaml: %(problems)s") % {"problems": "; ".join(problems)}) from error
        unknown = sorted({phase.metric for phase in spec.phases if not phase.scoring_program} - set(REGISTRY))
        if unknown:
            raise BundleInvalid(
                _("competition.yaml: unknown metric %(metric)s; choose among %(choices)s, or give a scoring program.")
                % {"metric": ", ".join(unknown) or "—", "choices": ", ".join(REGISTRY)}
            )
        return spec, warnings


@dataclass
class Imported:
    competition: Competition
    warnings: list[str]


@transaction.atomic
def competition_from_bundle(*, user, data: bytes, application=None) -> Imported:
    """Create the competition a bundle describes; what the platform did not use comes back as warnings."""
    if len(data) > settings.COMPETITION_BUNDLE_MAX_BYTES:
        raise BundleInvalid(_("The bundle is over the size limit."))
    bundle = Bundle(data)
    spec, warnings = bundle.spec()
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
        name, content = bundle.file_or_zip(public.path)
        upload = SimpleUploadedFile(name, content)
        public_file_add(competition=competition, user=user, title=public.title or name, upload=upload)
    if spec.logo:
        try:
            competition_logo_set(competition=competition, user=user, data=bundle.read(spec.logo), name=spec.logo)
        except CompetitionError as error:  # a logo is not worth refusing the competition
            warnings.append(_("The logo was not used: %(problem)s") % {"problem": error.message})
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
            scored_by_program=bool(item.scoring_program),
        )
        try:
            if item.scoring_program:
                _set_program(bundle, phase, item, user)
            else:
                ground_truth_upload(phase=phase, user=user, data=bundle.read(item.ground_truth))
        except CompetitionError as error:
            raise BundleInvalid(
                _("Phase “%(phase)s”: %(problem)s") % {"phase": item.name, "problem": error.message}
            ) from error
    return Imported(competition, warnings)


def _set_program(bundle: Bundle, phase, item: PhaseSpec, user) -> None:
    def upload(path: str, name: str) -> SimpleUploadedFile | None:
        return SimpleUploadedFile(name, bundle.zip_of(path)) if path else None

    phase_program_set(
        phase=phase,
        user=user,
        program=upload(item.scoring_program, "scoring-program.zip"),  # type: ignore[arg-type]
        reference=upload(item.reference_data, "reference-data.zip"),
        ingestion=upload(item.ingestion_program, "ingestion-program.zip"),
        input_data=upload(item.input_data, "input-data.zip"),
        score_column=item.score_column,
        higher_is_better=item.higher_is_better,
        time_limit_seconds=min(item.time_limit_seconds, settings.SCORING_TIME_LIMIT_SECONDS)
        if item.time_limit_seconds
        else None,
    )
    if item.columns:
        phase_columns_set(phase=phase, user=user, columns=item.columns)
    for path in item.solutions:
        name, content = bundle.file_or_zip(path)
        solution_add(phase=phase, user=user, upload=SimpleUploadedFile(name, content), name=PurePosixPath(name).stem)


def competition_to_bundle(competition: Competition) -> bytes:
    """The competition as a bundle in the platform's form (competitions/BUNDLE.md): what `competition_from_bundle`
    reads back into the same competition — texts, settings, public files, phases with their latest ground truth,
    scoring and ingestion programs and data. Participants and submissions stay on the platform."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, field) -> str:
            with field.open("rb") as handle:
                archive.writestr(path, handle.read())
            return path

        spec: dict = {
            "title": competition.title,
            "description": competition.description,
            "rules": competition.rules,
            "participation": competition.participation,
            "teams": competition.teams_allowed,
            "public_files": [
                {"path": add(f"data/{index}-{public.original_name}", public.file), "title": public.title}
                for index, public in enumerate(competition.public_files.all())
            ],
            "phases": [],
        }
        if competition.max_team_size:
            spec["max_team_size"] = competition.max_team_size
        if competition.logo:
            spec["logo"] = add("logo.png", competition.logo)
        for phase in competition.phases.order_by("position"):
            item: dict = {
                "code": phase.code,
                "name": phase.name,
                "starts_at": timezone.localtime(phase.starts_at).isoformat(),
                "ends_at": timezone.localtime(phase.ends_at).isoformat(),
                "max_per_day": phase.max_per_day,
                "max_total": phase.max_total,
            }
            folder = f"phases/{phase.code}"
            if phase.uses_program:
                item["scoring_program"] = add(f"{folder}/scoring-program.zip", phase.scoring_program)
                for key, field in (
                    ("reference_data", phase.reference_data),
                    ("ingestion_program", phase.ingestion_program),
                    ("input_data", phase.input_data),
                ):
                    if field:
                        item[key] = add(f"{folder}/{key.replace('_', '-')}.zip", field)
                item.update(score_column=phase.score_column, higher_is_better=phase.program_higher_is_better)
                if phase.leaderboard_columns:
                    item["columns"] = phase.leaderboard_columns
                solutions = list(phase.solutions.all())
                if solutions:
                    item["solutions"] = [
                        add(
                            f"{folder}/solutions/{index}/{slugify(solution.name) or 'solution'}"
                            f"{PurePosixPath(solution.file.name or '').suffix}",
                            solution.file,
                        )
                        for index, solution in enumerate(solutions)
                    ]
                if phase.time_limit_seconds:
                    item["time_limit_seconds"] = phase.time_limit_seconds
            else:
                item["metric"] = phase.metric
                truth = phase.ground_truths.first()
                if truth is not None:
                    item["ground_truth"] = add(f"{folder}/ground-truth.csv", truth.file)
            spec["phases"].append(item)
        archive.writestr("competition.yaml", yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))
    return buffer.getvalue()
