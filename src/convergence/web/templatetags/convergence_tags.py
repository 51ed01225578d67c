from __future__ import annotations

from datetime import date, timedelta

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from convergence.calls.i18n import localize
from convergence.core.countries import country_name

register = template.Library()


@register.filter
def tr(value) -> str:
    """Call content in the active language: {{ theme.name|tr }}."""
    return localize(value)


@register.filter
def event_details(details: dict | None) -> str:
    """An event's details as a reader sees them: "rationale: …  ·  after: labelled", never a Python dict."""

    def shown(value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list | tuple):
            return ", ".join(shown(item) for item in value) or "—"
        if isinstance(value, dict):
            return ", ".join(f"{key}: {shown(item)}" for key, item in value.items()) or "—"
        return str(value)

    return " · ".join(f"{key.replace('_', ' ')}: {shown(value)}" for key, value in (details or {}).items())


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    days, seconds = value.days, value.seconds
    hours = seconds // 3600
    minutes = (seconds % 3600) // 60
    if days:
        return _("%(days)s and %(hours)s") % {
            "days": ngettext("%d day", "%d days", days) % days,
            "hours": ngettext("%d hour", "%d hours", hours) % hours,
        }
    return _("%(hours)s and %(minutes)s") % {
        "hours": ngettext("%d hour", "%d hours", hours) % hours,
        "minutes": ngettext("%d minute", "%d minutes", minutes) % minutes,
    }


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def colon() -> str:
    """The colon after a label: French puts a non-breaking space before it, English does not."""
    return "\u00a0:" if (get_language() or "fr").startswith("fr") else ":"


@register.filter
def iso_date(value: str) -> str:
    """A date kept as ISO text (a label's signed payload) in the reader's language: 10 décembre 2024."""
    try:
        return date_format(date.fromisoformat(value), "DATE_FORMAT")
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value) -> str:
    """0.873 as "87 %" in French, "87%" in English."""
    if value is None or value == "":
        return ""
    return _("%(number)s%%") % {"number": number_format(round(float(value) * 100))}
