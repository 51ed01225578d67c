"""Applicant pages: thin views that shape input, call one service and render."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from convergence.calls.models import Call
from convergence.core.errors import DomainError
from convergence.web.downloads import file_download
from convergence.web.feedback import attempt

from . import instruction, services
from .access import access_application_for_owner, access_application_for_reader, access_attachment, access_submission
from .completion import completion_open
from .dossier_pdf import dossier_response
from .errors import IncompleteApplication
from .forms import (
    AttachmentForm,
    CarrierForm,
    ChallengeForm,
    CriteriaForm,
    DatasetFormSet,
    MessageForm,
    PartnerFormSet,
    SubmitForm,
    rows_kept,
)
from .models import Application, CompletionRequest
from .presentation import STEP_NAMES, STEPS, history_lines, labels_of, problems_to_fix, step_of_field
from .receipts import receipt_response
from .rules import application_problems
from .selectors import applications_of_owner

STEP_FORMS = {"challenge": ChallengeForm, "carrier": CarrierForm, "criteria": CriteriaForm}


# The dossier's fields each step edits, for a request for completion that reopens only some of them.
STEP_FIELDS = {
    "challenge": {*ChallengeForm.base_fields} - {"version"},
    "carrier": {*CarrierForm.base_fields} - {"version"},
    "partners": {"partners", "datasets"},
    "criteria": {"claims"},
    "attachments": {"attachments"},
}


def _completion(application: Application) -> CompletionRequest | None:
    """The open request for completion that lets the applicant change some fields after the deadline."""
    if application.call.is_open:
        return None
    return completion_open(application, timezone.now())


def _reopens(completion: CompletionRequest | None, step: str) -> bool:
    """Whether the open request lets the applicant change something on this step after the deadline."""
    return completion is not None and bool(STEP_FIELDS.get(step, set()) & {*completion.fields})


def _problems_for(application: Application, completion: CompletionRequest | None) -> dict[str, list]:
    """What stops a submission. During a completion, only in the reopened fields: the others are the last
    submitted version's, which passed the rules."""
    problems = application_problems(application)
    if completion is None:
        return problems
    return {field: found for field, found in problems.items() if field in completion.fields}


def _step_context(
    application: Application,
    step: str,
    completion: CompletionRequest | None,
    problems: Mapping[str, Sequence[object]] | None = None,
) -> dict:
    """`completion`: the open request, read once per request by the view. `problems`: what the caller already
    knows is missing (the review step reads it once for both uses)."""
    index = STEP_NAMES.index(step)
    if problems is None:
        problems = _problems_for(application, completion)
    steps_to_fix = {step_of_field(field) for field in problems}
    if steps_to_fix:
        steps_to_fix.add("review")
    return {
        "application": application,
        "call": application.call,
        "steps": STEPS,
        "steps_to_fix": steps_to_fix,
        "step": step,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "step_title": STEPS[index][1],
        "next_step_title": STEPS[index + 1][1] if index + 1 < len(STEPS) else "",
        "previous_step": STEP_NAMES[index - 1] if index else "",
        "completion": completion,
        "completion_labels": labels_of(completion.fields) if completion else [],
        "can_edit": application.call.is_open or _reopens(completion, step),
    }


def _next_url(application: Application, step: str) -> str:
    index = STEP_NAMES.index(step)
    return reverse("applications:step", kwargs={"pk": application.pk, "step": STEP_NAMES[index + 1]})


