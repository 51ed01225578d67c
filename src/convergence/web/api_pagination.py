"""Pages of the API's lists that grow (dossiers, rankings, leaderboards, the catalogue…).

The body stays the array v1 has always answered (README, "Versions": a field's type never changes within v1);
the pages travel in the query (`page`, `page_size`) and the headers (`X-Total-Count`, and `Link` with the next,
previous, first and last pages, RFC 8288), as GitHub's and GitLab's APIs do. Without `page` nor `page_size` the
whole list comes, as before; with either, one page."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        required=False,
        description=f"the page to answer, from 1 (with `page_size`, {DEFAULT_PAGE_SIZE} by default); without "
        "`page` nor `page_size` the whole list comes; a page past the last is empty",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        required=False,
        description=f"how many items a page holds, 1 to {MAX_PAGE_SIZE}",
    ),
]
# Declared on the 200 answer of every operation that takes `page_size` (api_schema.add_refusals).
PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "how many items the whole list holds",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'the other pages, when a page was asked: `<url>; rel="next"`, `"prev"`, `"first"`, `"last"`',
        "required": False,
        "schema": {"type": "string"},
    },
}


def _positive_int(request: Request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        message = (
            _("Give a whole number from 1 to %(maximum)s.") % {"maximum": maximum}
            if maximum
            else _("Give a whole number from 1.")
        )
        raise ValidationError({name: [message]})
    return value


def paged_response(request: Request, items: QuerySet | Sequence, serialize: Callable[[Any], Any]) -> Response:
    """The list (or the page of it the query asks for) as `serialize` writes it, with the paging headers."""
    page = _positive_int(request, "page")
    page_size = _positive_int(request, "page_size", maximum=MAX_PAGE_SIZE)
    if page is None and page_size is None:
        whole = list(items)  # read once: its length is the count, no COUNT query beside it
        response = Response(serialize(whole))
        response["X-Total-Count"] = str(len(whole))
        return response
    total = items.count() if isinstance(items, QuerySet) else len(items)
    page = page or 1
    page_size = page_size or DEFAULT_PAGE_SIZE
    if isinstance(items, QuerySet):  # ties broken by the key, or a row could show on two pages and another on none
        ordering = [*(items.query.order_by or items.model._meta.ordering)]
        if not {"pk", "-pk", "id", "-id"} & set(ordering):
            items = items.order_by(*ordering, "pk")
    start = (page - 1) * page_size
    # Past the end, nothing is read: a huge page would overflow the database's OFFSET.
    window = items[start : start + page_size] if start < total else items[:0]
    response = Response(serialize(window))
    response["X-Total-Count"] = str(total)
    last = max(1, math.ceil(total / page_size))
    url = replace_query_param(request.build_absolute_uri(), "page_size", page_size)
    links = []
    if page < last:
        links.append((page + 1, "next"))
    if page > 1:
        links.append((min(page - 1, last), "prev"))
    links += [(1, "first"), (last, "last")]
    response["Link"] = ", ".join(f'<{replace_query_param(url, "page", number)}>; rel="{rel}"' for number, rel in links)
    return response
