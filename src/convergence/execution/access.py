"""Who may read and comment a progress report: its carrier reads; organisers and non-conflicted committee
members of the call read and comment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from convergence.accounts.access import user_is_organiser
from convergence.review.access import member_can_read, membership

from .models import ProgressReport


def may_follow(*, user, label) -> bool:
    """Organisers follow every challenge; a committee member, those of dossiers they are not conflicted with."""
    if user_is_organiser(user):
        return True
    member = membership(user=user, call=label.call)
    return member is not None and member_can_read(member, label.application)


def writes_reports(*, user, label) -> bool:
    """Only the carrier of the challenge writes its reports (organisers and the committee read and comment)."""
    return user.is_authenticated and label.application.owner_id == user.pk


def may_publish_results(*, user, report: ProgressReport) -> bool:
    """Organisers publish final results on the challenge's public page."""
    return user_is_organiser(user) and report.milestone.report == "final"


def can_comment(*, user, report: ProgressReport) -> bool:
    return may_follow(user=user, label=report.label)


def access_report(*, user, report_id: int) -> ProgressReport:
    """A submitted report for the committee and organisers; the carrier also sees their own drafts."""
    if not user.is_authenticated:
        raise PermissionDenied
    report = (
        ProgressReport.objects.select_related("label__call", "label__application__owner", "milestone")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    if report.label.application.owner_id == user.pk:
        return report
    if report.status == ProgressReport.Status.SUBMITTED and can_comment(user=user, report=report):
        return report
    raise Http404


def access_report_for_commenter(*, user, report_id: int) -> ProgressReport:
    """A report its reader may also comment; the carrier reads their own but is refused (403) here."""
    report = access_report(user=user, report_id=report_id)
    if report.status != ProgressReport.Status.SUBMITTED or not can_comment(user=user, report=report):
        raise PermissionDenied
    return report


def require_follow_up_reader(*, user, call) -> None:
    """The dashboard: organisers, and the call's committee members (who then see only reports they may read)."""
    if user_is_organiser(user) or membership(user=user, call=call) is not None:
        return
    raise PermissionDenied
