"""Requests for completion: the organisers reopen named fields of a submitted dossier until a due date.

The deadline rule stays whole for everything else: after it, a save may change only the fields of the open request,
and a submission changes only those fields of the last submitted version (whatever else the working copy holds)."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from convergence.accounts.access import require_organiser
from convergence.calls.i18n import localize
from convergence.core.queueing import queue_after_commit

from .errors import DeadlinePassed, InvalidApplicationData, InvalidTransition
from .fields import COMPLETABLE_FIELDS
from .models import Application, ApplicationEvent, CompletionRequest, OrganisationType, Submission

MESSAGE_MAX_LENGTH = 5000
# Below this share of words in common, a changed text is shown as rewritten rather than word by word.
REWRITTEN = 0.4


def still_open(now: datetime) -> Q:
    """A request neither answered nor cancelled, and not yet due (`CompletionRequest.state_at` says the same)."""
    return Q(answered_at__isnull=True, cancelled_at__isnull=True, due_at__gt=now)


def completion_open(application: Application, now: datetime) -> CompletionRequest | None:
    return application.completion_requests.filter(still_open(now)).order_by("-requested_at", "-pk").first()


def completion_allowing(application: Application, now: datetime, fields: Iterable[str]) -> CompletionRequest:
    """After the deadline: the open request that reopens every one of `fields`. Otherwise the deadline refuses."""
    request = completion_open(application, now)
    if request is None:
        raise DeadlinePassed()
    outside = sorted(set(fields) - set(request.fields))
    if outside:
        refusal = _("The deadline has passed: only the fields the organisers asked you to complete can be changed.")
        raise DeadlinePassed(refusal, field_errors={field: [refusal] for field in outside})
    return request


def content_completed(previous: dict[str, Any], current: dict[str, Any], request: CompletionRequest) -> dict:
    """The version a completion submits: the last submitted one, with the requested fields taken from the dossier."""
    return {**previous, **{field: current[field] for field in request.fields if field in current}}


@transaction.atomic
def completion_request_open(
    *, application: Application, user, fields: list[str], message: str, due_at: datetime
) -> CompletionRequest:
    require_organiser(user)
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if not fields:
        errors["fields"] = [_("Choose at least one field to complete.")]
    unknown = [field for field in fields if field not in COMPLETABLE_FIELDS]
    if unknown:
        errors["fields"] = [_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(unknown)}]
    if due_at <= now:
        errors["due_at"] = [_("Choose a due date in the future.")]
    if not message.strip():
        errors["message"] = [_("Say what is missing: the applicant reads it.")]
    elif len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = [_("At most %(count)d characters.") % {"count": MESSAGE_MAX_LENGTH}]
    if errors:
        raise InvalidApplicationData(field_errors=errors)
    if application.status != Application.Status.SUBMITTED:
        raise InvalidTransition(_("Only a submitted dossier can be asked for completion."))
    if application.call.accepts_changes_at(now):
        raise InvalidTransition(
            _("Until the deadline the applicant may change the whole dossier: write them a message instead.")
        )
    if completion_open(application, now) is not None:
        raise InvalidTransition(_("A request for completion is already open on this dossier: cancel it first."))
    request = CompletionRequest.objects.create(
        application=application,
        requested_by=user,
        fields=[field for field in COMPLETABLE_FIELDS if field in fields],
        message=message.strip(),
        due_at=due_at,
        asked_on=application.submissions.order_by("-number").first(),
    )
    ApplicationEvent.record(
        ApplicationEvent.Kind.COMPLETION_REQUESTED,
        user,
        application=application,
        details={"request": request.pk, "fields": request.fields, "due_at": due_at.isoformat()},
    )
    from .tasks import send_completion_request_email

    queue_after_commit(send_completion_request_email, request.pk)
    return request


@transaction.atomic
def completion_request_cancel(*, request: CompletionRequest, user) -> CompletionRequest:
    require_organiser(user)
    now = timezone.now()
    cancelled = CompletionRequest.objects.filter(still_open(now), pk=request.pk).update(cancelled_at=now)
    if not cancelled:
        raise InvalidTransition(_("This request for completion is no longer open."))
    ApplicationEvent.record(
        ApplicationEvent.Kind.COMPLETION_CANCELLED,
        user,
        application=request.application,
        details={"request": request.pk},
    )
    request.refresh_from_db()
    return request


def completion_answered(request: CompletionRequest, submission: Submission, user, changed: list[str]) -> None:
    """Called by the submission inside its transaction: the request is answered by this version."""
    CompletionRequest.objects.filter(pk=request.pk).update(answer=submission, answered_at=submission.submitted_at)
    ApplicationEvent.record(
        ApplicationEvent.Kind.COMPLETION_ANSWERED,
        user,
        application=submission.application,
        details={"request": request.pk, "receipt": submission.receipt_number, "fields": changed},
    )


# What differs between two versions, field by field, for the organisers who read an answer.


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str
    words: SafeString  # the text with removed words in <del> and added ones in <ins>


def _lines(field: str, value: Any) -> str:
    """A version's value as the text a reader compares: one line per item of a list."""
    if value is None or value == "":
        return ""
    if field == "format":
        return f"{value.get('number', '')}. {localize(value.get('name'))}"
    if field in ("themes", "domains"):
        return "\n".join(localize(item.get("name")) for item in value)
    if field == "partners":
        return "\n".join(
            f"{item['organisation']} ({item['country']}, {_organisation_type(item['organisation_type'])})"
            f" {item.get('role', '')}".strip()
            for item in value
        )
    if field == "datasets":
        return "\n".join(
            f"{item['name']} ({item['origin_country']}) {item.get('licence', '')}".strip() for item in value
        )
    if field == "claims":
        return "\n".join(
            f"{item.get('number', '')}. {localize(item.get('name'))}: {item.get('justification', '')}" for item in value
        )
    if field == "attachments":
        return "\n".join(f"{item['name']} ({item['sha256'][:12]})" for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _word_diff(before: str, after: str) -> SafeString:
    """Line by line (a list keeps its items), then word by word within a changed line."""
    old_lines, new_lines = before.split("\n"), after.split("\n")
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [escape(line) for line in old_lines[i1:i2]]
        else:
            pairs = itertools.zip_longest(old_lines[i1:i2], new_lines[j1:j2])
            lines += [_changed_line(old, new) for old, new in pairs]
    return mark_safe("\n".join(lines))  # noqa: S308 (every piece is escaped)


def _changed_line(before: str | None, after: str | None) -> str:
    """A line removed, added, or changed: word by word, unless it was rewritten from end to end."""
    if not after:
        return f"<del>{escape(before)}</del>" if before else ""
    if not before:
        return f"<ins>{escape(after)}</ins>"
    old, new = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        return f"<del>{escape(before)}</del> <ins>{escape(after)}</ins>"
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
        if tag == "equal":
            parts.append(escape("".join(old[i1:i2])))
    return "".join(parts)


def _organisation_type(code: str) -> str:
    return str(OrganisationType(code).label) if code in OrganisationType.values else code


def version_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    from .presentation import field_labels

    labels = field_labels()
    changes = []
    for field in COMPLETABLE_FIELDS:
        old, new = _lines(field, before.get(field)), _lines(field, after.get(field))
        if old != new:
            changes.append(FieldChange(field, str(labels.get(field, field)), old, new, _word_diff(old, new)))
    return changes
