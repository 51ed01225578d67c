"""The demo's instruction of dossiers, written by hand and made through the real services: messages with
applicants, a request for completion answered after the deadline (completed edition), the organisers' notes and
tags, and an outside expert's opinion."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from convergence.accounts.models import User
from convergence.applications import completion, instruction
from convergence.applications import services as dossiers
from convergence.applications.models import (
    Application,
    ApplicationEvent,
    CompletionRequest,
    InternalNote,
    Message,
    Submission,
)
from convergence.calls.models import Call
from convergence.core.demo import paris_time, simple_pdf

from . import services
from .models import ExpertInvitation, SelectionEvent


def _submitted(call: Call) -> list[Application]:
    return list(
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
        .select_related("owner")
        .order_by("pk")
    )


def _expert() -> User | None:
    return User.objects.filter(email="expert@demo.test").first()


@transaction.atomic
def seed_current_instruction(*, call: Call, organiser: User) -> int:
    """The open call: questions from applicants and the organisers' answers, one message not read yet, notes and
    tags, and an expert who has accepted to read a dossier. Once: a second run adds nothing."""
    if Message.objects.filter(application__call=call).exists():
        return 0
    submitted = _submitted(call)
    if len(submitted) < 3:
        return 0
    first, second, third = submitted[:3]
    instruction.message_send(
        application=first,
        user=first.owner,
        body=(
            "Bonjour,\nl'un de nos partenaires est une association, ni un laboratoire ni une entreprise. Peut-il "
            "figurer comme partenaire à part entière, avec le type « organisation à but non lucratif » ?"
        ),
    )
    instruction.thread_read(application=first, user=organiser)
    instruction.message_send(
        application=first,
        user=organiser,
        body=(
            "Bonjour,\noui : tout type d'organisation peut être partenaire. Indiquez son rôle dans le défi (collecte "
            "des données, accès au terrain…) : c'est ce que le comité lira pour le critère 1."
        ),
    )
    instruction.thread_read(application=first, user=first.owner)
    instruction.message_send(
        application=second,
        user=second.owner,
        body=(
            "Hello, one of our partners will only sign its letter of support next week. May we send it after the "
            "deadline, or should we submit without it?"
        ),
    )
    _spread_in_time(first, hours_after_submission=[3, 6], read_after_minutes=[40, 90])
    _spread_in_time(second, hours_after_submission=[5], read_after_minutes=[])
    instruction.note_add(
        application=second,
        user=organiser,
        body="Lettre de soutien d'un partenaire attendue : à vérifier avant le comité.",
        audience="organisers",
    )
    instruction.tags_set(application=second, user=organiser, labels=["lettre attendue"])
    instruction.tags_set(application=first, user=organiser, labels=["partenaire associatif"])
    instruction.note_add(
        application=first,
        user=organiser,
        body="Porteur déjà accompagné par le programme en 2023 : sans incidence sur l'éligibilité.",
        audience="committee",
    )
    expert = _expert()
    if expert is not None:
        invitation, _new = services.expert_invite(
            application=third,
            email=expert.email,
            invited_by=organiser,
            request="Votre avis sur la qualité des données et la faisabilité d'ici février, s'il vous plaît.",
        )
        services.expert_declare(invitation=invitation, user=expert)
    return 1


def _spread_in_time(application: Application, *, hours_after_submission: list[int], read_after_minutes: list[int]):
    """The thread's messages, just written, placed some hours after the dossier was submitted (never in the
    future), each read some minutes after it was sent when `read_after_minutes` says so."""
    now = timezone.now()
    base = application.submitted_at or now
    events = application.events.filter(kind=ApplicationEvent.Kind.MESSAGE_SENT).order_by("pk")
    for index, (message, event) in enumerate(zip(application.messages.order_by("pk"), events, strict=False)):
        sent = min(base + timedelta(hours=hours_after_submission[index]), now - timedelta(minutes=30 - index))
        read = sent + timedelta(minutes=read_after_minutes[index]) if index < len(read_after_minutes) else None
        Message.objects.filter(pk=message.pk).update(sent_at=sent, read_at=min(read, now) if read else None)
        ApplicationEvent.objects.filter(pk=event.pk).update(at=sent)


@transaction.atomic
def seed_edition_instruction(*, call: Call, organiser: User) -> None:
    """The completed edition, the morning of committee day: the organisers asked a carrier for the missing
    commitment letter of a partner; the carrier added the partner and the letter and submitted again (version 2).
    An outside expert gave an opinion on another dossier. Moved afterwards to the real dates."""
    submitted = _submitted(call)
    if len(submitted) < 2 or CompletionRequest.objects.filter(application__call=call).exists():
        return
    dossier, reviewed = submitted[0], submitted[1]
    owner = dossier.owner
    request = completion.completion_request_open(
        application=dossier,
        user=organiser,
        fields=["partners", "attachments"],
        message=(
            "Le dossier cite l'Université de Dakar comme partenaire des données, mais elle ne figure pas dans la "
            "liste des partenaires et sa lettre d'engagement manque. Ajoutez-la avant midi : le comité se réunit "
            "cet après-midi."
        ),
        due_at=timezone.now() + timedelta(hours=4),
    )
    instruction.message_send(
        application=dossier,
        user=organiser,
        body=(
            "Bonjour, nous vous avons adressé une demande de complément : seuls les partenaires et les pièces "
            "jointes sont rouverts, jusqu'à midi."
        ),
    )
    instruction.thread_read(application=dossier, user=owner)
    dossier.refresh_from_db()
    partners = list(dossier.partners.values("organisation", "organisation_type", "country", "role"))
    partners.append(
        {
            "organisation": "Université Cheikh Anta Diop de Dakar",
            "organisation_type": "research",
            "country": "SN",
            "role": "Annotation des données et accès aux centres partenaires",
        }
    )
    dossier = dossiers.application_update(
        application=dossier, user=owner, expected_version=dossier.version, changes={"partners": partners}
    )
    dossiers.attachment_add(
        application=dossier,
        user=owner,
        upload=SimpleUploadedFile(
            "lettre-engagement-ucad.pdf",
            simple_pdf(
                ["Université Cheikh Anta Diop de Dakar", "Lettre d'engagement — partenariat de données", "Dakar"]
            ),
            content_type="application/pdf",
        ),
    )
    answer = dossiers.application_submit(application_id=dossier.pk, user=owner)
    reply = instruction.message_send(
        application=dossier,
        user=owner,
        body="Bonjour, c'est fait : le partenaire est ajouté et sa lettre signée est jointe au dossier (version 2).",
    )
    instruction.thread_read(application=dossier, user=organiser)
    instruction.message_share(message=reply, user=organiser, shared=True)
    instruction.note_add(
        application=dossier,
        user=organiser,
        body="Lettre reçue à 10 h 05 : le partenariat sénégalais étaye désormais le critère 1.",
        audience="committee",
    )
    instruction.tags_set(application=dossier, user=organiser, labels=["complément reçu"])

    expert = _expert()
    invitation = None
    if expert is not None:
        invitation, _new = services.expert_invite(
            application=reviewed,
            email=expert.email,
            invited_by=organiser,
            request="Votre regard sur la méthode d'évaluation proposée, en dehors du comité.",
        )
        services.expert_declare(invitation=invitation, user=expert)
        services.expert_opinion_save(
            invitation=invitation,
            user=expert,
            opinion=(
                "La méthode d'évaluation est solide : jeu de test tenu à l'écart, métriques adaptées au déséquilibre "
                "des classes. Le calendrier d'ici février est tendu pour la collecte dans trois pays ; un plan de "
                "repli sur deux pays serait prudent."
            ),
            recommendation="label",
        )
    _move_to_committee_morning(call, dossier, request, answer, invitation)


# The morning of 6 December 2024 (Paris), in the order the dossier's events were written above.
EVENT_TIMES = [(7, 45), (7, 50), (9, 40), (9, 55), (10, 5), (10, 5), (10, 8), (10, 12), (10, 15), (10, 16)]


def _move_to_committee_morning(call, dossier, request, answer, invitation) -> None:
    """What was just made happened on committee morning: asked at 7:45, answered at 10:05, before the meeting."""
    CompletionRequest.objects.filter(pk=request.pk).update(
        requested_at=paris_time(2024, 12, 6, 7, 45),
        due_at=paris_time(2024, 12, 6, 12),
        answered_at=paris_time(2024, 12, 6, 10, 5),
    )
    Submission.objects.filter(pk=answer.pk).update(submitted_at=paris_time(2024, 12, 6, 10, 5))
    Application.objects.filter(pk=dossier.pk).update(
        submitted_at=paris_time(2024, 12, 6, 10, 5), updated_at=paris_time(2024, 12, 6, 10, 5)
    )
    letter = dossier.attachments.filter(removed_at__isnull=True).order_by("-pk").first()
    if letter is not None:
        type(letter).objects.filter(pk=letter.pk).update(uploaded_at=paris_time(2024, 12, 6, 9, 55))
    recent = timezone.now() - timedelta(hours=1)
    events = ApplicationEvent.objects.filter(application=dossier, at__gte=recent).order_by("pk")
    for event, (hour, minute) in zip(events, EVENT_TIMES, strict=False):
        ApplicationEvent.objects.filter(pk=event.pk).update(at=paris_time(2024, 12, 6, hour, minute))
    for message, sent, read in zip(
        dossier.messages.order_by("pk"), [(7, 50), (10, 8)], [(8, 10), (10, 12)], strict=False
    ):
        Message.objects.filter(pk=message.pk).update(
            sent_at=paris_time(2024, 12, 6, *sent),
            read_at=paris_time(2024, 12, 6, *read),
            shared_with_committee_at=paris_time(2024, 12, 6, 10, 12) if message.shared_with_committee_at else None,
        )
    InternalNote.objects.filter(application=dossier).update(created_at=paris_time(2024, 12, 6, 10, 15))
    if invitation is not None:
        ExpertInvitation.objects.filter(pk=invitation.pk).update(
            invited_at=paris_time(2024, 12, 4, 9),
            declared_at=paris_time(2024, 12, 4, 11),
            opinion_at=paris_time(2024, 12, 5, 18),
        )
        SelectionEvent.objects.filter(call=call, at__gte=recent, kind__startswith="expert_").update(
            at=paris_time(2024, 12, 5, 18)
        )
