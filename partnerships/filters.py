"""The audit trail's filters (django-filter): by person, by area of work, by what a row is about and by
date. One FilterSet serves the page and its CSV and XLSX downloads, so a download holds exactly what the
page shows."""

import datetime
import re

import django_filters
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuditEvent, User
from core.forms import DateInput, Form
from partnerships.models import RoleAssignment

# Areas of work, by the prefix of the actions' stored values: a coordinator thinks "money" or
# "meetings", not one of the hundred and more kinds of row.
AREAS = {
    "people": ("People, roles and sign-ins", ("account.", "role.", "grant.", "invitation.", "partnership.")),
    "constitution": (
        "Constitution, membership and groups",
        ("constitution.", "terms.", "membership.", "election.", "rota.", "group.", "development.", "schools."),
    ),
    "interests": ("Declarations of interest", ("interests.",)),
    "meetings": ("Meetings, agendas and minutes", ("meeting.", "agenda.", "minutes.", "calendar.")),
    "money": ("Money", ("finance.",)),
    "agreements": ("Agreements and signatures", ("agreement.",)),
    "subscriptions": ("Subscriptions, credits and visits", ("subscriptions.",)),
}

# "meetings.meeting:12": what the "everything about this" links put in ?about=.
_ABOUT = re.compile(r"^(?P<type>[a-z_]+\.[a-z_]+):(?P<id>[0-9]{1,18})$")


def area_of(action: str) -> str:
    """The area an action belongs to (each action value starts with exactly one area's prefix)."""
    return next((key for key, (_, prefixes) in AREAS.items() if action.startswith(prefixes)), "")


class AuditFilterForm(Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The to date must be the same as or after the from date")
        return cleaned


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label="Who", queryset=User.objects.none(), empty_label="Anyone")
    area = django_filters.ChoiceFilter(
        label="Area of work",
        choices=[(key, label) for key, (label, _) in AREAS.items()],
        empty_label="Everything",
        method="filter_area",
    )
    text = django_filters.CharFilter(
        label="Words in the entry", method="filter_text", max_length=100, help_text="For example, a school's name"
    )
    about = django_filters.CharFilter(label="About", method="filter_about", max_length=80)
    since = django_filters.DateFilter(
        label="From", field_name="created_at", method="filter_since", widget=DateInput, help_text="On or after"
    )
    until = django_filters.DateFilter(
        label="To", field_name="created_at", method="filter_until", widget=DateInput, help_text="On or before"
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "area", "text", "about", "since", "until"]
        form = AuditFilterForm

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["actor"].queryset = User.objects.filter(
            pk__in=RoleAssignment.objects.filter(partnership=partnership).values("user_id")
        ).order_by("full_name")
        fields["actor"].error_messages["invalid_choice"] = "Choose who from the list"
        fields["area"].error_messages["invalid_choice"] = "Choose an area of work from the list"
        fields["about"].widget = fields["about"].hidden_widget()
        fields["since"].error_messages["invalid"] = "The from date must be a real date"
        fields["until"].error_messages["invalid"] = "The to date must be a real date"

    def filter_area(self, queryset, name, value):
        prefixes = AREAS[value][1]
        query = Q()
        for prefix in prefixes:
            query |= Q(action__startswith=prefix)
        return queryset.filter(query)

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(summary__icontains=value) | Q(subject_label__icontains=value))

    def filter_about(self, queryset, name, value):
        match = _ABOUT.match(value)
        if not match:
            return queryset.none()
        return queryset.filter(subject_type=match["type"], subject_id=int(match["id"]))

    def filter_since(self, queryset, name, value: datetime.date):
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value: datetime.date):
        return queryset.filter(created_at__lt=_start_of(value + datetime.timedelta(days=1)))

    @property
    def about_label(self) -> str:
        """What the ?about= row is called, for the page's heading ("Everything about …")."""
        if not self.is_bound or not self.form.is_valid() or not self.form.cleaned_data.get("about"):
            return ""
        return self.qs.exclude(subject_label="").values_list("subject_label", flat=True).first() or ""


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
