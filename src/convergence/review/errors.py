from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from convergence.applications.errors import ApplicationError, ErrorCode


class SelectionError(ApplicationError):
    """An action of the selection round that cannot be done; shares the edge mapping of dossier errors."""

    code = ErrorCode.INVALID_TRANSITION
    status = 409


class ReviewsLocked(SelectionError):
    default_message = _("The organiser has locked the reviews: they can no longer be changed.")


class ReviewIncomplete(SelectionError):
    status = 400
    default_message = _("The review cannot be submitted yet: complete the fields listed below.")


class AssignmentHasReview(SelectionError):
    default_message = _("This member has started a review of this dossier: the assignment cannot be removed.")


class DecisionsPublished(SelectionError):
    default_message = _("The decisions are published: they can no longer be changed.")


class NotEligible(SelectionError):
    default_message = _("This dossier is not eligible.")


class ApplicationsStillOpen(SelectionError):
    default_message = _("Applications are still open: the selection starts after the deadline.")
