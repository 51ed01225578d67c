"""Eligibility: the check of every submitted dossier against the call's rule, and the organiser's overrides."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.errors import ErrorCode

from ..errors import ApplicationsStillOpen, SelectionError
from ..models import Eligibility, SelectionEvent
from ..selectors import latest_contents, submitted_applications

REQUIRED_FOR_ELIGIBILITY = ("title", "summary", "description", "format", "themes", "carrier_name", "contact_email")


def eligibility_reasons(call: Call, content: dict) -> list[str]:
    """Reason codes (translated when shown: Eligibility.reason_texts), empty when the dossier is eligible."""
    reasons = [f"missing:{key}" for key in REQUIRED_FOR_ELIGIBILITY if not content.get(key)]
    justified = [claim for claim in content.get("claims", []) if (claim.get("justification") or "").strip()]
    if len(justified) < call.minimum_criteria:
        reasons.append("too_few_criteria")
    return reasons


@transaction.atomic
def eligibility_check(*, call: Call, user, early: bool = False) -> dict[str, int]:
    """Check every submitted dossier against the call's rules; an organiser's override is kept.

    Before the deadline only as an early review (asked for explicitly): the committee starts on the dossiers
    already submitted, which their carriers may still revise (the committee reads the last submitted version);
    the check runs again after the deadline for the others."""
    if not call.has_closed and not early:
        raise ApplicationsStillOpen()
    now = timezone.now()
    pks = list(submitted_applications(call).values_list("pk", flat=True))
    contents = latest_contents(pks)
    existing = {e.application_id: e for e in Eligibility.objects.filter(application__in=pks)}
    created: list[Eligibility] = []
    changed: list[Eligibility] = []
    for pk in pks:
        reasons = eligibility_reasons(call, contents.get(pk, {}))
        eligibility = existing.get(pk) or Eligibility(application_id=pk)
        eligibility.is_eligible_by_rules, eligibility.reasons, eligibility.checked_at = not reasons, reasons, now
        (changed if eligibility.pk else created).append(eligibility)
    # Set-based: two statements whatever the number of dossiers (an organiser's override is a field not written).
    Eligibility.objects.bulk_create(created, batch_size=1000)
    Eligibility.objects.bulk_update(changed, ["is_eligible_by_rules", "reasons", "checked_at"], batch_size=500)
    eligible = len([eligibility for eligibility in [*created, *changed] if eligibility.is_eligible])
    counts = {"eligible": eligible, "ineligible": len(pks) - eligible}
    SelectionEvent.record(
        SelectionEvent.Kind.ELIGIBILITY_CHECKED, user, call=call, details={"early": not call.has_closed, **counts}
    )
    return counts


@transaction.atomic
def eligibility_override(*, application: Application, user, eligible: bool, rationale: str) -> Eligibility:
    if not rationale.strip():
        raise SelectionError(_("Give the rationale of your decision."), code=ErrorCode.INVALID_DATA)
    eligibility = Eligibility.objects.select_for_update().get(application=application)
    before = eligibility.is_eligible
    eligibility.override, eligibility.rationale = eligible, rationale.strip()
    eligibility.decided_by, eligibility.decided_at = user, timezone.now()
    eligibility.save(update_fields=["override", "rationale", "decided_by", "decided_at"])
    SelectionEvent.record(
        SelectionEvent.Kind.ELIGIBILITY_OVERRIDDEN,
        user,
        call=application.call,
        application=application,
        details={"before": before, "after": eligible, "rationale": rationale},
    )
    return eligibility
