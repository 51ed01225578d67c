"""The host's pages: creating a competition (form or bundle), phases, data, ground truth and participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.core.errors import DomainError
from convergence.web.feedback import attempt

from . import services
from .access import access_phase_for_host, competition_by_slug, hostable_applications, may_host, require_host
from .bundle import competition_from_bundle, competition_to_bundle
from .forms import (
    BundleForm,
    ColumnForm,
    ColumnFormSet,
    CompetitionForm,
    FileForm,
    InviteForm,
    LogoForm,
    PhaseForm,
    ProgramForm,
    SolutionForm,
)
from .models import Participant, Submission
from .selectors import activity


def _chosen_application(user, value: str):
    return hostable_applications(user).filter(pk=value).first() if value else None


@login_required
def competition_new(request):
    applications = list(hostable_applications(request.user))
    form = CompetitionForm(request.POST if "create" in request.POST else None, applications=applications)
    bundle_form = BundleForm(
        request.POST if "bundle" in request.POST else None, request.FILES or None, applications=applications
    )
    try:
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            competition = services.competition_create(
                user=request.user,
                title=data["title"],
                description=data["description"],
                rules=data["rules"],
                participation=data["participation"],
                teams_allowed=data["teams_allowed"],
                max_team_size=data["max_team_size"],
                application=_chosen_application(request.user, data["application"]),
            )
            messages.success(request, _("Competition created: add its phases and data."))
            return redirect("competitions:host", slug=competition.slug)
        if bundle_form.is_bound and bundle_form.is_valid():
            imported = competition_from_bundle(
                user=request.user,
                data=bundle_form.cleaned_data["bundle"].read(),
                application=_chosen_application(request.user, bundle_form.cleaned_data["application"]),
            )
            messages.success(request, _("Competition created from the bundle."))
            for warning in imported.warnings:  # what the platform did not use: said, never silently dropped
                messages.warning(request, warning)
            return redirect("competitions:host", slug=imported.competition.slug)
    except DomainError as error:
        messages.error(request, error.message)
    return render(
        request,
        "competitions/new.html",
        {
            "form": form,
            "bundle_form": bundle_form,
            "may_host": may_host(request.user, None) or bool(applications),
        },
    )


@login_required
def competition_host(request, slug: str):
    competition = competition_by_slug(slug)
    require_host(request.user, competition)
    phase_form = PhaseForm(request.POST if "phase" in request.POST else None, prefix="phase")
    file_form = FileForm(request.POST if "public_file" in request.POST else None, request.FILES or None, prefix="file")
    invite_form = InviteForm(request.POST if "invite" in request.POST else None)
    if phase_form.is_bound and phase_form.is_valid():
        data = phase_form.cleaned_data
        attempt(
            request,
            lambda: services.phase_add(competition=competition, user=request.user, code=data["name"], **data),
            _("Phase added: upload its ground truth."),
        )
        return redirect("competitions:host", slug=slug)
    if file_form.is_bound and file_form.is_valid():
        attempt(
            request,
            lambda: services.public_file_add(
                competition=competition,
                user=request.user,
                title=file_form.cleaned_data["title"],
                upload=file_form.cleaned_data["file"],
            ),
            _("File published for the participants."),
        )
        return redirect("competitions:host", slug=slug)
    if invite_form.is_bound and invite_form.is_valid():
        attempt(
            request,
            lambda: services.participant_invite(
                competition=competition, user=request.user, email=invite_form.cleaned_data["email"]
            ),
            _("Invitation recorded: the person joins by accepting the rules."),
        )
        return redirect("competitions:host", slug=slug)
    return render(
        request,
        "competitions/host.html",
        {
            "competition": competition,
            "phases": [
                (
                    phase,
                    ProgramForm(prefix=f"program-{phase.code}", initial=ProgramForm.initial_from(phase)),
                    ColumnFormSet(prefix=f"columns-{phase.code}", initial=ColumnForm.initial_from(phase)),
                    SolutionForm(prefix=f"solution-{phase.code}"),
                )
                for phase in competition.phases.prefetch_related("ground_truths", "solutions")
            ],
            "participants": competition.participants.select_related("user", "team").order_by("status", "requested_at"),
            "submissions": Submission.objects.filter(phase__competition=competition)
            .select_related("phase", "participant__user", "team")
            .order_by("-created_at", "-pk")[:200],
            "activity": activity(competition),
            "phase_form": phase_form,
            "file_form": file_form,
            "invite_form": invite_form,
            "truth_form": FileForm(prefix="truth"),
            "logo_form": LogoForm(),
        },
    )


@login_required
@require_POST
def ground_truth_upload(request, slug: str, phase: str):
    phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
    upload = request.FILES.get("truth-file")
    if upload is None:
        messages.error(request, _("Choose the ground-truth CSV file."))
    else:
        attempt(
            request,
            lambda: services.ground_truth_upload(phase=phase_obj, user=request.user, data=upload.read()),
            _("Ground truth saved; the phase's submissions are scored again."),
        )
    return redirect("competitions:host", slug=slug)


@login_required
@require_POST
def scoring_program_upload(request, slug: str, phase: str):
    phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
    form = ProgramForm(request.POST, request.FILES, prefix=f"program-{phase_obj.code}")
    if not form.is_valid():
        messages.error(request, _("Choose the scoring program (a zip)."))
    else:
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.phase_program_set(
                phase=phase_obj,
                user=request.user,
                program=data["program"],
                reference=data["reference"],
                score_column=data["score_column"],
                higher_is_better=data["higher_is_better"],
                logs_visible=data["logs_visible"],
                ingestion=data["ingestion"],
                input_data=data["input_data"],
                time_limit_seconds=data["time_limit_seconds"],
            ),
            _("Scoring program saved: the phase's submissions are scored with it."),
        )
    return redirect("competitions:host", slug=slug)


@login_required
@require_POST
def columns_set(request, slug: str, phase: str):
    phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
    formset = ColumnFormSet(request.POST, prefix=f"columns-{phase_obj.code}")
    if not formset.is_valid():
        messages.error(request, _("Check the columns: the decimals are a whole number from 0 to 10."))
    else:
        attempt(
            request,
            lambda: services.phase_columns_set(
                phase=phase_obj, user=request.user, columns=ColumnForm.as_columns(formset)
            ),
            _("Leaderboard columns saved."),
        )
    return redirect("competitions:host", slug=slug)


@login_required
@require_POST
def solution_add(request, slug: str, phase: str):
    phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
    if "check" in request.POST:
        attempt(
            request,
            lambda: services.solutions_check(phase=phase_obj, user=request.user),
            _("The example solutions run again; their results appear here in a moment."),
        )
        return redirect("competitions:host", slug=slug)
    form = SolutionForm(request.POST, request.FILES, prefix=f"solution-{phase_obj.code}")
    if not form.is_valid():
        messages.error(request, _("Choose the file of the example solution."))
    else:
        attempt(
            request,
            lambda: services.solution_add(
                phase=phase_obj, user=request.user, upload=form.cleaned_data["file"], name=form.cleaned_data["name"]
            ),
            _("Example solution added: it runs now; its result appears here in a moment."),
        )
    return redirect("competitions:host", slug=slug)


@login_required
@require_POST
def logo_set(request, slug: str):
    competition = competition_by_slug(slug)
    require_host(request.user, competition)
    form = LogoForm(request.POST, request.FILES)
    if not form.is_valid() or not (form.cleaned_data["logo"] or form.cleaned_data["remove"]):
        messages.error(request, _("Choose an image (PNG, JPEG, GIF or WebP)."))
    else:
        upload = form.cleaned_data["logo"]
        attempt(
            request,
            lambda: services.competition_logo_set(
                competition=competition,
                user=request.user,
                data=b"" if form.cleaned_data["remove"] or not upload else upload.read(),
                name=upload.name if upload else "",
            ),
            _("Logo removed.") if form.cleaned_data["remove"] else _("Logo saved."),
        )
    return redirect("competitions:host", slug=slug)


@login_required
@require_GET
def bundle_download(request, slug: str):
    """The competition as a bundle (the platform's form), for its host: to keep, move or start the next edition."""
    competition = competition_by_slug(slug)
    require_host(request.user, competition)
    return HttpResponse(
        competition_to_bundle(competition),
        content_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{competition.slug}-bundle.zip"'},
    )


@login_required
@require_POST
def participant_decide(request, slug: str, pk: int):
    competition = competition_by_slug(slug)
    require_host(request.user, competition)
    participant = get_object_or_404(Participant, competition=competition, pk=pk)
    approve = request.POST.get("decision") == "approve"
    attempt(
        request,
        lambda: services.participant_decide(participant=participant, user=request.user, approve=approve),
        _("Participant admitted.") if approve else _("Request refused."),
    )
    return redirect("competitions:host", slug=slug)
