"""Participants' and the public's pages of a competition; the host's are in views_host.py."""

from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.core.spreadsheets import spreadsheet_safe
from convergence.web.feedback import attempt

from . import services
from .access import (
    access_public_file,
    access_submission,
    competition_by_slug,
    is_admitted,
    is_host,
    own_submissions,
    participant_of,
    private_scores_visible,
    scoring_log_visible,
)
from .forms import DisplayNameForm, JoinForm, SubmitForm, TeamCreateForm, TeamJoinForm
from .models import Competition, Participant, Phase
from .selectors import board


@require_GET
def competition_list(request: HttpRequest) -> HttpResponse:
    competitions = Competition.objects.prefetch_related("phases").annotate(
        admitted=Count("participants", filter=Q(participants__status=Participant.Status.APPROVED))
    )
    return render(request, "competitions/list.html", {"competitions": competitions})


def competition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    competition = competition_by_slug(slug)
    phases = list(competition.phases.all())
    participant = participant_of(request.user, competition)
    admitted = is_admitted(request.user, competition)
    tabs = ["overview", "rules", "data", "participate", "leaderboard"]
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "overview"
    running = [
        (phase, services.submission_quota(phase, participant) if admitted and participant else None)
        for phase in phases
        if phase.is_running
    ]
    host = is_host(request.user, competition)
    boards = [
        (
            phase,
            board(phase, host=host),
            board(phase, private=True, host=host) if private_scores_visible(request.user, phase) else None,
        )
        for phase in phases
    ]
    return render(
        request,
        "competitions/detail.html",
        {
            "competition": competition,
            "phases": phases,
            "boards": boards,
            "participant": participant,
            "admitted": admitted,
            "running": running,
            "tab": tab,
            "display_name_form": DisplayNameForm(
                initial={"display_name": participant.display_name if participant else ""}
            ),
            "is_host": host,
            "join_form": JoinForm(),
            "submit_form": SubmitForm(),
            "team_create_form": TeamCreateForm(),
            "team_join_form": TeamJoinForm(),
            "submissions": own_submissions(request.user, competition)[:50],
        },
    )


@login_required
@require_POST
def competition_join(request: HttpRequest, slug: str) -> HttpResponse:
    competition = competition_by_slug(slug)
    form = JoinForm(request.POST)
    attempt(
        request,
        lambda: services.competition_join(
            competition=competition,
            user=request.user,
            accept_rules=form.is_valid() and form.cleaned_data["accept_rules"],
            display_name=form.cleaned_data.get("display_name", "") if form.is_valid() else "",
        ),
        _("Welcome to the competition.")
        if competition.participation == Competition.Participation.OPEN
        else _("Request sent: the host will answer."),
    )
    return redirect(f"{competition.get_absolute_url()}?tab=participate")


@login_required
@require_POST
def display_name_change(request: HttpRequest, slug: str) -> HttpResponse:
    competition = competition_by_slug(slug)
    form = DisplayNameForm(request.POST)
    name = form.cleaned_data["display_name"] if form.is_valid() else ""

    def change():
        participant = services.active_participant(competition=competition, user=request.user)
        return services.display_name_change(participant=participant, user=request.user, name=name)

    attempt(request, change, _("Your display name is changed."))
    return redirect(f"{competition.get_absolute_url()}?tab=participate")


