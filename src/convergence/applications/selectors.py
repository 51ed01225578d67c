from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar, cast

from django.db import connection
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.db.models.expressions import Col
from django.utils import timezone

from convergence.calls.models import Call, Format

from .completion import still_open
from .models import Application, CompletionRequest, Message, Submission


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


def _translated(value: str) -> dict[str, str]:
    return json.loads(value)  # a name's translations, read as text (the query casts the JSON column)


def _call_item(code: str, name: str, *_: None) -> dict[str, Any]:
    """A theme or a priority domain of the call, as the snapshot records it."""
    return {"code": code, "name": _translated(name)}


# The six lists in one query: every deadline-night submit reads them, and each query costs as much in the round trip
# and Django's cursor as in the reading (bench/profile_requests.py). Each branch of the UNION gives the dossier's id,
# the list's number, the item's rank in the order its model's Meta sets, then four values as text, the one type
# every branch can share; `item` turns them into the snapshot's shape.
_LISTS: dict[str, tuple[str, Any]] = {
    "themes": (
        "SELECT x.application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY x.application_id ORDER BY t.position, t.id),"
        " t.code, CAST(t.name AS TEXT), NULL, NULL"
        " FROM applications_application_themes x JOIN calls_theme t ON t.id = x.theme_id"
        " WHERE x.application_id IN ({ids})",
        _call_item,
    ),
    "domains": (
        "SELECT x.application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY x.application_id ORDER BY d.position, d.id),"
        " d.code, CAST(d.name AS TEXT), NULL, NULL"
        " FROM applications_application_domains x JOIN calls_prioritydomain d ON d.id = x.prioritydomain_id"
        " WHERE x.application_id IN ({ids})",
        _call_item,
    ),
    "partners": (
        "SELECT application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY application_id ORDER BY position, id),"
        " organisation, organisation_type, country, role"
        " FROM applications_partner WHERE application_id IN ({ids})",
        lambda organisation, organisation_type, country, role: {
            "organisation": organisation,
            "organisation_type": organisation_type,
            "country": country,
            "role": role,
        },
    ),
    "datasets": (
        "SELECT application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY application_id ORDER BY position, id),"
        " name, origin_country, licence, NULL"
        " FROM applications_datasetused WHERE application_id IN ({ids})",
        lambda name, origin_country, licence, _: {"name": name, "origin_country": origin_country, "licence": licence},
    ),
    "claims": (
        "SELECT x.application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY x.application_id ORDER BY c.position, c.id),"
        " c.code, CAST(c.name AS TEXT), CAST(c.number AS TEXT), x.justification"
        " FROM applications_criterionclaim x JOIN calls_criterion c ON c.id = x.criterion_id"
        " WHERE x.application_id IN ({ids})",
        lambda code, name, number, justification: {
            "code": code,
            "name": _translated(name),
            "number": int(number),
            "justification": justification,
        },
    ),
    "attachments": (
        "SELECT application_id, CAST(%s AS INTEGER),"
        " ROW_NUMBER() OVER (PARTITION BY application_id ORDER BY uploaded_at, id),"
        " CAST(id AS TEXT), original_name, CAST(size AS TEXT), sha256"
        " FROM applications_attachment WHERE application_id IN ({ids}) AND removed_at IS NULL",
        lambda pk, name, size, sha256: {"id": int(pk), "name": name, "size": int(size), "sha256": sha256},
    ),
}
_LIST_NAMES = list(_LISTS)


def lists_of_dossiers(application_ids: Collection[int]) -> dict[int, DossierLists]:
    """The lists of each dossier named, in one query whatever their number."""
    found: dict[int, dict[str, list]] = {pk: {name: [] for name in _LISTS} for pk in application_ids}
    if not found:
        return {}
    placeholders = ", ".join(["%s"] * len(found))
    sql = " UNION ALL ".join(branch.format(ids=placeholders) for branch, _ in _LISTS.values())
    params = [value for number in range(len(_LISTS)) for value in (number, *found)]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 1, 2, 3", params)
        for application_id, number, _rank_in_list, *values in cursor.fetchall():
            name = _LIST_NAMES[number]
            found[application_id][name].append(_LISTS[name][1](*values))
    return {pk: DossierLists(**lists) for pk, lists in found.items()}


