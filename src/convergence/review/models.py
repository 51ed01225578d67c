from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from convergence.applications.models import Application
from convergence.calls.models import Call
from convergence.core.models import Event


class AffinitySource(models.TextChoices):
    TFIDF = "tfidf", _("Shared spellings (TF-IDF over character n-grams)")
    EMBEDDINGS = "embeddings", _("Meaning, across French and English (multilingual sentence embeddings)")


class Selection(models.Model):
    """The selection round of a call: its settings and its two irreversible moments."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="selection")
    reviewers_per_dossier = models.PositiveSmallIntegerField(_("reviewers per dossier"), default=3)
    min_load = models.PositiveSmallIntegerField(_("minimum dossiers per member"), default=0)
    max_load = models.PositiveSmallIntegerField(_("maximum dossiers per member"), default=20)
    fairness_first = models.BooleanField(_("serve the worst-served dossier first"), default=False)
    # How affinity is read from the texts (settings.REVIEW_AFFINITY_MODELS): TF-IDF, or meaning across languages.
    affinity_model = models.CharField(
        _("affinity from the texts"), max_length=16, choices=AffinitySource.choices, default=AffinitySource.TFIDF
    )
    reviews_locked_at = models.DateTimeField(_("reviews locked at"), null=True, blank=True)
    decisions_published_at = models.DateTimeField(_("decisions published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("selection round")

    def __str__(self) -> str:
        return str(self.call)


class CommitteeMember(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="committee")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    expertise = models.TextField(_("expertise"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True, default="fr, en")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    publications = models.TextField(_("titles of past publications"), blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["user__email"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="unique_committee_member")]
        verbose_name = _("committee member")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def profile_text(self) -> str:
        return " ".join([self.expertise, self.keywords, self.user.expertise_keywords, self.publications])


class Conflict(models.Model):
    """A conflict of interest declared by the member, for one dossier or for a whole organisation.

    Conflicts by organisation or email domain are also detected from the dossiers (see conflicts.py).
    """

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")

    def __str__(self) -> str:
        return f"{self.member} ✕ {self.application or self.organisation}"


MISSING_FIELD_NAMES = {
    "title": _("title"),
    "summary": _("short summary"),
    "description": _("full description"),
    "format": _("format"),
    "themes": _("themes"),
    "carrier_name": _("carrier organisation"),
    "contact_email": _("contact email"),
}


class Eligibility(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="eligibility")
    is_eligible_by_rules = models.BooleanField(_("eligible by the rules"))
    reasons = models.JSONField(_("reasons"), default=list)
    override = models.BooleanField(_("organiser's decision"), null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility")

    def __str__(self) -> str:
        return f"{self.application}: {self.is_eligible}"

    @property
    def is_eligible(self) -> bool:
        return self.is_eligible_by_rules if self.override is None else self.override

    @property
    def reason_texts(self) -> list[str]:
        texts = []
        for code in self.reasons:
            if code == "too_few_criteria":
                texts.append(
                    ngettext(
                        "fewer than %(count)d selection criterion claimed with a justification",
                        "fewer than %(count)d selection criteria claimed with a justification",
                        self.application.call.minimum_criteria,
                    )
                    % {"count": self.application.call.minimum_criteria}
                )
            elif code.startswith("missing:"):
                texts.append(_("missing: %(field)s") % {"field": MISSING_FIELD_NAMES.get(code[8:], code[8:])})
        return texts


class AffinityOverride(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="affinity_overrides")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("affinity"), validators=[MinValueValidator(0), MaxValueValidator(1)])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="unique_affinity_override")]

    def __str__(self) -> str:
        return f"{self.member} ~ {self.application}: {self.score}"


class Assignment(models.Model):
    class Source(models.TextChoices):
        SOLVER = "solver", _("Automatic")
        MANUAL = "manual", _("By hand")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="assignments")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    affinity = models.FloatField(_("affinity"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "member"], name="unique_assignment")]
        verbose_name = _("assignment")

    def __str__(self) -> str:
        return f"{self.member} → {self.application}"


class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Recommendation(models.TextChoices):
        LABEL = "label", _("Award the label")
        DISCUSS = "discuss", _("Discuss")
        NO = "no", _("Do not select")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # {criterion code: {"assessment": "met" | "partly" | "not_met", "score": 0-4, "justification": "…"}}
    criteria = models.JSONField(_("criteria"), default=dict)
    implementation_score = models.PositiveSmallIntegerField(_("implementation score"), null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices, blank=True)
    confidence = models.PositiveSmallIntegerField(_("confidence"), null=True, blank=True)
    comment = models.TextField(_("comment for the committee"), blank=True)
    # `total` as saved: the ranking of thousands of dossiers reads it without decoding every review's criteria.
    total_score = models.FloatField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review")

    def __str__(self) -> str:
        return f"{self.assignment}"

    def save(self, *args, **kwargs) -> None:
        self.total_score = self.total
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "total_score"}
        super().save(*args, **kwargs)

    @property
    def total(self) -> float | None:
        """The review's score on 0–4: the mean of its criterion scores and the implementation score."""
        scores = [entry.get("score") for entry in self.criteria.values() if entry.get("score") is not None]
        if self.implementation_score is not None:
            scores.append(self.implementation_score)
        return sum(scores) / len(scores) if scores else None


