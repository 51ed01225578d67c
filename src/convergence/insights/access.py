"""Who may read triage's panels: organisers read every dossier's; a committee member reads those of the dossiers
they may open, and never sees through them a dossier they are in conflict with."""

from __future__ import annotations

from collections.abc import Callable

from convergence.accounts.access import user_is_organiser
from convergence.applications.access import access_application_for_organiser
from convergence.applications.models import Application
from convergence.review.access import access_application_for_member, member_can_read

from .triage import Challenge


def access_similar_for_reader(*, user, application_id: int) -> tuple[Application, Callable[[Challenge], bool]]:
    """The dossier, and which of the call's other dossiers the reader may see in its panel. Anyone else gets
    "not found" (401/403 for the anonymous and strangers, as elsewhere)."""
    if user_is_organiser(user):
        return access_application_for_organiser(user=user, application_id=application_id), lambda challenge: True
    application, member = access_application_for_member(user=user, application_id=application_id)

    def may_read(challenge: Challenge) -> bool:
        other = Application.objects.filter(pk=challenge.pk).first()
        return other is not None and member_can_read(member, other)

    return application, may_read
