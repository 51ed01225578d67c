"""Why a competition refuses an action (codes in core/errors.py)."""

from __future__ import annotations

from convergence.core.errors import DomainError, ErrorCode


class CompetitionError(DomainError):
    code = ErrorCode.INVALID_DATA


class NotAllowed(CompetitionError):
    code = ErrorCode.NOT_ALLOWED


class LimitReached(CompetitionError):
    code = ErrorCode.LIMIT_REACHED
