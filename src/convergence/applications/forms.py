"""Web forms of the dossier editor, one per step. They shape input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.core.countries import country_choices

from .models import Application, OrganisationType


class StepForm(DsfrBaseForm):
    """Every step carries the version it was loaded from, for the stale-save check.

    A draft may be saved half-filled, so no field is required to save; the fields the rules require to submit are
    marked with an asterisk, as the DSFR does for required fields.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    required_to_submit: tuple[str, ...] = ()

    def __init__(self, *args, call: Call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)
        for name in self.required_to_submit:
            # On the bound field: the DSFR form has already built (and cached) them.
            self[name].label = format_lazy("{} *", self.fields[name].label)

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ChallengeForm(StepForm):
    required_to_submit = ("title", "summary", "description", "themes", "domains", "format", "trl", "expected_results")
    title = forms.CharField(label=_("Title of the challenge"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Short summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": "1"}),
    )
    description = forms.CharField(
        label=_("Full description"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    domains = forms.MultipleChoiceField(
        label=_("Priority domains"), required=False, widget=forms.CheckboxSelectMultiple
    )
    format = forms.ChoiceField(label=_("Format"), required=False, widget=forms.RadioSelect)
    trl = forms.TypedChoiceField(label=_("Technology readiness level"), required=False, coerce=int, empty_value=None)
    already_launched = forms.BooleanField(label=_("The challenge has already started"), required=False)
    launched_on = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expected_results = forms.CharField(
        label=_("Results expected by February 2025"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.themes_by_code = {t.code: t for t in call.themes.all()}
        self.domains_by_code = {d.code: d for d in call.domains.all()}
        self.formats_by_code = {f.code: f for f in call.formats.all()}
        self.fields["themes"].choices = [(code, t.label) for code, t in self.themes_by_code.items()]
        self.fields["themes"].help_text = _("Choose 1 to %(max)d themes.") % {"max": call.max_themes}
        self.fields["domains"].choices = [(code, d.label) for code, d in self.domains_by_code.items()]
        self.fields["format"].choices = [
            (code, f"{f.number}. {f.label} — {localize(f.description)}") for code, f in self.formats_by_code.items()
        ]
        self.fields["trl"].choices = [("", "—")] + [
            (level["level"], f"TRL {level['level']} — {localize(level['name'])}") for level in call.trl_scale
        ]
        self.fields["summary"].help_text = _("%(limit)d characters at most.") % {"limit": call.summary_max_length}
        self.fields["summary"].widget.attrs["data-max-length"] = call.summary_max_length

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) > self.call.max_themes:
            raise forms.ValidationError(_("Choose at most %(max)d themes.") % {"max": self.call.max_themes})
        return [self.themes_by_code[code] for code in themes]

    def clean_domains(self):
        return [self.domains_by_code[code] for code in self.cleaned_data["domains"]]

    def clean_format(self):
        code = self.cleaned_data["format"]
        return self.formats_by_code.get(code) if code else None

    @classmethod
    def initial_from(cls, application: Application) -> dict:
        return {
            "version": application.version,
            "title": application.title,
            "summary": application.summary,
            "description": application.description,
            "themes": [t.code for t in application.themes.all()],
            "domains": [d.code for d in application.domains.all()],
            "format": application.format.code if application.format else "",
            "trl": application.trl,
            "already_launched": application.already_launched,
            "launched_on": application.launched_on,
            "expected_results": application.expected_results,
        }


class CarrierForm(StepForm):
    required_to_submit = ("carrier_name", "carrier_type", "carrier_country", "contact_name", "contact_email")
    carrier_name = forms.CharField(label=_("Carrier organisation"), max_length=200, required=False)
    carrier_type = forms.ChoiceField(
        label=_("Organisation type"), required=False, choices=[("", "—"), *OrganisationType.choices]
    )
    carrier_country = forms.ChoiceField(label=_("Country of the carrier organisation"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier_country"].choices = country_choices()

    @classmethod
    def initial_from(cls, application: Application) -> dict:
        return {
            "version": application.version,
            **{name: getattr(application, name) for name in cls.base_fields if name != "version"},
        }


class PartnerForm(DsfrBaseForm):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *OrganisationType.choices])
    country = forms.ChoiceField(label=_("Country"))
    role = forms.CharField(label=_("Role in the challenge"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()


class DatasetForm(DsfrBaseForm):
    name = forms.CharField(label=_("Dataset"), max_length=200)
    origin_country = forms.ChoiceField(label=_("Origin country"))
    licence = forms.CharField(label=_("Licence"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_country"].choices = country_choices()


# One empty row to fill; the page adds more rows in place (or "Save and add rows" without JavaScript). A row is
# removed by its "Remove" tick box, which the page turns into a button.
PartnerFormSet = forms.formset_factory(PartnerForm, extra=1, max_num=30, validate_max=True, can_delete=True)
DatasetFormSet = forms.formset_factory(DatasetForm, extra=1, max_num=30, validate_max=True, can_delete=True)


def rows_kept(formset) -> list[dict]:
    """The filled rows of a partners or datasets formset, without the ones marked for removal."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class CriteriaForm(StepForm):
    """One tick box and one justification per criterion of the call."""

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.criteria = list(call.criteria.all())
        for criterion in self.criteria:
            self.fields[f"claim_{criterion.code}"] = forms.BooleanField(
                label=f"{criterion.number}. {criterion.label}",
                help_text=localize(criterion.description),
                required=False,
            )
            self.fields[f"justification_{criterion.code}"] = forms.CharField(
                label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def changes(self) -> dict:
        claims = {}
        for criterion in self.criteria:
            if self.cleaned_data.get(f"claim_{criterion.code}"):
                claims[criterion] = self.cleaned_data.get(f"justification_{criterion.code}", "")
        return {"claims": claims}

    def criterion_fields(self):
        return [(self[f"claim_{c.code}"], self[f"justification_{c.code}"]) for c in self.criteria]

    @classmethod
    def initial_from(cls, application: Application) -> dict:
        initial: dict[str, object] = {"version": application.version}
        for claim in application.claims.select_related("criterion"):
            initial[f"claim_{claim.criterion.code}"] = True
            initial[f"justification_{claim.criterion.code}"] = claim.justification
        return initial


class AttachmentForm(DsfrBaseForm):
    file = forms.FileField(label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MessageForm(DsfrBaseForm):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    file = forms.FileField(
        label=_("PDF file (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class CompletionRequestForm(DsfrBaseForm):
    fields_to_complete = forms.MultipleChoiceField(
        label=_("Fields to complete"), widget=forms.CheckboxSelectMultiple, required=True
    )
    due_at = forms.DateTimeField(
        label=_("Due date (the call's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    message = forms.CharField(
        label=_("What is missing (the applicant reads it)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, labels: dict, **kwargs):
        from .fields import COMPLETABLE_FIELDS

        super().__init__(*args, **kwargs)
        field = self.fields["fields_to_complete"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, labels.get(name, name)) for name in COMPLETABLE_FIELDS]


class NoteForm(DsfrBaseForm):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    audience = forms.ChoiceField(
        label=_("Who reads it"),
        choices=[("organisers", _("Organisers only")), ("committee", _("Organisers and committee"))],
        widget=forms.RadioSelect,
        initial="organisers",
    )


class TagsForm(DsfrBaseForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=800,
        help_text=_("Separated by commas, e.g. missing letter, to discuss."),
    )

    def labels(self) -> list[str]:
        return [label for label in self.cleaned_data["tags"].split(",") if label.strip()]
