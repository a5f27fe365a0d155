from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateInput, Form
from partnerships.models import LeavingNotice
from partnerships.services.membership import LETTER_REQUIRED, letter_validate
from schools.models import School


class SchoolByUrnField(forms.Field):
    """A school on the register, entered by its URN (the register may hold thousands of schools)."""

    max_length = 12

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > self.max_length:
            raise ValidationError(f"Enter the URN of the school: at most {self.max_length} characters")
        if not value.isdigit() or len(value) > 9:
            raise ValidationError("Enter the school's URN: a number, for example 100000")
        school = School.objects.filter(urn=int(value)).first()
        if school is None:
            raise ValidationError(f"No school with URN {value} is on the register")
        return school

    def prepare_value(self, value):
        return value.urn if isinstance(value, School) else value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length)}


class MembershipJoinForm(Form):
    school = SchoolByUrnField(
        label="URN of the school",
        help_text="The school's unique reference number. Search for the school above to find it",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    approved_on = forms.DateField(label="Date the strategic group approved the school joining", widget=DateInput)
    approval_reference = forms.CharField(
        label="Where the decision is recorded",
        max_length=200,
        help_text="For example, Strategic group 12 March 2025, minute 4",
    )
    joined = forms.DateField(
        label="Date the school joins", widget=DateInput, help_text="The school's first day as a member"
    )


class LeavingNoticeForm(Form):
    received_on = forms.DateField(label="Date the notice was received", widget=DateInput)
    method = forms.ChoiceField(
        label="How was the notice given?",
        choices=LeavingNotice.Method.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the notice was given: by letter or by email",
            "invalid_choice": "Select how the notice was given: by letter or by email",
        },
    )
    leaving_on = forms.DateField(
        label="Leaving date (optional)",
        widget=DateInput,
        required=False,
        error_messages={"invalid": "Enter the leaving date as a real date, for example 18 12 2026"},
        help_text="The agreement sets no notice period: enter the school's last day as a member, as agreed "
        "with the partnership. Leave empty if it leaves on the day its notice was received",
    )

    error_phrases = {"given_by": "who the notice is from"}

    given_by = forms.CharField(
        label="From",
        max_length=150,
        help_text="Who signed the letter or sent the email, and their position, for example Sam Patel, headteacher",
    )
    letter = forms.FileField(
        label="The letter, or a copy of the email",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
        help_text=(
            "A letter must be attached: a PDF, Word document or photo of the signed letter (JPG or PNG). "
            "For notice by email a copy is optional, for example the email saved as a PDF. At most 10 MB"
        ),
        allow_empty_file=False,
        error_messages={"empty": "The file is empty: select the letter, or the copy of the email, with its contents"},
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, notice_rule: bool = True, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if notice_rule:  # the leaving date is worked out from the agreement's notice period
            del self.fields["leaving_on"]

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        if not letter:
            return None
        try:
            letter_validate(letter)
        except ValidationError as error:
            raise ValidationError(error.message_dict["letter"]) from None
        return letter

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("method") == LeavingNotice.Method.LETTER
            and "letter" not in self.errors
            and not cleaned.get("letter")
        ):
            self.add_error("letter", LETTER_REQUIRED)
        return cleaned


class WithdrawalNotesForm(Form):
    withdrawal_notes = forms.CharField(
        label="Withdrawal notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="For example, the strategic group's conversations with the school and what was agreed",
    )
