"""Hosting a competition: creating it, its phases, hidden answers (rescoring on a new version), public files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.core.errors import ErrorCode
from convergence.core.uploads import logo_png

from ..access import is_host, may_host
from ..columns import parse_columns, ranked_score, with_computed
from ..errors import CompetitionError, NotAllowed
from ..metrics import REGISTRY
from ..models import Competition, CompetitionEvent, GroundTruth, Phase, PublicFile, Solution, Submission
from ..programs import ProgramInvalid, check_program
from ..scoring import SubmissionInvalid, ground_truth_from_csv
from . import submissions
from .submissions import leaderboard_changed

RESERVED_SLUGS = {"new", "files", "submissions", "import"}  # taken by the competitions' own addresses


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "competition"
    slug, index = base, 2
    while slug in RESERVED_SLUGS or Competition.objects.filter(slug=slug).exists():
        slug, index = f"{base}-{index}", index + 1
    return slug


@transaction.atomic
def competition_create(
    *,
    user,
    title: str,
    description: str = "",
    rules: str = "",
    participation: str = Competition.Participation.OPEN,
    teams_allowed: bool = False,
    max_team_size: int | None = None,
    application: Application | None = None,
) -> Competition:
    if not may_host(user, application):
        raise NotAllowed(_("Only the organisers and carriers of a competition-format challenge host competitions."))
    if participation not in Competition.Participation.values:
        raise CompetitionError(_("Participation is open or closed."))
    if max_team_size is not None and max_team_size < 1:
        raise CompetitionError(_("A team has at least one member."))
    competition = Competition.objects.create(
        slug=_unique_slug(title),
        title=title.strip()[:200],
        description=description,
        rules=rules,
        participation=participation,
        teams_allowed=teams_allowed,
        max_team_size=max_team_size if teams_allowed else None,
        application=application,
        call=application.call if application else None,
        host=user,
    )
    CompetitionEvent.record(
        CompetitionEvent.Kind.CREATED, user, competition=competition, details={"title": competition.title}
    )
    return competition


@transaction.atomic
def phase_add(
    *,
    competition: Competition,
    user,
    code: str,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    metric: str,
    max_per_day: int = 5,
    max_total: int = 100,
    scored_by_program: bool = False,
) -> Phase:
    """A phase scored by a built-in metric, or (`scored_by_program`, no metric) by the host's program, which
    `phase_program_set` gives it next; until then nobody can submit."""
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host changes the competition."))
    problems = {}
    if not (scored_by_program and not metric) and metric not in REGISTRY:
        problems["metric"] = [
            _("Unknown metric %(metric)s; choose among %(choices)s.")
            % {"metric": metric, "choices": ", ".join(REGISTRY)}
        ]
    if ends_at <= starts_at:
        problems["ends_at"] = [_("A phase ends after it starts.")]
    if max_per_day < 1 or max_total < 1:
        problems["max_per_day"] = [_("Limits are at least 1.")]
    code = slugify(code or name)[:60]
    if not code:
        problems["code"] = [_("Give the phase a name.")]
    elif competition.phases.filter(code=code).exists():
        problems["code"] = [_("A phase with this code exists already.")]
    if problems:
        raise CompetitionError(_("The phase cannot be added."), field_errors=problems)
    phase = Phase.objects.create(
        competition=competition,
        code=code,
        name=name.strip()[:120],
        position=competition.phases.count(),
        starts_at=starts_at,
        ends_at=ends_at,
        metric=metric,
        max_per_day=max_per_day,
        max_total=max_total,
    )
    CompetitionEvent.record(
        CompetitionEvent.Kind.PHASE_ADDED, user, competition=competition, details={"phase": code, "metric": metric}
    )
    return phase


@transaction.atomic
def ground_truth_upload(*, phase: Phase, user, data: bytes, name: str = "ground-truth.csv") -> GroundTruth:
    """Check and store the hidden answers; a replacement gets a new version and every submission is rescored."""
    if not is_host(user, phase.competition):
        raise NotAllowed(_("Only the host changes the competition."))
    try:
        frame = ground_truth_from_csv(data, REGISTRY[phase.metric])
    except SubmissionInvalid as error:
        raise CompetitionError(" ".join(error.problems)) from error
    if REGISTRY[phase.metric].kind != "value" and frame["target"].n_unique() < 2:
        raise CompetitionError(_("The ground truth of a classification needs at least two classes."))
    latest = phase.ground_truths.select_for_update().first()
    version = (latest.version + 1) if latest else 1
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    truth = GroundTruth(
        phase=phase,
        version=version,
        rows=frame.height,
        public_rows=int(frame["public"].sum()),
        uploaded_by=user,
    )
    truth.file.save(f"truth-v{version}.csv", ContentFile(data), save=False)
    truth.parquet.save(f"truth-v{version}.parquet", ContentFile(buffer.getvalue()), save=False)
    truth.save()
    CompetitionEvent.record(
        CompetitionEvent.Kind.GROUND_TRUTH_UPLOADED,
        user,
        competition=phase.competition,
        details={"phase": phase.code, "version": version, "rows": truth.rows},
    )
    if latest:
        phase_rescore(phase=phase, user=user)
    return truth


@transaction.atomic
def phase_program_set(
    *,
    phase: Phase,
    user,
    program: UploadedFile,
    reference: UploadedFile | None = None,
    score_column: str = "",
    higher_is_better: bool = True,
    logs_visible: bool = False,
    ingestion: UploadedFile | None = None,
    input_data: UploadedFile | None = None,
    time_limit_seconds: int | None = None,
) -> Phase:
    """Score the phase with the host's own program (Codabench's contract) from now on; submissions already made
    are scored again with it. With an ingestion program, participants submit code, which it runs on the input
    data; each run (ingestion, then scoring) has the phase's time limit."""
    if not is_host(user, phase.competition):
        raise NotAllowed(_("Only the host changes the competition."))
    if time_limit_seconds is not None and not 1 <= time_limit_seconds <= settings.SCORING_TIME_LIMIT_SECONDS:
        raise CompetitionError(
            _("The time limit is between 1 and %(limit)d seconds.") % {"limit": settings.SCORING_TIME_LIMIT_SECONDS},
            field_errors={"time_limit_seconds": [_("Out of range.")]},
        )
    for upload in (program, reference, ingestion, input_data):
        if upload is not None:
            _refuse_if_larger(upload.name, upload.size or 0, settings.COMPETITION_BUNDLE_MAX_BYTES)
    try:
        check_program(program.read())
        if ingestion is not None:
            check_program(ingestion.read(), what=_("The ingestion program"))
        if reference is not None and not zipfile.is_zipfile(reference):
            raise ProgramInvalid(_("The reference data is not a zip file."))
        if input_data is not None and not zipfile.is_zipfile(input_data):
            raise ProgramInvalid(_("The input data is not a zip file."))
    except ProgramInvalid as error:
        raise CompetitionError(str(error), code=ErrorCode.BUNDLE_INVALID) from error
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    program.seek(0)
    phase.scoring_program.save("scoring-program.zip", program, save=False)
    for field, upload, name in (
        (phase.reference_data, reference, "reference-data.zip"),
        (phase.ingestion_program, ingestion, "ingestion-program.zip"),
        (phase.input_data, input_data, "input-data.zip"),
    ):
        if upload is not None:
            upload.seek(0)
            field.save(name, upload, save=False)
    phase.time_limit_seconds = time_limit_seconds
    phase.score_column = score_column.strip()[:60]
    phase.program_higher_is_better = higher_is_better
    phase.logs_visible = logs_visible
    phase.save()
    CompetitionEvent.record(
        CompetitionEvent.Kind.SCORING_PROGRAM_UPLOADED,
        user,
        competition=phase.competition,
        details={
            "phase": phase.code,
            "score": phase.score_column,
            "reference_data": reference is not None,
            "code_submissions": ingestion is not None,
        },
    )
    phase_rescore(phase=phase, user=user)
    solutions_check(phase=phase, user=user)
    return phase


