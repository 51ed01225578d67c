"""Actions on competitions: hosting, participation, submissions and their scoring. Every change leaves an event."""

from __future__ import annotations

import io
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from convergence.accounts.models import User
from convergence.applications.models import Application
from convergence.core.errors import DomainError, ErrorCode
from convergence.core.uploads import sha256_of
from convergence.web.public_cache import public_content_changed

from .access import is_host, may_host
from .metrics import REGISTRY
from .models import Competition, CompetitionEvent, GroundTruth, Participant, Phase, PublicFile, Submission, Team
from .scoring import SubmissionInvalid, ground_truth_from_csv
from .selectors import leaderboard, leaderboard_scope


class CompetitionError(DomainError):
    code = ErrorCode.INVALID_DATA


class NotAllowed(CompetitionError):
    code = ErrorCode.NOT_ALLOWED


class LimitReached(CompetitionError):
    code = ErrorCode.LIMIT_REACHED


def record(competition: Competition, actor, kind: str, **details) -> None:
    CompetitionEvent.objects.create(competition=competition, actor=actor, kind=kind, details=details)


def _notify(participant: Participant, kind: str) -> None:
    from .tasks import notify_participation  # the tasks module imports this one

    transaction.on_commit(lambda: notify_participation.delay(participant.pk, kind))


RESERVED_SLUGS = {"new", "files", "submissions"}  # taken by the competitions' own addresses


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
    record(competition, user, "created", title=competition.title)
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
) -> Phase:
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host changes the competition."))
    problems = {}
    if metric not in REGISTRY:
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
    record(competition, user, "phase_added", phase=code, metric=metric)
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
    record(phase.competition, user, "ground_truth_uploaded", phase=phase.code, version=version, rows=truth.rows)
    if latest:
        phase_rescore(phase=phase, user=user)
    return truth


def phase_rescore(*, phase: Phase, user) -> int:
    """Score every submission of the phase again (after the ground truth changed)."""
    ids = list(phase.submissions.values_list("pk", flat=True))
    Submission.objects.filter(pk__in=ids).update(
        status=Submission.Status.QUEUED, attempts=0, error="", public_score=None, private_score=None
    )
    record(phase.competition, user, "phase_rescored", phase=phase.code, submissions=len(ids))
    leaderboard_changed(phase_id=phase.pk)
    _queue(ids)
    return len(ids)


@transaction.atomic
def public_file_add(*, competition: Competition, user, title: str, upload: UploadedFile) -> PublicFile:
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host changes the competition."))
    public = PublicFile(
        competition=competition,
        title=(title or upload.name or "data")[:200],
        original_name=(upload.name or "data")[-255:],
        size=upload.size or 0,
        sha256=sha256_of(upload),
    )
    public.file.save(slugify(upload.name or "data")[:80] or "data", upload, save=False)
    public.save()
    record(competition, user, "public_file_added", title=public.title)
    return public


@transaction.atomic
def competition_join(*, competition: Competition, user, accept_rules: bool, display_name: str = "") -> Participant:
    """Open: joined at once. Closed: a request the host approves, or the acceptance of an invitation."""
    if not accept_rules:
        raise CompetitionError(_("Accept the rules to take part."), field_errors={"accept_rules": [_("Required.")]})
    display_name = _checked_display_name(competition, user, display_name)
    participant = Participant.objects.select_for_update().filter(competition=competition, user=user).first()
    if participant and participant.status == Participant.Status.REJECTED:
        raise NotAllowed(_("The host has refused your request."))
    if competition.participation == Competition.Participation.OPEN or (
        participant and participant.status in (Participant.Status.INVITED, Participant.Status.APPROVED)
    ):
        status = Participant.Status.APPROVED
    else:
        status = Participant.Status.PENDING
    defaults = {"status": status, "accepted_rules_at": timezone.now()}
    if display_name:
        defaults["display_name"] = display_name
    participant, _created = Participant.objects.update_or_create(competition=competition, user=user, defaults=defaults)
    record(competition, user, "joined" if status == Participant.Status.APPROVED else "requested")
    if status == Participant.Status.PENDING:
        _notify(participant, "requested")
    return participant


