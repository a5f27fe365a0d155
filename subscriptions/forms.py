import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

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


class PlanForumsForm(Form):
    """The forums a plan gives places at: a row each (forum and places per school); an empty row is
    skipped, and there is always a spare one."""

    SPARE = 2

    def __init__(self, *args, forum_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = forum_rows + self.SPARE
        self.error_phrases = {}
        for n in range(1, self.rows + 1):
            self.fields[f"forum_{n}"] = forms.CharField(label=f"Forum {n}", required=False, max_length=120)
            self.fields[f"places_{n}"] = forms.IntegerField(
                label=f"Places per school at forum {n}",
                required=False,
                min_value=1,
                max_value=100,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            )
            self.error_phrases[f"forum_{n}"] = f"the name of forum {n}"
            self.error_phrases[f"places_{n}"] = f"the places per school at forum {n}"

    def service_data(self) -> list[tuple[str, int | None]]:
        data = self.cleaned_data
        return [(data[f"forum_{n}"], data[f"places_{n}"]) for n in range(1, self.rows + 1)]


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


class PepPlanForm(Form):
    error_phrases = {"pep": "the PEP headteacher", "sip_share_percent": "the share of time"}

    pep = forms.ModelChoiceField(label="PEP headteacher", queryset=None, empty_label="Choose a person")
    sip_share_percent = forms.IntegerField(
        label="Share of time as school improvement partner (%)",
        min_value=0,
        max_value=100,
        initial=33,
        help_text="The agreement says about a third",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    def __init__(self, *args, pep_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pep"].queryset = pep_choices


class CpdForm(Form):
    error_phrases = {"kind": "the kind of CPD", "on": "the date", "days": "the days", "title": "what it was"}

    kind = forms.ChoiceField(label="Kind of CPD", choices=(), widget=forms.RadioSelect)
    title = forms.CharField(label="What it was (for optional CPD)", required=False, max_length=200)
    on = forms.DateField(label="Date", widget=DateInput)
    days = forms.DecimalField(
        label="Days",
        max_digits=3,
        decimal_places=1,
        help_text="In half days: 0.5 for a half day",
        widget=HOURS_WIDGET,
        error_messages={"invalid": "Enter the days as a number, like 1 or 0.5"},
    )

    def __init__(self, *args, **kwargs):
        from subscriptions.models import CpdRecord

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CpdRecord.Kind.choices


class SupportDayForm(Form):
    error_phrases = {"school": "the school", "on": "the date", "days": "the days"}

    school = forms.ModelChoiceField(label="School", queryset=None, empty_label="Choose a school")
    on = forms.DateField(label="Date", widget=DateInput)
    days = forms.DecimalField(
        label="Days",
        max_digits=3,
        decimal_places=1,
        initial=Decimal("1"),
        widget=HOURS_WIDGET,
        error_messages={"invalid": "Enter the days as a number, like 1 or 0.5"},
    )
    note = forms.CharField(label="What the support was (optional)", required=False, max_length=300)

    def __init__(self, *args, school_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = school_choices


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


class PanelMemberForm(Form):
    error_phrases = {"seat": "the seat on the panel", "user": "who sits on the panel", "meets_on": "the panel date"}

    seat = forms.ChoiceField(label="Seat", choices=(), widget=forms.RadioSelect)
    user = forms.ModelChoiceField(label="Who", queryset=None, required=False, empty_label="Choose a person")
    name = forms.CharField(label="Or their name, for an external adviser", required=False, max_length=150)
    meets_on = forms.DateField(label="Panel date", widget=DateInput)

    def __init__(self, *args, user_choices, **kwargs):
        from subscriptions.models import PanelMember

        super().__init__(*args, **kwargs)
        self.fields["seat"].choices = PanelMember.Seat.choices
        self.fields["user"].queryset = user_choices


def _rate_field(label: str, what: str, initial: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=4,
        decimal_places=1,
        initial=Decimal(initial),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={"invalid": f"Enter {what} as a number, like {initial}"},
    )


def _price_field(label: str, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"invalid": f"Enter {what} in pounds and pence, like 95.00"},
    )


class TariffItemForm(Form):
    error_phrases = {"name": "the activity's name", "kind": "the kind of activity"}

    name = forms.CharField(label="Activity", max_length=150)
    kind = forms.ChoiceField(label="Kind", choices=TariffItem.Kind.choices, widget=forms.RadioSelect)
    credits_per_hour = _rate_field("Credits an hour in school (adviser's activities)", "the credits an hour", "1")
    report_credits = _rate_field(
        "Credits for a report afterwards (adviser's activities)", "the credits for a report", "2"
    )
    half_day_credits = _rate_field(
        "Credits an attendee, up to half a day (network events)", "the credits for up to half a day", "1"
    )
    whole_day_credits = _rate_field(
        "Credits an attendee, a whole day (network events)", "the credits for a whole day", "2"
    )
    member_price = _price_field(
        "Price for member schools, £ (open events and cash only)", "the price for member schools"
    )
    non_member_price = _price_field(
        "Price for other schools, £ (open events and cash only)", "the price for other schools"
    )
    active = forms.BooleanField(label="Offered now", required=False, initial=True)


class PepOutcomeForm(Form):
    """An outcome with up to three milestones (text and date each; leave a row empty to skip it)."""

    error_phrases = {"text": "the outcome"}

    text = forms.CharField(label="Outcome", max_length=400, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in (1, 2, 3):
            self.fields[f"milestone_{n}"] = forms.CharField(label=f"Milestone {n}", required=False, max_length=400)
            self.fields[f"due_{n}"] = forms.DateField(label=f"Milestone {n}: by", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        for n in (1, 2, 3):
            if data.get(f"milestone_{n}") and not data.get(f"due_{n}") and f"due_{n}" not in self.errors:
                self.add_error(f"due_{n}", f"Enter the date milestone {n} is due")
        return data

    def milestones(self) -> list:
        data = self.cleaned_data
        return [(data[f"milestone_{n}"], data[f"due_{n}"]) for n in (1, 2, 3) if data.get(f"milestone_{n}")]


class MilestoneMetForm(Form):
    error_phrases = {"met_on": "the date it was met", "evidence": "the evidence that it was met"}

    met_on = forms.DateField(label="Met on", widget=DateInput)
    evidence = forms.CharField(label="Evidence", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AnnualReviewForm(Form):
    error_phrases = {"held_on": "the date of the meeting", "notes": "what the review found"}

    held_on = forms.DateField(label="Meeting held on", widget=DateInput)
    notes = forms.CharField(
        label="What the review found against the agreed outcomes",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# Events with places (subscriptions/views/events.py).

_TIME_WIDGET = forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"})
_NUMBER_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"})


class EventChangeForm(Form):
    """When and where an event is, and its places: what a coordinator may change once it is set up."""

    error_phrases = {
        "day": "the date of the event",
        "start_time": "the start time",
        "capacity": "the number of places",
        "venue": "the venue",
    }

    day = forms.DateField(label="Date", widget=DateInput)
    start_time = forms.TimeField(
        label="Starts at",
        help_text="Like 09:30",
        widget=_TIME_WIDGET,
        error_messages={"invalid": "Enter the start time like 09:30"},
    )
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=10000, widget=_NUMBER_WIDGET)
    venue = forms.CharField(label="Venue (optional)", max_length=300, required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        day, start = data.pop("day"), data.pop("start_time")
        data["starts"] = datetime.datetime.combine(day, start, tzinfo=timezone.get_current_timezone())
        return data


class EventForm(EventChangeForm):
    error_phrases = EventChangeForm.error_phrases | {
        "title": "the event's title",
        "item": "the kind of event",
        "places_per_school": "the places per school",
        "forum": "the forum",
    }
    field_order = ["title", "item", "day", "start_time", "whole_day", "capacity", "places_per_school", "forum"]

    title = forms.CharField(label="Title", max_length=200)
    item = forms.ModelChoiceField(label="Kind of event, from the tariff", queryset=None, empty_label="Choose one")
    whole_day = forms.BooleanField(
        label="A whole day (longer than half a day)", required=False, help_text="Network events: the whole-day rate"
    )
    places_per_school = forms.IntegerField(
        label="Places per school (optional)",
        min_value=1,
        max_value=10000,
        required=False,
        help_text="The most one school may book, where its plan sets no places at the forum",
        widget=_NUMBER_WIDGET,
    )
    forum = forms.ChoiceField(
        label="Forum (optional)",
        required=False,
        help_text="A forum the plans give places at: each subscribing school may book its plan's places",
    )

    def __init__(self, *args, partnership, **kwargs):
        from subscriptions.selectors import forum_names

        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [("", "Not a forum")] + [(name, name) for name in forum_names(partnership)]
        self.fields["item"].queryset = TariffItem.objects.filter(
            partnership=partnership,
            kind__in=(TariffItem.Kind.NETWORK_EVENT, TariffItem.Kind.OPEN_EVENT),
            active=True,
        ).order_by("kind", "name")


class EventCancelForm(Form):
    error_phrases = {"reason": "why the event is cancelled"}

    reason = forms.CharField(
        label="Why is the event cancelled?",
        max_length=150,
        help_text="Everyone with places or on the waiting list is told this by email",
    )


class PlacesForm(Form):
    error_phrases = {
        "school": "the school",
        "organisation": "the organisation",
        "places": "the number of places",
        "attendees": "who is coming",
    }

    school = forms.ModelChoiceField(label="School", queryset=None, required=False, empty_label="Choose a school")
    organisation = forms.CharField(
        label="Or an organisation outside the partnership",
        required=False,
        max_length=200,
        help_text="Open events only: it pays the non-member price",
    )
    places = forms.IntegerField(label="Places", min_value=1, max_value=1000, widget=_NUMBER_WIDGET)
    attendees = forms.CharField(
        label="Who is coming (optional)",
        required=False,
        max_length=2000,
        help_text="One name a line, no more than the places. You can name or change them until the day.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    waiting = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, school_choices, organisations: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = school_choices
        if len(first := list(school_choices[:2])) == 1:  # a headteacher books for their own school
            self.fields["school"].initial = first[0].pk
        if not organisations:
            del self.fields["organisation"]
            self.fields["school"].required = True


class AttendanceForm(Form):
    """The register: a box for each booked place, ticked for whoever came."""

    error_phrases = {}

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        for seat in register:
            self.fields[f"came_{seat.pk}"] = forms.BooleanField(
                label=f"{seat.name or f'Place {seat.position}, not named'}", required=False, initial=seat.came
            )
            self.fields[f"came_{seat.pk}"].school = seat.places.who

    def service_data(self) -> set[int]:
        return {seat.pk for seat in self.register if self.cleaned_data.get(f"came_{seat.pk}")}


class AttendeesForm(Form):
    """Who will use each of a school's places, a box each."""

    def __init__(self, *args, named_places: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.named_places = named_places
        self.error_phrases = {}
        for n in range(1, named_places + 1):
            self.fields[f"name_{n}"] = forms.CharField(label=f"Place {n}", required=False, max_length=150)
            self.error_phrases[f"name_{n}"] = f"the name for place {n}"

    def service_data(self) -> list[str]:
        return [self.cleaned_data[f"name_{n}"] for n in range(1, self.named_places + 1)]


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


class DelegationForm(Form):
    error_phrases = {"delegate": "the colleague who may book", "start": "the first day", "end": "the last day"}

    delegate = forms.ModelChoiceField(label="Colleague who may book", queryset=None, empty_label="Choose a colleague")
    start = forms.DateField(label="First day", widget=DateInput, help_text="The first day they may book")
    end = forms.DateField(
        label="Last day (optional)",
        widget=DateInput,
        required=False,
        help_text="The last day they may book; leave it empty to let them book until you withdraw it",
    )

    def __init__(self, *args, delegate_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegate_choices
        self.fields["delegate"].label_from_instance = lambda user: user.full_name or user.email
