"""Dates as people read them in e-mails and documents, in the active language: 5 décembre 2024 à 23:59:58."""

from __future__ import annotations

from datetime import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def readable_moment(moment: datetime, *, seconds: bool = True) -> str:
    """The day in words and the time; seconds kept where they prove something (a receipt's time)."""
    return _("%(day)s at %(time)s") % {
        "day": date_format(moment, "DATE_FORMAT"),
        "time": moment.strftime("%H:%M:%S" if seconds else "%H:%M"),
    }