def _checked_display_name(competition: Competition, user, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        return ""
    if len(name) > 40:
        raise CompetitionError(
            _("A display name has 40 characters at most."), field_errors={"display_name": [_("Too long.")]}
        )
    taken = (
        Participant.objects.filter(competition=competition, display_name__iexact=name).exclude(user=user).exists()
        or Team.objects.filter(competition=competition, name__iexact=name).exists()
    )
    if taken:
        raise CompetitionError(
            _("“%(name)s” is already used in this competition: choose another name.") % {"name": name},
            field_errors={"display_name": [_("Already used.")]},
        )
    return name


@transaction.atomic
def display_name_change(*, participant: Participant, user, name: str) -> Participant:
    """The name the leaderboards show for a participant without a team; empty gives back "Participant N"."""
    if participant.user_id != user.pk:
        raise NotAllowed(_("Only the participant chooses their display name."))
    participant.display_name = _checked_display_name(participant.competition, user, name)
    participant.save(update_fields=["display_name"])
    record(participant.competition, user, "renamed", display_name=participant.display_name)
    for phase_id in participant.competition.phases.values_list("pk", flat=True):
        leaderboard_changed(phase_id=phase_id)
    return participant


@transaction.atomic
def participant_decide(*, participant: Participant, user, approve: bool) -> Participant:
    if not is_host(user, participant.competition):
        raise NotAllowed(_("Only the host admits participants."))
    participant.status = Participant.Status.APPROVED if approve else Participant.Status.REJECTED
    participant.save(update_fields=["status"])
    kind = "approved" if approve else "refused"
    record(participant.competition, user, kind, participant=participant.user.email)
    _notify(participant, kind)
    return participant


@transaction.atomic
def participant_invite(*, competition: Competition, user, email: str) -> Participant:
    if not is_host(user, competition):
        raise NotAllowed(_("Only the host invites participants."))
    invitee = User.objects.filter(email__iexact=email.strip()).first()
    if invitee is None:
        raise CompetitionError(
            _("No account uses %(email)s: ask the person to create one first.") % {"email": email},
            field_errors={"email": [_("No such account.")]},
        )
    participant, created = Participant.objects.get_or_create(
        competition=competition, user=invitee, defaults={"status": Participant.Status.INVITED}
    )
    if not created and participant.status in (Participant.Status.PENDING, Participant.Status.REJECTED):
        participant.status = Participant.Status.APPROVED
        participant.save(update_fields=["status"])
    record(competition, user, "invited", participant=invitee.email)
    _notify(participant, "invited" if participant.status == Participant.Status.INVITED else "approved")
    return participant


def _team_changeable(participant: Participant) -> None:
    if not participant.competition.teams_allowed:
        raise CompetitionError(_("This competition has no teams."))
    if participant.status != Participant.Status.APPROVED or participant.accepted_rules_at is None:
        raise NotAllowed(_("Only admitted participants form teams."))
    if participant.submissions.exists() or (participant.team and participant.team.submissions.exists()):
        raise CompetitionError(_("You or your team have submitted already: you can no longer change team."))


def _leave_current_team(participant: Participant) -> None:
    team = participant.team
    participant.team = None
    participant.save(update_fields=["team"])
    if team is not None and not team.members.exists() and not team.submissions.exists():
        team.delete()  # nobody left and nothing submitted: the name is free again


@transaction.atomic
def team_create(*, participant: Participant, name: str) -> Team:
    _team_changeable(participant)
    competition = participant.competition
    name = " ".join(name.split())[:120]
    if not name:
        raise CompetitionError(_("Give the team a name."), field_errors={"name": [_("Required.")]})
    if Team.objects.filter(competition=competition, name__iexact=name).exists():
        raise CompetitionError(
            _("A team named “%(name)s” exists already: ask its members for its join code, or choose another name.")
            % {"name": name},
            field_errors={"name": [_("Name taken.")]},
        )
    _leave_current_team(participant)
    team = Team.objects.create(competition=competition, name=name, created_by=participant.user)
    participant.team = team
    participant.save(update_fields=["team"])
    record(competition, participant.user, "team_created", team=name)
    return team


@transaction.atomic
def team_join(*, participant: Participant, code: str) -> Team:
    """Join with the code a member passed on: nobody enters a team without its members' consent."""
    _team_changeable(participant)
    competition = participant.competition
    team = Team.objects.select_for_update().filter(competition=competition, join_code=code.strip()).first()
    if team is None:
        raise CompetitionError(
            _("No team of this competition has this code: ask a member of the team for it."),
            field_errors={"code": [_("Unknown code.")]},
        )
    if team.pk == participant.team_id:
        return team
    size = team.members.count()
    if competition.max_team_size and size >= competition.max_team_size:
        raise CompetitionError(
            _("The team “%(name)s” is full (%(count)d members at most).")
            % {"name": team.name, "count": competition.max_team_size}
        )
    _leave_current_team(participant)
    participant.team = team
    participant.save(update_fields=["team"])
    record(competition, participant.user, "team_joined", team=team.name)
    return team


@transaction.atomic
def team_leave(*, participant: Participant) -> None:
    _team_changeable(participant)
    if participant.team is None:
        return
    name = participant.team.name
    _leave_current_team(participant)
    record(participant.competition, participant.user, "team_left", team=name)


def active_participant(*, competition: Competition, user) -> Participant:
    participant = (
        Participant.objects.filter(
            competition=competition, user=user, status=Participant.Status.APPROVED, accepted_rules_at__isnull=False
        )
        .select_related("team")
        .first()
    )
    if participant is None:
        raise NotAllowed(_("Join the competition (and be admitted, for a closed one) before submitting."))
    return participant


def local_day_start(moment: datetime) -> datetime:
    """Midnight of `moment`'s day in the competitions' time zone (Europe/Paris): where daily limits reset."""
    zone = zoneinfo.ZoneInfo(settings.COMPETITION_TIME_ZONE)
    local = moment.astimezone(zone)
    return datetime(local.year, local.month, local.day, tzinfo=zone)


def _counted(phase: Phase, participant: Participant):
    """Submissions that count against the limits: the entrant's (the whole team's), failed ones excluded."""
    entrant = Q(team=participant.team) if participant.team_id else Q(participant=participant)
    return phase.submissions.filter(entrant).exclude(status=Submission.Status.FAILED)


@dataclass(frozen=True)
class Quota:
    """Where an entrant stands against a phase's limits; failed submissions do not count."""

    used_today: int
    per_day: int
    used_total: int
    total: int
    resets_at: datetime

    @property
    def left_today(self) -> int:
        return max(0, min(self.per_day - self.used_today, self.total - self.used_total))


def submission_quota(phase: Phase, participant: Participant, now: datetime | None = None) -> Quota:
    now = now or timezone.now()
    counted = _counted(phase, participant)
    day_start = local_day_start(now)
    return Quota(
        used_today=counted.filter(created_at__gte=day_start).count(),
        per_day=phase.max_per_day,
        used_total=counted.count(),
        total=phase.max_total,
        resets_at=day_start + timedelta(days=1),
    )


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
    if not phase.ground_truths.exists():
        raise NotAllowed(_("The host has not published the test set of this phase yet."))
    size = upload.size or 0
    if size > settings.COMPETITION_SUBMISSION_MAX_BYTES:
        raise CompetitionError(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1024 / 1024, "limit": settings.COMPETITION_SUBMISSION_MAX_BYTES / 1024 / 1024}
        )
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
    submission.file.save("predictions.csv", upload, save=False)
    submission.save()
    record(competition, user, "submitted", phase=phase.code, submission=submission.pk)
    _queue([submission.pk])
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
    record(submission.phase.competition, user, "selected", submission=submission.pk)
    leaderboard_changed(phase_id=submission.phase_id)
    submission.refresh_from_db()
    return submission


def leaderboard_changed(*, phase_id: int, refresh: bool = False) -> None:
    """Forget the phase's boards. The scoring worker passes `refresh`: it computes the public board again
    once its change is committed, so that no visitor's request pays for it."""
    public_content_changed(leaderboard_scope(phase_id))
    if refresh:
        transaction.on_commit(lambda: leaderboard(Phase.objects.get(pk=phase_id)))


def _queue(submission_ids: list[int]) -> None:
    from .tasks import queue_scoring

    for pk in submission_ids:
        transaction.on_commit(partial(queue_scoring, pk))


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
            record(submission.phase.competition, None, "requeued", submission=submission.pk)
        _queue(stale)
    return requeued
