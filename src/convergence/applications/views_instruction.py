"""Pages' actions beside a dossier's content: its message thread (applicant and organisers), and the organisers'
requests for completion, notes and tags. Thin: each validates a form, calls one service and goes back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.core.errors import DomainError
from convergence.web.feedback import attempt

from . import completion, instruction
from .access import access_application_for_organiser, access_application_for_reader, access_message_attachment
from .forms import CompletionRequestForm, MessageForm, NoteForm, TagsForm
from .models import Application
from .presentation import field_labels
from .views import detail_page
from .views_organiser import backoffice_page


def _page_of(request: HttpRequest, application: Application) -> str:
    if instruction.side_of(request.user, application) == "organisers":
        return reverse("applications:backoffice_detail", kwargs={"pk": application.pk})
    return application.get_absolute_url()


def _back(application: Application, anchor: str) -> HttpResponse:
    return redirect(reverse("applications:backoffice_detail", kwargs={"pk": application.pk}) + anchor)


def _refused(form, error: DomainError) -> None:
    """A service's refusal shown on the form it came from, with what was written kept."""
    for field, problems in error.field_errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, str(problem))
    if not error.field_errors:
        form.add_error(None, str(error.message))


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_reader(user=request.user, application_id=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            instruction.message_send(
                application=application,
                user=request.user,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect(_page_of(request, application) + "#messages")
    if instruction.side_of(request.user, application) == "organisers":
        return backoffice_page(request, application, message_form=form, status=400)
    return detail_page(request, application, message_form=form, status=400)


@login_required
@require_GET
def message_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access_message_attachment(user=request.user, attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def message_share(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    message = get_object_or_404(application.messages, pk=message_id)
    shared = request.POST.get("shared") == "1"
    instruction.message_share(message=message, user=request.user, shared=shared)
    messages.success(
        request, _("The message is shared with the committee.") if shared else _("The message is no longer shared.")
    )
    return _back(application, "#messages")


@require_POST
def completion_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    form = CompletionRequestForm(request.POST, labels=field_labels())
    if form.is_valid():
        due_at = timezone.make_aware(timezone.make_naive(form.cleaned_data["due_at"]), application.call.tz)
        try:
            completion.completion_request_open(
                application=application,
                user=request.user,
                fields=form.cleaned_data["fields_to_complete"],
                message=form.cleaned_data["message"],
                due_at=due_at,
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The request was sent to the applicant."))
            return _back(application, "#completion")
    return backoffice_page(request, application, completion_form=form, status=400)


@require_POST
def completion_cancel(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    asked = get_object_or_404(application.completion_requests, pk=request_id)
    attempt(
        request,
        lambda: completion.completion_request_cancel(request=asked, user=request.user),
        _("The request for completion was cancelled."),
    )
    return _back(application, "#completion")


@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            instruction.note_add(
                application=application,
                user=request.user,
                body=form.cleaned_data["body"],
                audience=form.cleaned_data["audience"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Note added."))
            return _back(application, "#notes")
    return backoffice_page(request, application, note_form=form, status=400)


@require_POST
def note_remove(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    note = get_object_or_404(application.internal_notes, pk=note_id)
    attempt(request, lambda: instruction.note_remove(note=note, user=request.user), _("Note removed."))
    return _back(application, "#notes")


@require_POST
def tags_update(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    form = TagsForm(request.POST)
    if form.is_valid():
        try:
            instruction.tags_set(application=application, user=request.user, labels=form.labels())
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Tags saved."))
            return _back(application, "#tags")
    return backoffice_page(request, application, tags_form=form, status=400)
