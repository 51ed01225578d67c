"""Back-office exports of dossiers: CSV and XLSX with the same columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from convergence.calls.i18n import localize
from convergence.core.spreadsheets import spreadsheet_safe

from .models import Application


def export_columns() -> list[str]:
    return [
        _("Reference"),
        _("Status"),
        _("Title"),
        _("Summary"),
        _("Themes"),
        _("Priority domains"),
        _("Format"),
        _("TRL"),
        _("Carrier"),
        _("Carrier type"),
        _("Carrier country"),
        _("Partner countries"),
        _("Criteria claimed"),
        _("Contact"),
        _("Contact email"),
        _("Last receipt"),
        _("Last submitted at"),
        _("Changed since last submission"),
    ]


def export_rows(applications: Iterable[Application]) -> Iterable[list]:
    for application in applications:
        last = application.submissions.first()
        yield [
            application.reference,
            application.get_status_display(),
            application.title,
            application.summary,
            ", ".join(localize(t.name) for t in application.themes.all()),
            ", ".join(localize(d.name) for d in application.domains.all()),
            localize(application.format.name) if application.format else "",
            application.trl or "",
            application.carrier_name,
            application.get_carrier_type_display(),
            application.carrier_country,
            ", ".join(sorted({p.country for p in application.partners.all()})),
            ", ".join(str(c.criterion.number) for c in application.claims.all()),
            application.contact_name,
            application.contact_email,
            last.receipt_number if last else "",
            timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
            if application.submitted_at
            else "",
            _("yes") if application.has_unsubmitted_changes else _("no"),
        ]


def applications_csv(applications: Iterable[Application]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export_columns())
    for row in export_rows(applications):
        writer.writerow([spreadsheet_safe(value) for value in row])
    return "\ufeff" + buffer.getvalue()  # BOM: spreadsheet software then reads UTF-8 correctly


def applications_xlsx(applications: Iterable[Application]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Dossiers")[:31]
    sheet.append(export_columns())
    for row in export_rows(applications):
        sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
