"""Reading labels: verification, the public catalogue and its open-data form."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from convergence.calls.i18n import localize
from convergence.calls.models import Call

from . import signing
from .converters import IDENTIFIER
from .models import OPTIONAL_PUBLIC_FIELDS, Label


@dataclass(frozen=True)
class Verification:
    status: str  # "valid", "revoked" or "unknown"
    label: Label | None = None


def label_verification(identifier: str) -> Verification:
    """A label is valid only if it exists, is not revoked, and its stored signature still checks."""
    if not IDENTIFIER.match(str(identifier)):
        return Verification("unknown")  # never sent to the database: it cannot be one of ours
    label = Label.objects.select_related("call").filter(identifier=identifier).first()
    if label is None:
        return Verification("unknown")
    if not signing.signature_is_valid(label.payload, label.signature, signed_with=label.key_id):
        # The platform cannot vouch for a row whose content no longer matches its signature.
        return Verification("unknown")
    if label.status == Label.Status.REVOKED:
        return Verification("revoked", label)
    return Verification("valid", label)


def public_labels() -> QuerySet[Label]:
    return Label.objects.filter(status=Label.Status.VALID).select_related("call")


def folded(text: str) -> str:
    """Case- and accent-insensitive form: "Éthiopie" matches "ethiopie"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    call: str = ""
    theme: str = ""
    domain: str = ""
    format: str = ""
    country: str = ""


def _matches(label: Label, filters: CatalogueFilters) -> bool:
    entry = public_entry(label)
    if filters.theme and filters.theme not in {t["code"] for t in entry["themes"]}:
        return False
    if filters.domain and filters.domain not in {d["code"] for d in entry["domains"]}:
        return False
    if filters.format and str((entry["format"] or {}).get("number", "")) != filters.format:
        return False
    if filters.country and filters.country.upper() not in entry["partner_countries"] + [entry["carrier_country"]]:
        return False
    if filters.query:
        haystack = folded(
            " ".join([entry["title"], entry.get("summary") or "", entry["carrier_name"], entry["identifier"]])
        )
        return all(word in haystack for word in folded(filters.query).split())
    return True


def catalogue(filters: CatalogueFilters) -> list[Label]:
    """Labelled challenges matching the filters. Entries are JSON and searched without accents, so filtering
    happens here, the same way on SQLite and PostgreSQL; a call labels tens of challenges, not millions."""
    labels = public_labels()
    if filters.call:
        labels = labels.filter(call__slug=filters.call)
    return [label for label in labels.order_by("call__opens_at", "identifier") if _matches(label, filters)]


def public_entry(label: Label) -> dict:
    """The catalogue entry with the fields the organiser keeps private removed. Never contact data."""
    entry = dict(label.catalogue)
    for field in OPTIONAL_PUBLIC_FIELDS:
        if field not in label.public_fields:
            entry[field] = None
    entry["identifier"] = label.identifier
    entry["awarded_on"] = label.payload.get("awarded_on")
    entry["call"] = label.call.slug
    return entry


def country_counts(labels: list[Label]) -> list[tuple[str, int]]:
    """Countries of carriers and partners, counted once per challenge, most frequent first."""
    counter: Counter[str] = Counter()
    for label in labels:
        entry = label.catalogue
        counter.update(set(entry.get("partner_countries", [])) | {entry.get("carrier_country")} - {None, ""})
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def facet_choices(labels: list[Label]) -> dict[str, list[tuple[str, str]]]:
    themes, domains, formats = {}, {}, {}
    for label in labels:
        for theme in label.catalogue.get("themes", []):
            themes[theme["code"]] = localize(theme["name"])
        for domain in label.catalogue.get("domains", []):
            domains[domain["code"]] = localize(domain["name"])
        fmt = label.catalogue.get("format")
        if fmt:
            formats[str(fmt["number"])] = localize(fmt["name"])
    return {
        "themes": sorted(themes.items()),
        "domains": sorted(domains.items()),
        "formats": sorted(formats.items()),
    }


def calls_with_labels() -> QuerySet[Call]:
    return Call.objects.filter(labels__status=Label.Status.VALID).distinct().order_by("-opens_at")
