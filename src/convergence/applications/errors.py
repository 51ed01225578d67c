"""Domain errors with a user-readable, translatable message; mapped to 4xx or form errors at the edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ErrorCode(StrEnum):
    NOT_OPEN = "call_not_open"
    DEADLINE_PASSED = "deadline_passed"
    STALE_VERSION = "stale_version"
    INCOMPLETE = "incomplete"
    INVALID_TRANSITION = "invalid_transition"
    ATTACHMENT_REJECTED = "attachment_rejected"
    INVALID_DATA = "invalid"


class ApplicationError(Exception):
    code: ErrorCode = ErrorCode.INVALID_DATA
    status = 400
    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, field_errors: Mapping[str, Sequence[StrOrPromise]] | None = None):
        self.message = message or self.default_message
        self.field_errors: dict[str, list[StrOrPromise]] = {
            name: list(problems) for name, problems in (field_errors or {}).items()
        }
        super().__init__(str(self.message))


class CallNotOpen(ApplicationError):
    code = ErrorCode.NOT_OPEN
    status = 409
    default_message = _("Applications for this call are not open yet.")


class DeadlinePassed(ApplicationError):
    code = ErrorCode.DEADLINE_PASSED
    status = 409
    default_message = _("The deadline has passed: the dossier can no longer be changed.")


class StaleVersion(ApplicationError):
    code = ErrorCode.STALE_VERSION
    status = 409
    default_message = _(
        "This dossier was changed elsewhere (another tab or device) since you opened it. "
        "Your changes were not saved: reload the page to see the latest version, then make them again."
    )


class IncompleteApplication(ApplicationError):
    code = ErrorCode.INCOMPLETE
    status = 400
    default_message = _("The dossier cannot be submitted yet: complete the fields listed below.")


class InvalidTransition(ApplicationError):
    code = ErrorCode.INVALID_TRANSITION
    status = 409


class AttachmentRejected(ApplicationError):
    code = ErrorCode.ATTACHMENT_REJECTED
    status = 400


class InvalidApplicationData(ApplicationError):
    code = ErrorCode.INVALID_DATA
    status = 400
    default_message = _("Some fields are not valid.")
