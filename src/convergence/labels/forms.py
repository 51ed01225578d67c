from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import OPTIONAL_PUBLIC_FIELDS


class RevokeForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PublicFieldsForm(DsfrBaseForm):
    shown = forms.MultipleChoiceField(
        label=_("Fields shown in the public catalogue"),
        choices=list(OPTIONAL_PUBLIC_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class KitUploadForm(DsfrBaseForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, PNG, JPEG or ZIP)"))


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    call = forms.ChoiceField(label=_("Edition"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    domain = forms.ChoiceField(label=_("Priority domain"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data, *, calls, facets, countries):
        super().__init__(data)
        every = [("", _("All"))]
        self.fields["call"].choices = every + calls
        self.fields["theme"].choices = every + facets["themes"]
        self.fields["domain"].choices = every + facets["domains"]
        self.fields["format"].choices = every + facets["formats"]
        self.fields["country"].choices = every + countries