@transaction.atomic
def phase_columns_set(*, phase: Phase, user, columns: list) -> Phase:
    """The columns of a program's board (Codabench's `leaderboards[].columns`): titles, decimals, hidden ones,
    computed ones. Scores already stored are computed again at once (no program runs again); the change is refused
    if a scored submission would lose its ranked score."""
    if not is_host(user, phase.competition):
        raise NotAllowed(_("Only the host changes the competition."))
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    if not phase.uses_program:
        raise CompetitionError(
            _("Columns belong to a phase scored by a program; a built-in metric gives one score."),
            field_errors={"columns": [_("This phase uses a built-in metric.")]},
        )
    parsed = parse_columns(columns)
    keys = [column.key for column in parsed]
    if phase.score_column and parsed and phase.score_column not in keys:
        message = _("The leaderboard ranks on “%(key)s”: keep it among the columns.") % {"key": phase.score_column}
        raise CompetitionError(message, field_errors={"columns": [message]})
    phase.leaderboard_columns = [column.as_dict() for column in parsed]
    changed: list[Submission] = []
    missing = 0
    scored = phase.submissions.filter(status=Submission.Status.SCORED).only("pk", "scores")
    for submission in scored.iterator(chunk_size=2000):
        scores = with_computed(parsed, submission.scores or {})
        score = ranked_score(phase, scores)
        if score is None:
            missing += 1
            continue
        submission.scores, submission.public_score, submission.private_score = scores, score, score
        changed.append(submission)
    if missing:
        message = _("%(count)d scored submissions have no score “%(key)s”: choose columns their program wrote.") % {
            "count": missing,
            "key": phase.ranked_key,
        }
        raise CompetitionError(message, field_errors={"columns": [message]})
    Submission.objects.bulk_update(changed, ["scores", "public_score", "private_score"], batch_size=1000)
    phase.save(update_fields=["leaderboard_columns"])
    CompetitionEvent.record(
        CompetitionEvent.Kind.COLUMNS_SET,
        user,
        competition=phase.competition,
        details={"phase": phase.code, "columns": keys, "submissions": len(changed)},
    )
    leaderboard_changed(phase_id=phase.pk, refresh=True)
    return phase


