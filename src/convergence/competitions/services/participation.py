"""Taking part: joining (or asking to), display names, the host's admissions and invitations, teams."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.accounts.models import User
from convergence.core.queueing import queue_after_commit

from ..access import is_host
from ..errors import CompetitionError, NotAllowed
from ..models import Competition, CompetitionEvent, Participant, Team
from .submissions import leaderboard_changed


def _notify(participant: Participant, kind: str) -> None:
    from ..tasks import notify_participation  # the tasks module imports this one

    queue_after_commit(notify_participation, participant.pk, kind)


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
    CompetitionEvent.record(
        CompetitionEvent.Kind.JOINED if status == Participant.Status.APPROVED else CompetitionEvent.Kind.REQUESTED,
        user,
        competition=competition,
    )
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
    CompetitionEvent.record(
        CompetitionEvent.Kind.RENAMED,
        user,
        competition=participant.competition,
        details={"display_name": participant.display_name},
    )
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
    CompetitionEvent.record(
        kind, user, competition=participant.competition, details={"participant": participant.user.email}
    )
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
    CompetitionEvent.record(
        CompetitionEvent.Kind.INVITED, user, competition=competition, details={"participant": invitee.email}
    )
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
    CompetitionEvent.record(
        CompetitionEvent.Kind.TEAM_CREATED, participant.user, competition=competition, details={"team": name}
    )
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
    CompetitionEvent.record(
        CompetitionEvent.Kind.TEAM_JOINED, participant.user, competition=competition, details={"team": team.name}
    )
    return team


@transaction.atomic
def team_leave(*, participant: Participant) -> None:
    _team_changeable(participant)
    if participant.team is None:
        return
    name = participant.team.name
    _leave_current_team(participant)
    CompetitionEvent.record(
        CompetitionEvent.Kind.TEAM_LEFT, participant.user, competition=participant.competition, details={"team": name}
    )
