from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.models import Event, StoredUpload

from .metrics import REGISTRY, metric_choices


def logo_path(instance, filename: str) -> str:
    return f"competitions/logos/{instance.slug}-{filename}"


class Competition(models.Model):
    """A competition hosted for a format-1 challenge (or by the organiser)."""

    class Participation(models.TextChoices):
        OPEN = "open", _("Open: anyone signed in joins by accepting the rules")
        CLOSED = "closed", _("Closed: participants are approved or invited by the host")

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    participation = models.CharField(
        _("participation"), max_length=8, choices=Participation.choices, default=Participation.OPEN
    )
    teams_allowed = models.BooleanField(_("teams allowed"), default=False)
    max_team_size = models.PositiveSmallIntegerField(
        _("largest team"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, null=True, blank=True, related_name="competitions")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="competitions"
    )
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_competitions")
    # A PNG the platform drew again from the host's image (core.uploads.logo_png), served by its own address.
    logo = models.FileField(_("logo"), upload_to=logo_path, max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("competition")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competitions:detail", kwargs={"slug": self.slug})

    def get_host_url(self) -> str:
        return reverse("competitions:host", kwargs={"slug": self.slug})

    @property
    def state(self) -> str:
        """ "running" if a phase is open, else "upcoming" or "ended"; "preparing" without phases."""
        phases = list(self.phases.all())  # prefetched on lists
        if not phases:
            return "preparing"
        if any(phase.is_running for phase in phases):
            return "running"
        return "ended" if all(phase.has_ended for phase in phases) else "upcoming"


def phase_file_path(instance, filename: str) -> str:
    return f"competitions/private/{instance.competition.slug}/{instance.code}/{filename}"


class Phase(models.Model):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="phases")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    metric = models.CharField(_("metric"), max_length=32, choices=metric_choices())
    max_per_day = models.PositiveSmallIntegerField(_("submissions per day"), default=5)
    max_total = models.PositiveIntegerField(_("submissions in total"), default=100)
    # Scored by the host's own program (Codabench's contract) instead of a built-in metric when one is set.
    scoring_program = models.FileField(_("scoring program"), upload_to=phase_file_path, max_length=300, blank=True)
    reference_data = models.FileField(_("reference data"), upload_to=phase_file_path, max_length=300, blank=True)
    score_column = models.CharField(_("score ranked on"), max_length=60, blank=True)
    program_higher_is_better = models.BooleanField(_("a higher score is better"), default=True)
    logs_visible = models.BooleanField(_("participants see the scoring program's output"), default=False)
    # Code submissions: the host's ingestion program runs the participant's code on the input data.
    ingestion_program = models.FileField(_("ingestion program"), upload_to=phase_file_path, max_length=300, blank=True)
    input_data = models.FileField(_("input data"), upload_to=phase_file_path, max_length=300, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("time limit of a run, in seconds"), null=True, blank=True)
    # A program's board: [{key, title, precision, hidden, computation, of}], checked by columns.parse_columns.
    leaderboard_columns = models.JSONField(_("leaderboard columns"), default=list, blank=True)

    class Meta:
        ordering = ["position", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["competition", "code"], name="unique_phase_code")]
        verbose_name = _("phase")

    def __str__(self) -> str:
        return f"{self.competition} — {self.name}"

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def uses_program(self) -> bool:
        return bool(self.scoring_program)

    @property
    def score_label(self) -> str:
        """What the leaderboard ranks on: the metric's name, or the score the host's program writes."""
        if self.uses_program:
            key = self.ranked_key
            titles = {
                item.get("key"): item.get("title") for item in self.leaderboard_columns or [] if isinstance(item, dict)
            }
            return titles.get(key) or key or gettext("score")
        return str(self.get_metric_display())

    @property
    def ranked_key(self) -> str:
        """The score a program's board ranks on: the one named, else the first column, else the first written."""
        if self.score_column:
            return self.score_column
        first = next((item for item in self.leaderboard_columns or [] if isinstance(item, dict)), None)
        return str(first.get("key", "")) if first else ""

    @property
    def takes_code(self) -> bool:
        return self.uses_program and bool(self.ingestion_program)

    @property
    def higher_is_better(self) -> bool:
        return self.program_higher_is_better if self.uses_program else REGISTRY[self.metric].higher_is_better

    @property
    def is_running(self) -> bool:
        return self.starts_at <= timezone.now() < self.ends_at


def private_path(instance, filename: str) -> str:
    return f"competitions/private/{instance.phase.competition.slug}/{instance.phase.code}/{filename}"


