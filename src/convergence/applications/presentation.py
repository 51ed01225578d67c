"""How the dossier editor presents a dossier: its steps, what is missing and where to fix it, its history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import CarrierForm, ChallengeForm
from .models import INTERNAL_EVENT_KINDS, Application, ApplicationEvent

STEPS = [
    ("challenge", gettext_lazy("The challenge")),
    ("carrier", gettext_lazy("Carrier and contact")),
    ("partners", gettext_lazy("Partners and data")),
    ("criteria", gettext_lazy("Selection criteria")),
    ("attachments", gettext_lazy("Attachments")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]
# The steps that are a form of fields (a problem links to its field there).
FIELD_STEPS = {"challenge", "carrier", "criteria"}


def step_of_field(field: str) -> str:
    if field in ChallengeForm.base_fields or field == "launched_on":
        return "challenge"
    if field in CarrierForm.base_fields:
        return "carrier"
    return {"claims": "criteria", "partners": "partners", "datasets": "partners"}.get(field, "review")


@dataclass(frozen=True)
class Problem:
    """One thing to fix before submitting, with the step and field where the applicant fixes it."""

    step: str
    step_number: int
    step_title: str
    field_label: str
    messages: Sequence[object]
    url: str


def problems_to_fix(application: Application, problems: Mapping[str, Sequence[object]]) -> list[Problem]:
    labels = field_labels()
    # Choice lists have no element of their own name: their first option is where the eye goes.
    anchors = {"themes": "id_themes_0", "domains": "id_domains_0", "format": "id_format_0"}
    found = []
    for field, field_messages in problems.items():
        step = step_of_field(field)
        index = STEP_NAMES.index(step)
        url = reverse("applications:step", kwargs={"pk": application.pk, "step": step})
        if step in FIELD_STEPS and field != "claims":
            url += "#" + anchors.get(field, f"id_{field}")
        found.append(Problem(step, index + 1, str(STEPS[index][1]), str(labels.get(field, field)), field_messages, url))
    return sorted(found, key=lambda problem: problem.step_number)


def field_labels() -> dict[str, object]:
    return {
        **{name: field.label for name, field in ChallengeForm.base_fields.items()},
        **{name: field.label for name, field in CarrierForm.base_fields.items()},
        "claims": _("Selection criteria"),
        "partners": _("Partners"),
        "datasets": _("Datasets used"),
        "attachments": _("Attachments"),
    }


def labels_of(fields: Iterable[str]) -> list[str]:
    """The dossier's fields as the reader names them, in the active language."""
    labels = field_labels()
    return [str(labels.get(field, field)) for field in fields]


@dataclass(frozen=True)
class HistoryLine:
    event: ApplicationEvent
    field_labels: list[str]
    until: datetime | None  # the last save of an editing session of several saves

    @property
    def from_status(self) -> str:
        return _status_label(self.event.from_status)

    @property
    def to_status(self) -> str:
        return _status_label(self.event.to_status)


def _status_label(status: str) -> str:
    return str(Application.Status(status).label) if status in Application.Status.values else status


def history_lines(application: Application, *, for_organisers: bool = False) -> list[HistoryLine]:
    """The dossier's history, an editing session per line, each naming the fields it changed. The organisers'
    own actions (notes, tags, sharing) are in their history only, never in the applicant's."""
    lines = []
    events = application.events.select_related("actor")
    if not for_organisers:
        events = events.exclude(kind__in=INTERNAL_EVENT_KINDS)
    for event in events:
        until = event.details.get("until")
        lines.append(
            HistoryLine(
                event=event,
                field_labels=labels_of(event.details.get("fields", [])),
                until=parse_datetime(until) if until and event.details.get("saves", 1) > 1 else None,
            )
        )
    return lines
