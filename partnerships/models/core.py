import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from core.dates import InForceQuerySet, has_ended, in_force
from partnerships.roles import ROTA_ROLES, Role


class Partnership(models.Model):
    """The tenant: a partnership of schools that shares an agreement, meetings and money."""

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(blank=True)
    aims = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    offers_subscriptions = models.BooleanField(
        default=False,
        help_text="Set when the partnership sets up its first subscription plan: shows its menu item",
    )
    require_mfa_for_coordinators = models.BooleanField(
        "Require two-factor authentication for coordinators",
        default=False,
        help_text="Coordinators must set up an authenticator app before they can use the partnership.",
    )

    class Meta:
        ordering = ["name"]
        # What each permission means. Roles give them (partnerships/roles.py), worked out per request:
        # they are never stored as django-guardian rows, nor granted by hand.
        permissions = [
            ("view_members", "Can see the member schools"),
            ("view_people", "Can see the people and their roles"),
            ("view_governance", "Can see the offices, strategy group, groups and development areas"),
            ("manage_people", "Can invite people and start or end roles"),
            ("view_audit", "Can read the partnership's audit log"),
            ("manage_members", "Can manage member schools, their people and figures"),
            ("change_constitution", "Can change the constitution and term dates"),
            ("manage_governance", "Can record elections, the strategy group rota, groups and development areas"),
            ("view_interests", "Can read the register of interests"),
            ("declare_interests", "Can declare interests"),
            ("view_meetings", "Can see the partnership's meetings"),
            ("manage_meetings", "Can schedule, change and cancel meetings and say who is invited"),
            ("view_school_records", "Can see every member school's people, contact details, census and budget"),
            (
                "view_shared_with_headteachers",
                "Can see what the constitution shares with every member school's headteachers",
            ),
            ("view_finance", "Can see the partnership's financial years, budgets and contribution schemes"),
            ("manage_finance", "Can open financial years, set budgets and contribution schemes"),
            ("manage_subscriptions", "Can set up subscription plans, subscribe schools and manage their credits"),
            (
                "manage_reports",
                "Can generate every member school's governors' reports and say how they reach governors",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(InForceQuerySet):
    start_field, end_field = "joined", "left"

    def current(self, on: datetime.date | None = None):
        """Members on a day: joined on or before it, and it is not after their last day (`left`)."""
        return self.in_force(on)


class Membership(models.Model):
    """A school's membership of a partnership, from joining to leaving."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="memberships")
    joined = models.DateField()
    approved_on = models.DateField(null=True, blank=True, help_text="Date of the strategic group's decision")
    approval_reference = models.CharField(
        max_length=200, blank=True, help_text="Where the decision is recorded, e.g. the meeting and minute"
    )
    left = models.DateField(null=True, blank=True, help_text="The school's last day as a member")
    withdrawal_notes = models.TextField(blank=True)

    objects = ScopedManager(partnership="partnership", _manager_class=models.Manager.from_queryset(MembershipQuerySet))

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "school", "joined"], name="membership_unique_start"),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.partnership}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        """A member on the day: the same rule as `Membership.objects.current(on)`."""
        return in_force(self.joined, self.left, on or timezone.localdate())

    def status(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if has_ended(self.left, on):
            return "left"
        if not self.is_current(on):
            return "joining"
        return "active" if self.left is None else "leaving"

    def status_label(self, on: datetime.date | None = None) -> str:
        status = self.status(on)
        if status == "leaving":
            return f"Leaving on {self.left:%-d %B %Y}"
        if status == "joining":
            return f"Joining on {self.joined:%-d %B %Y}"
        return {"active": "Active", "left": "Left"}[status]


class RoleAssignmentQuerySet(InForceQuerySet):
    def active(self, on: datetime.date | None = None):
        """Roles in force on a day: started, and the day is not after their last day (`end`)."""
        return self.in_force(on)


class RoleAssignment(models.Model):
    """A person's role in a partnership over a period. Ending a role sets its end; nothing is overwritten."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="The last day of the role; empty while it continues")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedManager(
        partnership="partnership", _manager_class=models.Manager.from_queryset(RoleAssignmentQuerySet)
    )

    class Meta:
        ordering = ["user__full_name", "role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="role_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["user", "partnership"])]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{label}, {self.school}" if self.school_id else label

    def is_active(self, on: datetime.date | None = None) -> bool:
        return in_force(self.start, self.end, on or timezone.localdate())

    @property
    def from_rota(self) -> bool:
        """Given by the confirmed strategy group rota, and changed only there."""
        return self.role in ROTA_ROLES
