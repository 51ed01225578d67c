from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from convergence.core.errors import DomainError, ErrorCode


class SelectionError(DomainError):
    """An action of the selection round that cannot be done; shares the edge mapping of dossier errors."""

    code = ErrorCode.INVALID_TRANSITION


class ReviewsLocked(SelectionError):
    code = ErrorCode.REVIEWS_LOCKED
    default_message = _("The organiser has locked the reviews: they can no longer be changed.")


class ReviewIncomplete(SelectionError):
    code = ErrorCode.REVIEW_INCOMPLETE
    default_message = _("The review cannot be submitted yet: complete the fields listed below.")


class AssignmentHasReview(SelectionError):
    code = ErrorCode.ASSIGNMENT_HAS_REVIEW
    default_message = _("This member has started a review of this dossier: the assignment cannot be removed.")


class DecisionsPublished(SelectionError):
    code = ErrorCode.DECISIONS_PUBLISHED
    default_message = _("The decisions are published: they can no longer be changed.")


class NotEligible(SelectionError):
    code = ErrorCode.NOT_ELIGIBLE
    default_message = _("This dossier is not eligible.")


class ApplicationsStillOpen(SelectionError):
    code = ErrorCode.APPLICATIONS_STILL_OPEN
    default_message = _("Applications are still open: the selection starts after the deadline.")
