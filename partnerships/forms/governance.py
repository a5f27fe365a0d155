from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from core.forms import DateInput, Form, apply_service_errors
from partnerships.forms.groups import offer_only
from partnerships.models import Election, Membership, RoleAssignment
from partnerships.roles import Role
from partnerships.selectors.offices import eligible_candidates
from partnerships.services.offices import MAX_NOTES
from partnerships.services.strategy import rota_eligibility
from schools.models import School

CANDIDATE_ROWS = 6
MAX_VOTES = 10000


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return getattr(obj, "choice_label", None) or str(obj)


def _member_schools():
    return School.objects.filter(pk__in=Membership.objects.current().values("school_id")).order_by("name")


def _rota_schools(partnership, term, taken: dict[int, str] | None = None) -> tuple[list[School], list[str]]:
    """The schools a rota seat in `term` may have, by the rule the service applies
    (`services.strategy.rota_eligibility`), and why each other member school is not offered. `taken`
    names the schools on the rota's other seats already: {school pk: "the representative for seat 2"}."""
    eligibility = rota_eligibility(partnership, term)
    taken = taken or {}
    offered, not_listed = [], []
    for school in sorted(eligibility.schools(), key=lambda s: s.name):
        problem = eligibility.problem(school)
        if problem is None and school.pk in taken:
            problem = f"{school.name} is {taken[school.pk]} already: a school can be on the rota only once"
        if problem:
            not_listed.append(problem)
        else:
            offered.append(school)
    return offered, not_listed


class ElectionForm(Form):
    office = forms.ChoiceField(label="Office", choices=Election.Office.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label="Date of the election", widget=DateInput)
    term_starts = forms.DateField(
        label="First day of the term of office",
        required=False,
        widget=DateInput,
        help_text="Leave empty if the term of office started on the day of the election",
    )
    term_ends = forms.DateField(
        label="Last day of the term of office",
        required=False,
        widget=DateInput,
        help_text="Leave empty for the term of office the agreement sets",
    )
    method = forms.ChoiceField(
        label="How was it decided?",
        choices=Election.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the election was decided"},
    )
    elected = PersonChoiceField(label="Who was elected?", queryset=User.objects.none(), empty_label="Choose a person")
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, how a tied vote was decided",
    )

    def __init__(self, *args, partnership, constitution, office: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        term_years = constitution.chair_term_years
        if term_years is None:
            self.fields["term_ends"].help_text = (
                "The agreement sets no term of office: enter the last day in office, the day before the next "
                "term of office starts"
            )
        else:
            years = f"{term_years} year{'s' if term_years != 1 else ''}"
            self.fields["term_ends"].help_text = (
                f"Leave empty for the term of office the agreement sets: {years} from the first day. "
                "This is the last day in office: the day before the next term of office starts"
            )
        # The office is chosen first (the page asks for it), since who may stand depends on it.
        self.office = office if office in Election.Office.values else None
        if self.office:
            self.fields["office"].widget = forms.HiddenInput()
            self.initial["office"] = self.office
        # Only the people the service would accept are offered: the one definition of who may stand,
        # on the dates entered (today's until then). Anyone else sent is refused by the service, with why.
        held_on = self._date_entered("held_on") or timezone.localdate()
        self.candidates = eligible_candidates(
            partnership,
            self.office or Election.Office.CHAIR,
            held_on=held_on,
            term_starts=self._date_entered("term_starts") or held_on,
            term_ends=self._date_entered("term_ends"),
            constitution=constitution,
        )
        users = User.objects.filter(pk__in=RoleAssignment.objects.filter(partnership=partnership).values("user_id"))
        choices = [("", "Choose a person")] + [(e.user.pk, e.label) for e in self.candidates.eligible]
        for number in range(1, CANDIDATE_ROWS + 1):
            self.fields[f"candidate_{number}"] = PersonChoiceField(
                label="Name",
                queryset=users,
                required=False,
                error_messages={"invalid_choice": f"Choose candidate {number} from the list"},
            )
            self.fields[f"votes_{number}"] = forms.IntegerField(
                label="Votes",
                required=False,
                min_value=0,
                max_value=MAX_VOTES,
                error_messages={
                    "invalid": f"Enter the votes for candidate {number} as a whole number",
                    "min_value": f"The votes for candidate {number} cannot be fewer than 0",
                    "max_value": f"The votes for candidate {number} must be {MAX_VOTES} or fewer",
                },
            )
            self.fields[f"votes_{number}"].widget.attrs.update(
                {"inputmode": "numeric", "class": "govuk-input--width-4"}
            )
        self.fields["elected"].queryset = users
        for field in self.fields.values():
            if isinstance(field, PersonChoiceField):
                field.widget.choices = choices  # one list for every select: no query per select
        self.order_fields(
            ["office", "held_on", "term_starts", "term_ends", "method"]
            + [f"{kind}_{n}" for n in range(1, CANDIDATE_ROWS + 1) for kind in ("candidate", "votes")]
            + ["elected", "notes"]
        )
        self.fields["held_on"].initial = timezone.localdate()

    def _date_entered(self, name: str):
        """A date as sent, if it is a real one (before the form is cleaned), else None."""
        if not self.is_bound:
            return None
        field = self.fields[name]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))
        except ValidationError:
            return None

    @property
    def candidate_rows(self):
        return [(n, self[f"candidate_{n}"], self[f"votes_{n}"]) for n in range(1, CANDIDATE_ROWS + 1)]

    @property
    def fields_before_candidates(self):
        names = ("held_on", "term_starts", "term_ends", "method")
        return [self[name] for name in (names if self.office else ("office", *names))]

    def clean(self):
        data = super().clean()
        for number in range(1, CANDIDATE_ROWS + 1):
            if data.get(f"votes_{number}") is not None and not data.get(f"candidate_{number}"):
                if f"candidate_{number}" not in self.errors:
                    self.add_error(f"candidate_{number}", "Choose the candidate these votes are for")
        return data

    def _rows(self) -> list[int]:
        return [n for n in range(1, CANDIDATE_ROWS + 1) if self.cleaned_data.get(f"candidate_{n}")]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "office": data["office"],
            "held_on": data["held_on"],
            "term_starts": data.get("term_starts"),
            "term_ends": data.get("term_ends"),
            "method": data["method"],
            "candidates": [(data[f"candidate_{n}"], data.get(f"votes_{n}")) for n in self._rows()],
            "elected": data["elected"],
            "notes": data.get("notes", ""),
        }

    def add_service_errors(self, error) -> None:
        """The service numbers candidates from 1 in the order given; put its errors on the form's rows."""
        if hasattr(error, "error_dict"):
            rows = self._rows()
            remapped = {}
            for key, messages in error.message_dict.items():
                kind, _, number = key.rpartition("_")
                if kind in ("candidate", "votes") and number.isdigit():
                    index = int(number) - 1
                    key = f"{kind}_{rows[index] if index < len(rows) else 1}"
                remapped.setdefault(key, []).extend(messages)
            error = ValidationError(remapped)
        apply_service_errors(self, error)


