from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from convergence.calls.i18n import localize
from convergence.calls.models import Call

from .models import AffinitySource, Decision, Review

ASSESSMENT_CHOICES = [("", "—"), ("met", _("Met")), ("partly", _("Partly met")), ("not_met", _("Not met"))]
SCORE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(5)]]


class ReviewForm(DsfrBaseForm):
    """The review form comes from the call: per criterion an assessment, a score 0–4 and a justification."""

    implementation_score = forms.TypedChoiceField(
        label=_("Coherence and mastery of the implementation (0–4)"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Review.Recommendation.choices], required=False
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        choices=[("", "—"), ("1", _("1 — low")), ("2", _("2 — medium")), ("3", _("3 — high"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment for the committee"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(call.criteria.all())
        for criterion in self.criteria:
            name = f"{criterion.number}. {localize(criterion.name)}"
            self.fields[f"{criterion.code}__assessment"] = forms.ChoiceField(
                label=name, choices=ASSESSMENT_CHOICES, required=False
            )
            self.fields[f"{criterion.code}__score"] = forms.TypedChoiceField(
                label=_("Score (0–4)"), choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False
            )
            self.fields[f"{criterion.code}__justification"] = forms.CharField(
                label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            )

    def criterion_rows(self):
        return [
            (c, self[f"{c.code}__assessment"], self[f"{c.code}__score"], self[f"{c.code}__justification"])
            for c in self.criteria
        ]

    def review_data(self) -> dict:
        data = self.cleaned_data
        return {
            "criteria": {
                c.code: {
                    "assessment": data.get(f"{c.code}__assessment") or "",
                    "score": data.get(f"{c.code}__score"),
                    "justification": data.get(f"{c.code}__justification", ""),
                }
                for c in self.criteria
            },
            "implementation_score": data.get("implementation_score"),
            "recommendation": data.get("recommendation") or "",
            "confidence": data.get("confidence"),
            "comment": data.get("comment", ""),
        }

    @staticmethod
    def initial_from(review: Review | None) -> dict:
        if review is None:
            return {}
        initial = {
            "implementation_score": review.implementation_score,
            "recommendation": review.recommendation,
            "confidence": review.confidence,
            "comment": review.comment,
        }
        for code, entry in review.criteria.items():
            initial[f"{code}__assessment"] = entry.get("assessment")
            initial[f"{code}__score"] = entry.get("score")
            initial[f"{code}__justification"] = entry.get("justification")
        return initial


class InviteForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Email"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    expertise = forms.CharField(label=_("Expertise"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=500, required=False)


class ProfileForm(DsfrBaseForm):
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    expertise = forms.CharField(label=_("Expertise"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    keywords = forms.CharField(label=_("Keywords"), max_length=500, required=False)
    languages = forms.CharField(label=_("Languages"), max_length=100, required=False)
    publications = forms.CharField(
        label=_("Titles of past publications (optional)"),
        help_text=_("One per line: they help match you with dossiers, in French or in English."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )


class SettingsForm(DsfrBaseForm):
    reviewers_per_dossier = forms.IntegerField(label=_("Reviewers per dossier"), min_value=1, max_value=20)
    min_load = forms.IntegerField(label=_("Minimum dossiers per member"), min_value=0, max_value=10000)
    max_load = forms.IntegerField(label=_("Maximum dossiers per member"), min_value=1, max_value=10000)
    fairness_first = forms.BooleanField(
        label=_("Serve the worst-served dossier first, then the total affinity"), required=False
    )
    affinity_model = forms.ChoiceField(
        label=_("Affinity read from the texts"),
        choices=AffinitySource.choices,
        widget=forms.RadioSelect,
        required=False,  # kept as it is when not given
        help_text=_("Either way, the organisers can change the affinity of any pair by hand."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("min_load") is not None
            and data.get("max_load") is not None
            and data["min_load"] > data["max_load"]
        ):
            self.add_error("min_load", _("The minimum load is larger than the maximum load."))
        return data


class OverrideForm(forms.Form):
    eligible = forms.TypedChoiceField(
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))], coerce=lambda v: v == "1"
    )
    rationale = forms.CharField(label=_("Rationale"), max_length=2000)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    rationale = forms.CharField(
        label=_("Rationale"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(forms.Form):
    application = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class AffinityForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.FloatField(label=_("Affinity"), min_value=0, max_value=1)


class AssignForm(forms.Form):
    member = forms.EmailField(label=_("Member"))  # the e-mail address, chosen in the committee's list


class ExpertInviteForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Expert's e-mail address"))
    request = forms.CharField(
        label=_("What you ask of the expert (they read it)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpinionForm(DsfrBaseForm):
    opinion = forms.CharField(label=_("Your opinion"), widget=forms.Textarea(attrs={"rows": 10}))
    recommendation = forms.ChoiceField(
        label=_("Recommendation (optional)"),
        required=False,
        choices=[("", _("No recommendation")), *Review.Recommendation.choices],
    )
