"""Public forms: subscribe (with its honeypot) and the preferences page."""

from django import forms

from newsletters.models import Issue, Series

from .models import LANGUAGES


def public_series():
    """Series with a live issue: a series holding only drafts is not public yet."""
    return Series.objects.filter(issues__in=Issue.objects.published()).distinct().order_by("title")


class SubscribeForm(forms.Form):
    email = forms.EmailField(max_length=254, label="E-mail address")
    name = forms.CharField(max_length=200, required=False, label="Name (optional)")
    language = forms.ChoiceField(choices=LANGUAGES, initial="en", required=False)
    series = forms.ModelMultipleChoiceField(
        queryset=Series.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Series (none ticked: all of them)",
    )
    consent = forms.BooleanField(
        label="I agree to receive the newsletter by e-mail and can unsubscribe at any time."
    )
    # The honeypot: hidden from people by the stylesheet and labelled for screen readers
    # as "leave empty"; bots that fill every field give themselves away.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = public_series()

    def clean_language(self):
        return self.cleaned_data.get("language") or "en"

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class PreferencesForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    language = forms.ChoiceField(choices=LANGUAGES)
    series = forms.ModelMultipleChoiceField(
        queryset=Series.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Series (none ticked: all of them)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = public_series()
