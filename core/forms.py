"""GOV.UK Design System rendering for every Django form (the project's FORM_RENDERER)."""

import datetime

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


def apply_service_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError next to the fields it names (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
