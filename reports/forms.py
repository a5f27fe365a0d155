from django import forms

from core.forms import Form


class ApiTokenForm(Form):
    error_phrases = {"name": "the token's name"}

    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text='What the token is for, so you know it later: "Governors\' spreadsheet"',
    )
