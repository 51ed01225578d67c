"""Who may read a label's private side (certificate, kit): its carrier and the organisers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from convergence.accounts.access import user_is_organiser

from .models import KitFile, Label


def access_label_for_carrier(*, user, identifier: str) -> Label:
    """The label if `user` carries the challenge (or organises); someone else's is reported as missing."""
    if not user.is_authenticated:
        raise PermissionDenied
    label = Label.objects.select_related("call", "application__owner").filter(identifier=identifier).first()
    if label is None or not (user_is_organiser(user) or label.application.owner_id == user.pk):
        raise Http404
    return label


def access_kit_file(*, user, kit_file_id: int) -> tuple[KitFile, Label | None]:
    """A kit file for an organiser, or for the carrier of a valid label of the same call; else "not found"."""
    if not user.is_authenticated:
        raise PermissionDenied
    kit_file = KitFile.objects.select_related("call").filter(pk=kit_file_id, removed_at__isnull=True).first()
    if kit_file is None:
        raise Http404
    label = Label.objects.filter(call=kit_file.call, application__owner=user, status=Label.Status.VALID).first()
    if label is None and not user_is_organiser(user):
        raise Http404
    return kit_file, label


def kit_files_for(*, user, label: Label) -> list[KitFile]:
    if not (label.is_valid or user_is_organiser(user)):
        return []
    return list(KitFile.objects.filter(call=label.call, removed_at__isnull=True))
