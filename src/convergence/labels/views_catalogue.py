"""The public catalogue of labelled challenges and its open data. Nothing here needs an account."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from convergence.core.countries import country_name
from convergence.web.public_cache import cached_public

from .forms import CatalogueFilterForm
from .opendata import FIELDS, LICENCE, open_data_csv, open_data_row, table_schema
from .selectors import (
    CatalogueFilters,
    catalogue,
    catalogue_call_choices,
    catalogue_country_counts,
    catalogue_facets,
    catalogue_items,
    country_counts,
    label_verification,
    public_entry,
    public_labels,
)

CATALOGUE_PAGE_SIZE = 30


@require_GET
def catalogue_list(request: HttpRequest) -> HttpResponse:
    everything = catalogue_items()
    countries = catalogue_country_counts()
    form = CatalogueFilterForm(
        request.GET,
        calls=catalogue_call_choices(),
        facets=catalogue_facets(),
        countries=[(code, country_name(code)) for code, _count in countries],
    )
    # An unknown filter value is ignored rather than answered with an error: the page stays usable.
    data = {name: form.data.get(name, "") for name in form.fields}
    if form.is_valid():
        data = {**data, **form.cleaned_data}
    filters = CatalogueFilters(
        query=(data.get("q") or "")[:200],
        call=data.get("call") or "",
        theme=data.get("theme") or "",
        domain=data.get("domain") or "",
        format=data.get("format") or "",
        country=data.get("country") or "",
    )
    matching = catalogue(filters, everything)
    page = Paginator(matching, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "labels/catalogue.html",
        {
            "form": form,
            "entries": [item.entry for item in page.object_list],
            "page": page,
            "pages": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "query": query.urlencode(),
            "count": len(matching),
            "total": len(everything),
            "countries": [
                (code, country_name(code), count)
                for code, count in (countries if matching is everything else country_counts(matching))
            ],
            # Later stages add to a search (results close in meaning, in any language); see settings.
            "search_panels": [
                import_string(path)(request, filters, matching) for path in settings.CATALOGUE_SEARCH_PANELS
            ]
            if filters.query
            else [],
        },
    )


@require_GET
def catalogue_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    verification = label_verification(identifier)
    label = verification.label
    if verification.status != "valid" or label is None:
        raise Http404
    entry = public_entry(label)
    return render(
        request,
        "labels/catalogue_detail.html",
        {
            "label": label,
            "entry": entry,
            "partner_countries": [(code, country_name(code)) for code in entry["partner_countries"]],
            "carrier_country": country_name(entry["carrier_country"]),
            "panels": [panel(request, label) for panel in catalogue_panels()],
        },
    )


def catalogue_panels():
    """Later stages (results, programme) add sections to a challenge's public page; see settings."""
    return [import_string(path) for path in settings.CATALOGUE_PANELS]


def _rows() -> list[dict]:
    """The open-data rows, rebuilt only when a label changes (everyone downloads them, few change them)."""

    def build() -> list[dict]:
        return [open_data_row(label) for label in public_labels()]

    return cached_public("catalogue", "open-data-rows", build)


@require_GET
def open_data_home(request: HttpRequest) -> HttpResponse:
    return render(request, "labels/open_data.html", {"fields": FIELDS, "licence": LICENCE})


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    schema = request.build_absolute_uri("/open-data/schema.json")

    def build() -> bytes:
        document = {
            "licence": LICENCE,
            # When these rows were read: the file is built once per change of the catalogue.
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "schema": schema,
            "challenges": _rows(),
        }
        return json.dumps(document, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder).encode("utf-8")

    body = cached_public("catalogue", f"open-data-json:{schema}", build)
    return HttpResponse(body, content_type="application/json")


@require_GET
def open_data_csv_view(request: HttpRequest) -> HttpResponse:
    body = cached_public("catalogue", "open-data-csv", lambda: open_data_csv(_rows()))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="challenges.csv"'
    return response


@require_GET
def open_data_schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(table_schema(), ensure_ascii=False, indent=1), content_type="application/json")
