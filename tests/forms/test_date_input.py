"""The GOV.UK date input: three boxes that make one date."""

import datetime

import pytest
from django import forms

from core.forms import DateInput


class WhenForm(forms.Form):
    when = forms.DateField(
        label="Date of the meeting", widget=DateInput, error_messages={"invalid": "Enter a real date"}
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"when_day": "7", "when_month": "3", "when_year": "2027"}, datetime.date(2027, 3, 7)),
        ({"when_day": " 07 ", "when_month": "03", "when_year": "2027"}, datetime.date(2027, 3, 7)),
        ({"when": "2027-03-07"}, datetime.date(2027, 3, 7)),  # one ISO value, as scripts send
    ],
)
def test_the_boxes_make_a_date(data, expected):
    form = WhenForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == expected


@pytest.mark.parametrize(
    "data",
    [
        {"when_day": "31", "when_month": "2", "when_year": "2027"},
        {"when_day": "x", "when_month": "2", "when_year": "2027"},
        {"when_day": "1", "when_month": "2", "when_year": "27"},
        {"when_day": "1", "when_month": "", "when_year": "2027"},
    ],
)
def test_impossible_or_partial_dates_are_refused(data):
    form = WhenForm(data)
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter a real date"]


def test_empty_boxes_are_required():
    form = WhenForm({"when_day": "", "when_month": "", "when_year": ""})
    assert form.errors["when"] == ["This field is required."]


def test_what_was_typed_is_shown_again_and_the_error_links_to_the_day_box():
    form = WhenForm({"when_day": "31", "when_month": "2", "when_year": "2027"})
    html = str(form)
    assert 'id="id_when"' in html and 'name="when_day"' in html  # the day box carries the field's id
    assert 'value="31"' in html and 'value="02"' in html and 'value="2027"' in html
    assert 'href="#id_when"' in html
    assert "govuk-input--error" in html and "<legend" in html


def test_an_initial_date_fills_the_boxes():
    html = str(WhenForm(initial={"when": datetime.date(2026, 9, 2)}))
    assert 'value="2"' in html and 'value="9"' in html and 'value="2026"' in html
