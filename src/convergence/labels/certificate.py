"""The label certificate: one page in French, one in English, a QR code to the public verification page,
and the signed label (label.json) attached inside the PDF for an offline check."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from convergence.calls.i18n import localize
from convergence.core.countries import country_name

from . import signing
from .models import Label

CERTIFICATE_LANGUAGES = ("fr", "en")


def verification_url(label: Label) -> str:
    return settings.SITE_URL + reverse("labels:verify", kwargs={"identifier": label.identifier})


def country_names(codes: list[str]) -> str:
    return ", ".join(country_name(code) for code in codes)


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image(buffer, width=38 * mm, height=38 * mm)


def _page(label: Label, language: str, styles) -> list:
    payload = label.payload
    with override(language):
        awarded = date_format(date.fromisoformat(payload["awarded_on"]), "DATE_FORMAT")
        rows = [
            [_("Challenge"), payload["title"]],
            [_("Carrier"), payload["carrier"]],
            [_("Partners' countries"), country_names(payload["partner_countries"]) or "—"],
            [_("Awarded on"), awarded],
            [_("Label identifier"), payload["identifier"]],
        ]
        table = Table(
            [[Paragraph(escape(a), styles["BodyText"]), Paragraph(escape(b), styles["BodyText"])] for a, b in rows],
            colWidths=[50 * mm, None],
        )
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#929292")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return [
            Paragraph("République française", styles["Small"]),
            Spacer(1, 12 * mm),
            Paragraph(escape(_("Certificate of label")), styles["Title"]),
            Paragraph(escape(localize(payload["call_title"], language)), styles["Heading2"]),
            Spacer(1, 6 * mm),
            Paragraph(
                escape(_("The challenge below has been selected by the committee and holds the label of the call.")),
                styles["BodyText"],
            ),
            Spacer(1, 6 * mm),
            table,
            Spacer(1, 10 * mm),
            Table(
                [
                    [
                        _qr_image(verification_url(label)),
                        Paragraph(
                            escape(
                                _(
                                    "Check this certificate at %(url)s. The signed label (label.json, attached to "
                                    "this PDF) can also be checked offline with the platform's public key."
                                )
                                % {"url": verification_url(label)}
                            )
                            + "<br/><br/>"
                            + escape(_("Signature key: %(key)s (Ed25519)") % {"key": label.key_id}),
                            styles["Small"],
                        ),
                    ]
                ],
                colWidths=[45 * mm, None],
            ),
        ]


def certificate_pdf(label: Label) -> bytes:
    styles = getSampleStyleSheet()
    styles.add(ParagraphStyle("Small", parent=styles["BodyText"], fontSize=8, leading=10))
    story: list = []
    for index, language in enumerate(CERTIFICATE_LANGUAGES):
        if index:
            story.append(PageBreak())
        story.extend(_page(label, language, styles))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, title=label.identifier, author="Convergence", leftMargin=20 * mm, rightMargin=20 * mm
    ).build(story)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.add_attachment(
        "label.json", signing.signed_document(payload=label.payload, signature=label.signature, key=label.key_id)
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
