"""The Summit showcase: sessions, challenges in slots without clashes, and the public programme (ICS, PDF)."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from convergence.calls.i18n import localize
from convergence.calls.models import Call, Theme
from convergence.core.errors import ErrorCode
from convergence.labels.models import Label

from .models import ExecutionEvent, ShowcaseSession, ShowcaseSlot
from .services import ReportError


class ProgrammeClash(ReportError):
    code = ErrorCode.PROGRAMME_CLASH


def _carrier_key(label: Label) -> str:
    """Two labels with the same carrier organisation (however spelt) cannot present at once."""
    name = unicodedata.normalize("NFKD", label.payload.get("carrier", "").casefold())
    return re.sub(r"[^a-z0-9]+", " ", "".join(c for c in name if not unicodedata.combining(c))).strip()


def _when(moment: datetime, call: Call) -> str:
    return f"{timezone.localtime(moment, call.tz):%d/%m %H:%M}"


@transaction.atomic
def session_create(
    *, call: Call, user, title: str, starts_at: datetime, ends_at: datetime, room: str, theme: Theme | None = None
) -> ShowcaseSession:
    if ends_at <= starts_at:
        raise ReportError(
            _("A session ends after it starts."),
            code=ErrorCode.INVALID_DATA,
            field_errors={"ends_at": [_("Before the start.")]},
        )
    overlapping = ShowcaseSession.objects.filter(
        call=call, room__iexact=room.strip(), starts_at__lt=ends_at, ends_at__gt=starts_at
    ).first()
    if overlapping:
        raise ProgrammeClash(
            _("The room %(room)s is already taken by “%(other)s” at that time.")
            % {"room": room, "other": overlapping.title}
        )
    session = ShowcaseSession.objects.create(
        call=call, title=title.strip(), starts_at=starts_at, ends_at=ends_at, room=room.strip(), theme=theme
    )
    ExecutionEvent.record(
        ExecutionEvent.Kind.SESSION_CREATED, user, call=call, details={"session": session.pk, "title": session.title}
    )
    return session


@transaction.atomic
def slot_add(*, session: ShowcaseSession, user, label: Label, starts_at: datetime, ends_at: datetime) -> ShowcaseSlot:
    """Place a challenge in a session; refuse, naming the other slot, any clash of room or carrier."""
    call = session.call
    # Lock the call's sessions: two organisers placing the same carrier at once cannot both succeed.
    list(ShowcaseSession.objects.select_for_update().filter(call=call))
    if label.call_id != call.pk or not label.is_valid:
        raise ReportError(
            _("Only challenges holding a valid label of this call take part in the showcase."),
            code=ErrorCode.NOT_A_LABEL_OF_THE_CALL,
        )
    if ends_at <= starts_at:
        raise ReportError(_("A slot ends after it starts."), code=ErrorCode.INVALID_DATA)
    if starts_at < session.starts_at or ends_at > session.ends_at:
        raise ProgrammeClash(
            _("The slot must fit in the session (%(start)s – %(end)s).")
            % {"start": _when(session.starts_at, call), "end": _when(session.ends_at, call)}
        )
    overlapping = ShowcaseSlot.objects.filter(
        session__call=call, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("session", "label")
    for other in overlapping:
        if other.session_id == session.pk:
            raise ProgrammeClash(
                _("“%(other)s” already presents in this session at that time (%(start)s – %(end)s).")
                % {
                    "other": other.label.payload["title"],
                    "start": _when(other.starts_at, call),
                    "end": _when(other.ends_at, call),
                }
            )
        if other.label.application.owner_id == label.application.owner_id or _carrier_key(other.label) == _carrier_key(
            label
        ):
            raise ProgrammeClash(
                _(
                    "The carrier %(carrier)s would be in two places at once: “%(other)s” is in %(room)s "
                    "from %(start)s to %(end)s."
                )
                % {
                    "carrier": label.payload["carrier"],
                    "other": other.label.payload["title"],
                    "room": other.session.room,
                    "start": _when(other.starts_at, call),
                    "end": _when(other.ends_at, call),
                }
            )
    slot = ShowcaseSlot.objects.create(session=session, label=label, starts_at=starts_at, ends_at=ends_at)
    ExecutionEvent.record(
        ExecutionEvent.Kind.SLOT_ADDED,
        user,
        call=call,
        label=label,
        details={"session": session.pk, "starts_at": starts_at.isoformat()},
    )
    return slot


@transaction.atomic
def slot_remove(*, slot: ShowcaseSlot, user) -> None:
    ExecutionEvent.record(
        ExecutionEvent.Kind.SLOT_REMOVED,
        user,
        call=slot.session.call,
        label=slot.label,
        details={"session": slot.session_id},
    )
    slot.delete()


def programme_call() -> Call | None:
    """The call whose programme the public sees by default: the most recent one with sessions."""
    return Call.objects.filter(showcase_sessions__isnull=False).order_by("-opens_at").distinct().first()


def programme(call: Call) -> list[ShowcaseSession]:
    return list(
        ShowcaseSession.objects.filter(call=call)
        .select_related("theme")
        .prefetch_related("slots__label")
        .order_by("starts_at", "room")
    )


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Convergence//Showcase programme//FR")
    calendar.add("version", "2.0")
    return calendar


def empty_ics() -> bytes:
    return _calendar().to_ical()


def programme_ics(call: Call) -> bytes:
    calendar = _calendar()
    calendar.add("x-wr-calname", localize(call.title))
    calendar.add("x-wr-timezone", call.timezone)
    host = settings.SITE_URL.split("//")[-1].split("/")[0]
    for session in programme(call):
        for slot in session.slots.all():
            event = Event()
            event.add("uid", f"slot-{slot.pk}@{host}")
            event.add("dtstamp", timezone.now())
            event.add("dtstart", slot.starts_at)
            event.add("dtend", slot.ends_at)
            event.add("summary", slot.label.payload["title"])
            event.add("location", session.room)
            event.add(
                "description",
                f"{session.title} — {slot.label.payload['carrier']} — "
                f"{settings.SITE_URL}{slot.label.get_absolute_url()}",
            )
            event.add("url", settings.SITE_URL + slot.label.get_absolute_url())
            calendar.add_component(event)
    return calendar.to_ical()


def programme_pdf(call: Call) -> bytes:
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(localize(call.title)), styles["Title"]),
        Paragraph(escape(_("Showcase programme")), styles["Heading2"]),
    ]
    for session in programme(call):
        local_start = timezone.localtime(session.starts_at, call.tz)
        local_end = timezone.localtime(session.ends_at, call.tz)
        story.append(Spacer(1, 4 * mm))
        story.append(
            Paragraph(
                escape(
                    f"{date_format(local_start, 'DATE_FORMAT')} {local_start:%H:%M}–{local_end:%H:%M} · "
                    f"{session.room} · {session.title}"
                ),
                styles["Heading3"],
            )
        )
        for slot in session.slots.all():
            start = timezone.localtime(slot.starts_at, call.tz)
            end = timezone.localtime(slot.ends_at, call.tz)
            story.append(
                Paragraph(
                    escape(
                        f"{start:%H:%M}–{end:%H:%M}  {slot.label.payload['title']} ({slot.label.payload['carrier']})"
                    ),
                    styles["BodyText"],
                )
            )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=_("Showcase programme"), author="Convergence").build(story)
    return buffer.getvalue()
