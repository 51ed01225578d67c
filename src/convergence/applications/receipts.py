"""The receipt of a submission as a PDF, in the reader's language."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from convergence.calls.i18n import localize

from .models import Submission


def receipt_pdf(submission: Submission, *, language: str) -> bytes:
    call = submission.application.call
    content = submission.content
    with override(language):
        styles = getSampleStyleSheet()
        submitted_at = timezone.localtime(submission.submitted_at, call.tz)
        rows = [
            [_("Receipt number"), submission.receipt_number],
            [_("Dossier"), content.get("reference", "")],
            [_("Version"), str(submission.number)],
            [_("Submitted at"), f"{submitted_at:%Y-%m-%d %H:%M:%S} ({call.timezone})"],
            [_("Submitted by"), content.get("owner", "")],
            [_("Carrier"), content.get("carrier_name", "")],
            [_("SHA-256 of the content"), submission.digest],
        ]
        story = [
            Paragraph(escape(localize(call.title, language)), styles["Title"]),
            Paragraph(escape(_("Receipt of submission")), styles["Heading2"]),
            Paragraph(escape(content.get("title", "")), styles["Heading3"]),
            Spacer(1, 4 * mm),
            _table(
                [
                    [Paragraph(escape(str(a)), styles["BodyText"]), Paragraph(escape(str(b)), styles["Code"])]
                    for a, b in rows
                ]
            ),
            Spacer(1, 6 * mm),
        ]
        attachments = content.get("attachments", [])
        if attachments:
            story.append(Paragraph(escape(_("Attachments")), styles["Heading3"]))
            story.append(
                _table(
                    [[_("File"), _("Size (bytes)"), "SHA-256"]]
                    + [
                        [
                            Paragraph(escape(a["name"]), styles["BodyText"]),
                            str(a["size"]),
                            Paragraph(a["sha256"], styles["Code"]),
                        ]
                        for a in attachments
                    ]
                )
            )
            story.append(Spacer(1, 6 * mm))
        story.append(
            Paragraph(
                escape(
                    _(
                        "This receipt proves that the dossier above was received at the time shown. The digest "
                        "identifies the submitted content: any change to the content gives another digest."
                    )
                ),
                styles["BodyText"],
            )
        )
        return build_pdf(story, title=_("Receipt %(number)s") % {"number": submission.receipt_number})


def build_pdf(story: list, *, title: str) -> bytes:
    """An A4 document of the platform's PDFs (receipts, whole dossiers)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="Convergence", leftMargin=18 * mm, rightMargin=18 * mm
    )
    document.build(story)
    return buffer.getvalue()


def receipt_response(submission: Submission, *, language: str) -> HttpResponse:
    response = HttpResponse(receipt_pdf(submission, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{submission.receipt_number}.pdf"'
    return response


def _table(rows: list[list], widths: list | None = None) -> Table:
    table = Table(rows, colWidths=widths or ([50 * mm, None] if len(rows[0]) == 2 else [70 * mm, 25 * mm, None]))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f5f5fe")),
            ]
        )
    )
    return table
