import calendar
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateInput, Form
from finance.models import MAX_AMOUNT, BudgetLine, ContributionScheme, IncomeLine, LedgerEntry, Payment, SharedCost
from meetings.models import Decision
from partnerships.models import DevelopmentArea
from schools.models import School


class MoneyField(forms.DecimalField):
    """A DecimalField that reports only the first problem: an absurd amount breaks both the digits
    and the maximum, and one message is enough."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


def money_field(label: str, what: str, example: str, *, positive: bool = False, **kwargs) -> MoneyField:
    """Pounds and pence: a Decimal with two places (never a float), messages that name the field."""
    least = Decimal("0.01") if positive else Decimal("0.00")
    capital = what[:1].upper() + what[1:]
    in_pounds = f"Enter {what} in pounds and pence, like {example}"
    return MoneyField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=least,
        max_value=Decimal(MAX_AMOUNT),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={
            "required": in_pounds,
            "invalid": in_pounds,
            "max_decimal_places": in_pounds,
            "max_digits": f"{capital} must be £{MAX_AMOUNT:,} or less",
            "max_whole_digits": f"{capital} must be £{MAX_AMOUNT:,} or less",
            "min_value": f"{capital} must be more than £0.00" if positive else f"{capital} must be £0.00 or more",
            "max_value": f"{capital} must be £{MAX_AMOUNT:,} or less",
        },
        **kwargs,
    )


_PERCENT_RANGE = "The administration share must be between 0%% and 100%%"

MONTHS = [(number, calendar.month_name[number]) for number in range(1, 13)]


class YearOpenForm(Form):
    start_year = forms.IntegerField(
        label="Year it starts",
        min_value=2000,
        max_value=2100,
        help_text="For example, 2026 for the year from April 2026 to March 2027",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year it starts, like 2026",
            "invalid": "Enter the year it starts as a number, like 2026",
            "min_value": "Enter the year it starts, like 2026",
            "max_value": "Enter the year it starts, like 2026",
        },
    )
    start_month = forms.TypedChoiceField(
        label="Month it starts",
        choices=MONTHS,
        coerce=int,
        initial=4,
        help_text="April unless the partnership keeps another financial year, such as an academy's September",
        error_messages={
            "required": "Select the month it starts",
            "invalid_choice": "Select the month it starts from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, name in BudgetLine.Category.choices:
            self.fields[f"budget_{category}"] = money_field(
                f"{name}: planned amount (£)", f"the planned amount for {name.lower()}", "1500.00", required=False
            )

    def budget_fields(self):
        return [self[f"budget_{category}"] for category in BudgetLine.Category.values]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "start_year": data["start_year"],
            "start_month": data["start_month"],
            "budget": {
                category: data[f"budget_{category}"]
                for category in BudgetLine.Category.values
                if data.get(f"budget_{category}") is not None
            },
        }


class BudgetForm(Form):
    """A money field per budget category (planned spending) and per income source (expected income);
    an empty one means no line, or £0.00 for a line the year has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, name in BudgetLine.Category.choices:
            self.fields[f"budget_{category}"] = money_field(
                f"{name}: planned amount (£)", f"the planned amount for {name.lower()}", "1500.00", required=False
            )
        for source, name in IncomeLine.Source.choices:
            self.fields[f"income_{source}"] = money_field(
                f"{name}: expected amount (£)", f"the expected amount for {name.lower()}", "1500.00", required=False
            )

    def budget_fields(self):
        return [self[f"budget_{category}"] for category in BudgetLine.Category.values]

    def income_fields(self):
        return [self[f"income_{source}"] for source in IncomeLine.Source.values]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "budget": {category: data.get(f"budget_{category}") for category in BudgetLine.Category.values},
            "income": {source: data.get(f"income_{source}") for source in IncomeLine.Source.values},
        }


class CloseYearForm(Form):
    """Nothing to fill in: the button is the confirmation."""


