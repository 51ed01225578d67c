from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from convergence.core.errors import DomainError, ErrorCode
from convergence.web.public_cache import public_content_changed

from .models import Call, CallEvent, Criterion, Format, Milestone, PriorityDomain, Theme
from .receipt_numbers import receipt_series_ensure
from .schema import CallDefinition, CallFileError, parse_call_definition

# Two days before the deadline: the demo shows a call in its busiest week, most dossiers still to come.
DEMO_DAYS_BEFORE_DEADLINE = 2


def demo_shift_days(definition: CallDefinition, *, today: date | None = None) -> int:
    """Whole days that move the deadline to `DEMO_DAYS_BEFORE_DEADLINE` days from today, wall clock kept."""
    today = today or timezone.localdate(timezone=definition.aware(definition.applications_close).tzinfo)
    close_date = definition.applications_close.date()
    return (today + timedelta(days=DEMO_DAYS_BEFORE_DEADLINE) - close_date).days


def _at(definition: CallDefinition, value: datetime | date | None, shift_days: int) -> datetime | None:
    if value is None:
        return None
    return _required_at(definition, value, shift_days)


def _required_at(definition: CallDefinition, value: datetime | date, shift_days: int) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    # Shift the wall-clock time, then attach the zone, so 23:59:59 stays 23:59:59 across DST.
    return definition.aware(value + timedelta(days=shift_days))


def _sync_items(call: Call, model, items, extra) -> None:
    kept = []
    for position, item in enumerate(items):
        values = {"position": position, "name": item.name, "description": getattr(item, "description", {}) or {}}
        values.update(extra(item))
        model.objects.update_or_create(call=call, code=item.code, defaults=values)
        kept.append(item.code)
    try:
        model.objects.filter(call=call).exclude(code__in=kept).delete()
    except ProtectedError as error:
        raise CallFileError(
            [f"{model._meta.verbose_name} removed from the file is still used by dossiers: keep it in the file"]
        ) from error


@transaction.atomic
def call_load(
    *,
    text: str,
    source: str = "call file",
    demo: bool = False,
    today: date | None = None,
    slug: str | None = None,
    receipt_prefix: str | None = None,
) -> Call:
    """Create or update a call from its definition file; idempotent. `slug` and `receipt_prefix` load the same
    file as another edition (e.g. a completed one next to the open one), with its own numbering."""
    definition = parse_call_definition(text, source)
    overrides = {key: value for key, value in {"slug": slug, "receipt_prefix": receipt_prefix}.items() if value}
    if overrides:
        try:
            definition = CallDefinition.model_validate({**definition.model_dump(), **overrides})
        except ValidationError as error:
            raise CallFileError(
                [f"{source}: {detail['loc'][0]}: {detail['msg']}" for detail in error.errors()]
            ) from error
    shift = demo_shift_days(definition, today=today) if demo else 0
    call, _ = Call.objects.update_or_create(
        slug=definition.slug,
        defaults={
            "languages": definition.languages,
            "title": definition.title,
            "tagline": definition.tagline,
            "purpose": definition.purpose,
            "audience": definition.audience,
            "timezone": definition.timezone,
            "opens_at": _required_at(definition, definition.applications_open, shift),
            "closes_at": _required_at(definition, definition.applications_close, shift),
            "receipt_prefix": definition.receipt_prefix,
            "summary_max_length": definition.summary_max_length,
            "max_themes": definition.max_themes,
            "minimum_criteria": definition.minimum_criteria,
            "additional_examination": definition.additional_examination.model_dump()
            if definition.additional_examination
            else {},
            "trl_scale": [level.model_dump() for level in definition.trl_scale],
            "faq": [entry.model_dump() for entry in definition.faq],
            "definition": definition.model_dump(mode="json"),
            "is_demo": demo,
        },
    )
    receipt_series_ensure(call)

    def no_extra(item) -> dict:
        return {}

    _sync_items(call, Theme, definition.themes, no_extra)
    _sync_items(call, PriorityDomain, definition.priority_domains, no_extra)
    _sync_items(
        call,
        Format,
        definition.formats,
        lambda item: {"number": item.number, "hosts_competition": item.hosts_competition},
    )
    _sync_items(call, Criterion, definition.criteria, lambda item: {"number": item.number})
    _sync_items(
        call,
        Milestone,
        definition.milestones,
        lambda item: {
            "starts_at": _at(definition, item.starts_at, shift),
            "ends_at": _at(definition, item.ends_at, shift),
            "when": item.when,
            "report": item.report or "",
            "due_at": _at(definition, item.due_at, shift),
            "reminder_days_before": item.reminder_days_before,
        },
    )
    CallEvent.record(
        CallEvent.Kind.LOADED, None, call=call, details={"source": source, "demo": demo, "shift_days": shift}
    )
    # The call's own API and the catalogue's open data (call titles) show what was just loaded.
    public_content_changed("calls")
    public_content_changed("catalogue")
    return call


class CallAlreadyClosed(DomainError):
    code = ErrorCode.CALL_ALREADY_CLOSED
    default_message = _("Applications are already closed.")


@transaction.atomic
def call_close_now(*, call: Call, user) -> Call:
    """Close applications at once (a demo, or an emergency); the last accepted second becomes the one just gone."""
    now = timezone.now()
    if not call.accepts_changes_at(now):
        raise CallAlreadyClosed()
    previous = call.closes_at
    Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(seconds=1))
    CallEvent.record(CallEvent.Kind.CLOSED_EARLY, user, call=call, details={"planned": previous.isoformat()})
    public_content_changed("calls")
    call.refresh_from_db()
    return call
