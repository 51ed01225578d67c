from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
