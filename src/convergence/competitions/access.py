"""Who may read what in a competition: the ground truth and private scores never leave the host's side
before the phase ends; a participant sees only their own (or their team's) submissions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from convergence.accounts.access import user_is_organiser
from convergence.applications.models import Application

from .errors import NotAllowed
from .models import Competition, Participant, Phase, PublicFile, Submission


def hostable_applications(user):
    """The challenges a person may host a competition for: every format-1 challenge for an organiser, their own
    format-1 challenges for a carrier."""
    applications = Application.objects.filter(format__hosts_competition=True).select_related("call")
    return applications if user_is_organiser(user) else applications.filter(owner=user)


def may_host(user, application: Application | None) -> bool:
    """The organiser, or the carrier of a format-1 challenge (the format hosted as a competition)."""
    if user_is_organiser(user):
        return True
    return bool(
        application is not None
        and application.owner_id == user.pk
        and application.format is not None
        and application.format.hosts_competition
    )


def is_host(user, competition: Competition) -> bool:
    return user.is_authenticated and (competition.host_id == user.pk or user_is_organiser(user))


def competition_by_slug(slug: str) -> Competition:
    competition = Competition.objects.select_related("host").filter(slug=slug).first()
    if competition is None:
        raise Http404
    return competition


def require_host(user, competition: Competition) -> None:
    if not is_host(user, competition):
        raise PermissionDenied


def access_phase_for_host(*, user, slug: str, code: str) -> Phase:
    """A phase of a competition the user hosts: who first (403), then which phase (404)."""
    competition = competition_by_slug(slug)
    require_host(user, competition)
    phase = Phase.objects.select_related("competition").filter(competition=competition, code=code).first()
    if phase is None:
        raise Http404
    return phase


def participant_of(user, competition: Competition) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.select_related("team").filter(competition=competition, user=user).first()


def is_admitted(user, competition: Competition) -> bool:
    participant = participant_of(user, competition)
    return bool(
        participant and participant.status == Participant.Status.APPROVED and participant.accepted_rules_at is not None
    )


def access_public_file(*, user, file_id: int) -> PublicFile:
    public = PublicFile.objects.select_related("competition").filter(pk=file_id).first()
    if public is None:
        raise Http404
    if not (is_host(user, public.competition) or is_admitted(user, public.competition)):
        raise PermissionDenied
    return public


def own_submissions(user, competition: Competition):
    participant = participant_of(user, competition)
    if participant is None:
        return Submission.objects.none()
    mine = Q(participant=participant) | (Q(team=participant.team) if participant.team_id else Q(pk__in=[]))
    return Submission.objects.filter(mine, phase__competition=competition).select_related("phase")


def access_submission(*, user, submission_id: int) -> Submission:
    submission = Submission.objects.select_related("phase__competition", "participant").filter(pk=submission_id).first()
    if submission is None or not user.is_authenticated:
        raise Http404
    competition = submission.phase.competition
    if is_host(user, competition) or own_submissions(user, competition).filter(pk=submission.pk).exists():
        return submission
    raise Http404


def private_scores_visible(user, phase: Phase) -> bool:
    return phase.has_ended or is_host(user, phase.competition)


def scoring_log_visible(user, submission: Submission) -> bool:
    """What the host's scoring program printed: the host always; the participant when the host allows it (the
    output may reveal the reference data)."""
    return is_host(user, submission.phase.competition) or submission.phase.logs_visible


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
