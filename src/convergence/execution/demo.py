"""A completed edition for the demo: the real 2024–2025 dates, labelled challenges, January reports, final
results and a Summit programme, made through the real services so that every public page has content.

The dossiers are submitted while the edition is open (its dates shifted), then the edition is reloaded with its
real dates and the timestamps are set back to when those steps happened in the real programme."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.pdfgen import canvas

from convergence.applications.demo import seed_demo_applications
from convergence.applications.models import Submission
from convergence.calls.models import Call
from convergence.calls.services import call_load
from convergence.labels import services as labels
from convergence.labels.models import Label
from convergence.review import services as selection
from convergence.review.models import Decision, Eligibility, Selection

from . import services, showcase
from .models import ProgressReport

PARIS = ZoneInfo("Europe/Paris")
LABELLED = 12
ROOMS = ["Grand Palais — Salle Curie", "Grand Palais — Salle Lovelace"]


def _paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def _guidelines_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, "Convergence IA — charte graphique du label / label graphic guidelines")
    page.drawString(72, 740, "Logo, couleurs, mentions obligatoires / logo, colours, required wording")
    page.save()
    return buffer.getvalue()


@transaction.atomic
def seed_completed_edition(*, text: str, source: str, slug: str, receipt_prefix: str, organiser, seed: int = 2025):
    rng = random.Random(seed)
    open_edition = call_load(text=text, source=source, demo=True, slug=slug, receipt_prefix=receipt_prefix)
    seed_demo_applications(call=open_edition, count=30, seed=seed)
    call = call_load(text=text, source=source, demo=False, slug=slug, receipt_prefix=receipt_prefix)
    Call.objects.filter(pk=call.pk).update(is_demo=False)

    for index, submission in enumerate(Submission.objects.filter(application__call=call).order_by("pk")):
        submitted = _paris(2024, 11, 26) + timedelta(hours=5 * index + rng.randint(0, 4))
        Submission.objects.filter(pk=submission.pk).update(submitted_at=min(submitted, _paris(2024, 12, 5, 23, 50)))

    selection.eligibility_check(call=call, user=organiser)
    eligible = [e.application for e in Eligibility.objects.filter(application__call=call).select_related("application")]
    eligible = [application for application in eligible if application.eligibility.is_eligible]
    rng.shuffle(eligible)
    outcomes = ["labelled"] * LABELLED + ["waiting_list"] * 4
    for application, outcome in zip(eligible, outcomes + ["not_selected"] * len(eligible), strict=False):
        selection.decision_record(
            application=application, user=organiser, outcome=outcome, rationale="Comité du 6 décembre 2024"
        )
    # Past edition: the applicants were told at the time, so publishing now sends nothing.
    Decision.objects.filter(application__call=call).update(
        decided_at=_paris(2024, 12, 6, 17), notified_at=_paris(2024, 12, 6, 19)
    )
    selection.decisions_publish(call=call, user=organiser)
    Selection.objects.filter(call=call).update(decisions_published_at=_paris(2024, 12, 6, 19))

    awarded = []
    for decision in Decision.objects.filter(application__call=call, outcome="labelled").order_by("pk"):
        awarded.append(
            labels.label_award(application=decision.application, user=organiser, at=_paris(2024, 12, 10, 10))
        )
    Label.objects.filter(call=call).update(kit_notified_at=_paris(2024, 12, 10, 11))
    labels.kit_file_add(
        call=call,
        user=organiser,
        title="Charte graphique du label",
        upload=SimpleUploadedFile("charte.pdf", _guidelines_pdf(), content_type="application/pdf"),
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
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=_paris(2025, 1, 14, 9 + index % 8))
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
                submitted_at=_paris(2025, 2, 8, 12), published_at=_paris(2025, 2, 9, 18)
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
                        starts_at=_paris(2025, 2, day, start),
                        ends_at=_paris(2025, 2, day, end),
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
