"""The action points list's filters (django-filter): by owner, status, meeting and due date."""

import django_filters
from django.utils import timezone

from accounts.models import User
from core.forms import DateInput, Form
from meetings.models import ActionPoint, Meeting
from partnerships.models import RoleAssignment


class ActionFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=User.objects.none(), empty_label="Anyone", null_label=None
    )
    status = django_filters.ChoiceFilter(label="Status", choices=ActionPoint.Status.choices, empty_label="Open or done")
    meeting = django_filters.ModelChoiceFilter(
        label="Meeting", queryset=Meeting.objects.none(), empty_label="Any meeting"
    )
    due_by = django_filters.DateFilter(
        label="Due by", field_name="due", lookup_expr="lte", widget=DateInput, help_text="Actions due on or before"
    )

    class Meta:
        model = ActionPoint
        fields = ["owner", "status", "meeting", "due_by"]
        form = Form

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["owner"].queryset = User.objects.filter(
            pk__in=RoleAssignment.objects.filter(partnership=partnership).values("user_id")
        ).order_by("full_name")
        fields["meeting"].queryset = Meeting.objects.filter(pk__in=ActionPoint.objects.values("meeting_id")).order_by(
            "-starts"
        )
        fields["owner"].error_messages["invalid_choice"] = "Choose an owner from the list"
        fields["status"].error_messages["invalid_choice"] = "Choose open or done"
        fields["meeting"].error_messages["invalid_choice"] = "Choose a meeting from the list"
        fields["due_by"].error_messages["invalid"] = "The due by date must be a real date"
        self.today = timezone.localdate()
