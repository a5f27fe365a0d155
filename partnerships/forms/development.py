from django import forms

from core.forms import DateInput, Form
from partnerships.forms.groups import offer_only, person_label
from partnerships.models.development import Status
from partnerships.selectors.development import headteachers_of_current_members, year_choices
from partnerships.selectors.groups import current_member_schools, people_of_current_members
from schools.models import Person, School


def _headteacher_label(person: Person) -> str:
    return f"{person.full_name}, headteacher of {person.school.name}"


class _CoordinatorMixin:
    def _coordinator_choices(self):
        field = self.fields["coordinator"]
        field.queryset = Person.objects.select_related("school")
        offer_only(field, headteachers_of_current_members(), _headteacher_label, "Not chosen yet")


class DevelopmentAreaForm(_CoordinatorMixin, Form):
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int, choices=())
    name = forms.CharField(label="Name of the area", max_length=150)
    coordinator = forms.ModelChoiceField(
        label="Development coordinator",
        queryset=Person.objects.none(),
        required=False,
        help_text="A headteacher of a member school, who champions the area",
    )
    objectives = forms.CharField(
        label="Objectives", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = year_choices()
        self._coordinator_choices()


class DevelopmentAreaChangeForm(_CoordinatorMixin, Form):
    name = forms.CharField(label="Name of the area", max_length=150)
    coordinator = forms.ModelChoiceField(
        label="Development coordinator",
        queryset=Person.objects.none(),
        required=False,
        help_text="A headteacher of a member school, who champions the area",
    )
    objectives = forms.CharField(
        label="Objectives", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    evaluation = forms.CharField(
        label="Evaluation",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="How well the plan worked, for the annual review",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._coordinator_choices()


class DevelopmentActionForm(Form):
    description = forms.CharField(label="Action", max_length=300)
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Person.objects.none(), required=False, help_text="Who makes sure it happens"
    )
    error_phrases = {"due": "the date the action is due by"}

    due = forms.DateField(label="Due by", widget=DateInput, required=False)
    status = forms.ChoiceField(label="Status", choices=Status.choices, initial=Status.PLANNED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.select_related("school")
        offer_only(self.fields["owner"], people_of_current_members(), person_label, "No owner yet")


class DevelopmentMilestoneForm(Form):
    description = forms.CharField(label="Milestone", max_length=300)
    error_phrases = {"due": "the date the milestone is due by"}

    due = forms.DateField(label="Due by", widget=DateInput)
    status = forms.ChoiceField(label="Status", choices=Status.choices, initial=Status.PLANNED)


class _LeadMixin:
    def _lead_choices(self, school: School | None):
        field = self.fields["lead"]
        field.queryset = Person.objects.select_related("school")
        offered = people_of_current_members()
        if school is not None:
            offer_only(field, offered.filter(school=school), person_label, "Not named yet")
            return
        # Everyone of every member school, grouped by school so a long list stays readable.
        groups: dict[str, list] = {}
        for person in offered:
            groups.setdefault(person.school.name, []).append(
                (person.pk, f"{person.full_name}, {person.get_position_display().lower()}")
            )
        field.widget.choices = [("", "Not named yet")] + list(groups.items())


class AreaParticipationForm(_LeadMixin, Form):
    school = forms.ModelChoiceField(label="School", queryset=School.objects.none(), empty_label="Choose a school")
    lead = forms.ModelChoiceField(
        label="Lead person",
        queryset=Person.objects.none(),
        required=False,
        help_text="A person of that school who leads its work in this area",
    )

    def __init__(self, *args, exclude_school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.all()
        excluded = set(exclude_school_ids)
        offer_only(
            self.fields["school"],
            [s for s in current_member_schools() if s.pk not in excluded],
            empty_label="Choose a school",
        )
        self._lead_choices(None)


class AreaLeadForm(_LeadMixin, Form):
    lead = forms.ModelChoiceField(label="Lead person", queryset=Person.objects.none(), required=False)

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self._lead_choices(school)
        self.fields["lead"].help_text = f"A person of {school.name}"
