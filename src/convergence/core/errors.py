"""Domain errors: a user-readable, translatable message, one stable `code` per failure and its HTTP status.

Services raise them; one place maps them to an API answer (web/api_errors.py) and one to page messages
(web/feedback.py). Codes are part of the API contract (listed in the README): add, never rename."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorCode(StrEnum):
    # Input
    INVALID_DATA = "invalid"
    # Calls
    CALL_NOT_OPEN = "call_not_open"
    CALL_ALREADY_CLOSED = "call_already_closed"
    DEADLINE_PASSED = "deadline_passed"
    # Dossiers
    STALE_VERSION = "stale_version"
    INCOMPLETE = "incomplete"
    INVALID_TRANSITION = "invalid_transition"
    ATTACHMENT_REJECTED = "attachment_rejected"
    # Selection
    APPLICATIONS_STILL_OPEN = "applications_still_open"
    ELIGIBILITY_NOT_CHECKED = "eligibility_not_checked"
    NOT_ELIGIBLE = "not_eligible"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    ASSIGNMENT_INFEASIBLE = "assignment_infeasible"
    ASSIGNMENT_HAS_REVIEW = "assignment_has_review"
    REVIEWS_LOCKED = "reviews_locked"
    REVIEW_INCOMPLETE = "review_incomplete"
    DECISIONS_PUBLISHED = "decisions_published"
    NO_DECISION = "no_decision"
    # Labels
    NOT_SELECTED = "not_selected"
    ALREADY_LABELLED = "already_labelled"
    ALREADY_REVOKED = "already_revoked"
    # Execution
    NO_REPORT_EXPECTED = "no_report_expected"
    LABEL_REVOKED = "label_revoked"
    RESULTS_PUBLISHED = "results_published"
    NOT_A_LABEL_OF_THE_CALL = "not_a_label_of_the_call"
    PROGRAMME_CLASH = "programme_clash"
    # Competitions
    NOT_ALLOWED = "not_allowed"
    LIMIT_REACHED = "limit_reached"
    BUNDLE_INVALID = "bundle_invalid"


# The HTTP status follows from the code: bad input 400, not allowed 403, too many 429, any other refusal is a
# conflict with the state of things (409).
STATUS_BY_CODE = {
    ErrorCode.INVALID_DATA: 400,
    ErrorCode.INCOMPLETE: 400,
    ErrorCode.ATTACHMENT_REJECTED: 400,
    ErrorCode.REVIEW_INCOMPLETE: 400,
    ErrorCode.BUNDLE_INVALID: 400,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.LIMIT_REACHED: 429,
}


class DomainError(Exception):
    """A refusal the user can act on. `code` may be given where a class covers several failures."""

    code: ErrorCode = ErrorCode.INVALID_DATA
    default_message = _("This action is not possible.")

    def __init__(
        self,
        message=None,
        *,
        code: ErrorCode | None = None,
        field_errors: Mapping[str, Sequence[StrOrPromise]] | None = None,
        details: Mapping[str, object] | None = None,
    ):
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.field_errors: dict[str, list[StrOrPromise]] = {
            name: list(problems) for name, problems in (field_errors or {}).items()
        }
        self.details = dict(details or {})  # more for API clients (the reasons of an infeasible assignment…)
        super().__init__(str(self.message))

    @property
    def status(self) -> int:
        return STATUS_BY_CODE.get(self.code, 409)


class NotAllowed(DomainError):
    """The person may not do this (the page or endpoint exists for them, the action does not)."""

    code = ErrorCode.NOT_ALLOWED
