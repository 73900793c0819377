"""The editor's fast form renderer writes what Django's own templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from newsletters.form_rendering import FastFormRenderer


class Sample(forms.Form):
    title = forms.CharField(max_length=30, widget=forms.TextInput(attrs={"class": "vTextField"}))
    position = forms.IntegerField(widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=0, required=False)
    mail = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autofocus": True,
                                                                           "hidden": False}))
    site = forms.URLField(required=False, assume_scheme="https")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"title": 'Say "hi" <b>&</b>', "position": "3", "count": "-1", "mail": "x@example.org",
         "site": "javascript:alert(1)"},
        {"title": mark_safe("<i>already safe</i>"), "position": "", "count": "", "mail": "",
         "site": ""},
    ],
)  # fmt: skip
def test_same_html_as_the_django_templates(data):
    initial = {"title": "Ferry & clinic", "position": 0}
    fast = Sample(data, initial=initial, renderer=FastFormRenderer())
    slow = Sample(data, initial=initial, renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        assert str(fast[name].errors) == str(slow[name].errors), name
    assert str(fast) == str(slow)


def test_escapes_values_and_attributes():
    form = Sample({"title": '"><script>alert(1)</script>', "position": "1"},
                  renderer=FastFormRenderer())  # fmt: skip
    html = str(form["title"])
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
