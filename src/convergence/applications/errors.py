"""Refusals about dossiers (see convergence.core.errors for the codes and how they reach the user)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from convergence.core.errors import DomainError, ErrorCode


class ApplicationError(DomainError):
    """A refusal about a dossier."""


class CallNotOpen(ApplicationError):
    code = ErrorCode.CALL_NOT_OPEN
    default_message = _("Applications for this call are not open yet.")


class DeadlinePassed(ApplicationError):
    code = ErrorCode.DEADLINE_PASSED
    default_message = _("The deadline has passed: the dossier can no longer be changed.")


class StaleVersion(ApplicationError):
    code = ErrorCode.STALE_VERSION
    default_message = _(
        "This dossier was changed elsewhere (another tab or device) since you opened it. "
        "Your changes were not saved: reload the page to see the latest version, then make them again."
    )


class IncompleteApplication(ApplicationError):
    code = ErrorCode.INCOMPLETE
    default_message = _("The dossier cannot be submitted yet: complete the fields listed below.")


class InvalidTransition(ApplicationError):
    code = ErrorCode.INVALID_TRANSITION


class AttachmentRejected(ApplicationError):
    code = ErrorCode.ATTACHMENT_REJECTED


class InvalidApplicationData(ApplicationError):
    code = ErrorCode.INVALID_DATA
    default_message = _("Some fields are not valid.")