@transaction.atomic
def solution_add(*, phase: Phase, user, upload: UploadedFile, name: str = "") -> Solution:
    """An example solution of the host's (Codabench's `solutions`), run at once through the phase's programs."""
    if not is_host(user, phase.competition):
        raise NotAllowed(_("Only the host changes the competition."))
    phase = Phase.objects.select_related("competition").get(pk=phase.pk)  # as saved (its program may be new)
    if not phase.uses_program:
        raise CompetitionError(
            _("Example solutions check a scoring program: give the phase one first."),
            field_errors={"file": [_("This phase uses a built-in metric.")]},
        )
    _refuse_if_larger(upload.name, upload.size or 0, settings.COMPETITION_BUNDLE_MAX_BYTES, field="file")
    solution = Solution(phase=phase, name=(name or upload.name or "solution")[:200], added_by=user)
    name_given = PurePosixPath(upload.name or "solution")
    stored = f"solution-{slugify(name_given.stem)[:60] or 'file'}{name_given.suffix.lower()[:10]}"
    solution.file.save(stored, upload, save=False)
    solution.save()
    CompetitionEvent.record(
        CompetitionEvent.Kind.SOLUTION_ADDED,
        user,
        competition=phase.competition,
        details={"phase": phase.code, "solution": solution.name},
    )
    queue_checks_after_commit([solution.pk])
    return solution


def solutions_check(*, phase: Phase, user) -> int:
    """Run the phase's example solutions again (after its programs changed, or when the host asks). One running
    now is left to finish; one left "running" by a worker that died (past twice the time limit) runs again."""
    if not is_host(user, phase.competition):
        raise NotAllowed(_("Only the host changes the competition."))
    stale = timezone.now() - timedelta(seconds=settings.SCORING_TIME_LIMIT_SECONDS * 2)
    running = phase.solutions.filter(status=Solution.Status.RUNNING, started_at__gte=stale)
    ids = list(phase.solutions.exclude(pk__in=running.values("pk")).values_list("pk", flat=True))
    Solution.objects.filter(pk__in=ids).update(status=Solution.Status.QUEUED, error="", checked_at=None)
    queue_checks_after_commit(ids)
    return len(ids)


def queue_checks_after_commit(solution_ids: list[int]) -> None:
    from ..tasks import queue_solution_check

    for pk in solution_ids:
        queue_solution_check(pk)


def _refuse_if_larger(name: str | None, size: int, limit: int, *, field: str = "") -> None:
    """A file over the host's upload limit is refused, named, with the limit in MB."""
    if size > limit:
        raise CompetitionError(
            _("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": limit // 1024 // 1024},
            field_errors={field: [_("Too large.")]} if field else None,
        )


def phase_rescore(*, phase: Phase, user) -> int:
    """Score every submission of the phase again (after the ground truth changed)."""
    ids = list(phase.submissions.values_list("pk", flat=True))
    Submission.objects.filter(pk__in=ids).update(
        status=Submission.Status.QUEUED, attempts=0, error="", public_score=None, private_score=None
    )
    CompetitionEvent.record(
        CompetitionEvent.Kind.PHASE_RESCORED,
        user,
        competition=phase.competition,
        details={"phase": phase.code, "submissions": len(ids)},
    )
    leaderboard_changed(phase_id=phase.pk)
    submissions.queue_scoring_after_commit(ids)
    return len(ids)


@transaction.atomic
def competition_logo_set(*, competition: Competition, user, data: bytes, name: str) -> Competition:
    """The competition's logo, drawn again as a PNG of at most 400 pixels a side; empty data removes it."""
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host changes the competition."))
    _refuse_if_larger(name, len(data), settings.COMPETITION_LOGO_MAX_BYTES, field="logo")
    try:
        png = logo_png(data, name) if data else b""
    except ValueError as error:
        raise CompetitionError(str(error), field_errors={"logo": [str(error)]}) from error
    if competition.logo:
        competition.logo.delete(save=False)
    if png:
        digest = hashlib.sha256(png).hexdigest()[:16]
        competition.logo.save(f"{digest}.png", ContentFile(png), save=False)
    competition.save(update_fields=["logo"])
    CompetitionEvent.record(CompetitionEvent.Kind.LOGO_SET, user, competition=competition, details={"removed": not png})
    return competition


def public_file_add(*, competition: Competition, user, title: str, upload: UploadedFile) -> PublicFile:
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host changes the competition."))
    public = PublicFile(competition=competition, title=(title or upload.name or "data")[:200]).store(
        upload, user=user, stored_name=slugify(upload.name or "data")[:80] or "data", default_name="data"
    )
    CompetitionEvent.record(
        CompetitionEvent.Kind.PUBLIC_FILE_ADDED, user, competition=competition, details={"title": public.title}
    )
    return public
