"""Scoring one submission, as the worker does it: claim, score, record; safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .columns import phase_columns, ranked_score, with_computed
from .metrics import REGISTRY
from .models import CompetitionEvent, Solution, Submission
from .programs import ProgramFailed, ProgramInvalid, ProgramOutcome, run_program
from .sandbox import default_limits
from .scoring import SubmissionInvalid, load_ground_truth, score_predictions
from .services import leaderboard_changed

logger = logging.getLogger(__name__)


class ScoringInterrupted(Exception):
    """An unexpected failure: the submission goes back to the queue for another attempt."""


def submission_score(submission_id: int) -> str:
    claimed = Submission.objects.filter(pk=submission_id, status=Submission.Status.QUEUED).update(
        status=Submission.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"  # already scored, or being scored by another worker
    submission = Submission.objects.select_related("phase", "participant__user").get(pk=submission_id)
    phase = submission.phase
    language = submission.participant.user.preferred_language or settings.LANGUAGE_CODE
    if phase.uses_program:
        return _score_with_program(submission, language)
    truth_row = phase.ground_truths.first()
    if truth_row is None:  # submissions are refused before a ground truth exists; kept safe all the same
        with override(language):
            _finish(submission_id, status=Submission.Status.FAILED, error=_("This phase has no test set yet."))
        return "failed"
    try:
        truth = load_ground_truth(truth_row.parquet.path, truth_row.version, phase.metric)
        with override(language):
            scores = score_predictions(
                _contents(submission.file) or b"",
                truth=truth,
                metric=REGISTRY[phase.metric],
                max_bytes=settings.COMPETITION_SUBMISSION_MAX_BYTES,
            )
    except SubmissionInvalid as error:
        with override(language):
            reason = " ".join(str(problem) for problem in error.problems)
        _finish(submission_id, status=Submission.Status.FAILED, error=reason)
        return "failed"
    except Exception as error:  # noqa: BLE001 (any other failure is the platform's: retried, then reported)
        return _retry_or_fail(submission, language, error)
    _finish(
        submission_id,
        status=Submission.Status.SCORED,
        public_score=scores.public,
        private_score=scores.private,
        ground_truth_version=truth_row.version,
    )
    return "scored"


def _score_with_program(submission: Submission, language: str) -> str:
    """The host's scoring program, in the sandbox. A failure of the program on this submission is the
    submission's (its output kept for the host); a missing sandbox is the platform's, retried later."""
    phase = submission.phase
    try:
        with override(language):
            outcome, scores = _run_phase_programs(phase, submission.file, "predictions")
            score = ranked_score(phase, scores)
            if score is None:
                raise ProgramFailed(
                    [_("The scoring program wrote no score named “%(name)s”.") % {"name": phase.ranked_key}],
                    outcome.log,
                    outcome.ingestion_log,
                )
    except ProgramFailed as error:
        with override(language):
            reason = " ".join(str(problem) for problem in error.problems)
        _finish(
            submission.pk,
            status=Submission.Status.FAILED,
            error=reason,
            scoring_log=error.log,
            ingestion_log=error.ingestion_log,
        )
        return "failed"
    except (SubmissionInvalid, ProgramInvalid) as error:
        _finish(submission.pk, status=Submission.Status.FAILED, error=str(error))
        return "failed"
    except Exception as error:  # noqa: BLE001 (any other failure is the platform's: retried, then reported)
        return _retry_or_fail(submission, language, error)
    # One score ranks a program's phase; a hidden test set is a later phase, as on Codabench.
    _finish(
        submission.pk,
        status=Submission.Status.SCORED,
        public_score=score,
        private_score=score,
        scores=scores,
        scoring_log=outcome.log,
        ingestion_log=outcome.ingestion_log,
        detailed_results=outcome.detailed_html,
    )
    return "scored"


def solution_check(solution_id: int) -> str:
    """Run one of the host's example solutions as a participant's would be, and keep what happened. Any failure
    is the solution's, reported to the host (who may run it again): nothing is retried."""
    claimed = Solution.objects.filter(pk=solution_id, status=Solution.Status.QUEUED).update(
        status=Solution.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    solution = Solution.objects.select_related("phase__competition", "added_by").get(pk=solution_id)
    phase = solution.phase
    fields: dict = {"scores": {}, "log": "", "ingestion_log": "", "error": ""}
    with override(solution.added_by.preferred_language or settings.LANGUAGE_CODE):
        try:
            if not phase.uses_program:
                raise ProgramInvalid(_("The phase has no scoring program to run the solution with."))
            outcome, scores = _run_phase_programs(phase, solution.file, "solution")
            fields.update(scores=scores, log=outcome.log, ingestion_log=outcome.ingestion_log)
            if ranked_score(phase, scores) is None:
                raise ProgramInvalid(
                    _("The scoring program wrote no score named “%(name)s”.") % {"name": phase.ranked_key}
                )
            status = Solution.Status.PASSED
        except ProgramFailed as error:
            fields.update(log=error.log, ingestion_log=error.ingestion_log)
            fields["error"], status = " ".join(str(problem) for problem in error.problems), Solution.Status.FAILED
        except (SubmissionInvalid, ProgramInvalid) as error:
            fields["error"], status = str(error), Solution.Status.FAILED
        except Exception:  # noqa: BLE001 (the platform's failure: said to the host, who may run it again)
            logger.exception("checking solution %s failed", solution_id)
            fields["error"], status = (
                _("The run failed on the platform's side; run it again later."),
                Solution.Status.FAILED,
            )
    written = Solution.objects.filter(pk=solution_id, status=Solution.Status.RUNNING).update(
        status=status, checked_at=timezone.now(), **fields
    )
    if written:
        CompetitionEvent.record(
            CompetitionEvent.Kind.SOLUTION_CHECKED,
            None,
            competition=phase.competition,
            details={"phase": phase.code, "solution": solution.name, "status": status},
        )
    return str(status)


def _run_phase_programs(phase, results, default_name: str) -> tuple[ProgramOutcome, dict[str, float]]:
    """The phase's programs (ingestion if it takes code, then scoring) run in the sandbox on stored results, a
    submission's or an example solution's; with the scores the platform computes from the program's."""
    outcome = run_program(
        program=_contents(phase.scoring_program) or b"",
        reference=_contents(phase.reference_data),
        results=_contents(results) or b"",
        results_name=results.name or default_name,
        limits=default_limits(phase.time_limit_seconds),
        ingestion=_contents(phase.ingestion_program) if phase.takes_code else None,
        input_data=_contents(phase.input_data) if phase.takes_code else None,
    )
    return outcome, with_computed(phase_columns(phase), outcome.scores)


def _contents(stored) -> bytes | None:
    """A stored file's bytes, None when the field is empty."""
    if not stored:
        return None
    with stored.open("rb") as handle:
        return handle.read()


def _retry_or_fail(submission: Submission, language: str, error: Exception) -> str:
    logger.exception("scoring submission %s failed", submission.pk)
    if submission.attempts >= settings.SCORING_MAX_ATTEMPTS:
        with override(language):
            reason = _("The scoring failed after several attempts; the host has been told. Try again later.")
        _finish(submission.pk, status=Submission.Status.FAILED, error=reason)
        return "failed"
    Submission.objects.filter(pk=submission.pk, status=Submission.Status.RUNNING).update(
        status=Submission.Status.QUEUED
    )
    raise ScoringInterrupted(str(error)) from error


def _finish(submission_id: int, **fields) -> None:
    # Only the run that holds the claim writes the outcome, and records it (the platform is the actor).
    written = Submission.objects.filter(pk=submission_id, status=Submission.Status.RUNNING).update(
        finished_at=timezone.now(), **fields
    )
    if written:
        submission = Submission.objects.select_related("phase__competition").get(pk=submission_id)
        CompetitionEvent.record(
            fields["status"],  # scored or failed: the event kinds of the same name
            None,
            competition=submission.phase.competition,
            details={"submission": submission_id, "phase": submission.phase.code, "score": fields.get("public_score")},
        )
        if fields["status"] == Submission.Status.SCORED:
            leaderboard_changed(phase_id=submission.phase_id, refresh=True)
