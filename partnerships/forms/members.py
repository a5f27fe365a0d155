from django import forms
from django.utils import timezone

from core.forms import DateInput, Form
from partnerships.calendar import financial_year_of
from partnerships.selectors.members import STATUSES
from schools.models import Person, School
from schools.validators import FTE_NOT_A_NUMBER, HEADCOUNT_NOT_A_NUMBER, fte_problem, headcount_problem

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the whole-of-England GIAS extract is about 60 MB
FIRST_YEAR = 2000


class DirectoryFilterForm(Form):
    q = forms.CharField(
        label="School name or URN",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "govuk-input--width-20"}),
    )
    phase = forms.ChoiceField(label="Phase", required=False, choices=[("", "All phases"), *School.Phase.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All"), *STATUSES.items()])


class CsvFileField(forms.FileField):
    """A CSV upload: the content is checked by the import service, this only bounds the size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return upload


class RegisterImportForm(Form):
    file = CsvFileField(
        label="GIAS establishment file (CSV)",
        help_text="Download the establishment fields from Get Information about Schools as a CSV file. "
        "Columns used: URN, EstablishmentName, TypeOfEstablishment (name), PhaseOfEducation (name), "
        "ReligiousCharacter (name), LA (name), Street, Town and Postcode.",
        error_messages={"required": "Choose a CSV file to import", "empty": "The file is empty"},
    )
    add_as_members = forms.BooleanField(
        label="Add the schools in the file as members of this partnership",
        required=False,
        help_text="Schools that are already members stay as they are",
    )
    joined = forms.DateField(
        label="Date they join",
        required=False,
        widget=DateInput,
        help_text="Needed if you add the schools as members",
    )
    approval_reference = forms.CharField(
        label="Where the decision to admit them is recorded (optional)",
        required=False,
        max_length=200,
        help_text="For example, the strategic group meeting and minute number",
    )


def _year_input():
    return forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"})


class CensusImportForm(Form):
    year = forms.IntegerField(
        label="Census year",
        help_text="The year of the January census, for example 2026",
        widget=_year_input(),
        error_messages={"invalid": "Enter the census year as a number, like 2026"},
    )
    file = CsvFileField(
        label="Census figures (CSV)",
        help_text="A CSV file with the columns URN, Headcount and FTE, one row per member school",
        error_messages={"required": "Choose a CSV file to import", "empty": "The file is empty"},
    )


class CensusForm(Form):
    year = forms.IntegerField(
        label="Census year",
        help_text="The year of the January census, for example 2026",
        widget=_year_input(),
        error_messages={"invalid": "Enter the census year as a number, like 2026"},
    )
    # The fields only read the numbers; schools.validators decides what they may be (see clean).
    headcount = forms.IntegerField(
        label="Pupil headcount",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={"invalid": HEADCOUNT_NOT_A_NUMBER},
    )
    fte = forms.DecimalField(
        label="Full-time equivalent (FTE) pupils",
        help_text="To one decimal place. Part-time nursery pupils count as 0.5, so the FTE can be "
        "lower than the headcount but never higher",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={"invalid": FTE_NOT_A_NUMBER},
    )

    def clean(self):
        data = super().clean()
        headcount, fte = data.get("headcount"), data.get("fte")
        if "headcount" in data and (problem := headcount_problem(headcount)):
            self.add_error("headcount", problem)
        if "fte" in data and (problem := fte_problem(fte, headcount)):
            self.add_error("fte", problem)
        return data


class BudgetForm(Form):
    financial_year = forms.TypedChoiceField(label="Financial year", coerce=int)
    amount = forms.DecimalField(
        label="Budget (£)",
        help_text="The school's budget for the year, in pounds, for example 1250000.00",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter the budget in pounds, like 1250000.00",
            "min_value": "The budget must be £0 or more",
            "max_decimal_places": "The budget has at most two decimal places (pence)",
            "max_digits": "The budget must be less than £10,000,000,000",
            "max_whole_digits": "The budget must be less than £10,000,000,000",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = financial_year_of(timezone.localdate()) + 1
        self.fields["financial_year"].choices = [
            (year, f"April {year} to March {year + 1}") for year in range(last, FIRST_YEAR - 1, -1)
        ]


class PersonForm(Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address (optional)", required=False)
    position = forms.ChoiceField(label="Position", choices=[("", "Choose a position"), *Person.Position.choices])
