import datetime

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import DateInput, Form
from meetings.models import AgendaItem, Attendance, Invitee, Meeting, Minutes
from meetings.selectors import minutes_awaiting_approval
from meetings.services.scheduling import SUBSTITUTE_POSITIONS
from meetings.services.series import LONGEST_HALF_TERM_WEEKS, WEEKDAYS
from partnerships.calendar import academic_year_label, academic_year_of
from partnerships.models import Group, Membership, RoleAssignment
from schools.models import Person, School

_TIME_HINT = "Use the 24-hour clock, for example 16:00"


def _someone(label: str, who: str) -> forms.ModelChoiceField:
    """A choice of one person with a role in the partnership, or nobody yet."""
    return forms.ModelChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=False,
        empty_label="Not decided yet",
        error_messages={"invalid_choice": f"Choose {who} who has a role in the partnership"},
    )


class MeetingForm(Form):
    """A meeting's details. The day and the two times make the start and end in the UK's time."""

    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of meeting this is",
            "invalid_choice": "Choose what kind of meeting this is",
        },
    )
    group = forms.ModelChoiceField(
        label="Group or network",
        queryset=Group.objects.none(),
        required=False,
        empty_label="Not a group's meeting",
        help_text="Only for a group's or a task group's meeting",
        error_messages={"invalid_choice": "Choose one of the partnership's groups"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the meeting's title, for example Partnership meeting",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    day = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={"required": "Enter the date of the meeting", "invalid": "The date must be a real date"},
    )
    start_time = forms.TimeField(
        label="Starts at",
        help_text=_TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the time the meeting starts", "invalid": "Enter the start time like 16:00"},
    )
    end_time = forms.TimeField(
        label="Ends at",
        help_text=_TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": "Enter the time the meeting ends", "invalid": "Enter the end time like 17:30"},
    )
    venue_school = forms.ModelChoiceField(
        label="At a member school",
        queryset=School.objects.none(),
        required=False,
        empty_label="Not at a school",
        error_messages={"invalid_choice": "Choose a member school, or leave it empty"},
    )
    venue_address = forms.CharField(
        label="Or at this address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="If people can join online",
        error_messages={"invalid": "Enter the online meeting link as a web address, like https://meet.example.org/abc"},
    )
    chair = _someone("Chair", "a chair")
    note_taker = _someone("Note-taker", "a note-taker")
    short_notice_reason = forms.CharField(
        label="Why it cannot wait (only for short notice)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the meeting is sooner than the agreement's notice period; the notice gives the reason",
    )

    def __init__(self, *args, partnership, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        schools = School.objects.filter(
            pk__in=Membership.objects.filter(partnership=partnership).current(today).values("school_id")
        ).order_by("name")
        self.fields["venue_school"].queryset = schools
        people = User.objects.filter(
            pk__in=RoleAssignment.objects.filter(partnership=partnership).active(today).values("user_id")
        ).order_by("full_name")
        self.fields["chair"].queryset = people
        self.fields["note_taker"].queryset = people
        self.fields["group"].queryset = Group.objects.filter(partnership=partnership).order_by("name")
        if meeting is not None:  # a meeting's kind and group do not change: its invitations follow from them
            del self.fields["kind"], self.fields["group"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["starts"] = datetime.datetime.combine(day, start, tzinfo=zone)
            data["ends"] = datetime.datetime.combine(day, end, tzinfo=zone)
            if data["ends"] <= data["starts"]:
                self.add_error("end_time", "The meeting must end after it starts")
        return data

    def service_data(self) -> dict:
        """The cleaned data as the scheduling services take it."""
        data = dict(self.cleaned_data)
        for key in ("day", "start_time", "end_time"):
            data.pop(key, None)
        return data


def meeting_initial(meeting: Meeting) -> dict:
    starts, ends = timezone.localtime(meeting.starts), timezone.localtime(meeting.ends)
    return {
        "title": meeting.title,
        "day": starts.date(),
        "start_time": starts.strftime("%H:%M"),
        "end_time": ends.strftime("%H:%M"),
        "venue_school": meeting.venue_school_id,
        "venue_address": meeting.venue_address,
        "online_link": meeting.online_link,
        "chair": meeting.chair_id,
        "note_taker": meeting.note_taker_id,
        "short_notice_reason": meeting.short_notice_reason,
    }


class CancelForm(Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone invited is told, with this reason",
        error_messages={"required": "Say why the meeting is cancelled; the cancellation tells everyone"},
    )


class InviteeAddForm(Form):
    user = forms.ModelChoiceField(
        label="Person to invite",
        queryset=User.objects.none(),
        help_text="Anyone with a role in the partnership who is not invited yet",
        error_messages={
            "required": "Choose the person to invite",
            "invalid_choice": "Choose someone with a role in the partnership who is not invited yet",
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        day = timezone.localtime(meeting.starts).date()
        invited = meeting.invitees.filter(removed_at__isnull=True, user__isnull=False).values("user_id")
        self.fields["user"].queryset = (
            User.objects.filter(
                pk__in=RoleAssignment.objects.filter(partnership=meeting.partnership).active(day).values("user_id")
            )
            .exclude(pk__in=invited)
            .order_by("full_name")
        )


class AnswerForm(Form):
    answer = forms.ChoiceField(
        label="Can you come?",
        choices=[
            (Invitee.Answer.ATTENDING, "Yes, I will come"),
            (Invitee.Answer.APOLOGIES, "No, I send my apologies"),
            (Invitee.Answer.SUBSTITUTE, "No, someone from my school will come in my place"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you are coming, sending apologies or sending a substitute",
            "invalid_choice": "Say whether you are coming, sending apologies or sending a substitute",
        },
    )
    apologies_reason = forms.CharField(
        label="Reason for your apologies",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if you send apologies; the chair reads them to the meeting",
    )
    substitute = forms.ModelChoiceField(
        label="Who will come in your place",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="Only if you send a substitute: a deputy or assistant headteacher of your school",
        error_messages={"invalid_choice": "Choose a deputy or assistant headteacher of your school"},
    )

    def __init__(self, *args, invitee: Invitee | None, **kwargs):
        super().__init__(*args, **kwargs)
        if invitee is not None and invitee.school_id:
            self.fields["substitute"].queryset = Person.objects.filter(
                partnership=invitee.meeting.partnership, school=invitee.school, position__in=SUBSTITUTE_POSITIONS
            ).order_by("full_name")
        else:
            del self.fields["substitute"]  # coming for no school: nobody can stand in
            self.fields["answer"].choices = self.fields["answer"].choices[:2]


class AttendanceForm(Form):
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        error_messages={
            "required": "Choose the school",
            "invalid_choice": "Choose a member school at this meeting",
        },
    )
    status = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the school's attendance",
            "invalid_choice": "Choose the school's attendance from the list",
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=[s.pk for s in schools])


def _people_on_the_day(meeting: Meeting):
    day = timezone.localtime(meeting.starts).date()
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(partnership=meeting.partnership).active(day).values("user_id")
    ).order_by("full_name")


class AgendaItemForm(Form):
    title = forms.CharField(
        label="Item",
        max_length=200,
        error_messages={
            "required": "Enter the item's title, for example Headteachers' updates",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    purpose = forms.CharField(
        label="Purpose (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the meeting is asked to do: to note, to discuss, to decide",
    )
    presenter = forms.ModelChoiceField(
        label="Presenter (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody named",
        help_text="They can add the item's papers and are reminded before the papers deadline",
        error_messages={"invalid_choice": "Choose a presenter who has a role in the partnership"},
    )
    minutes = forms.IntegerField(
        label="Minutes allowed (optional)",
        required=False,
        min_value=1,
        max_value=480,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the minutes allowed as a whole number, like 15",
            "min_value": "The time allowed must be between 1 and 480 minutes",
            "max_value": "The time allowed must be between 1 and 480 minutes",
        },
    )
    decision_needed = forms.BooleanField(label="The meeting is asked to decide", required=False)
    confidential = forms.BooleanField(
        label="Confidential",
        required=False,
        help_text=(
            "Its papers and notes are seen only by the people invited, the chair, the note-taker and the coordinator"
        ),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = _people_on_the_day(meeting)


def agenda_item_initial(item) -> dict:
    return {
        "title": item.title,
        "purpose": item.purpose,
        "presenter": item.presenter_id,
        "minutes": item.minutes,
        "decision_needed": item.decision_needed,
        "confidential": item.confidential,
    }


class AgendaMoveForm(Form):
    direction = forms.ChoiceField(
        label="Move the item",
        choices=[("up", "Up"), ("down", "Down")],
        error_messages={
            "required": "Choose whether to move the item up or down",
            "invalid_choice": "Choose whether to move the item up or down",
        },
    )


class PapersDeadlineForm(Form):
    deadline = forms.DateField(
        label="Papers due by",
        required=False,
        widget=DateInput,
        help_text="Presenters who have not added a paper are reminded two days before. Leave empty for no deadline",
        error_messages={"invalid": "The deadline must be a real date"},
    )


class PaperForm(Form):
    file = forms.FileField(
        label="Paper",
        help_text="A PDF, Word (.docx), Excel (.xlsx) or OpenDocument text (.odt) file",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
        error_messages={
            "required": "Choose the paper to upload",
            "empty": "The file is empty: choose the paper to upload",
            "invalid": "Choose the paper to upload",
            "missing": "Choose the paper to upload",
            "max_length": "The file's name is too long: rename it and upload it again",
        },
    )
    no_pupil_data = forms.BooleanField(
        label="This paper holds no pupil-level data",
        required=False,
        help_text="Pupil data is shared only live at the meeting, never in papers",
    )


# The minutes. The writing page shows one notes form and one decision form per item, and one action
# form: each posts `part` and (for the first two) `item`, and the page is rendered by hand so that every
# input's id is unique (see templates/meetings/minutes_write.html).


def _item_field(required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=required,
        empty_label="The meeting as a whole",
        error_messages={
            "required": "Choose the agenda item",
            "invalid_choice": "Choose an agenda item of this meeting",
        },
    )


class _MinutesForm(Form):
    item = _item_field()

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()


class NotesForm(_MinutesForm):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Keep the notes to 20000 characters or fewer"},
    )


def _votes(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1000,
        error_messages={
            "invalid": f"Enter the {label.lower()} as a whole number",
            "min_value": f"The {label.lower()} must be from 0 to 1000",
            "max_value": f"The {label.lower()} must be from 0 to 1000",
        },
    )


class DecisionForm(_MinutesForm):
    text = forms.CharField(
        label="Decision",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write the decision, for example: Agreed the budget for 2027-28",
            "max_length": "Keep the decision to 20000 characters or fewer",
        },
    )
    votes_for = _votes("Votes for")
    votes_against = _votes("Votes against")
    abstentions = _votes("Abstentions")


class ActionForm(_MinutesForm):
    item = _item_field(required=False)
    description = forms.CharField(
        label="Action",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Describe the action: what is to be done",
            "max_length": "Keep the action to 20000 characters or fewer",
        },
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose who will do it",
        error_messages={"invalid_choice": "Choose an owner who has a role in the partnership"},
    )
    due = forms.DateField(
        label="Due by",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "The due date must be a real date"},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["owner"].queryset = _people_on_the_day(meeting)


class ApproveForm(Form):
    minutes = forms.ModelChoiceField(
        label="Minutes approved at this meeting",
        queryset=Minutes.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the minutes this meeting approved",
            "invalid_choice": "Choose circulated minutes of an earlier meeting of the same kind",
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].queryset = minutes_awaiting_approval(meeting)
        self.fields["minutes"].label_from_instance = lambda minutes: str(minutes.meeting)


class ActionDoneForm(Form):
    note = forms.CharField(
        label="What was done",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say what was done, so the next meeting can note it",
            "max_length": "Keep the note to 20000 characters or fewer",
        },
    )


class FollowUpForm(Form):
    note = forms.CharField(
        label="What the chair did and found",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: spoke to the headteacher, who will send a deputy while the school is short-staffed",
        error_messages={
            "required": "Say what the chair did and found, for example: spoke to the headteacher",
            "max_length": "Keep the note to 20000 characters or fewer",
        },
    )


def _time_field(label: str, what: str, example: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=_TIME_HINT,
        required=required,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"required": f"Enter the time {what}", "invalid": f"Enter the time {what} like {example}"},
    )