class GroundTruth(models.Model):
    """The hidden answers of a phase. Replacing them creates a new version and rescores the phase."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="ground_truths")
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=private_path, max_length=300)
    parquet = models.FileField(upload_to=private_path, max_length=300)
    rows = models.PositiveIntegerField(default=0)
    public_rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["phase", "version"], name="unique_truth_version")]

    def __str__(self) -> str:
        return f"{self.phase} v{self.version}"


def public_file_path(instance, filename: str) -> str:
    return f"competitions/public/{instance.competition.slug}/{instance.sha256}-{filename}"


class PublicFile(StoredUpload):
    """A file every participant may download (starting kit, training data)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="public_files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=public_file_path, max_length=300)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


def new_join_code() -> str:
    return secrets.token_urlsafe(9)  # 12 characters: guessing one is out of reach


class Team(models.Model):
    """Created by a participant; others join with its code, which only the members see."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=120)
    join_code = models.CharField(_("join code"), max_length=16, default=new_join_code)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")
        INVITED = "invited", _("Invited")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    # What the public leaderboard shows instead of the person's name (Kaggle's and Codabench's usernames).
    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    accepted_rules_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="unique_participant"),
            models.UniqueConstraint(
                Lower("display_name"),
                "competition",
                condition=~models.Q(display_name=""),
                name="unique_display_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.competition}"

    @property
    def entrant_name(self) -> str:
        """The public name: the team's, the chosen display name, or a number; never the person's real name."""
        if self.team:
            return self.team.name
        return self.display_name or gettext("Participant %(number)d") % {"number": self.pk}


def submission_path(instance, filename: str) -> str:
    return f"competitions/submissions/{instance.phase.competition.slug}/{instance.phase.code}/{filename}"


class Submission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SCORED = "scored", _("Scored")
        FAILED = "failed", _("Failed")

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="submissions")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="submissions")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions")
    file = models.FileField(upload_to=submission_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    description = models.CharField(_("description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    public_score = models.FloatField(null=True, blank=True)
    private_score = models.FloatField(null=True, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # every score a scoring program wrote
    scoring_log = models.TextField(_("scoring program's output"), blank=True)
    ingestion_log = models.TextField(_("output of the submitted code"), blank=True)
    detailed_results = models.TextField(_("detailed results"), blank=True)
    ground_truth_version = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    is_selected = models.BooleanField(_("selected for the leaderboard"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["phase", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"


def solution_path(instance, filename: str) -> str:
    return phase_file_path(instance.phase, filename)


class Solution(models.Model):
    """An example submission of the host's (Codabench's `solutions`): run through the phase's programs in the
    sandbox to show that they work before participants come. Never on a leaderboard."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PASSED = "passed", _("Works")
        FAILED = "failed", _("Failed")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="solutions")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(upload_to=solution_path, max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    log = models.TextField(_("scoring program's output"), blank=True)
    ingestion_log = models.TextField(_("output of the submitted code"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name


class CompetitionEvent(Event):
    """Who changed a competition, took part or submitted, and what the scoring worker did (actor None)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Competition created")
        PHASE_ADDED = "phase_added", _("Phase added")
        GROUND_TRUTH_UPLOADED = "ground_truth_uploaded", _("Ground truth uploaded")
        PHASE_RESCORED = "phase_rescored", _("Phase rescored")
        PUBLIC_FILE_ADDED = "public_file_added", _("Data file published")
        SCORING_PROGRAM_UPLOADED = "scoring_program_uploaded", _("Scoring program uploaded")
        COLUMNS_SET = "columns_set", _("Leaderboard columns set")
        LOGO_SET = "logo_set", _("Logo changed")
        SOLUTION_ADDED = "solution_added", _("Example solution added")
        SOLUTION_CHECKED = "solution_checked", _("Example solution run")
        JOINED = "joined", _("Joined")
        REQUESTED = "requested", _("Asked to take part")
        APPROVED = "approved", _("Admitted")
        REFUSED = "refused", _("Refused")
        INVITED = "invited", _("Invited")
        RENAMED = "renamed", _("Display name changed")
        TEAM_CREATED = "team_created", _("Team created")
        TEAM_JOINED = "team_joined", _("Team joined")
        TEAM_LEFT = "team_left", _("Team left")
        SUBMITTED = "submitted", _("Submission received")
        SELECTED = "selected", _("Submission selected for the leaderboard")
        REQUEUED = "requeued", _("Submission queued again after a stopped worker")
        SCORED = "scored", _("Submission scored")
        FAILED = "failed", _("Submission failed")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("competition event")
