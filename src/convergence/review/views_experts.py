"""Outside experts' pages (their invitations, the declaration, the dossier and their opinion) and the organisers'
actions on them. Thin: each checks access, validates a form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.applications.access import access_application_for_organiser
from convergence.core.errors import DomainError
from convergence.web.downloads import file_download
from convergence.web.feedback import attempt

from . import services
from .access import (
    access_attachment_for_expert,
    access_attachment_for_member,
    access_invitation_for_expert,
    access_shared_file_for_member,
    expert_may_read,
    invitations_of_expert,
)
from .forms import ExpertInviteForm, OpinionForm
from .models import ExpertInvitation
from .selectors import latest_content


@login_required
@require_GET
def expert_home(request: HttpRequest) -> HttpResponse:
    return render(request, "review/expert_home.html", {"invitations": invitations_of_expert(request.user)})


@login_required
def expert_page(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access_invitation_for_expert(user=request.user, invitation_id=invitation_id)
    form = OpinionForm(initial={"opinion": invitation.opinion, "recommendation": invitation.recommendation})
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("no_conflict", "conflict"):
            conflict = request.POST.get("conflict", "").strip()
            if action == "conflict" and not conflict:
                messages.error(request, _("Say what the conflict is: the organisers read it."))
            else:
                attempt(
                    request,
                    lambda: services.expert_declare(
                        invitation=invitation, user=request.user, conflict=conflict if action == "conflict" else ""
                    ),
                    _("Your declaration is recorded."),
                )
            return redirect("review:expert", invitation_id=invitation.pk)
        form = OpinionForm(request.POST)
        if expert_may_read(invitation) and form.is_valid():
            try:
                services.expert_opinion_save(
                    invitation=invitation,
                    user=request.user,
                    opinion=form.cleaned_data["opinion"],
                    recommendation=form.cleaned_data["recommendation"],
                )
            except DomainError as error:
                for problems in error.field_errors.values():
                    form.add_error(None, " ".join(str(problem) for problem in problems))
            else:
                messages.success(request, _("Your opinion is saved. You may change it while the invitation stands."))
                return redirect("review:expert", invitation_id=invitation.pk)
    readable = expert_may_read(invitation)
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "readable": readable,
        "content": latest_content(invitation.application) if readable else None,
        "form": form,
    }
    return render(request, "review/expert.html", context, status=400 if form.is_bound and form.errors else 200)


@require_POST
def expert_invite(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    form = ExpertInviteForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            messages.error(request, " ".join(problems))
    else:
        attempt(
            request,
            lambda: services.expert_invite(
                application=application,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                request=form.cleaned_data["request"],
            ),
            _("The expert is invited: they receive an e-mail."),
        )
    return redirect(reverse("applications:backoffice_detail", kwargs={"pk": pk}) + "#experts")


@require_POST
def expert_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    invitation = get_object_or_404(ExpertInvitation, pk=invitation_id, application=application)
    services.expert_revoke(invitation=invitation, user=request.user)
    messages.success(request, _("The invitation is revoked: the expert no longer reads the dossier."))
    return redirect(reverse("applications:backoffice_detail", kwargs={"pk": pk}) + "#experts")


@login_required
@require_GET
def expert_attachment(request: HttpRequest, invitation_id: int, attachment_id: int) -> FileResponse:
    attachment = access_attachment_for_expert(
        user=request.user, invitation_id=invitation_id, attachment_id=attachment_id
    )
    return file_download(attachment)


@login_required
@require_GET
def member_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    return file_download(
        access_attachment_for_member(user=request.user, application_id=pk, attachment_id=attachment_id)
    )


@login_required
@require_GET
def shared_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    return file_download(access_shared_file_for_member(user=request.user, attachment_id=attachment_id))
