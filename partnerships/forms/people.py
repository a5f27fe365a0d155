from django import forms
from django.utils import timezone

from core.forms import DateInput, Form
from partnerships.models import Membership
from partnerships.roles import ROTA_ROLES, Role
from schools.models import School


class InviteForm(Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter their full name", "max_length": "Full name must be 150 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation link is sent to this address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        # Strategy group representatives and reserves come from the confirmed rota, never from here.
        choices=[("", "Choose a role")] + [(value, label) for value, label in Role.choices if value not in ROTA_ROLES],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role from the list"},
    )
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        required=False,
        empty_label="Not for a school",
        error_messages={"invalid_choice": "Choose a member school from the list"},
        help_text="Needed for headteachers, deputies, governors, finance officers and advisers",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        current = Membership.objects.current().values("school_id")
        self.fields["school"].queryset = School.objects.filter(pk__in=current).order_by("name")


class RoleEndForm(Form):
    end = forms.DateField(
        label="Last day in the role",
        error_messages={"required": "Enter the last day in the role"},
        widget=DateInput,
        help_text="The person can act in this role until the end of this day, and not after it",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PartnershipSettingsForm(Form):
    require_mfa_for_coordinators = forms.BooleanField(
        label="Require two-factor authentication for coordinators",
        required=False,
        help_text="Coordinators must set up an authenticator app before they can open this partnership",
    )
