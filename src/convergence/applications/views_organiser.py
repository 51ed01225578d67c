"""Organiser back-office: watch dossiers arrive, filter, read, export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from convergence.calls.access import access_call_for_organiser
from convergence.calls.models import Call
from convergence.calls.selectors import call_current
from convergence.core.countries import country_choices

from . import instruction
from .access import access_application_for_organiser, user_is_organiser
from .completion import FieldChange, version_changes
from .exports import applications_csv, applications_xlsx
from .forms import CompletionRequestForm, MessageForm, NoteForm, TagsForm
from .models import Application, CompletionRequest
from .presentation import field_labels, history_lines, labels_of
from .selectors import BackofficeFilters, application_counts, applications_for_backoffice, with_call


class FilterForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    domain = forms.ChoiceField(label=_("Priority domain"), required=False)
    country = forms.ChoiceField(label=_("Country (carrier or partner)"), required=False)
    criterion = forms.ChoiceField(label=_("Criterion claimed"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    follow_up = forms.ChoiceField(label=_("To follow up"), required=False)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        every: list[tuple[str, object]] = [("", _("All"))]
        choices: dict[str, list] = {
            "status": list(Application.Status.choices),
            "theme": [(t.code, t.label) for t in call.themes.all()],
            "format": [(f.code, f"{f.number}. {f.label}") for f in call.formats.all()],
            "domain": [(d.code, d.label) for d in call.domains.all()],
            "country": country_choices()[1:],
            "criterion": [(c.code, f"{c.number}. {c.label}") for c in call.criteria.all()],
            "tag": [(label, label) for label in instruction.tags_in_use(call)],
            "follow_up": [
                ("unread", _("Unread message from the applicant")),
                ("completion", _("Request for completion open")),
            ],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = every + options

    def filters(self) -> BackofficeFilters:
        if not self.is_valid():
            return BackofficeFilters()
        return BackofficeFilters(**{name: value or "" for name, value in self.cleaned_data.items()})


@require_GET
def backoffice_list(request: HttpRequest, slug: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    form = FilterForm(request.GET or None, call=call)
    applications = applications_for_backoffice(call=call, filters=form.filters())
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    page.object_list = with_call(page.object_list, call)
    query = request.GET.copy()
    query.pop("page", None)
    filters = form.filters()
    context = {
        "call": call,
        "form": form,
        "page_obj": page,
        "counts": application_counts(call=call),
        "result_count": page.paginator.count,
        "query": query.urlencode(),
        # Later stages add to a search (dossiers close in meaning, in any language); see settings.
        "search_panels": [
            import_string(path)(request, call, filters.search, applications)
            for path in settings.BACKOFFICE_SEARCH_PANELS
        ]
        if filters.search
        else [],
    }
    return render(request, "backoffice/list.html", context)


@require_GET
def backoffice_export(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    call = access_call_for_organiser(user=request.user, slug=slug)
    form = FilterForm(request.GET or None, call=call)
    applications = with_call(
        applications_for_backoffice(call=call, filters=form.filters()).prefetch_related("submissions"), call
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if extension == "xlsx":
        response = HttpResponse(
            applications_xlsx(applications),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(applications_csv(applications), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-dossiers-{stamp}.{extension}"'
    return response


@require_GET
def backoffice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application_for_organiser(user=request.user, application_id=pk)
    return backoffice_page(request, application)


def _default_due(call: Call):
    """A week from now at 23:59 in the call's zone: what a request for completion proposes."""
    return timezone.localtime(timezone.now() + timedelta(days=7), call.tz).replace(hour=23, minute=59, second=0)


@dataclass(frozen=True)
class CompletionRow:
    request: CompletionRequest
    state: str
    changes: list[FieldChange]
    field_labels: list[str]


def _completion_rows(application: Application) -> list[CompletionRow]:
    now = timezone.now()
    rows = []
    for request in application.completion_requests.select_related("asked_on", "answer", "requested_by"):
        changes = (
            version_changes(request.asked_on.content, request.answer.content)
            if request.answer and request.asked_on
            else []
        )
        rows.append(CompletionRow(request, request.state_at(now), changes, labels_of(request.fields)))
    return rows


def backoffice_page(request: HttpRequest, application: Application, *, status: int = 200, **bound) -> HttpResponse:
    """The organisers' page of a dossier; a refused form comes back to it with what was written."""
    call = application.call
    labels = field_labels()
    thread = list(instruction.thread_of(application))
    unread = instruction.thread_read(application=application, user=request.user)
    tags = instruction.tags_of(application)
    context = {
        "application": application,
        "call": call,
        "submissions": application.submissions.select_related("submitted_by"),
        "events": history_lines(application, for_organisers=True),
        "attachments": application.attachments.all(),
        "panels": [import_string(path)(request, application) for path in settings.READER_PANELS],
        "thread": thread,
        "unread_count": unread,
        "reader_side": "organisers",
        "for_organisers": True,
        "message_form": bound.get("message_form") or MessageForm(),
        "message_action": reverse("applications:messages", kwargs={"pk": application.pk}),
        "completion_rows": _completion_rows(application),
        "completion_form": bound.get("completion_form")
        or CompletionRequestForm(labels=labels, initial={"due_at": _default_due(call).strftime("%Y-%m-%dT%H:%M")}),
        "can_request_completion": application.status == Application.Status.SUBMITTED,
        "notes": instruction.notes_for_organisers(application),
        "note_form": bound.get("note_form") or NoteForm(),
        "tags": tags,
        "tags_form": bound.get("tags_form") or TagsForm(initial={"tags": ", ".join(tags)}),
        "tags_in_use": instruction.tags_in_use(call),
    }
    return render(request, "backoffice/detail.html", context, status=status)


@require_GET
def backoffice_home(request: HttpRequest) -> HttpResponse:
    if not user_is_organiser(request.user):
        raise PermissionDenied
    call = call_current()
    if call is None:
        raise Http404
    # Organisers land on where their call stands; the dossiers are one click away.
    return redirect("insights:dashboard", slug=call.slug)
