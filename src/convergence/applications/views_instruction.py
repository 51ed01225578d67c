"""Pages' actions beside a dossier's content: its message thread (applicant and organisers), and the organisers'
requests for completion, notes and tags. Thin: each validates a form, calls one service and goes back to the page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.core.errors import DomainError
from convergence.web.downloads import file_download
from convergence.web.feedback import attempt

from . import completion, instruction
from .access import access_application_for_organiser, access_application_for_reader, access_message_attachment
from .forms import CompletionRequestForm, MessageForm, NoteForm, TagsForm
from .models import Application, Message
from .presentation import field_labels
from .views import detail_page
from .views_organiser import backoffice_page


def _back(application: Application, anchor: str) -> HttpResponse:
    return redirect(reverse("applications:backoffice_detail", kwargs={"pk": application.pk}) + anchor)


def _applied(request: HttpRequest, form, action: Callable[[dict], object], success: str) -> bool:
    """Run `action` on a valid form's data and say `success`; a refusal of the service goes onto the form (with
    what was written kept) and the caller shows the page again."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except DomainError as error:
        for field, problems in error.field_errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, str(problem))
        if not error.field_errors:
            form.add_error(None, str(error.message))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_reader(user=request.user, application_id=pk)
    form = MessageForm(request.POST, request.FILES)

    def send(data: dict) -> object:
        return instruction.message_send(
            application=application, user=request.user, body=data["body"], upload=data["file"]
        )

    organiser = instruction.side_of(request.user, application) == Message.Side.ORGANISERS
    if _applied(request, form, send, _("Message sent.")):
        return _back(application, "#messages") if organiser else redirect(application.get_absolute_url() + "#messages")
    page = backoffice_page if organiser else detail_page
    return page(request, application, message_form=form, status=400)


@login_required
@require_GET
def message_attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access_message_attachment(user=request.user, attachment_id=attachment_id)
    return file_download(attachment)


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

    def ask(data: dict) -> object:
        return completion.completion_request_open(
            application=application,
            user=request.user,
            fields=data["fields_to_complete"],
            message=data["message"],
            # The date and time typed are read in the call's zone.
            due_at=timezone.make_aware(timezone.make_naive(data["due_at"]), application.call.tz),
        )

    if _applied(request, form, ask, _("The request was sent to the applicant.")):
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

    def add(data: dict) -> object:
        return instruction.note_add(
            application=application, user=request.user, body=data["body"], audience=data["audience"]
        )

    if _applied(request, form, add, _("Note added.")):
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

    def tag(data: dict) -> object:
        return instruction.tags_set(application=application, user=request.user, labels=form.labels())

    if _applied(request, form, tag, _("Tags saved.")):
        return _back(application, "#tags")
    return backoffice_page(request, application, tags_form=form, status=400)
