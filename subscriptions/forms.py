from decimal import Decimal

from django import forms

from core.forms import DateInput, Form
from subscriptions.models import TariffItem

HOURS_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4", "spellcheck": "false"})


def _hours_field(label: str, what: str) -> forms.DecimalField:
    message = f"Enter {what} as a number of hours, like 2.5"
    return forms.DecimalField(
        label=label,
        max_digits=4,
        decimal_places=1,
        widget=HOURS_WIDGET,
        help_text="In half hours; at most 8, a school day",
        error_messages={
            "required": f"Enter {what}",
            "invalid": message,
            "max_decimal_places": f"Enter {what} in half hours, like 2.5",
            "max_digits": f"Enter {what} as 8 or fewer: that is a school day",
            "max_whole_digits": f"Enter {what} as 8 or fewer: that is a school day",
        },
    )


class PlanForm(Form):
    error_phrases = {
        "name": "the plan's name",
        "yearly_price": "the price a year",
        "credits_per_year": "the credits a year",
    }

    name = forms.CharField(label="Name", max_length=120)
    yearly_price = forms.DecimalField(
        label="Price a year (£)",
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the price a year in pounds and pence, like 4500.00"},
    )
    credits_per_year = forms.DecimalField(
        label="Credits a year",
        max_digits=6,
        decimal_places=1,
        initial=Decimal("60"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={"invalid": "Enter the credits a year as a number, like 60"},
    )
    carry_over = forms.BooleanField(label="Unspent credits carry over to the next year", required=False)
    includes_partner = forms.BooleanField(label="An assigned school improvement partner", required=False, initial=True)
    includes_governors_report = forms.BooleanField(label="A termly report to governors", required=False, initial=True)
    includes_ect_support = forms.BooleanField(label="Support for early career teachers", required=False)
    cancel_days = forms.IntegerField(
        label="Days' notice for a full refund",
        min_value=0,
        max_value=365,
        initial=7,
        help_text="A booking cancelled at least this many days before the day is refunded in full; later, not at all",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class SubscribeForm(Form):
    error_phrases = {"school": "the school", "plan": "the plan"}

    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school")
    plan = forms.ModelChoiceField(label="Plan", queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, school_choices, plan_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = school_choices
        self.fields["plan"].queryset = plan_choices


class BookingForm(Form):
    error_phrases = {"item": "the activity", "on": "the date", "hours": "the hours in school"}

    item = forms.ModelChoiceField(label="Activity", queryset=None, empty_label="Choose an activity")
    on = forms.DateField(label="Date", widget=DateInput)
    hours = _hours_field("Hours in school", "the hours in school")
    report = forms.BooleanField(label="Ask for a written report afterwards", required=False)
    notes = forms.CharField(
        label="What you would like (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = TariffItem.objects.filter(
            partnership=partnership, kind=TariffItem.Kind.ADVISER_ACTIVITY, active=True
        ).order_by("name")


class ActualsForm(Form):
    error_phrases = {"actual_hours": "the hours spent in school"}

    actual_hours = _hours_field("Hours spent in school", "the hours spent in school")
    report_written = forms.BooleanField(label="A report was written", required=False)


# --- Notes of visit and the Joint Annual Review -------------------------------------------------------


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _shared_with_field() -> forms.MultipleChoiceField:
    from subscriptions.services.visits import SHAREABLE

    return forms.MultipleChoiceField(
        label="Who else may read the note",
        help_text="Besides the headteacher and you. A school's role counts only for this school.",
        required=False,
        choices=[(role.value, role.label) for role in SHAREABLE],
        widget=forms.CheckboxSelectMultiple,
    )


class VisitForm(Form):
    error_phrases = {"school": "the school", "on": "the date of the visit", "agenda": "the agenda"}

    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school")
    on = forms.DateField(label="Date of the visit", widget=DateInput)
    agenda = _text("Agenda", required=True, help_text="The headteacher agrees it before the visit")
    shared_with = _shared_with_field()

    def __init__(self, *args, school_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = school_choices


class VisitNotesForm(Form):
    error_phrases = {"agenda": "the agenda"}

    agenda = _text("Agenda", required=True, help_text="If you change it, the headteacher agrees it again")
    seen = _text("Who was seen")
    evidence = _text("Evidence")
    judgements = _text("Judgements")
    next_steps = _text("Next steps")
    shared_with = _shared_with_field()


class ReviewForm(Form):
    error_phrases = {"summary": "the review of the term"}

    summary = _text("Review of the term", required=True, rows=8, help_text="Achievement, provision or leadership")
    ks1 = _text("Key stage 1", help_text="Data against targets, with previous, local and national figures")
    ks2 = _text("Key stage 2")
    ks4 = _text("Key stage 4")
    ks5 = _text("Key stage 5")


class ReviewDraftForm(ReviewForm):
    error_phrases = {"school": "the school", "term": "the term", "summary": "the review of the term"}

    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school")
    term = forms.ChoiceField(label="Term", widget=forms.RadioSelect)
    field_order = ["school", "term", "summary"]

    def __init__(self, *args, school_choices, **kwargs):
        from subscriptions.models import Review

        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = school_choices
        self.fields["term"].choices = Review.Term.choices


class ReviewReturnForm(Form):
    error_phrases = {"comments": "your comments"}

    comments = _text("What should the adviser change?", required=True)
