"""Reading labels: verification, the public catalogue and its open-data form."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language

from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.web.public_cache import cached_public

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
    """Valid labels in catalogue order (oldest call first), with their call but not its source definition."""
    return (
        Label.objects.filter(status=Label.Status.VALID)
        .select_related("call")
        .defer("call__definition")
        .order_by("call__opens_at", "identifier")
    )


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


@dataclass(frozen=True)
class CatalogueItem:
    """A public entry with what filtering needs, computed once per change of the catalogue."""

    entry: dict
    haystack: str
    countries: frozenset[str]


def _catalogue_items() -> list[CatalogueItem]:
    items = []
    for label in public_labels():
        entry = public_entry(label)
        haystack = folded(
            " ".join([entry["title"], entry.get("summary") or "", entry["carrier_name"], label.identifier])
        )
        countries = frozenset(entry["partner_countries"]) | ({entry["carrier_country"]} - {None, ""})
        items.append(CatalogueItem(entry=entry, haystack=haystack, countries=countries))
    return items


def catalogue_items() -> list[CatalogueItem]:
    """Every labelled challenge of the public catalogue, oldest call first; cached until a label changes."""
    return cached_public("catalogue", "items", _catalogue_items)


def _matches(item: CatalogueItem, filters: CatalogueFilters) -> bool:
    entry = item.entry
    if filters.call and entry["call"] != filters.call:
        return False
    if filters.theme and filters.theme not in {t["code"] for t in entry["themes"]}:
        return False
    if filters.domain and filters.domain not in {d["code"] for d in entry["domains"]}:
        return False
    if filters.format and str((entry["format"] or {}).get("number", "")) != filters.format:
        return False
    if filters.country and filters.country.upper() not in item.countries:
        return False
    if filters.query:
        return all(word in item.haystack for word in folded(filters.query).split())
    return True


def catalogue(filters: CatalogueFilters, items: list[CatalogueItem] | None = None) -> list[CatalogueItem]:
    """Labelled challenges matching the filters. Entries are JSON and searched without accents, so filtering
    happens here, the same way on SQLite and PostgreSQL, over the cached entries."""
    items = catalogue_items() if items is None else items
    if filters == CatalogueFilters():
        return items
    return [item for item in items if _matches(item, filters)]


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


def country_counts(items: list[CatalogueItem]) -> list[tuple[str, int]]:
    """Countries of carriers and partners, counted once per challenge, most frequent first."""
    counter: Counter[str] = Counter()
    for item in items:
        counter.update(item.countries)
    return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))


def catalogue_facets() -> dict[str, list[tuple[str, str]]]:
    """The filters' choices in the current language, from every entry; cached until the catalogue changes."""
    language = get_language() or settings.LANGUAGE_CODE
    return cached_public("catalogue", f"facets:{language}", lambda: facet_choices(catalogue_items()))


def catalogue_call_choices() -> list[tuple[str, str]]:
    """The editions that hold labels, for the filter, in the current language; cached until the catalogue changes."""
    language = get_language() or settings.LANGUAGE_CODE
    return cached_public(
        "catalogue",
        f"calls:{language}",
        lambda: [(call.slug, f"{localize(call.title)} ({call.opens_at:%Y})") for call in calls_with_labels()],
    )


def catalogue_country_counts() -> list[tuple[str, int]]:
    return cached_public("catalogue", "countries", lambda: country_counts(catalogue_items()))


def facet_choices(items: list[CatalogueItem]) -> dict[str, list[tuple[str, str]]]:
    themes, domains, formats = {}, {}, {}
    for item in items:
        for theme in item.entry.get("themes") or []:
            themes[theme["code"]] = localize(theme["name"])
        for domain in item.entry.get("domains") or []:
            domains[domain["code"]] = localize(domain["name"])
        fmt = item.entry.get("format")
        if fmt:
            formats[str(fmt["number"])] = localize(fmt["name"])
    return {
        "themes": sorted(themes.items()),
        "domains": sorted(domains.items()),
        "formats": sorted(formats.items()),
    }


def calls_with_labels() -> QuerySet[Call]:
    # A subquery, not a join with DISTINCT: PostgreSQL would compare every joined call's JSON texts.
    with_labels = Label.objects.filter(status=Label.Status.VALID).values("call_id")
    return Call.objects.filter(pk__in=with_labels).order_by("-opens_at")