# The kinds that meet through the year (the annual meetings and events are scheduled one at a time).
SERIES_KINDS = [
    (kind.value, kind.label)
    for kind in (Meeting.Kind.PARTNERSHIP, Meeting.Kind.STRATEGY, Meeting.Kind.GROUP, Meeting.Kind.TASK_GROUP)
]


class SeriesForm(MeetingForm):
    """A half-termly series: the meeting's details, and where in each half term it falls. Shares the
    meeting form's fields for the kind, title, place, chair and note-taker."""

    academic_year = forms.TypedChoiceField(
        label="Academic year",
        coerce=int,
        choices=[],
        error_messages={"required": "Choose the academic year", "invalid_choice": "Choose one of the academic years"},
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        coerce=int,
        choices=[(index, name) for index, name in enumerate(WEEKDAYS)],
        error_messages={
            "required": "Choose the day of the week the meetings are on",
            "invalid_choice": "Choose the day of the week the meetings are on, Monday to Friday",
        },
    )
    week = forms.IntegerField(
        label="Week of the half term",
        min_value=1,
        max_value=LONGEST_HALF_TERM_WEEKS,
        initial=3,
        help_text="Week 1 is the week the half term starts. In a shorter half term the meeting is in its last week",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the week of the half term, for example 3",
            "invalid": "Enter the week of the half term as a number, like 3",
            "min_value": f"The week of the half term must be between 1 and {LONGEST_HALF_TERM_WEEKS}",
            "max_value": f"The week of the half term must be between 1 and {LONGEST_HALF_TERM_WEEKS}",
        },
    )
    strategy_before = forms.BooleanField(
        label="Hold a strategy group meeting before each partnership meeting",
        required=False,
        help_text="As some agreements ask: the strategy group prepares each partnership meeting",
    )
    strategy_days_before = forms.IntegerField(
        label="Days before the partnership meeting",
        required=False,
        min_value=1,
        max_value=28,
        initial=7,
        help_text="Only with a strategy group meeting. 7 is the same day a week before",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the days before the partnership meeting as a number, like 7",
            "min_value": "The days before the partnership meeting must be between 1 and 28",
            "max_value": "The days before the partnership meeting must be between 1 and 28",
        },
    )
    strategy_start_time = _time_field(
        "Strategy group meeting starts at", "the strategy group meeting starts", "15:00", required=False
    )
    strategy_end_time = _time_field(
        "Strategy group meeting ends at", "the strategy group meeting ends", "16:00", required=False
    )

    field_order = [
        "academic_year",
        "kind",
        "group",
        "title",
        "weekday",
        "week",
        "start_time",
        "end_time",
        "venue_school",
        "venue_address",
        "online_link",
        "chair",
        "note_taker",
        "strategy_before",
        "strategy_days_before",
        "strategy_start_time",
        "strategy_end_time",
        "short_notice_reason",
    ]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, partnership=partnership, **kwargs)
        del self.fields["day"]
        self.fields["kind"].choices = SERIES_KINDS
        self.fields[
            "title"
        ].help_text = "Each meeting's title ends with its half term, like Partnership meeting, Autumn 1"
        this_year = academic_year_of(timezone.localdate())
        self.fields["academic_year"].choices = [
            (year, academic_year_label(year)) for year in (this_year, this_year + 1)
        ]
        self.fields[
            "short_notice_reason"
        ].help_text = (
            "Only if the first meeting is sooner than the agreement's notice period; its notice gives the reason"
        )
        self.order_fields(self.field_order)

    def clean(self):
        data = forms.Form.clean(self)
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The meetings must end after they start: check the end time")
        start, end = data.get("strategy_start_time"), data.get("strategy_end_time")
        if start and end and end <= start:
            self.add_error("strategy_end_time", "The strategy group meeting must end after it starts")
        if data.get("strategy_days_before") is None:
            data["strategy_days_before"] = 7
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
