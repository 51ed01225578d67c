from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from convergence.labels.models import Label


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress and results"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000
    )
    key_figures = forms.CharField(
        label=_("Key figures"),
        help_text=_("One per line, as “label: value”, e.g. “Participants: 240”."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    links = forms.CharField(
        label=_("Links"),
        help_text=_("One web address per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    attachment = forms.FileField(label=_("Attachment (PDF)"), required=False)

    @staticmethod
    def figures_text(figures: list[dict]) -> str:
        return "\n".join(f"{figure['label']}: {figure['value']}" for figure in figures)

    def cleaned_figures(self) -> list[dict]:
        figures = []
        for line in self.cleaned_data["key_figures"].splitlines():
            name, _sep, value = line.partition(":")
            figures.append({"label": name.strip(), "value": value.strip()})
        return figures

    def cleaned_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    room = forms.CharField(label=_("Room"), max_length=120)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "—")] + [(str(t.pk), t.label) for t in call.themes.all()]


class SlotForm(forms.Form):
    label = forms.ModelChoiceField(label=_("Challenge"), queryset=Label.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].queryset = Label.objects.filter(call=call, status=Label.Status.VALID)
        self.fields["label"].label_from_instance = lambda label: f"{label.identifier} — {label.payload['title']}"
