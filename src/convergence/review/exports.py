"""Selection exports: reviews, scores and decisions in CSV and XLSX."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from convergence.calls.models import Call
from convergence.core.spreadsheets import spreadsheet_safe

from .models import Review
from .selectors import ranking


def reviews_table(call: Call) -> tuple[list[str], list[list]]:
    criteria = list(call.criteria.all())
    header = [_("Reference"), _("Title"), _("Member"), _("Status")]
    # Outside the f-string: xgettext does not see a string marked inside one.
    parts = [_("assessment"), _("score"), _("justification")]
    for criterion in criteria:
        header += [f"{criterion.number} {part}" for part in parts]
    header += [_("Implementation"), _("Total"), _("Recommendation"), _("Confidence"), _("Comment"), _("Submitted at")]
    rows = []
    reviews = Review.objects.filter(assignment__application__call=call).select_related(
        "assignment__application", "assignment__member__user"
    )
    for review in reviews.order_by("assignment__application__pk", "assignment__member__pk"):
        application = review.assignment.application
        row: list[object] = [
            application.reference,
            application.title,
            review.assignment.member.user.email,
            review.get_status_display(),
        ]
        for criterion in criteria:
            entry = review.criteria.get(criterion.code, {})
            row += [entry.get("assessment", ""), entry.get("score", ""), entry.get("justification", "")]
        row += [
            review.implementation_score if review.implementation_score is not None else "",
            round(review.total, 3) if review.total is not None else "",
            review.get_recommendation_display(),
            review.confidence or "",
            review.comment,
            review.submitted_at.isoformat() if review.submitted_at else "",
        ]
        rows.append(row)
    return header, rows


def decisions_table(call: Call) -> tuple[list[str], list[list]]:
    header = [
        _("Rank"),
        _("Reference"),
        _("Title"),
        _("Reviews"),
        _("Mean"),
        _("Calibrated"),
        _("Disagreement"),
        _("Decision"),
        _("Rationale"),
    ]
    rows = [
        [
            row.rank,
            row.application.reference,
            row.content.get("title", ""),
            row.review_count,
            round(row.mean, 3) if row.mean is not None else "",
            round(row.calibrated, 3) if row.calibrated is not None else "",
            _("yes") if row.disagreement else _("no"),
            row.decision.get_outcome_display() if row.decision else "",
            row.decision.rationale if row.decision else "",
        ]
        for row in ranking(call)
    ]
    return header, rows


def table_response(header: list[str], rows: list[list], *, extension: str, filename: str) -> HttpResponse:
    if extension == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append([spreadsheet_safe(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([[spreadsheet_safe(value) for value in row] for row in rows])
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