class SchemeForm(Form):
    basis = forms.ChoiceField(
        label="How do schools contribute?",
        choices=ContributionScheme.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how schools contribute",
            "invalid_choice": "Select how schools contribute from the list",
        },
    )
    rate = money_field(
        "Rate (£)",
        "the rate",
        "2.00",
        positive=True,
        required=False,
        help_text="Per FTE pupil, or each school's flat amount",
    )
    total = money_field(
        "Total to share (£)",
        "the total to share",
        "1000.00",
        positive=True,
        required=False,
        help_text="For a share in proportion to budgets or pupil numbers",
    )
    joiner = forms.ChoiceField(
        label="What does a school joining during the year pay?",
        choices=ContributionScheme.Joiner.choices,
        widget=forms.RadioSelect,
        initial=ContributionScheme.Joiner.PRO_RATA,
        error_messages={
            "required": "Select what a school joining during the year pays",
            "invalid_choice": "Select what a school joining during the year pays from the list",
        },
    )
    # Django formats field messages with their parameters, so a literal % is written %%.
    admin_share_percent = forms.DecimalField(
        label="Banker school's administration share (%)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        help_text="A percentage of each payment received, 0 to 100. Leave empty if the agreement names none",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the administration share as a percentage, like 5 or 2.5",
            "max_decimal_places": "Enter the administration share as a percentage, like 5 or 2.5",
            "max_digits": _PERCENT_RANGE,
            "max_whole_digits": _PERCENT_RANGE,
            "min_value": _PERCENT_RANGE,
            "max_value": _PERCENT_RANGE,
        },
    )
    admin_fixed_amount = money_field(
        "Or the banker school's administration amount for the year (£)",
        "the administration amount",
        "250.00",
        required=False,
        help_text="Posted when the year opens. Leave empty for a percentage, or if the agreement names none",
    )


class ConfirmRequestsForm(Form):
    """Nothing to fill in: the amounts are the ones the page shows. The button is the confirmation."""


def _date_field(label: str, what: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput,
        error_messages={"required": f"Enter {what}", "invalid": f"{what[:1].upper()}{what[1:]} must be a real date"},
        **kwargs,
    )


class PaymentForm(Form):
    amount = money_field("Amount received (£)", "the amount received", "250.00", positive=True)
    received_on = _date_field("Date received", "the date the payment was received", help_text="For example, 27 4 2026")
    method = forms.ChoiceField(
        label="How was it paid?",
        choices=[(value, label) for value, label in Payment.Method.choices if value in Payment.MONEY_METHODS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the school paid",
            "invalid_choice": "Select how the school paid from the list",
        },
    )
    reference = forms.CharField(
        label="Payment reference (optional)",
        required=False,
        max_length=100,
        help_text="As it appears on the bank statement or cheque",
        error_messages={"max_length": "The payment reference must be 100 characters or fewer"},
    )
    confirm_overpayment = forms.BooleanField(
        label="Yes, record the whole amount and keep the extra as the school's credit, carried forward",
        required=False,
    )


class ReverseForm(Form):
    reason = forms.CharField(
        label="Why is it being reversed?",
        max_length=150,
        help_text="For example, recorded against the wrong school",
        error_messages={
            "required": "Enter why it is being reversed",
            "max_length": "The reason must be 150 characters or fewer",
        },
    )


class LedgerEntryForm(Form):
    kind = forms.ChoiceField(
        label="What is the money?",
        choices=[(kind.value, kind.label) for kind in LedgerEntry.RECORDED_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the money is", "invalid_choice": "Select what the money is"},
    )
    description = forms.CharField(
        label="Description",
        max_length=200,
        help_text="For example, Extended Schools funding, summer term",
        error_messages={
            "required": "Enter the description of what the money is for",
            "max_length": "The description must be 200 characters or fewer",
        },
    )
    amount = money_field("Amount received (£)", "the amount received", "1500.00", positive=True)
    posted_on = _date_field("Date received", "the date it was received")


class SchoolChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SharedCostForm(Form):
    title = forms.CharField(
        label="What is the cost for?",
        max_length=150,
        help_text="For example, Science week: hall hire and visiting speaker",
        error_messages={
            "required": "Enter what the cost is for, like Science week: hall hire",
            "max_length": "What the cost is for must be 150 characters or fewer",
        },
    )
    total = money_field("Total to share (£)", "the total to share", "1200.00", positive=True)
    basis = forms.ChoiceField(
        label="How is it shared?",
        choices=SharedCost.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the cost is shared",
            "invalid_choice": "Select how the cost is shared from the list",
        },
    )
    schools = SchoolChoices(
        label="Schools taking part",
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the schools taking part",
            "invalid_choice": "Select the schools taking part from the list",
            "invalid_pk_value": "Select the schools taking part from the list",
        },
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(pk__in=[school.pk for school in schools]).order_by(
            "name"
        )


class SchoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RequestAddForm(Form):
    school = SchoolChoice(
        label="Which school?",
        queryset=School.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the school to ask",
            "invalid_choice": "Select the school to ask from the list",
        },
    )

    def __init__(self, *args, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=[school.pk for school in schools]).order_by(
            "name"
        )


# --- Spending and grants ------------------------------------------------------------------------------------