@login_required
@require_POST
def team_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a team, join one with its code, or leave it (until one's first submission)."""
    competition = competition_by_slug(slug)
    participant = participant_of(request.user, competition)
    if participant is None:
        messages.error(request, _("Join the competition first."))
        return redirect(competition)
    action = request.POST.get("action")
    if action == "create" and (form := TeamCreateForm(request.POST)).is_valid():
        name = form.cleaned_data["name"]
        attempt(
            request,
            lambda: services.team_create(participant=participant, name=name),
            _("Team created: give its join code to your team-mates."),
        )
    elif action == "join" and (form := TeamJoinForm(request.POST)).is_valid():
        code = form.cleaned_data["code"]
        attempt(request, lambda: services.team_join(participant=participant, code=code), _("You are in the team."))
    elif action == "leave":
        attempt(request, lambda: services.team_leave(participant=participant), _("You have left the team."))
    else:
        messages.error(request, _("Fill in the team's name or its join code."))
    return redirect(f"{competition.get_absolute_url()}?tab=participate#team")


@login_required
@require_POST
def submission_create(request: HttpRequest, slug: str, phase: str) -> HttpResponse:
    competition = competition_by_slug(slug)
    phase_obj = get_object_or_404(Phase, competition=competition, code=phase)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file of predictions."))
        return redirect(competition)
    attempt(
        request,
        lambda: services.submission_create(
            phase=phase_obj,
            user=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        _("Submission received: it is being scored."),
    )
    return redirect(f"{competition.get_absolute_url()}?tab=participate#submissions")


@login_required
@require_POST
def submission_select(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access_submission(user=request.user, submission_id=pk)
    attempt(
        request,
        lambda: services.submission_select(submission=submission, user=request.user),
        _("This submission now stands for you on the leaderboard."),
    )
    return redirect(submission.phase.competition)


@require_GET
def submission_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The row of one submission; the page polls it (HTMX) until the score arrives."""
    submission = access_submission(user=request.user, submission_id=pk)
    return render(
        request,
        "competitions/_submission_row.html",
        {
            "submission": submission,
            "show_private": private_scores_visible(request.user, submission.phase),
            "show_log": scoring_log_visible(request.user, submission),
        },
    )


@require_GET
def submission_file(request: HttpRequest, pk: int) -> FileResponse:
    """The predictions as uploaded: for their author, the author's team and the hosts (404 to anyone else)."""
    submission = access_submission(user=request.user, submission_id=pk)
    suffix = PurePosixPath(submission.file.name or "").suffix or ".csv"
    return FileResponse(submission.file.open("rb"), as_attachment=True, filename=f"submission-{submission.pk}{suffix}")


# The host's program wrote this page: it is shown in a sandbox of its own (no script, no form, no request out,
# another origin), so it can neither act for the reader nor reach the platform.
DETAILED_RESULTS_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "sandbox": [""],
}


@require_GET
@csp(DETAILED_RESULTS_POLICY)  # type: ignore[arg-type]  # django-csp types a view as taking the request alone
def detailed_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The detailed results the host's scoring program wrote for this submission (its author, team, hosts)."""
    submission = access_submission(user=request.user, submission_id=pk)
    if not submission.detailed_results:
        raise Http404
    return HttpResponse(submission.detailed_results, content_type="text/html; charset=utf-8")


@require_GET
def public_file_download(request: HttpRequest, pk: int) -> FileResponse:
    public = access_public_file(user=request.user, file_id=pk)
    return FileResponse(public.file.open("rb"), as_attachment=True, filename=public.original_name)


@require_GET
def logo(request: HttpRequest, slug: str) -> FileResponse:
    competition = competition_by_slug(slug)
    if not competition.logo:
        raise Http404
    response = FileResponse(competition.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def leaderboard_csv(request: HttpRequest, slug: str, phase: str) -> HttpResponse:
    competition = competition_by_slug(slug)
    phase_obj = get_object_or_404(Phase, competition=competition, code=phase)
    private = request.GET.get("private") == "1" and private_scores_visible(request.user, phase_obj)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    table = board(phase_obj, private=private, host=is_host(request.user, competition))
    writer.writerow(
        ["rank", "entrant", "score", *[column.key for column in table.others], "submissions", "submitted_at"]
    )
    for line, cells in table.rows:
        values = [value for value, _decimals in cells]
        writer.writerow(
            [
                line.rank,
                spreadsheet_safe(line.entrant),
                line.score,
                *values,
                line.submissions,
                line.submitted_at.isoformat(),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{competition.slug}-{phase_obj.code}.csv"'
    return response
