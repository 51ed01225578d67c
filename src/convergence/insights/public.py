"""Public statistics of a completed edition, computed from its open data (nothing private can leak)."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.core.countries import country_name
from convergence.labels.models import Label
from convergence.labels.opendata import open_data_row
from convergence.labels.selectors import public_labels

from .selectors import Table

# Public chart → the table it draws.
PUBLIC_CHARTS = {"themes": "themes", "domains": "domains", "formats": "formats", "countries": "countries"}


def completed_edition() -> Call | None:
    """The last edition whose applications have closed and that has labelled challenges."""
    return (
        Call.objects.filter(closes_at__lt=timezone.now(), labels__status=Label.Status.VALID)
        .distinct()
        .order_by("-closes_at")
        .first()
    )


def edition_tables(edition: Call) -> dict[str, Table]:
    rows = [open_data_row(label) for label in public_labels().filter(call=edition)]
    themes = {t.code: localize(t.name) for t in edition.themes.all()}
    domains = {d.code: localize(d.name) for d in edition.domains.all()}
    formats = {f.number: f"{f.number}. {localize(f.name)}" for f in edition.formats.all()}
    by_theme = Counter(themes.get(code, code) for row in rows for code in row["themes"])
    by_domain = Counter(domains.get(code, code) for row in rows for code in row["domains"])
    by_format = Counter(formats.get(row["format"], str(row["format"])) for row in rows if row["format"])
    carriers = Counter(row["carrier_country"] for row in rows if row["carrier_country"])
    partners = Counter(code for row in rows for code in set(row["partner_countries"]))
    codes = sorted(set(carriers) | set(partners), key=lambda c: (-(carriers[c] + partners[c]), c))

    def counted(key: str, title: str, label: str, counter: Counter) -> Table:
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return Table(key, title, [label, _("Labelled challenges")], ordered)

    return {
        "themes": counted("themes", _("Labelled challenges by theme"), _("Theme"), by_theme),
        "domains": counted("domains", _("Labelled challenges by priority domain"), _("Priority domain"), by_domain),
        "formats": counted("formats", _("Labelled challenges by format"), _("Format"), by_format),
        "countries": Table(
            "countries",
            _("Countries of carriers and partners"),
            [_("Code"), _("Country"), _("Carriers"), _("Partners"), _("Total")],
            [(c, country_name(c), carriers[c], partners[c], carriers[c] + partners[c]) for c in codes],
        ),
    }
