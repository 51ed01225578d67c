"""Submissions: limits per day and in all, the upload, the entrant's choice for the final ranking, scoring queued
after commit, boards refreshed, and submissions a stopped worker left behind queued again."""

from __future__ import annotations

import zipfile
import zoneinfo
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from convergence.web.public_cache import public_content_changed

from ..access import active_participant
from ..errors import CompetitionError, LimitReached, NotAllowed
from ..models import CompetitionEvent, Participant, Phase, Submission, Team
from ..selectors import leaderboard, leaderboard_scope, submission_quota


@transaction.atomic
def submission_create(*, phase: Phase, user, upload: UploadedFile, description: str = "") -> Submission:
    competition = phase.competition
    participant = active_participant(competition=competition, user=user)
    # Lock the entrant's row: two uploads at once (two team-mates included) cannot both pass the limit.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if participant.team_id:
        Team.objects.select_for_update().filter(pk=participant.team_id).first()
    now = timezone.now()
    if not phase.starts_at <= now < phase.ends_at:
        raise NotAllowed(_("This phase is not open for submissions."))
    if not phase.uses_program and not phase.ground_truths.exists():
        raise NotAllowed(_("The host has not published the test set of this phase yet."))
    size = upload.size or 0
    if size > settings.COMPETITION_SUBMISSION_MAX_BYTES:
        raise CompetitionError(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1024 / 1024, "limit": settings.COMPETITION_SUBMISSION_MAX_BYTES / 1024 / 1024}
        )
    if phase.takes_code and not zipfile.is_zipfile(upload):
        raise CompetitionError(_("This phase takes code: submit it as a zip."))
    upload.seek(0)
    quota = submission_quota(phase, participant, now)
    if quota.used_total >= quota.total:
        raise LimitReached(_("You have used all %(count)d submissions of this phase.") % {"count": phase.max_total})
    if quota.used_today >= quota.per_day:
        raise LimitReached(
            _("You have used your %(count)d submissions of the day; the next one is possible from %(time)s (Paris).")
            % {
                "count": phase.max_per_day,
                "time": date_format(
                    quota.resets_at.astimezone(zoneinfo.ZoneInfo(settings.COMPETITION_TIME_ZONE)),
                    "SHORT_DATETIME_FORMAT",
                ),
            }
        )
    submission = Submission(
        phase=phase,
        participant=participant,
        team=participant.team,
        size=upload.size or 0,
        description=description[:200],
    )
    # A program's phase takes results as the host's program reads them (a zip, or one file); the built-in
    # metrics read a CSV.
    suffix = PurePosixPath(upload.name or "").suffix.lower()[:10] if phase.uses_program else ".csv"
    submission.file.save(f"predictions{suffix or '.csv'}", upload, save=False)
    submission.save()
    CompetitionEvent.record(
        CompetitionEvent.Kind.SUBMITTED,
        user,
        competition=competition,
        details={"phase": phase.code, "submission": submission.pk},
    )
    queue_scoring_after_commit([submission.pk])
    return submission


@transaction.atomic
def submission_select(*, submission: Submission, user) -> Submission:
    """Choose the submission shown on the leaderboard for the entrant (instead of the best)."""
    if submission.participant.user_id != user.pk and not (
        submission.team and submission.team.members.filter(user=user).exists()
    ):
        raise NotAllowed(_("Only its author selects a submission."))
    if submission.status != Submission.Status.SCORED:
        raise CompetitionError(_("Only a scored submission can be selected."))
    entrant = Q(team=submission.team) if submission.team_id else Q(participant=submission.participant)
    submission.phase.submissions.filter(entrant).update(is_selected=False)
    Submission.objects.filter(pk=submission.pk).update(is_selected=True)
    CompetitionEvent.record(
        CompetitionEvent.Kind.SELECTED,
        user,
        competition=submission.phase.competition,
        details={"submission": submission.pk},
    )
    leaderboard_changed(phase_id=submission.phase_id)
    submission.refresh_from_db()
    return submission


def leaderboard_changed(*, phase_id: int, refresh: bool = False) -> None:
    """Forget the phase's boards. The scoring worker passes `refresh`: it computes the public board again
    once its change is committed, so that no visitor's request pays for it."""
    public_content_changed(leaderboard_scope(phase_id))
    if refresh:
        transaction.on_commit(lambda: leaderboard(Phase.objects.get(pk=phase_id)))


def queue_scoring_after_commit(submission_ids: list[int]) -> None:
    from ..tasks import queue_scoring

    for pk in submission_ids:
        queue_scoring(pk)


def stale_submissions_requeue(*, now: datetime | None = None) -> int:
    """A worker killed mid-scoring leaves a submission "running": after the time limit, queue it again."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.SCORING_TIME_LIMIT_SECONDS * 2)
    stale = list(
        Submission.objects.filter(status=Submission.Status.RUNNING, started_at__lt=limit).values_list("pk", flat=True)
    )
    with transaction.atomic():
        requeued = Submission.objects.filter(pk__in=stale, status=Submission.Status.RUNNING).update(
            status=Submission.Status.QUEUED
        )
        for submission in Submission.objects.filter(pk__in=stale).select_related("phase__competition"):
            CompetitionEvent.record(
                CompetitionEvent.Kind.REQUEUED,
                None,
                competition=submission.phase.competition,
                details={"submission": submission.pk},
            )
        queue_scoring_after_commit(stale)
    return requeued
