"""Where a call stands, read from the stages' data: applications over time, what they cover, where they come
from, the drafts at risk and the committee's progress. Read-only; each figure is a table first (page, CSV, API),
the chart is drawn from the table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.applications.models import Application, ApplicationEvent, OrganisationType, Submission
from convergence.applications.presentation import field_labels
from convergence.applications.rules import application_problems
from convergence.applications.selectors import lists_of_dossiers
from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.core.countries import country_name
from convergence.review.models import Assignment, Review
from convergence.review.selectors import committee, latest_contents, ranking, review_progress

# A draft is at risk when the deadline is this close and the dossier still cannot be submitted.
AT_RISK_BEFORE_DEADLINE = timedelta(days=7)


@dataclass(frozen=True)
class Table:
    """One figure of the dashboard: its title, its columns and rows (what the CSV and the API give too)."""

    key: str
    title: str
    columns: list[str]
    rows: list[tuple]


def previous_edition(call: Call) -> Call | None:
    """The last call that closed before this one opened: its curve is the one to beat."""
    return Call.objects.filter(closes_at__lt=call.opens_at).order_by("-closes_at").first()


def submitted_contents(call: Call) -> list[dict]:
    """The last submitted version of each dossier currently submitted (what the committee reads)."""
    submitted = Application.objects.filter(call=call, status=Application.Status.SUBMITTED).values_list("pk", flat=True)
    return list(latest_contents(submitted).values())


def _daily_cumulative(moments, first: date, last: date) -> list[tuple[date, int]]:
    per_day = Counter(timezone.localdate(moment) for moment in moments if moment is not None)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return list(zip(days, accumulate(per_day.get(day, 0) for day in days), strict=True))


def _first_submissions(call: Call):
    return Submission.objects.filter(application__call=call, number=1).values_list("submitted_at", flat=True)


def applications_over_time(call: Call) -> Table:
    """Per day from the opening to the deadline: drafts started and dossiers submitted (cumulative, up to today),
    and the previous edition's submissions at the same distance from its deadline (the curve to beat)."""
    first = timezone.localdate(call.opens_at)
    deadline = max(timezone.localdate(call.closes_at), first)
    today = min(max(timezone.localdate(), first), deadline)
    started = dict(
        _daily_cumulative(Application.objects.filter(call=call).values_list("created_at", flat=True), first, today)
    )
    submitted = dict(_daily_cumulative(_first_submissions(call), first, today))
    before = previous_edition(call)
    compared: dict[date, int] = {}
    if before is not None:
        offset = deadline - timezone.localdate(before.closes_at)
        for day, count in _daily_cumulative(
            _first_submissions(before), timezone.localdate(before.opens_at), timezone.localdate(before.closes_at)
        ):
            compared[day + offset] = count
    columns = [_("Day"), _("Drafts started"), _("Dossiers submitted")]
    if before is not None:
        columns.append(_("Submitted, previous edition (same day before the deadline)"))
    rows = []
    for day in (first + timedelta(days=n) for n in range((deadline - first).days + 1)):
        row = (day, started.get(day, ""), submitted.get(day, ""))
        rows.append((*row, compared.get(day, "")) if before is not None else row)
    return Table("timeline", _("Applications over time"), columns, rows)


def _counted(key: str, title: str, label: str, counter: Counter) -> Table:
    rows = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return Table(key, title, [label, _("Dossiers")], rows)


def distributions(contents: list[dict]) -> list[Table]:
    themes: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    criteria: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    carriers: Counter[str] = Counter()
    carrier_types = dict(OrganisationType.choices)
    for content in contents:
        themes.update(localize(t["name"]) for t in content.get("themes", []))
        domains.update(localize(d["name"]) for d in content.get("domains", []))
        if content.get("format"):
            formats[f"{content['format']['number']}. {localize(content['format']['name'])}"] += 1
        criteria.update(
            localize(c["name"]) for c in content.get("claims", []) if (c.get("justification") or "").strip()
        )
        if content.get("trl"):
            levels[f"TRL {content['trl']}"] += 1
        if content.get("carrier_type"):
            carriers[str(carrier_types.get(content["carrier_type"], content["carrier_type"]))] += 1
    trl = Table("trl", _("Technology readiness level"), [_("Level"), _("Dossiers")],
                sorted(levels.items(), key=lambda item: int(item[0].split()[1])))  # fmt: skip
    return [
        _counted("themes", _("Themes"), _("Theme"), themes),
        _counted("domains", _("Priority domains"), _("Priority domain"), domains),
        _counted("formats", _("Formats"), _("Format"), formats),
        _counted("criteria", _("Criteria claimed with a justification"), _("Criterion"), criteria),
        trl,
        _counted("carrier_types", _("Carrier organisations"), _("Organisation type"), carriers),
    ]