class FirstRotaForm(Form):
    """The representatives and reserves of the first rota, one pair per seat."""

    def __init__(self, *args, seats: int, partnership, term, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the schools the service accepts are offered; any other member school sent is refused by
        # the service with its reason, and the page lists those reasons under "not in the list".
        schools = _member_schools()
        offered, self.not_listed = _rota_schools(partnership, term)
        for number in range(1, seats + 1):
            self.fields[f"representative_{number}"] = forms.ModelChoiceField(
                label=f"Seat {number}: representative's school",
                queryset=schools,
                empty_label="Choose a school",
            )
            offer_only(self.fields[f"representative_{number}"], offered)
            self.fields[f"reserve_{number}"] = forms.ModelChoiceField(
                label=f"Seat {number}: reserve's school",
                queryset=schools,
                required=False,
                empty_label="No reserve",
                help_text="The reserve becomes this seat's representative next term",
            )
            offer_only(self.fields[f"reserve_{number}"], offered)
        self.error_phrases = {
            f"{kind}_{number}": f"the {kind}'s school for seat {number}"
            for number in range(1, seats + 1)
            for kind in ("representative", "reserve")
        }
        self.seat_count = seats

    @property
    def seat_rows(self):
        return [(n, self[f"representative_{n}"], self[f"reserve_{n}"]) for n in range(1, self.seat_count + 1)]

    def seats(self):
        return [
            (self.cleaned_data[f"representative_{n}"], self.cleaned_data.get(f"reserve_{n}"))
            for n in range(1, self.seat_count + 1)
        ]


class SeatForm(Form):
    representative = forms.ModelChoiceField(
        label="Representative's school", queryset=School.objects.none(), empty_label="Choose a school"
    )
    reserve = forms.ModelChoiceField(
        label="Reserve's school",
        queryset=School.objects.none(),
        required=False,
        empty_label="No reserve",
        help_text="The reserve becomes this seat's representative next term",
    )
    substitute = PersonChoiceField(
        label="Substitute (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No substitute: the headteacher attends",
        help_text="A deputy headteacher of the representative's school may attend in the headteacher's place",
    )

    def __init__(self, *args, partnership, seat, **kwargs):
        super().__init__(*args, **kwargs)
        schools = _member_schools()
        self.fields["representative"].queryset = schools
        self.fields["reserve"].queryset = schools
        taken = {}
        for other in seat.rota.seats.exclude(pk=seat.pk):
            taken[other.representative_id] = f"the representative for seat {other.seat}"
            if other.reserve_id:
                taken[other.reserve_id] = f"the reserve for seat {other.seat}"
        offered, self.not_listed = _rota_schools(partnership, seat.rota.term, taken)
        offer_only(self.fields["representative"], offered)
        offer_only(self.fields["reserve"], offered)
        deputies = list(
            RoleAssignment.objects.filter(partnership=partnership, role=Role.DEPUTY)
            .active()
            .select_related("user", "school")
            .order_by("school__name", "user__full_name")
        )
        self.fields["substitute"].queryset = User.objects.filter(pk__in=[d.user_id for d in deputies])
        self.fields["substitute"].widget.choices = [("", self.fields["substitute"].empty_label)] + [
            (d.user_id, f"{d.user.full_name}, deputy headteacher of {d.school.name}") for d in deputies
        ]


class ConfirmForm(Form):
    """No fields: the button is the answer. Errors from the service show in the error summary."""


MAX_PHASE_REASON = 1000


class RotaConfirmForm(Form):
    """Confirming a rota. The reason field is there only when the group lacks a phase the agreement wants:
    the service then refuses without it."""

    def __init__(self, *args, missing_phases: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if missing_phases:
            lacking = " or ".join(f"{phase} school" for phase in missing_phases)
            self.fields["phase_reason"] = forms.CharField(
                label=f"Why the strategy group has no {lacking} this term",
                required=False,  # the service decides, and names what to do
                max_length=MAX_PHASE_REASON,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_PHASE_REASON}),
                help_text="The agreement says the group should always include primary and secondary schools. "
                "To confirm the rota as it is, say why; this is kept with the rota and in the activity log.",
                error_messages={"max_length": f"The reason must be {MAX_PHASE_REASON} characters or fewer"},
            )