def _is_autosave(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _closed_redirect(
    request: HttpRequest, application: Application, step: str, completion: CompletionRequest | None
) -> HttpResponse | None:
    if application.call.is_open or _reopens(completion, step):
        return None
    messages.info(request, _("The deadline has passed: the dossier is read-only."))
    return redirect(application)


def _only_requested(form: forms.Form, completion: CompletionRequest | None) -> None:
    """After the deadline, the fields no request reopened are shown but cannot be changed."""
    if completion is None:
        return
    for name, field in form.fields.items():
        dossier_field = "claims" if name.startswith(("claim_", "justification_")) else name
        if name != "version" and dossier_field not in completion.fields:
            field.disabled = True


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = applications_of_owner(user=request.user)
    open_calls = [call for call in Call.objects.filter(is_published=True) if call.is_open]
    return render(request, "applications/mine.html", {"applications": applications, "open_calls": open_calls})


@login_required
@require_POST
def application_create(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug, is_published=True)
    try:
        application, created = services.application_start(call=call, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(call)
    if not created:
        messages.info(request, _("You already had an empty draft for this call: here it is."))
    return redirect("applications:step", pk=application.pk, step="challenge")


@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    refused_problems = None
    if step == "review" and request.method == "POST":
        # Deadline night: the service reads and checks the dossier once; the page reads it only to show a refusal.
        submitted, refused_problems = _submit_from_review(request, pk)
        if submitted:
            return redirect("applications:detail", pk=pk)
    application = access_application_for_owner(user=request.user, application_id=pk)
    if step not in STEP_NAMES:
        return redirect("applications:step", pk=pk, step="challenge")
    completion = _completion(application)
    if step == "attachments":
        return _attachments_step(request, application, completion)
    if step == "review":
        return _review_step(request, application, completion, refused_problems)
    closed = _closed_redirect(request, application, step, completion)
    if closed:
        return closed
    if step == "partners":
        return _partners_step(request, application, completion)
    form_class = STEP_FORMS[step]
    call = application.call
    if request.method == "POST":
        # Disabled fields read the dossier's values (the initial ones), never what was posted.
        form = form_class(request.POST, initial=form_class.initial_from(application), call=call)
        _only_requested(form, completion)
        if form.is_valid():
            answer = _save_and_answer(
                request,
                application,
                form.cleaned_data["version"],
                form.changes(),
                next_url=_next_url(application, step),
            )
            if answer is not None:
                return answer
        elif _is_autosave(request):
            return JsonResponse({"saved": False, "errors": form.errors}, status=400)
    else:
        form = form_class(initial=form_class.initial_from(application), call=call)
        _only_requested(form, completion)
    themes_editable = completion is None or "themes" in completion.fields
    panels = settings.THEMES_FIELD_PANELS if step == "challenge" and themes_editable else []
    return render(
        request,
        "applications/step.html",
        {
            **_step_context(application, step, completion),
            "form": form,
            "themes_panels": [import_string(path)(request, application) for path in panels],
        },
    )


def _save_and_answer(
    request: HttpRequest, application: Application, version: int, changes: dict, *, next_url: str
) -> HttpResponse | None:
    """Save; answer JSON to an autosave, a redirect to a full save, or None to show the form again with the error."""
    try:
        updated = services.application_update(
            application=application, user=request.user, expected_version=version, changes=changes
        )
    except DomainError as error:
        if _is_autosave(request):
            return JsonResponse(
                {"saved": False, "code": error.code, "message": str(error.message)}, status=error.status
            )
        messages.error(request, error.message)
        return None
    if _is_autosave(request):
        return JsonResponse({"saved": True, "version": updated.version})
    messages.success(request, _("Saved."))
    return redirect(next_url)


def _partners_step(
    request: HttpRequest, application: Application, completion: CompletionRequest | None
) -> HttpResponse:
    if request.method == "POST":
        partners = PartnerFormSet(request.POST, prefix="partners")
        datasets = DatasetFormSet(request.POST, prefix="datasets")
        version_form = SubmitForm(request.POST)
        if partners.is_valid() and datasets.is_valid() and version_form.is_valid():
            changes = {"partners": rows_kept(partners), "datasets": rows_kept(datasets)}
            # "Save and add rows" comes back here with fresh empty rows.
            stay = request.POST.get("more")
            next_url = request.path if stay else _next_url(application, "partners")
            version = version_form.cleaned_data["version"]
            answer = _save_and_answer(request, application, version, changes, next_url=next_url)
            if answer is not None:
                return answer
        elif _is_autosave(request):
            return JsonResponse({"saved": False}, status=400)
    else:
        partners = PartnerFormSet(
            prefix="partners",
            initial=list(application.partners.values("organisation", "organisation_type", "country", "role")),
        )
        datasets = DatasetFormSet(
            prefix="datasets", initial=list(application.datasets.values("name", "origin_country", "licence"))
        )
    context = {
        **_step_context(application, "partners", completion),
        "partner_formset": partners,
        "dataset_formset": datasets,
        "version": application.version,
    }
    return render(request, "applications/step_partners.html", context)


def _attachments_step(
    request: HttpRequest, application: Application, completion: CompletionRequest | None
) -> HttpResponse:
    form = AttachmentForm()
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(application=application, user=request.user, upload=form.cleaned_data["file"])
            except DomainError as error:
                form.add_error("file", str(error.message))
            else:
                messages.success(request, _("Attachment added."))
                return redirect("applications:step", pk=application.pk, step="attachments")
    attachments = application.attachments.filter(removed_at__isnull=True)
    context = {**_step_context(application, "attachments", completion), "form": form, "attachments": attachments}
    return render(request, "applications/step_attachments.html", context)


def _submit_from_review(request: HttpRequest, pk: int) -> tuple[bool, Mapping[str, Sequence[object]] | None]:
    """Submit the dossier `pk` if the user owns it (404 otherwise): whether it went through, and what to fix if not."""
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return False, None
    try:
        submission = services.application_submit(
            application_id=pk, user=request.user, expected_version=form.cleaned_data["version"]
        )
    except IncompleteApplication as error:
        messages.error(request, error.message)
        return False, error.field_errors
    except DomainError as error:
        messages.error(request, error.message)
        return False, None
    if submission.replayed:
        message = _("Your dossier was already submitted with this content. Receipt %(number)s.")
    else:
        message = _("Your dossier was submitted. Receipt %(number)s.")
    messages.success(request, message % {"number": submission.receipt_number})
    return True, None


def _review_step(
    request: HttpRequest,
    application: Application,
    completion: CompletionRequest | None,
    problems: Mapping[str, Sequence[object]] | None,
) -> HttpResponse:
    # The problems are listed only when the page is shown: a submit that goes through checks them in the service.
    if problems is None:
        problems = _problems_for(application, completion)
    context = {
        **_step_context(application, "review", completion, problems),
        "problems": problems_to_fix(application, problems),
        "version": application.version,
        "is_open": application.call.is_open or completion is not None,
        "attachments": application.attachments.filter(removed_at__isnull=True),
    }
    return render(request, "applications/step_review.html", context)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_owner(user=request.user, application_id=pk)
    return detail_page(request, application)


def detail_page(request: HttpRequest, application: Application, *, message_form=None, status=200) -> HttpResponse:
    """The applicant's dossier page; a refused message comes back to it with what was written."""
    thread = list(instruction.thread_of(application))
    unread = instruction.thread_read(application=application, user=request.user)
    completion = _completion(application)
    context = {
        "application": application,
        "call": application.call,
        "submissions": application.submissions.all(),
        "events": history_lines(application),
        "attachments": application.attachments.filter(removed_at__isnull=True),
        "panels": [import_string(path)(request, application) for path in settings.APPLICATION_PANELS],
        "thread": thread,
        "unread_count": unread,
        "reader_side": "applicant",
        "message_form": message_form or MessageForm(),
        "message_action": reverse("applications:messages", kwargs={"pk": application.pk}),
        "completion": completion,
        "completion_labels": labels_of(completion.fields) if completion else [],
        "completion_step": _first_step_of(completion.fields) if completion else "",
        "show_completion_links": True,
    }
    return render(request, "applications/detail.html", context, status=status)


def _first_step_of(fields: Sequence[str]) -> str:
    return next((step for step, step_fields in STEP_FIELDS.items() if step_fields & {*fields}), "review")


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_owner(user=request.user, application_id=pk)
    attempt(
        request,
        lambda: services.application_withdraw(application=application, user=request.user),
        _("Your dossier was withdrawn. You may submit it again until the deadline."),
    )
    return redirect(application)


@login_required
@require_POST
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_owner(user=request.user, application_id=pk)
    deleted = attempt(
        request,
        lambda: services.draft_delete(application=application, user=request.user),
        _("The draft was deleted."),
    )
    return redirect("applications:mine") if deleted else redirect(application)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    application = access_application_for_owner(user=request.user, application_id=pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    attempt(
        request,
        lambda: services.attachment_remove(attachment=attachment, user=request.user),
        _("Attachment removed."),
    )
    return redirect("applications:step", pk=pk, step="attachments")


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = access_attachment(user=request.user, attachment_id=attachment_id)
    return file_download(attachment)


@login_required
@require_GET
def receipt_download(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = access_submission(user=request.user, submission_id=submission_id)
    return receipt_response(submission, language=get_language() or "fr")


@login_required
@require_GET
def submission_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The whole dossier as submitted in that version, as a PDF: for its owner and for organisers."""
    application = access_application_for_reader(user=request.user, application_id=pk)
    submission = get_object_or_404(application.submissions, number=number)
    return dossier_response(submission, language=get_language() or "fr")


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A submitted version exactly as it was received: for its owner and for organisers."""
    application = access_application_for_reader(user=request.user, application_id=pk)
    submission = get_object_or_404(application.submissions.select_related("submitted_by"), number=number)
    context = {"application": application, "submission": submission, "content": submission.content}
    return render(request, "applications/submission.html", context)
