from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .metrics import metric_choices
from .models import Competition


def challenge_choices(applications) -> list[tuple[str, str]]:
    """The format-1 challenges the user may attach a competition to, or none."""
    return [("", "—")] + [(str(a.pk), f"{a.reference} — {a.title}") for a in applications]


class CompetitionForm(DsfrBaseForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    rules = forms.CharField(label=_("Rules"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    participation = forms.ChoiceField(label=_("Participation"), choices=Competition.Participation.choices)
    teams_allowed = forms.BooleanField(label=_("Teams allowed"), required=False)
    max_team_size = forms.IntegerField(
        label=_("Largest team (members)"), min_value=1, max_value=100, required=False, help_text=_("Empty: no limit.")
    )
    application = forms.ChoiceField(label=_("Challenge (format 1)"), required=False)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = challenge_choices(applications)


class BundleForm(DsfrBaseForm):
    bundle = forms.FileField(label=_("Bundle (zip with competition.yaml)"))
    application = forms.ChoiceField(label=_("Challenge (format 1)"), required=False)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = challenge_choices(applications)


class PhaseForm(DsfrBaseForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    metric = forms.ChoiceField(label=_("Metric"), choices=metric_choices)
    max_per_day = forms.IntegerField(label=_("Submissions per day"), min_value=1, initial=5)
    max_total = forms.IntegerField(label=_("Submissions in total"), min_value=1, initial=100)


class FileForm(DsfrBaseForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class ProgramForm(DsfrBaseForm):
    program = forms.FileField(
        label=_("Scoring program (zip)"),
        help_text=_(
            "As on Codabench: a metadata file giving the command (python score.py $input $output); the program reads "
            "input/ref and input/res and writes scores.json or scores.txt."
        ),
    )
    reference = forms.FileField(label=_("Reference data (zip, optional)"), required=False)
    score_column = forms.CharField(
        label=_("Score the leaderboard ranks on (optional)"),
        max_length=60,
        required=False,
        help_text=_("A key of scores.json; by default the first one."),
    )
    higher_is_better = forms.BooleanField(label=_("A higher score is better"), required=False, initial=True)
    logs_visible = forms.BooleanField(label=_("Participants see the program's output"), required=False)
    ingestion = forms.FileField(
        label=_("Ingestion program (zip, optional)"),
        required=False,
        help_text=_("With one, participants submit code: it runs their code on the input data to make predictions."),
    )
    input_data = forms.FileField(label=_("Input data for the code (zip, optional)"), required=False)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit of each run, in seconds (optional)"), required=False, min_value=1
    )

    @staticmethod
    def initial_from(phase) -> dict:
        """The phase's current settings, so that uploading a new version keeps them unless changed."""
        return {
            "score_column": phase.score_column,
            "higher_is_better": phase.program_higher_is_better,
            "logs_visible": phase.logs_visible,
            "time_limit_seconds": phase.time_limit_seconds,
        }


class SolutionForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Example solution"),
        help_text=_("What a participant would submit (results, or code as a zip); it is run as theirs would be."),
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)


class LogoForm(DsfrBaseForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, 2 MB at most; shown at most 400 pixels wide."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove = forms.BooleanField(label=_("Remove the logo"), required=False)


class ColumnForm(DsfrBaseForm):
    """One column of a program's leaderboard; a row left without a key is removed."""

    key = forms.CharField(label=_("Key in scores.json"), max_length=60, required=False)
    title = forms.CharField(label=_("Title shown"), max_length=120, required=False)
    precision = forms.IntegerField(label=_("Decimals"), min_value=0, max_value=10, initial=2, required=False)
    hidden = forms.BooleanField(label=_("Hidden from participants (you still see it)"), required=False)
    computation = forms.ChoiceField(
        label=_("Computed by the platform"),
        required=False,
        choices=[
            ("", _("No: written by the program")),
            ("sum", _("Sum")),
            ("avg", _("Average")),
            ("min", _("Minimum")),
            ("max", _("Maximum")),
        ],
    )
    of = forms.CharField(label=_("Computed from (keys, comma-separated)"), max_length=400, required=False)

    @staticmethod
    def initial_from(phase) -> list[dict]:
        return [{**item, "of": ", ".join(item.get("of") or [])} for item in phase.leaderboard_columns or []]

    @staticmethod
    def as_columns(formset) -> list[dict]:
        """The rows the host filled, in order, as the service takes them."""
        return [dict(form.cleaned_data) for form in formset.forms if form.cleaned_data.get("key")]


ColumnFormSet = forms.formset_factory(ColumnForm, extra=1, max_num=30)


class JoinForm(DsfrBaseForm):
    display_name = forms.CharField(
        label=_("Display name (optional)"),
        max_length=40,
        required=False,
        help_text=_(
            "Shown on the public leaderboard instead of your name. Empty: you appear as “Participant” and a number."
        ),
    )
    accept_rules = forms.BooleanField(label=_("I accept the rules of the competition"))


class DisplayNameForm(DsfrBaseForm):
    display_name = forms.CharField(
        label=_("Display name on the leaderboard"),
        max_length=40,
        required=False,
        help_text=_("Empty: you appear as “Participant” and a number."),
    )


class SubmitForm(DsfrBaseForm):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)


class InviteForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Email of the person to invite"))


class TeamCreateForm(DsfrBaseForm):
    name = forms.CharField(label=_("Name of the new team"), max_length=120)


class TeamJoinForm(DsfrBaseForm):
    code = forms.CharField(label=_("Join code given by a member"), max_length=16)
