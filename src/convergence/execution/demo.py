"""A completed edition for the demo: the real 2024–2025 dates, labelled challenges, January reports, final
results and a Summit programme, made through the real services so that every public page has content.

The dossiers are submitted while the edition is open (its dates shifted), then the edition is reloaded with its
real dates and the timestamps are set back to when those steps happened in the real programme."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F

from convergence.applications.demo import demo_dossiers, seed_demo_applications
from convergence.applications.models import Application, ApplicationEvent, Submission
from convergence.calls.models import Call
from convergence.calls.services import call_load
from convergence.core.demo import paris_time, simple_pdf
from convergence.labels import services as labels
from convergence.labels.models import Label, LabelEvent
from convergence.review import services as selection
from convergence.review.demo import seed_committee_round
from convergence.review.demo_instruction import seed_edition_instruction
from convergence.review.models import Decision, Review, Selection, SelectionEvent

from . import services, showcase
from .models import ProgressReport

LABELLED = 12
GUIDELINES = [
    "Convergence IA — charte graphique du label / label graphic guidelines",
    "Logo, couleurs, mentions obligatoires / logo, colours, required wording",
]
ROOMS = ["Grand Palais — Salle Curie", "Grand Palais — Salle Lovelace"]


def _move_dossiers_in_time(call: Call, delta: timedelta) -> None:
    """The dossiers were made while the edition was open in demo time; move them to its real weeks."""
    for model, fields in (
        (Application, ("created_at", "updated_at", "submitted_at")),
        (Submission, ("submitted_at",)),
        (ApplicationEvent, ("at",)),
    ):
        rows = model.objects.filter(**{"application__call" if model is not Application else "call": call})
        rows.update(**{name: F(name) + delta for name in fields})


def _committee_day_times(call: Call) -> None:
    """The round happened on committee day (6 December 2024): reviews in the morning, decisions at 17:00."""
    reviews = Review.objects.filter(assignment__application__call=call).order_by("pk")
    morning = paris_time(2024, 12, 6, 8)
    for index, review in enumerate(reviews):
        at = morning + timedelta(minutes=3 * index)
        Review.objects.filter(pk=review.pk).update(submitted_at=at, updated_at=at)
    events = SelectionEvent.objects.filter(call=call).order_by("pk")
    for index, event in enumerate(events):
        SelectionEvent.objects.filter(pk=event.pk).update(
            at=paris_time(2024, 12, 6, 7, 30) + timedelta(seconds=40 * index)
        )


@transaction.atomic
def seed_completed_edition(*, text: str, source: str, slug: str, receipt_prefix: str, organiser, seed: int = 2025):
    open_edition = call_load(text=text, source=source, demo=True, slug=slug, receipt_prefix=receipt_prefix)
    shifted_opening = open_edition.opens_at
    seed_demo_applications(
        call=open_edition, count=len(demo_dossiers("edition")), seed=seed, pool="edition",
        arrivals_until=open_edition.closes_at,
    )  # fmt: skip
    call = call_load(text=text, source=source, demo=False, slug=slug, receipt_prefix=receipt_prefix)
    Call.objects.filter(pk=call.pk).update(is_demo=False)
    _move_dossiers_in_time(call, call.opens_at - shifted_opening)
    # The morning of committee day: a request for completion answered, an outside expert's opinion.
    seed_edition_instruction(call=call, organiser=organiser)

    seed_committee_round(call=call, organiser=organiser, labelled=LABELLED, waiting=4, seed=seed)
    _committee_day_times(call)
    # Past edition: the applicants were told at the time, so publishing now sends nothing.
    Decision.objects.filter(application__call=call).update(
        decided_at=paris_time(2024, 12, 6, 17), notified_at=paris_time(2024, 12, 6, 19)
    )
    selection.decisions_publish(call=call, user=organiser)
    Selection.objects.filter(call=call).update(decisions_published_at=paris_time(2024, 12, 6, 19))
    SelectionEvent.objects.filter(call=call, kind=SelectionEvent.Kind.DECISIONS_PUBLISHED).update(
        at=paris_time(2024, 12, 6, 19)
    )

    awarded = []
    for decision in Decision.objects.filter(application__call=call, outcome="labelled").order_by("pk"):
        awarded.append(
            labels.label_award(application=decision.application, user=organiser, at=paris_time(2024, 12, 10, 10))
        )
    Label.objects.filter(call=call).update(kit_notified_at=paris_time(2024, 12, 10, 11))
    LabelEvent.objects.filter(label__call=call, kind=LabelEvent.Kind.AWARDED).update(at=paris_time(2024, 12, 10, 10))
    labels.kit_file_add(
        call=call,
        user=organiser,
        title="Charte graphique du label",
        upload=SimpleUploadedFile("charte.pdf", simple_pdf(GUIDELINES), content_type="application/pdf"),
    )

    interim = call.milestones.get(report="interim")
    final = call.milestones.get(report="final")
    for index, label in enumerate(awarded):
        owner = label.application.owner
        report = services.report_for(label=label, milestone=interim)
        services.report_save(
            report=report,
            user=owner,
            text=f"Premiers résultats de « {label.payload['title']} » : données réunies, premier modèle évalué.",
            key_figures=[
                {"label": "Participants", "value": str(40 + 17 * index)},
                {"label": "Partenaires", "value": str(2 + index % 4)},
            ],
            links=[f"https://example.org/defis/{label.identifier.lower()}"],
            submit=True,
        )
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=paris_time(2025, 1, 14, 9 + index % 8))
        if index < LABELLED - 2:  # two challenges are still finishing their results
            report = services.report_for(label=label, milestone=final)
            services.report_save(
                report=report,
                user=owner,
                text=f"Résultats finaux de « {label.payload['title']} » : objectifs atteints, code et données publiés.",
                key_figures=[{"label": "Précision", "value": f"{88 + index % 10} %"}],
                links=[f"https://example.org/defis/{label.identifier.lower()}/resultats"],
                submit=True,
            )
            services.final_results_publish(report=report, user=organiser)
            ProgressReport.objects.filter(pk=report.pk).update(
                submitted_at=paris_time(2025, 2, 8, 12), published_at=paris_time(2025, 2, 9, 18)
            )

    sessions = []
    for day in (10, 11):
        for room_index, room in enumerate(ROOMS):
            for start, end, title in ((9, 12, "Matinée"), (14, 17, "Après-midi")):
                theme = list(call.themes.all())[(day + room_index + start) % call.themes.count()]
                sessions.append(
                    showcase.session_create(
                        call=call,
                        user=organiser,
                        title=f"{title} — {theme.label}",
                        starts_at=paris_time(2025, 2, day, start),
                        ends_at=paris_time(2025, 2, day, end),
                        room=room,
                        theme=theme,
                    )
                )
    for index, label in enumerate(awarded):
        session = sessions[index % len(sessions)]
        slot_start = session.starts_at + timedelta(minutes=30 * (index // len(sessions)))
        showcase.slot_add(
            session=session,
            user=organiser,
            label=label,
            starts_at=slot_start,
            ends_at=slot_start + timedelta(minutes=25),
        )
    return call
