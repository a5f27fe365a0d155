from decimal import Decimal

from django import forms
from django.db import models

from core.forms import DateInput, Form
from partnerships.calendar import TERM_LABELS, TERM_NAMES
from partnerships.models import Constitution, Membership
from partnerships.models.constitution import SECTIONS, InformationCategory
from partnerships.selectors.constitution import ALWAYS_SEEN_BY
from partnerships.services.constitution import MAX_TEXT
from partnerships.services.terms import TERM_PARTS
from schools.models import School


def _always(category: str) -> str:
    return ALWAYS_SEEN_BY[category][0].upper() + ALWAYS_SEEN_BY[category][1:]


NOT_SAID = "The agreement does not say"
_EMPTY_MEANS_UNSET = "Leave empty if the agreement does not say"
_HELP = {
    "min_meetings_per_year": "Only used when the partnership meets a minimum number of times a year",
    "notice_days": _EMPTY_MEANS_UNSET,
    "absences_before_follow_up": "Partnership meetings a school misses without apologies before the chair is asked "
    "to follow it up. Leave empty if the agreement gives no number (2 is then used)",
    "minutes_to_local_authority": "Local authority observers then see the circulated and approved minutes "
    "(never a confidential item's notes)",
    "quorum_value": "A percentage of the member schools (1 to 100), or a number of schools. " + _EMPTY_MEANS_UNSET,
    "chair_term_years": "How long the chair and vice chair serve before they are elected again. " + _EMPTY_MEANS_UNSET,
    "chair_max_consecutive_years": "Re-electing a chair beyond this is refused. "
    "Leave empty if the agreement sets no limit",
    "strategy_head_reps": "Besides the chair, vice chair and coordinator. 0 if the agreement has no rota. "
    + _EMPTY_MEANS_UNSET,
    "strategy_group_notes": "Who else belongs, who may substitute, in plain words",
    "banker_school": "The member school that holds the partnership's funds",
    "finance_summary_to_local_authority": "Local authority observers then see the partnership's finance summary: "
    "each year's totals and the bank balance, never a school's own amounts",
    "leaving_notice_terms": "A school leaves at the end of this many terms after the term in which its notice "
    "arrives. Leave empty if the agreement sets no notice period",
    "development_area_target": _EMPTY_MEANS_UNSET,
    "development_area_minimum": "0 for no minimum. " + _EMPTY_MEANS_UNSET,
    "cpd_free_hours_per_term": _EMPTY_MEANS_UNSET,
    "adviser_max_schools": "A new adviser's role beyond this many schools is refused. "
    "Leave empty if the agreement sets no limit",
    "information_sharing": "What is shared with whom, and what is never stored",
    # Who always sees a school's records, whatever is chosen: the words are the constitution page's.
    "share_staff_contacts": "Every member sees each school's name, phase, address and headteacher. "
    f"{_always(InformationCategory.STAFF_CONTACTS)} always see the rest",
    "share_census": f"{_always(InformationCategory.CENSUS)} always see them",
    "share_budget": f"{_always(InformationCategory.BUDGET)} always see it",
    "share_contributions": "A contribution reveals a school's budget or pupil numbers. "
    f"{_always(InformationCategory.CONTRIBUTION)} always see it",
}
_LABELS = {
    "meeting_frequency": "How often the partnership meets",
    "quorum_kind": "How the quorum is set",
    "quorum_value": "Quorum",
    "information_sharing": "Why",
}
_RADIOS = {
    "meeting_frequency",
    "quorum_kind",
    "share_staff_contacts",
    "share_census",
    "share_budget",
    "share_contributions",
}


def _yes_no(value: str) -> bool:
    return value == "True"


class BankerSchoolField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.urn})"


class ConstitutionSectionForm(Form):
    """The fields of one section of the constitution, with the model's labels and choices."""

    section: str = ""

    def __init__(self, *args, constitution: Constitution, **kwargs):
        fields = SECTIONS[self.section][1]
        kwargs.setdefault("initial", {f: getattr(constitution, f) for f in fields})
        super().__init__(*args, **kwargs)
        for name in fields:
            model_field = Constitution._meta.get_field(name)
            if name == "banker_school":
                members = Membership.objects.current().values("school_id")
                field = BankerSchoolField(
                    queryset=School.objects.filter(pk__in=members).order_by("name"),
                    required=False,
                    empty_label="No banker school",
                    label="Banker school",
                )
            else:
                field = model_field.formfield()
            if name in _RADIOS:
                choices = list(model_field.choices)
                if model_field.null:  # a rule the agreement may not make
                    choices.append(("", NOT_SAID))
                field = forms.TypedChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    label=field.label,
                    required=not model_field.null,
                    empty_value=None,
                )
            elif isinstance(model_field, models.BooleanField) and model_field.null:
                field = forms.TypedChoiceField(
                    choices=[("True", "Yes"), ("False", "No"), ("", NOT_SAID)],
                    widget=forms.RadioSelect,
                    coerce=_yes_no,
                    required=False,
                    empty_value=None,
                )
            if isinstance(model_field, models.TextField):
                field.max_length = MAX_TEXT
                field.widget = forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT})
            verbose = str(model_field.verbose_name)
            field.label = _LABELS.get(name, verbose[0].upper() + verbose[1:])
            if name in _HELP:
                field.help_text = _HELP[name]
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-5"})
            elif isinstance(field, forms.IntegerField):
                field.widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-4"})
            self.fields[name] = field
        if "min_meetings_per_year" in self.fields:
            self.fields["min_meetings_per_year"].required = False
        if "cpd_free_hours_per_term" in self.fields:
            self.fields["cpd_free_hours_per_term"].min_value = Decimal(0)

    def clean(self):
        data = super().clean()
        # "The agreement does not say" for the quorum clears its value too.
        if "quorum_kind" in self.fields and data.get("quorum_kind") is None and "quorum_value" not in self.errors:
            data["quorum_value"] = None
        return data


def section_form_class(section: str) -> type[ConstitutionSectionForm]:
    return type(f"{section.title()}SectionForm", (ConstitutionSectionForm,), {"section": section})


class TermDatesForm(Form):
    """One academic year's three terms, four dates each, in one form."""

    PART_LABELS = {
        "starts": "First day of term",
        "half_term_starts": "First day of the half-term break",
        "half_term_ends": "Last day of the half-term break",
        "ends": "Last day of term",
    }

    def __init__(self, *args, terms, **kwargs):
        kwargs.setdefault("initial", {f"{t.name}_{part}": getattr(t, part) for t in terms for part in TERM_PARTS})
        super().__init__(*args, **kwargs)
        for name in TERM_NAMES:
            for part in TERM_PARTS:
                what = f"the {self.PART_LABELS[part].lower()} of the {TERM_LABELS[name].lower()} term"
                self.fields[f"{name}_{part}"] = forms.DateField(
                    label=self.PART_LABELS[part],
                    widget=DateInput,
                    error_messages={"required": f"Enter {what}", "invalid": f"Enter {what} as a real date"},
                )

    def fieldsets(self):
        """(legend, [bound fields]) for each term, for the template."""
        return [(f"{TERM_LABELS[name]} term", [self[f"{name}_{part}"] for part in TERM_PARTS]) for name in TERM_NAMES]
