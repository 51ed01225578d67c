"""A submitted version of a dossier, whole, as a PDF: every field, partners, datasets, criteria and attachments.

What the applicant keeps for their records (démarches-simplifiées gives the same); the receipt proves the time.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from convergence.calls.i18n import localize
from convergence.core.countries import country_name

from .models import OrganisationType, Submission
from .receipts import _table, build_pdf


def _text(value) -> str:
    return escape(str(value or "—")).replace("\n", "<br/>")


def dossier_pdf(submission: Submission, *, language: str) -> bytes:
    call = submission.application.call
    content = submission.content
    with override(language):
        styles = getSampleStyleSheet()
        body, heading = styles["BodyText"], styles["Heading3"]
        types = dict(OrganisationType.choices)
        submitted_at = timezone.localtime(submission.submitted_at, call.tz)

        def rows(pairs) -> Table:
            return _table([[Paragraph(_text(label), body), Paragraph(_text(value), body)] for label, value in pairs])

        launched = _("no")
        if content.get("already_launched"):
            launched = _("yes") + (f", {content['launched_on']}" if content.get("launched_on") else "")
        story = [
            Paragraph(escape(localize(call.title, language)), styles["Title"]),
            Paragraph(_text(content.get("title")), styles["Heading2"]),
            rows(
                [
                    (_("Dossier"), content.get("reference")),
                    (_("Receipt number"), submission.receipt_number),
                    (_("Version"), submission.number),
                    (_("Submitted at"), f"{submitted_at:%Y-%m-%d %H:%M:%S} ({call.timezone})"),
                    (_("SHA-256 of the content"), submission.digest),
                ]
            ),
            Paragraph(escape(_("The challenge")), heading),
            rows(
                [
                    (_("Short summary"), content.get("summary")),
                    (_("Full description"), content.get("description")),
                    (_("Themes"), ", ".join(localize(t["name"], language) for t in content.get("themes", []))),
                    (
                        _("Priority domains"),
                        ", ".join(localize(d["name"], language) for d in content.get("domains", [])),
                    ),
                    (
                        _("Format"),
                        f"{content['format']['number']}. {localize(content['format']['name'], language)}"
                        if content.get("format")
                        else "",
                    ),
                    (_("Maturity"), f"TRL {content['trl']}" if content.get("trl") else ""),
                    (_("Already started"), launched),
                    (_("Results expected by February"), content.get("expected_results")),
                ]
            ),
            Paragraph(escape(_("Carrier and contact")), heading),
            rows(
                [
                    (_("Carrier"), content.get("carrier_name")),
                    (_("Organisation type"), types.get(content.get("carrier_type"), "")),
                    (_("Country of the carrier organisation"), country_name(content.get("carrier_country") or "")),
                    (_("Contact person"), content.get("contact_name")),
                    (_("Contact email"), content.get("contact_email")),
                    (_("Contact phone"), content.get("contact_phone")),
                ]
            ),
        ]
        partners = content.get("partners", [])
        story.append(Paragraph(escape(_("Partners")), heading))
        if partners:
            story.append(
                _table(
                    [[_("Organisation"), _("Type"), _("Country"), _("Role in the challenge")]]
                    + [
                        [
                            Paragraph(_text(p["organisation"]), body),
                            Paragraph(_text(types.get(p["organisation_type"], "")), body),
                            Paragraph(_text(country_name(p["country"])), body),
                            Paragraph(_text(p.get("role")), body),
                        ]
                        for p in partners
                    ],
                    widths=[50 * mm, 30 * mm, 30 * mm, None],
                )
            )
        else:
            story.append(Paragraph("—", body))
        datasets = content.get("datasets", [])
        story.append(Paragraph(escape(_("Datasets used")), heading))
        if datasets:
            story.append(
                _table(
                    [[_("Dataset"), _("Origin country"), _("Licence")]]
                    + [
                        [
                            Paragraph(_text(d["name"]), body),
                            Paragraph(_text(country_name(d["origin_country"])), body),
                            Paragraph(_text(d.get("licence")), body),
                        ]
                        for d in datasets
                    ],
                    widths=[70 * mm, 40 * mm, None],
                )
            )
        else:
            story.append(Paragraph("—", body))
        story.append(Paragraph(escape(_("Criteria claimed")), heading))
        story.append(
            rows(
                [
                    (f"{claim['number']}. {localize(claim['name'], language)}", claim["justification"])
                    for claim in content.get("claims", [])
                ]
                or [("—", "")]
            )
        )
        attachments = content.get("attachments", [])
        story.append(Paragraph(escape(_("Attachments")), heading))
        if attachments:
            story.append(
                _table(
                    [[_("File"), _("Size (bytes)"), "SHA-256"]]
                    + [
                        [Paragraph(_text(a["name"]), body), str(a["size"]), Paragraph(a["sha256"], styles["Code"])]
                        for a in attachments
                    ]
                )
            )
        else:
            story.append(Paragraph("—", body))
        return build_pdf(story, title=f"{content.get('reference', '')} — {_('Version')} {submission.number}")


def dossier_response(submission: Submission, *, language: str) -> HttpResponse:
    response = HttpResponse(dossier_pdf(submission, language=language), content_type="application/pdf")
    filename = f"{submission.content.get('reference', 'dossier')}-v{submission.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
