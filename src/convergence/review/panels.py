"""What the selection adds to other stages' pages: the decision on the applicant's dossier page
(settings.APPLICATION_PANELS); experts, and what the organisers share, on a reader's page (settings.READER_PANELS)."""

from __future__ import annotations

from django.template.loader import render_to_string

from convergence.accounts.access import user_is_organiser
from convergence.applications import instruction

from .access import member_can_read, membership
from .forms import ExpertInviteForm
from .models import ExpertInvitation
from .selectors import published_decision


def decision_panel(request, application) -> str:
    decision = published_decision(application)
    if decision is None:
        return ""
    return render_to_string("review/_decision_panel.html", {"decision": decision}, request=request)


def instruction_panel(request, application) -> str:
    """Organisers: the invited experts and their opinions. A committee member who may read the dossier: the
    messages and notes the organisers share with the committee, and the experts' opinions."""
    invitations = ExpertInvitation.objects.filter(application=application).select_related("expert", "invited_by")
    if user_is_organiser(request.user):
        context = {"application": application, "invitations": invitations, "form": ExpertInviteForm()}
        return render_to_string("review/_experts_panel.html", context, request=request)
    member = membership(user=request.user, call=application.call)
    if member is None or not member_can_read(member, application):
        return ""
    context = {
        "shared_messages": instruction.messages_for_committee(application),
        "notes": instruction.notes_for_committee(application),
        "opinions": [invitation for invitation in invitations if invitation.opinion_at and not invitation.revoked_at],
    }
    return render_to_string("review/_committee_instruction.html", context, request=request)