class Decision(models.Model):
    class Outcome(models.TextChoices):
        LABELLED = "labelled", _("Labelled")
        WAITING_LIST = "waiting_list", _("Waiting list")
        NOT_SELECTED = "not_selected", _("Not selected")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("decision")

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome}"


class SelectionEvent(Event):
    """Audit trail of the selection: assignments, reviews, eligibility and decisions; who, when, what."""

    class Kind(models.TextChoices):
        MEMBER_INVITED = "member_invited", _("Member invited")
        MEMBER_PROFILE_UPDATED = "member_profile_updated", _("Member's profile updated")
        CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
        ASSIGNMENT_REMOVED_FOR_CONFLICT = "assignment_removed_for_conflict", _("Assignment removed for a conflict")
        ELIGIBILITY_CHECKED = "eligibility_checked", _("Eligibility checked")
        ELIGIBILITY_OVERRIDDEN = "eligibility_overridden", _("Eligibility overridden")
        AFFINITY_SET = "affinity_set", _("Affinity set")
        SETTINGS_UPDATED = "settings_updated", _("Assignment settings updated")
        ASSIGNMENT_RUN = "assignment_run", _("Assignment computed")
        ASSIGNMENT_ADDED = "assignment_added", _("Assignment added")
        ASSIGNMENT_REMOVED = "assignment_removed", _("Assignment removed")
        REVIEW_DRAFT_SAVED = "review_draft_saved", _("Review draft saved")
        REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
        REVIEW_REVISED = "review_revised", _("Review revised")
        REVIEW_REMINDER_SENT = "review_reminder_sent", _("Review reminder sent")
        REVIEWS_LOCKED = "reviews_locked", _("Reviews locked")
        DECISION_RECORDED = "decision_recorded", _("Decision recorded")
        DECISIONS_PUBLISHED = "decisions_published", _("Decisions published")
        EXPERT_INVITED = "expert_invited", _("Expert invited")
        EXPERT_DECLARED = "expert_declared", _("Expert's declaration of interests")
        EXPERT_OPINION_SAVED = "expert_opinion_saved", _("Expert's opinion saved")
        EXPERT_REVOKED = "expert_revoked", _("Expert's invitation revoked")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="selection_events")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, related_name="+")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(Event.Meta):
        verbose_name = _("selection event")


class ExpertInvitation(models.Model):
    """An outside expert asked for an opinion on one dossier. The expert reads that dossier only, once they have
    declared no conflict of interest with it, and until an organiser revokes the invitation."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFLICTED = "conflicted", _("Declared a conflict")
        ACCEPTED = "accepted", _("Reading the dossier")
        GIVEN = "given", _("Opinion given")
        REVOKED = "revoked", _("Revoked")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="expert_invitations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    request = models.TextField(_("what the organisers ask"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    conflict = models.TextField(_("conflict declared"), blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Review.Recommendation.choices, blank=True
    )
    opinion_at = models.DateTimeField(_("opinion given at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="unique_expert_per_dossier")]
        verbose_name = _("invited expert")

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return self.State.REVOKED
        if self.conflict:
            return self.State.CONFLICTED
        if self.opinion_at:
            return self.State.GIVEN
        return self.State.ACCEPTED if self.declared_at else self.State.INVITED

    def state_label(self) -> str:
        return str(self.State(self.state).label)
