"""Execution follow-up: progress reports at the call's milestones, comments, final results, reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from convergence.applications.errors import AttachmentRejected
from convergence.calls.i18n import localize
from convergence.calls.models import Call, Milestone
from convergence.core.errors import DomainError, ErrorCode, NotAllowed
from convergence.core.uploads import pdf_problem, size_problem
from convergence.labels.models import Label
from convergence.web.dates import readable_moment

from .access import can_comment, writes_reports
from .models import ExecutionEvent, MilestoneReminder, ProgressReport, ReportAttachment, ReportComment

REPORT_MAX_ATTACHMENTS = 5


class ReportError(DomainError):
    code = ErrorCode.INVALID_TRANSITION


def report_milestones(call: Call):
    return call.milestones.exclude(report="").order_by("position")


def report_for(*, label: Label, milestone: Milestone) -> ProgressReport:
    if milestone.call_id != label.call_id or not milestone.report:
        raise ReportError(_("This milestone expects no report."), code=ErrorCode.NO_REPORT_EXPECTED)
    report, _created = ProgressReport.objects.get_or_create(label=label, milestone=milestone)
    return report


def _clean_key_figures(figures: list) -> list[dict]:
    cleaned = []
    for figure in figures or []:
        name, value = str(figure.get("label", "")).strip()[:200], str(figure.get("value", "")).strip()[:200]
        if name or value:
            cleaned.append({"label": name, "value": value})
    return cleaned[:30]


def _clean_links(links: list) -> list[str]:
    cleaned = [str(link).strip()[:500] for link in links or [] if str(link).strip()]
    bad = [link for link in cleaned if not link.startswith(("https://", "http://"))]
    if bad:
        raise ReportError(
            _("Links must start with https:// or http://: %(links)s") % {"links": ", ".join(bad)},
            code=ErrorCode.INVALID_DATA,
            field_errors={"links": [_("Not a web address.")]},
        )
    return cleaned[:30]


def _editable(report: ProgressReport, user) -> ProgressReport:
    locked = (
        ProgressReport.objects.select_for_update().select_related("label__application", "label__call").get(pk=report.pk)
    )
    if not writes_reports(user=user, label=locked.label):
        raise NotAllowed(_("Only the carrier of the challenge writes its reports."))
    if not locked.label.is_valid:
        raise ReportError(_("The label of this challenge has been revoked."), code=ErrorCode.LABEL_REVOKED)
    if locked.published_at:
        raise ReportError(
            _("These results are published and can no longer be changed."), code=ErrorCode.RESULTS_PUBLISHED
        )
    return locked


@transaction.atomic
def report_save(
    *, report: ProgressReport, user, text: str, key_figures: list, links: list, submit: bool = False
) -> ProgressReport:
    """Save the report; with `submit`, hand it to the committee (it may be revised and submitted again)."""
    report = _editable(report, user)
    report.text = (text or "").strip()
    report.key_figures = _clean_key_figures(key_figures)
    report.links = _clean_links(links)
    fields = ["text", "key_figures", "links", "updated_at"]
    if submit:
        if not report.text:
            raise ReportError(
                _("Describe the progress before submitting the report."),
                code=ErrorCode.INVALID_DATA,
                field_errors={"text": [_("Required.")]},
            )
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        fields += ["status", "submitted_at"]
    report.save(update_fields=fields)
    ExecutionEvent.record(
        "report_submitted" if submit else "report_saved",
        user,
        call=report.label.call,
        label=report.label,
        details={"milestone": report.milestone.code},
    )
    return report


@transaction.atomic
def report_attachment_add(*, report: ProgressReport, user, upload: UploadedFile) -> ReportAttachment:
    report = _editable(report, user)
    if report.attachments.count() >= REPORT_MAX_ATTACHMENTS:
        raise AttachmentRejected(_("A report holds at most %(count)d attachments.") % {"count": REPORT_MAX_ATTACHMENTS})
    problem = size_problem(upload, settings.ATTACHMENT_MAX_BYTES) or pdf_problem(upload)
    if problem:
        raise AttachmentRejected(problem)
    attachment = ReportAttachment(report=report).store(
        upload, user=user, stored_name="report.pdf", default_name="report.pdf"
    )
    ExecutionEvent.record(
        ExecutionEvent.Kind.REPORT_ATTACHMENT_ADDED,
        user,
        call=report.label.call,
        label=report.label,
        details={"name": attachment.original_name},
    )
    return attachment


@transaction.atomic
def report_comment(*, report: ProgressReport, user, text: str) -> ReportComment:

    report = ProgressReport.objects.select_related("label__call", "label__application").get(pk=report.pk)
    # Who may comment is answered before what they wrote: someone refused learns nothing from a validation error.
    if report.status != ProgressReport.Status.SUBMITTED or not can_comment(user=user, report=report):
        raise NotAllowed(_("Only the organisers and the committee comment submitted reports."))
    text = (text or "").strip()
    if not text:
        raise ReportError(
            _("Write a comment first."), code=ErrorCode.INVALID_DATA, field_errors={"text": [_("Required.")]}
        )
    comment = ReportComment.objects.create(report=report, author=user, text=text[:5000])
    ExecutionEvent.record(
        ExecutionEvent.Kind.REPORT_COMMENTED,
        user,
        call=report.label.call,
        label=report.label,
        details={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def final_results_publish(*, report: ProgressReport, user) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("label__call", "milestone").get(pk=report.pk)
    if report.milestone.report != "final" or report.status != ProgressReport.Status.SUBMITTED:
        raise ReportError(_("Only submitted final results can be published."))
    if not report.label.is_valid:
        raise ReportError(_("The label of this challenge has been revoked."), code=ErrorCode.LABEL_REVOKED)
    ProgressReport.objects.filter(pk=report.pk, published_at__isnull=True).update(published_at=timezone.now())
    ExecutionEvent.record(ExecutionEvent.Kind.RESULTS_PUBLISHED, user, call=report.label.call, label=report.label)
    report.refresh_from_db()
    return report


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    report: ProgressReport | None
    state: str  # "done", "late" or "on_track"

    @property
    def state_label(self) -> str:
        return {"done": _("done"), "late": _("late"), "on_track": _("on track")}[self.state]


def milestone_state(report: ProgressReport | None, milestone: Milestone, now: datetime) -> str:
    if report is not None and report.status == ProgressReport.Status.SUBMITTED:
        return "done"
    return "late" if now > milestone.report_due_at else "on_track"


def follow_up_rows(call: Call, *, now: datetime | None = None) -> list[tuple[Label, list[MilestoneStatus]]]:
    now = now or timezone.now()
    milestones = list(report_milestones(call))
    labels = list(Label.objects.filter(call=call, status=Label.Status.VALID).select_related("application"))
    reports = {
        (r.label_id, r.milestone_id): r
        for r in ProgressReport.objects.filter(label__call=call, milestone__in=milestones)
    }
    return [
        (
            label,
            [
                MilestoneStatus(
                    m, reports.get((label.pk, m.pk)), milestone_state(reports.get((label.pk, m.pk)), m, now)
                )
                for m in milestones
            ],
        )
        for label in labels
    ]


def _reminder_due(milestone: Milestone, now: datetime) -> str | None:
    due = milestone.report_due_at
    if now > due:
        # A missed reminder goes once, on the day; an old edition loaded later sends nothing.
        return "missed" if now - due <= timedelta(days=settings.REMINDER_MISSED_GRACE_DAYS) else None
    if now >= due - timedelta(days=milestone.reminder_days_before):
        return "before"
    return None


def milestone_reminders_send(*, now: datetime | None = None) -> int:
    """Email each carrier whose report is not submitted: N days before the milestone, and when it is missed.
    The reminder row is created in the same transaction as the email is sent, so each goes exactly once."""
    now = now or timezone.now()
    sent = 0
    for milestone in Milestone.objects.exclude(report="").select_related("call"):
        kind = _reminder_due(milestone, now)
        if kind is None:
            continue
        done = ProgressReport.objects.filter(milestone=milestone, status=ProgressReport.Status.SUBMITTED)
        labels = (
            Label.objects.filter(call=milestone.call, status=Label.Status.VALID, awarded_at__lte=now)
            .exclude(pk__in=done.values("label_id"))
            .select_related("application__owner")
        )
        for label in labels:
            try:
                with transaction.atomic():
                    MilestoneReminder.objects.create(label=label, milestone=milestone, kind=kind)
                    _send_reminder(label, milestone, kind)
            except IntegrityError:
                continue  # already sent, by an earlier run or a concurrent worker
            sent += 1
    return sent


def _send_reminder(label: Label, milestone: Milestone, kind: str) -> None:
    owner = label.application.owner
    with override(owner.preferred_language or settings.LANGUAGE_CODE):
        due = timezone.localtime(milestone.report_due_at, milestone.call.tz)
        values = {
            "title": label.payload["title"],
            "milestone": localize(milestone.name),
            "due": readable_moment(due, seconds=False),
            "link": settings.SITE_URL + reverse("execution:report", args=[label.identifier, milestone.code]),
        }
        if kind == "before":
            subject = _("Reminder: your report is due on %(due)s") % values
            body = _(
                "Hello,\n\nThe milestone “%(milestone)s” of your labelled challenge “%(title)s” is due on %(due)s "
                "(Paris time). Submit your report here: %(link)s\n\nThe Convergence team"
            )
        else:
            subject = _("Your report for “%(milestone)s” is late") % values
            body = _(
                "Hello,\n\nThe report of your labelled challenge “%(title)s” for the milestone “%(milestone)s” was "
                "due on %(due)s (Paris time) and has not been submitted. Submit it here: %(link)s\n\n"
                "The Convergence team"
            )
        send_mail(subject, body % values, None, [owner.email])
