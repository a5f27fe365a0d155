"""GOV.UK Design System rendering for every Django form (the project's FORM_RENDERER)."""

import datetime
import re

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes under one legend.

    The browser's own date picker shows month-first dates in some locales and is hard to use with a
    screen reader; the three boxes are what UK school staff know from DfE services. The field still
    receives one ISO date string, so forms and services see an ordinary DateField. A single value
    posted under the field's own name (as scripts and tests may send) is accepted too.
    """

    template_name = "forms/govuk_date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "2"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "2"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                # Not a real date: give back what was typed, so the person can correct it.
                parts = value.split("-")
                return [parts[2], parts[1], parts[0]] if len(parts) == 3 else [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data.get(name)
        day, month, year = (str(data.get(f"{name}_{part}", "") or "").strip() for part in self.parts)
        if not (day or month or year):
            return ""
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            return f"{year}-{month}-{day}"  # not a date: the field says "Enter a real date"
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in self.parts)

    def id_for_label(self, id_):
        # The day box carries the field's own id, so labels and the error summary's link find it.
        return id_


# --- Error messages that name their field ----------------------------------------------------------
# Django's own messages ("This field is required.", "Enter a valid date.") name no field, so an error
# summary listing two of them says nothing. GOV.UK's error messages name the field and say what to do:
# "Enter the full name", "Select the office", "Date of the election must be a real date". Every form
# of the project is a `core.forms.Form`, which gives each field such messages in place of Django's
# defaults; a message a form sets itself (error_messages=...) is kept.

# Labels that already read as the object of "Enter"/"Select" without "the".
_NO_ARTICLE = {"a", "an", "the", "your", "their", "its", "who", "what", "which", "when", "where", "how", "whether"}
_CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.SelectMultiple)


def field_phrase(label) -> str:
    """A label as the object of a sentence: "Full name" -> "the full name", "Who was elected?" ->
    "who was elected", "URN" -> "the URN"."""
    text = re.sub(r"\s*\((optional|if any)\)\s*$", "", str(label or "this answer")).strip().rstrip("?:.").strip()
    first = text.split(" ", 1)[0]
    if not (len(first) > 1 and first[1].isupper()):  # keep acronyms such as URN and FTE as they are
        text = text[:1].lower() + text[1:]
    return text if first.lower() in _NO_ARTICLE else f"the {text}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def govuk_error_messages(field: forms.Field, phrase: str = "") -> dict[str, str]:
    """GOV.UK messages for a field's built-in errors, each naming the field and saying what to do.

    `phrase` names the field where its label does not read well in a sentence ("Starts": "the date
    the group starts"); by default it is made from the label."""
    phrase = phrase or field_phrase(field.label)
    widget = field.widget
    if isinstance(field, forms.FileField):
        missing = f"Select {phrase}"
    elif isinstance(field, forms.BooleanField) or isinstance(widget, forms.CheckboxInput):
        missing = f"Tick the box to confirm {phrase}"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(widget, _CHOICE_WIDGETS):
        missing = f"Select {phrase}"
    else:
        missing = f"Enter {phrase}"
    if isinstance(field, forms.DateField):
        invalid = f"{_sentence(phrase)} must be a real date"
    elif isinstance(field, forms.DecimalField | forms.FloatField):  # before IntegerField, their base class
        invalid = f"{_sentence(phrase)} must be a number, like 12.50"
    elif isinstance(field, forms.IntegerField):
        invalid = f"{_sentence(phrase)} must be a whole number, like 12"
    elif isinstance(field, forms.EmailField):
        invalid = f"Enter {phrase} in the correct format, like name@example.com"
    elif isinstance(field, forms.FileField):
        invalid = f"Select {phrase}: what was sent was not a file"
    else:
        invalid = f"Enter {phrase} in the correct format"
    choose = f"Select {phrase} using one of the options given"
    return {
        "required": missing,
        "invalid": invalid,
        "invalid_choice": choose,
        "invalid_list": choose,
        "invalid_pk_value": choose,
        "missing": missing,
        "empty": f"{_sentence(phrase)} is empty: select a file that has something in it",
        "contradiction": f"Either select {phrase} or tick the box to remove it, not both",
        "max_length": f"{_sentence(phrase)} must be %(limit_value)d characters or fewer",
        "min_length": f"{_sentence(phrase)} must be %(limit_value)d characters or more",
        "max_value": f"{_sentence(phrase)} must be %(limit_value)s or less",
        "min_value": f"{_sentence(phrase)} must be %(limit_value)s or more",
        "step_size": f"{_sentence(phrase)} must be a multiple of %(limit_value)s",
        "max_digits": f"{_sentence(phrase)} must have no more than %(max)s digits",
        "max_decimal_places": f"{_sentence(phrase)} must have no more than %(max)s decimal places",
        "max_whole_digits": f"{_sentence(phrase)} must have no more than %(max)s digits before the decimal point",
        "incomplete": missing,
    }


def _defaults(field: forms.Field) -> dict[str, str]:
    """The messages Django gives this kind of field when the form sets none of its own."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update({key: str(value) for key, value in getattr(cls, "default_error_messages", {}).items()})
    return messages


def use_govuk_error_messages(field: forms.Field, phrase: str = "") -> None:
    """Replace a field's default messages (not those a form set itself) with ones that name it.

    Validators' messages (a maximum length, a minimum value) are replaced too: a field's message for
    a validator's code takes the validator's place."""
    defaults = _defaults(field)
    for key, message in govuk_error_messages(field, phrase).items():
        current = field.error_messages.get(key)
        if current is None or str(current) == defaults.get(key):
            field.error_messages[key] = message
    for subfield in getattr(field, "fields", ()):  # MultiValueField and ComboField
        subfield.label = subfield.label or field.label
        use_govuk_error_messages(subfield, phrase)


class GovukErrorsMixin:
    """Give every field messages that name it, just before the form is validated (so fields a form
    adds in its __init__ are covered too). `error_phrases` names a field whose label does not read
    well inside a sentence: {"starts": "the date the group starts"}."""

    error_phrases: dict[str, str] = {}

    def full_clean(self):
        for name, field in self.fields.items():
            use_govuk_error_messages(field, self.error_phrases.get(name, ""))
        super().full_clean()


class Form(GovukErrorsMixin, forms.Form):
    """The base of every form in the project: Django's Form with GOV.UK error messages."""


def apply_service_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError next to the fields it names (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
