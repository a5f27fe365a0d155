from django import forms

from core.forms import Form
from reports.models import ReportSettings


class GenerateForm(Form):
    """Nothing to fill in: the term is the page's; the button confirms."""


class ReportSettingsForm(Form):
    error_phrases = {"delivery": "how reports reach governors"}

    delivery = forms.ChoiceField(
        label="How reports reach governors",
        choices=ReportSettings.Delivery.choices,
        widget=forms.RadioSelect,
    )


class TermSummaryForm(Form):
    error_phrases = {"priorities": "the partnership's priorities", "impact": "the partnership's impact"}

    priorities = forms.CharField(
        label="The partnership's priorities this term",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text="In your own words: every member school's report quotes them",
    )
    impact = forms.CharField(
        label="The partnership's impact this term",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )


class ReleaseForm(Form):
    error_phrases = {"comment": "your comment"}

    comment = forms.CharField(
        label="Your comment for governors",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
        help_text="It appears at the start of the report",
    )


class ApiTokenForm(Form):
    error_phrases = {"name": "the token's name"}

    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text='What the token is for, so you know it later: "Governors\' spreadsheet"',
    )


class AnnualReportForm(Form):
    error_phrases = {"progress": "the partnership's progress against its aims"}

    progress = forms.CharField(
        label="The partnership's progress against its aims this year",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
        help_text="In your own words, from the strategy group's review: the report quotes it under the aims",
    )