def lists_of_dossier(application_id: int) -> DossierLists:
    return lists_of_dossiers([application_id])[application_id]


M = TypeVar("M", bound=Model)


class _Columns(Generic[M]):
    """Some columns of a model's table, read by hand-written SQL and made into an instance as the ORM makes it:
    through the same converters (SQLite's dates and booleans, JSON), the fields not read deferred."""

    def __init__(self, model: type[M], alias: str, attnames: Collection[str] | None = None) -> None:
        self.model = model
        self.alias = alias
        self.fields = [f for f in model._meta.concrete_fields if attnames is None or f.attname in attnames]
        self.attnames = [field.attname for field in self.fields]
        # Both depend on the database's vendor (its quoting, its converters) and are worked out once.
        self._sql: dict[str, str] = {}
        self._converters: dict[str, list[tuple[Col, list]]] = {}

    def sql(self) -> str:
        found = self._sql.get(connection.vendor)
        if found is None:
            found = self._sql[connection.vendor] = ", ".join(
                f"{self.alias}.{connection.ops.quote_name(cast(str, field.column))}" for field in self.fields
            )
        return found

    def instance(self, values: Iterable[Any]) -> M:
        converters = self._converters.get(connection.vendor)
        if converters is None:
            columns = [field.get_col(self.alias) for field in self.fields]
            converters = self._converters[connection.vendor] = [
                (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
                for column in columns
            ]
        converted = []
        for value, (column, functions) in zip(values, converters, strict=True):
            for function in functions:
                value = function(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


# What a submit reads of the call (its window, receipt prefix, and the rules' limits). The rest, its texts above
# all, would be decoded on every submit of the deadline night for nothing; a field read later still loads.
CALL_FIELDS_TO_SUBMIT = (
    "id",
    "slug",
    "timezone",
    "opens_at",
    "closes_at",
    "receipt_prefix",
    "summary_max_length",
    "max_themes",
    "minimum_criteria",
)
_DOSSIER = _Columns(Application, "a")
_CALL = _Columns(Call, "c", CALL_FIELDS_TO_SUBMIT)
_FORMAT = _Columns(Format, "f")


def dossier_locked_to_submit(application_id: int, owner_id: int) -> Application | None:
    """The dossier if `owner_id` owns it, with its format and what a submit reads of its call, its own row locked
    (not the call's, not the owner's) until the transaction ends. One hand-written query: the ORM spent longer
    building this one than the database answering it, on every submit of the deadline night."""
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {_DOSSIER.sql()}, {_CALL.sql()}, {_FORMAT.sql()} FROM applications_application a"  # noqa: S608 (the models' own columns)
        " JOIN calls_call c ON c.id = a.call_id LEFT JOIN calls_format f ON f.id = a.format_id"
        f" WHERE a.id = %s AND a.owner_id = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [application_id, owner_id])
        row = cursor.fetchone()
    if row is None:
        return None
    dossier_end = len(_DOSSIER.fields)
    call_end = dossier_end + len(_CALL.fields)
    application = _DOSSIER.instance(row[:dossier_end])
    application.call = _CALL.instance(row[dossier_end:call_end])
    application.format = _FORMAT.instance(row[call_end:]) if application.format_id is not None else None
    return application


# A receipt older than this is not sent any more (an old submission restored or imported gets no e-mail out of the
# blue); its page and PDF stay available.
RECEIPT_RESEND_WITHIN = timedelta(days=7)


def receipts_waiting(
    *,
    excluding: Collection[int] = (),
    submitted_before: datetime | None = None,
    now: datetime | None = None,
    limit: int | None = 100,
) -> list[int]:
    """The submissions whose receipt is still to e-mail, oldest first (ids)."""
    now = now or timezone.now()
    waiting = Submission.objects.filter(receipt_emailed_at__isnull=True, submitted_at__gte=now - RECEIPT_RESEND_WITHIN)
    if submitted_before is not None:
        waiting = waiting.filter(submitted_at__lt=submitted_before)
    if excluding:
        waiting = waiting.exclude(pk__in=excluding)
    ids = waiting.order_by("pk").values_list("pk", flat=True)
    return list(ids if limit is None else ids[:limit])