class DecisionChoiceField(forms.ModelChoiceField):
    """A decision minuted at one of the partnership's meetings, named by its meeting and its words."""

    def label_from_instance(self, decision):
        meeting = decision.item.meeting
        return f"{meeting.title}, {timezone.localtime(meeting.starts):%-d %B %Y}: {decision.text[:80]}"


def _decision_field(what: str) -> DecisionChoiceField:
    return DecisionChoiceField(
        label="Decision that approved it (optional)",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="Not recorded in minutes",
        help_text=f"The strategy group's decision, as minuted, that approved the {what}",
        error_messages={"invalid_choice": "Select a decision from the list of the partnership's minuted decisions"},
    )


def _area_field(help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Development area (optional)",
        queryset=DevelopmentArea.objects.none(),
        required=False,
        empty_label="None",
        help_text=help_text,
        error_messages={"invalid_choice": "Select a development area from the list"},
    )


def _decisions(partnership):
    return (
        Decision.objects.filter(item__meeting__partnership=partnership)
        .select_related("item__meeting")
        .order_by("-item__meeting__starts", "pk")
    )


def _areas(partnership):
    return DevelopmentArea.objects.filter(partnership=partnership).order_by("-academic_year", "name")


def _text_field(label: str, what: str, example: str, limit: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        error_messages={
            "required": f"Enter {what}, like {example}",
            "max_length": f"{what[:1].upper()}{what[1:]} must be {limit} characters or fewer",
        },
        **kwargs,
    )


class ExpenseForm(Form):
    budget_line = forms.ModelChoiceField(
        label="Budget line",
        queryset=BudgetLine.objects.none(),
        empty_label="Select a budget line",
        error_messages={
            "required": "Select the budget line it was spent against",
            "invalid_choice": "Select the budget line from the list",
        },
    )
    development_area = _area_field("If it was spent on one development area's work")
    supplier = _text_field("Supplier", "the supplier", "Exeter Coaches Ltd", 150)
    description = _text_field("What was it for?", "what it was for", "coach hire for the maths challenge", 200)
    amount = money_field("Amount spent (£)", "the amount spent", "120.00", positive=True)
    spent_on = _date_field("Date spent", "the date it was spent")
    decision = _decision_field("spending")
    receipt = forms.FileField(
        label="Receipt (optional)",
        required=False,
        help_text="A PDF, Word (.docx), Excel (.xlsx) or OpenDocument text (.odt) file",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
        error_messages={
            "empty": "The receipt is empty: choose the file to upload",
            "invalid": "Choose the receipt to upload",
            "missing": "Choose the receipt to upload",
            "max_length": "The receipt's file name is too long: rename it and upload it again",
        },
    )

    def __init__(self, *args, partnership, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if year is not None:
            self.fields["budget_line"].queryset = BudgetLine.objects.filter(year=year).order_by("category", "pk")
        self.fields["development_area"].queryset = _areas(partnership)
        self.fields["decision"].queryset = _decisions(partnership)


class GrantForm(Form):
    name = _text_field("Name of the grant", "the grant's name", "Extended Schools funding", 150)
    funder = _text_field("Who gave it?", "who gave it", "Devon County Council", 150)
    amount = money_field("Amount received (£)", "the amount received", "18000.00", positive=True)
    received_on = _date_field("Date received", "the date it was received")
    development_area = _area_field("If the grant is for one development area: only its schools receive it")
    restricted_to_members = forms.BooleanField(
        label="Only schools that are members on the day it is allocated receive it",
        required=False,
        initial=True,
        help_text="Extended Schools funding can only be allocated to schools participating in the partnership",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["development_area"].queryset = _areas(partnership)


class GrantAllocationForm(Form):
    school = forms.TypedChoiceField(
        label="School",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Select the school it is allocated to",
            "invalid_choice": "Select the school from the list of schools that may receive the grant",
        },
    )
    amount = money_field("Amount allocated (£)", "the amount allocated", "1500.00", positive=True)
    allocated_on = _date_field("Date allocated", "the date it was allocated")
    decision = _decision_field("allocation")

    def __init__(self, *args, partnership, eligible=(), **kwargs):
        """`eligible`: the schools finance.selectors.grant_eligibility allows (the page asks it)."""
        super().__init__(*args, **kwargs)
        self.schools = {school.pk: school for school in eligible}
        self.fields["school"].choices = [("", "Select a school")] + [
            (school.pk, school.name) for school in self.schools.values()
        ]
        self.fields["decision"].queryset = _decisions(partnership)

    def clean_school(self):
        return self.schools[self.cleaned_data["school"]]
