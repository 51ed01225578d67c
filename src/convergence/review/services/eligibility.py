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
    counts = {"eligible": 0, "ineligible": 0}
    applications = list(submitted_applications(call))
    contents = latest_contents([a.pk for a in applications])
    for application in applications:
        reasons = eligibility_reasons(call, contents.get(application.pk, {}))
        eligibility, _created = Eligibility.objects.update_or_create(
            application=application,
            defaults={"is_eligible_by_rules": not reasons, "reasons": reasons, "checked_at": now},
        )
        counts["eligible" if eligibility.is_eligible else "ineligible"] += 1
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
