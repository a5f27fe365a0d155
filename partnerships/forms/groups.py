from django import forms
from django.utils import timezone

from core.forms import DateInput, Form
from partnerships.models import Group
from partnerships.selectors.groups import current_member_schools, people_of_current_members
from partnerships.services.groups import DEFAULT_REPORTS_TO
from schools.models import Person, School


def person_label(person: Person) -> str:
    return f"{person.full_name}, {person.get_position_display().lower()}, {person.school.name}"


def offer_only(field: forms.ModelChoiceField, offered, label=str, empty_label: str | None = None) -> None:
    """Show only `offered` in the list, but accept anything in the field's queryset.

    The service then refuses a choice that breaks a rule (a person of a school that has left, say)
    with a message that says why, instead of a bare "Select a valid choice".
    """
    empty = [("", empty_label if empty_label is not None else field.empty_label or "")]
    field.widget.choices = empty + [(obj.pk, label(obj)) for obj in offered]


class GroupForm(Form):
    error_phrases = {
        "name": "the name of the group",
        "starts": "the date the group starts",
        "ends": "the date the group ends",
        "reports_to": "who the group reports to",
    }

    name = forms.CharField(label="Name", max_length=150)
    kind = forms.ChoiceField(label="Kind of group", choices=Group.Kind.choices, widget=forms.RadioSelect)
    remit = forms.CharField(
        label="Remit",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the strategic group has asked the group to do",
    )
    chairing = forms.ChoiceField(label="Who chairs the group", choices=Group.Chairing.choices, widget=forms.RadioSelect)
    chair = forms.ModelChoiceField(
        label="Named chair",
        queryset=Person.objects.none(),
        required=False,
        help_text="Only when a named person chairs the group",
    )
    host_school = forms.ModelChoiceField(
        label="Host school",
        queryset=School.objects.none(),
        required=False,
        help_text="Where the next meeting is held; its representative chairs when the host chairs",
    )
    starts = forms.DateField(label="Starts", widget=DateInput)
    ends = forms.DateField(
        label="Ends",
        widget=DateInput,
        required=False,
        help_text="Task groups work for an agreed period and must have an end date",
    )
    reports_to = forms.CharField(label="Reports to", max_length=150, initial=DEFAULT_REPORTS_TO)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {
            "starts": timezone.localdate(),
            "reports_to": DEFAULT_REPORTS_TO,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Person.objects.select_related("school")
        offer_only(self.fields["chair"], people_of_current_members(), person_label, "No named chair")
        self.fields["host_school"].queryset = School.objects.all()
        offer_only(self.fields["host_school"], current_member_schools(), empty_label="No host school yet")

    @classmethod
    def initial_for(cls, group: Group) -> dict:
        return {
            "name": group.name,
            "kind": group.kind,
            "remit": group.remit,
            "chairing": group.chairing,
            "chair": group.chair_id,
            "host_school": group.host_school_id,
            "starts": group.starts,
            "ends": group.ends,
            "reports_to": group.reports_to,
        }


class GroupHostForm(Form):
    host_school = forms.ModelChoiceField(
        label="Host school for the next meeting",
        queryset=School.objects.none(),
        required=False,
        help_text="The representative of this school chairs the meeting",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_school"].queryset = School.objects.all()
        offer_only(self.fields["host_school"], current_member_schools(), empty_label="No host school yet")


class GroupMemberForm(Form):
    person = forms.ModelChoiceField(
        label="Person",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        help_text="Staff and governors of the member schools",
    )

    def __init__(self, *args, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.select_related("school")
        excluded = set(exclude_ids)
        offered = [p for p in people_of_current_members() if p.pk not in excluded]
        offer_only(self.fields["person"], offered, person_label)