def countries(contents: list[dict]) -> Table:
    """Carriers and partners by country (a dossier counts once per country it involves as partner)."""
    carriers: Counter[str] = Counter()
    partners: Counter[str] = Counter()
    for content in contents:
        if content.get("carrier_country"):
            carriers[content["carrier_country"]] += 1
        partners.update({p["country"] for p in content.get("partners", []) if p.get("country")})
    codes = sorted(set(carriers) | set(partners), key=lambda c: (-(carriers[c] + partners[c]), c))
    rows = [
        (code, country_name(code), carriers[code], partners[code], carriers[code] + partners[code]) for code in codes
    ]
    return Table("countries", _("Countries of carriers and partners"),
                 [_("Code"), _("Country"), _("Carriers"), _("Partners"), _("Total")], rows)  # fmt: skip


def international_pairs(contents: list[dict]) -> Table:
    """Which countries work together: a carrier's country with each foreign partner's country."""
    pairs: Counter = Counter()
    for content in contents:
        home = content.get("carrier_country")
        for country in {p["country"] for p in content.get("partners", []) if p.get("country")} - {home}:
            if home:
                pairs[tuple(sorted((home, country)))] += 1
    rows = [(country_name(a), country_name(b), n) for (a, b), n in sorted(pairs.items(), key=lambda i: (-i[1], i[0]))]
    return Table("pairs", _("International pairs"), [_("Country"), _("Country"), _("Dossiers")], rows)


@dataclass(frozen=True)
class DraftAtRisk:
    application: Application
    missing: list[str]  # field names, as application_problems gives them
    reminded_at: object

    @property
    def missing_labels(self) -> list[str]:
        labels = field_labels()
        return [str(labels.get(field, field)) for field in self.missing]


def drafts_at_risk(call: Call) -> list[DraftAtRisk]:
    """Drafts never submitted that could not be submitted as they stand, once the deadline is near."""
    if timezone.now() < call.closes_at - AT_RISK_BEFORE_DEADLINE or call.has_closed:
        return []
    drafts = list(
        Application.objects.filter(call=call, status=Application.Status.DRAFT, submissions__isnull=True)
        .select_related("owner", "format")
        .order_by("created_at")
    )
    reminded = dict(
        ApplicationEvent.objects.filter(application__call=call, kind=ApplicationEvent.Kind.REMINDED).values_list(
            "application_id", "at"
        )
    )
    lists = lists_of_dossiers([draft.pk for draft in drafts])
    at_risk = []
    for draft in drafts:
        draft.call = call  # the rules read the call; joining it would decode its definition on every row
        problems = application_problems(draft, lists[draft.pk])
        if problems:
            at_risk.append(DraftAtRisk(draft, sorted(problems), reminded.get(draft.pk)))
    return at_risk


def missing_most_often(at_risk: list[DraftAtRisk]) -> Table:
    labels = field_labels()
    counter = Counter(field for draft in at_risk for field in draft.missing)
    rows = [(str(labels.get(field, field)), n) for field, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))]
    return Table("missing", _("What the drafts at risk miss most often"), [_("Section"), _("Drafts")], rows)


def committee_progress(call: Call) -> Table:
    scores = member_scores(call)
    rows = []
    for progress in review_progress(call):
        own = scores.get(progress.member.pk, [])
        rows.append(
            (
                progress.member.user.full_name or progress.member.user.email,
                progress.assigned,
                progress.submitted,
                progress.assigned - progress.submitted,
                round(sum(own) / len(own), 2) if own else "",
                min(own) if own else "",
                max(own) if own else "",
            )
        )
    columns = [_("Member"), _("Assigned"), _("Submitted"), _("To do"), _("Mean score"), _("Lowest"), _("Highest")]
    return Table("committee", _("Committee progress"), columns, rows)


def reviews_per_dossier(call: Call) -> Table:
    """How many dossiers have 0, 1, 2… submitted reviews: the round's progress seen from the dossiers."""
    assigned = Counter(
        Assignment.objects.filter(application__call=call).values_list("application_id", flat=True).iterator()
    )
    submitted = Counter(
        Review.objects.filter(assignment__application__call=call, status=Review.Status.SUBMITTED)
        .values_list("assignment__application_id", flat=True)
        .iterator()
    )
    per_dossier = Counter(submitted.get(pk, 0) for pk in assigned)
    rows = [(count, per_dossier[count]) for count in sorted(per_dossier)]
    return Table(
        "reviews_per_dossier", _("Submitted reviews per assigned dossier"), [_("Reviews"), _("Dossiers")], rows
    )


def member_scores(call: Call) -> dict[int, list[float]]:
    scores: dict[int, list[float]] = {}
    reviews = Review.objects.filter(assignment__application__call=call, status=Review.Status.SUBMITTED)
    for review in reviews.select_related("assignment"):
        if review.total is not None:
            scores.setdefault(review.assignment.member_id, []).append(round(review.total, 2))
    return scores


def score_spreads(call: Call) -> list[tuple[str, list[float]]]:
    scores = member_scores(call)
    return [(m.user.full_name or m.user.email, scores.get(m.pk, [])) for m in committee(call)]


def disagreements(call: Call) -> Table:
    rows = [
        (row.application.reference, row.content.get("title", ""), row.review_count, round(row.spread or 0, 2))
        for row in ranking(call, view="disputed")
    ]
    return Table("disagreements", _("Dossiers on which reviewers disagree"),
                 [_("Reference"), _("Dossier"), _("Reviews"), _("Spread")], rows)  # fmt: skip
