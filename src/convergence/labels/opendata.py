"""The catalogue as open data: a documented schema, CSV and JSON, at stable addresses."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convergence.calls.i18n import localize
from convergence.core.spreadsheets import spreadsheet_safe

from .models import Label
from .selectors import public_entry

LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

# (name, type, meaning). Lists are JSON arrays, and values joined by " ; " in CSV.
FIELDS = [
    ("identifier", "string", _("Label identifier, stable and unique; the certificate's verification key.")),
    ("call", "string", _("Identifier of the call (edition) that labelled the challenge.")),
    ("call_title", "string", _("Title of the call, in French.")),
    ("title", "string", _("Title of the challenge.")),
    ("summary", "string", _("Short summary, if the organiser made it public; empty otherwise.")),
    ("expected_results", "string", _("Results expected by the end of execution, if public.")),
    ("trl", "integer", _("Technology readiness level (1–9) when applying, if public.")),
    ("carrier_name", "string", _("Carrier organisation.")),
    ("carrier_country", "string", _("Country of the carrier, ISO 3166-1 alpha-2 code.")),
    ("partner_countries", "array", _("Countries of the partners, ISO 3166-1 alpha-2 codes, without duplicates.")),
    ("partner_organisations", "array", _("Partner organisations, if public.")),
    ("themes", "array", _("Codes of the call's themes the challenge addresses.")),
    ("domains", "array", _("Codes of the priority domains.")),
    ("format", "integer", _("Format of the challenge: 1 competition, 2 project, 3 solution on the market.")),
    ("awarded_on", "date", _("Date the label was awarded (Europe/Paris), ISO 8601.")),
    ("url", "string", _("Public page of the challenge.")),
    ("verification_url", "string", _("Public page that says whether the label is valid.")),
]


def open_data_row(label: Label) -> dict:
    entry = public_entry(label)
    partners = entry.get("partners")
    return {
        "identifier": label.identifier,
        "call": label.call.slug,
        "call_title": localize(label.call.title, "fr"),
        "title": entry["title"],
        "summary": entry.get("summary") or "",
        "expected_results": entry.get("expected_results") or "",
        "trl": entry.get("trl"),
        "carrier_name": entry["carrier_name"],
        "carrier_country": entry["carrier_country"],
        "partner_countries": entry["partner_countries"],
        "partner_organisations": [p["organisation"] for p in partners] if partners else [],
        "themes": [theme["code"] for theme in entry["themes"]],
        "domains": [domain["code"] for domain in entry["domains"]],
        "format": (entry.get("format") or {}).get("number"),
        "awarded_on": entry["awarded_on"],
        "url": settings.SITE_URL + label.get_absolute_url(),
        "verification_url": settings.SITE_URL + reverse("labels:verify", kwargs={"identifier": label.identifier}),
    }


def table_schema() -> dict:
    """A Frictionless Table Schema of the CSV, with the meaning of each field."""
    return {
        "name": "convergence-labelled-challenges",
        "licenses": [{"name": LICENCE["name"], "path": LICENCE["url"]}],
        "fields": [{"name": name, "type": kind, "description": str(meaning)} for name, kind, meaning in FIELDS],
        "primaryKey": "identifier",
    }


def open_data_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _kind, _meaning in FIELDS])
    writer.writeheader()
    for row in rows:
        flat = {
            key: " ; ".join(str(item) for item in value)
            if isinstance(value, list)
            else ("" if value is None else value)
            for key, value in row.items()
        }
        writer.writerow({key: spreadsheet_safe(value) for key, value in flat.items()})
    return buffer.getvalue()
