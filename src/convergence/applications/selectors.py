from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from convergence.calls.models import Call

from .completion import still_open
from .models import Application, CompletionRequest, Message


def applications_of_owner(*, user) -> QuerySet[Application]:
    """The applicant's dossiers, each saying whether the organisers wrote something unread or asked for a
    completion still open."""
    unread = Message.objects.filter(application=OuterRef("pk"), side=Message.Side.ORGANISERS, read_at__isnull=True)
    return (
        Application.objects.filter(owner=user)
        .select_related("call", "format")
        .prefetch_related("submissions")
        .annotate(has_unread=Exists(unread), completion_open=Exists(_open_completion()))
    )


def _open_completion() -> QuerySet[CompletionRequest]:
    return CompletionRequest.objects.filter(still_open(timezone.now()), application=OuterRef("pk"))


@dataclass(frozen=True)
class BackofficeFilters:
    status: str = ""
    theme: str = ""
    format: str = ""
    domain: str = ""
    country: str = ""
    criterion: str = ""
    tag: str = ""
    follow_up: str = ""
    search: str = ""


def applications_for_backoffice(*, call: Call, filters: BackofficeFilters) -> QuerySet[Application]:
    unread = Message.objects.filter(application=OuterRef("pk"), side=Message.Side.APPLICANT, read_at__isnull=True)
    queryset = (
        Application.objects.filter(call=call)
        .select_related("format", "owner")
        .annotate(has_unread=Exists(unread), completion_open=Exists(_open_completion()))
    )
    if filters.tag:
        queryset = queryset.filter(tagged__tag__label=filters.tag)
    if filters.follow_up == "unread":
        queryset = queryset.filter(has_unread=True)
    elif filters.follow_up == "completion":
        queryset = queryset.filter(completion_open=True)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.theme:
        queryset = queryset.filter(themes__code=filters.theme)
    if filters.format:
        queryset = queryset.filter(format__code=filters.format)
    if filters.domain:
        queryset = queryset.filter(domains__code=filters.domain)
    if filters.country:
        country = filters.country.upper()
        queryset = queryset.filter(Q(carrier_country=country) | Q(partners__country=country))
    if filters.criterion:
        queryset = queryset.filter(claims__criterion__code=filters.criterion)
    if filters.search:
        for word in filters.search.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
                | Q(carrier_name__icontains=word)
                | Q(partners__organisation__icontains=word)
                | Q(owner__email__icontains=word)
            )
    return queryset.distinct().prefetch_related("themes", "domains", "partners", "claims__criterion", "tagged__tag")


def with_call(applications: Iterable[Application], call: Call) -> list[Application]:
    """The rows with their call set: each reference reads it. Joining the call instead would make the list's
    DISTINCT compare the call's long texts on every row."""
    rows = list(applications)
    for application in rows:
        application.call = call
    return rows


def application_counts(*, call: Call) -> dict[str, int]:
    rows = Application.objects.filter(call=call).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Application.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[status] for status in Application.Status.values)
    return counts


@dataclass(frozen=True)
class DossierLists:
    """A dossier's lists, each item as its submitted version records it: what the rules check and the snapshot
    freezes."""

    themes: list[dict[str, Any]]
    domains: list[dict[str, Any]]
    partners: list[dict[str, Any]]
    datasets: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


def _translated(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # a JSON column reads as text from a cursor


def _call_item(code: str, name: Any) -> dict[str, Any]:
    """A theme or a priority domain of the call, as the snapshot records it."""
    return {"code": code, "name": _translated(name)}


# One plain query per list, ordered as each model's Meta orders it. Every deadline-night submit reads these six
# lists: building the ORM's six prefetch queries cost ~4 times the reading itself (bench/profile_requests.py).
# Each row starts with the dossier's id; `item` turns the rest into the snapshot's shape.
_LIST_QUERIES: dict[str, tuple[str, Any]] = {
    "themes": (
        "SELECT x.application_id, t.code, t.name FROM applications_application_themes x"
        " JOIN calls_theme t ON t.id = x.theme_id WHERE x.application_id IN ({ids}) ORDER BY t.position, t.id",
        _call_item,
    ),
    "domains": (
        "SELECT x.application_id, d.code, d.name FROM applications_application_domains x"
        " JOIN calls_prioritydomain d ON d.id = x.prioritydomain_id WHERE x.application_id IN ({ids})"
        " ORDER BY d.position, d.id",
        _call_item,
    ),
    "partners": (
        "SELECT application_id, organisation, organisation_type, country, role FROM applications_partner"
        " WHERE application_id IN ({ids}) ORDER BY position, id",
        lambda organisation, organisation_type, country, role: {
            "organisation": organisation,
            "organisation_type": organisation_type,
            "country": country,
            "role": role,
        },
    ),
    "datasets": (
        "SELECT application_id, name, origin_country, licence FROM applications_datasetused"
        " WHERE application_id IN ({ids}) ORDER BY position, id",
        lambda name, origin_country, licence: {"name": name, "origin_country": origin_country, "licence": licence},
    ),
    "claims": (
        "SELECT x.application_id, c.code, c.name, c.number, x.justification FROM applications_criterionclaim x"
        " JOIN calls_criterion c ON c.id = x.criterion_id WHERE x.application_id IN ({ids}) ORDER BY c.position, c.id",
        lambda code, name, number, justification: {
            "code": code,
            "name": _translated(name),
            "number": number,
            "justification": justification,
        },
    ),
    "attachments": (
        "SELECT application_id, id, original_name, size, sha256 FROM applications_attachment"
        " WHERE application_id IN ({ids}) AND removed_at IS NULL ORDER BY uploaded_at, id",
        lambda pk, name, size, sha256: {"id": pk, "name": name, "size": size, "sha256": sha256},
    ),
}


def lists_of_dossiers(application_ids: Collection[int]) -> dict[int, DossierLists]:
    """The lists of each dossier named, in six queries whatever their number."""
    found: dict[int, dict[str, list]] = {pk: {name: [] for name in _LIST_QUERIES} for pk in application_ids}
    if not found:
        return {}
    placeholders = ", ".join(["%s"] * len(found))
    with connection.cursor() as cursor:
        for name, (sql, item) in _LIST_QUERIES.items():
            cursor.execute(sql.format(ids=placeholders), list(found))
            for application_id, *values in cursor.fetchall():
                found[application_id][name].append(item(*values))
    return {pk: DossierLists(**lists) for pk, lists in found.items()}


def lists_of_dossier(application_id: int) -> DossierLists:
    return lists_of_dossiers([application_id])[application_id]
