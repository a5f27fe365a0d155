"""The Kent agreement's Primary Excellence Partner (PEP) headteacher: their year's individual outcomes
plan with milestones, the CPD the agreement requires of them, the commissioned leadership support they
give (up to 16 days a year), and their performance-management panel. The rules are in
subscriptions.selectors (pep_cpd_summary, panel_member_conflict) and the services."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager


class PepPlan(models.Model):
    """A PEP headteacher's individual plan for an academic year, monitored through their performance
    management and reviewed at the annual review meeting at the end of the year."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    pep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The academic year, by its first calendar year")
    sip_share_percent = models.PositiveSmallIntegerField(
        "Share of time as school improvement partner (%)", default=33, help_text="The agreement says about a third"
    )
    annual_review_on = models.DateField("Annual review meeting", null=True, blank=True)
    annual_review_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "pep", "year"], name="pep_plan_once_a_year"),
            models.CheckConstraint(condition=Q(sip_share_percent__lte=100), name="pep_share_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.pep}'s plan for {self.year}/{(self.year + 1) % 100:02d}"


class PepOutcome(models.Model):
    plan = models.ForeignKey(PepPlan, on_delete=models.CASCADE, related_name="outcomes")
    text = models.CharField("Outcome", max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(partnership="plan__partnership")

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class PepMilestone(models.Model):
    outcome = models.ForeignKey(PepOutcome, on_delete=models.CASCADE, related_name="milestones")
    text = models.CharField("Milestone", max_length=400)
    due = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    objects = ScopedManager(partnership="outcome__plan__partnership")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text


class CpdRecord(models.Model):
    """A day (or half day) of CPD a PEP attended: one of the kinds the agreement requires, or optional."""

    class Kind(models.TextChoices):
        ADVISORY_INDUCTION = "advisory_induction", "Professional advisory induction"
        PEP_INDUCTION = "pep_induction", "PEP induction"
        AUTUMN_SERVICE_DAY = "autumn_service_day", "Service day (autumn)"
        SIP_CPD = "sip_cpd", "School improvement partner CPD"
        PEP_CPD = "pep_cpd", "PEP CPD (half days)"
        OPTIONAL = "optional", "Optional CPD"

    plan = models.ForeignKey(PepPlan, on_delete=models.CASCADE, related_name="cpd")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    on = models.DateField("Date")
    days = models.DecimalField(max_digits=3, decimal_places=1, help_text="In half days: 0.5, 1, 1.5 ...")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(partnership="plan__partnership")

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="cpd_days_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.on}"


class SupportDay(models.Model):
    """Commissioned leadership support the PEP gave a school (the Leading for Impact programme)."""

    plan = models.ForeignKey(PepPlan, on_delete=models.CASCADE, related_name="support_days")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("Date")
    days = models.DecimalField(max_digits=3, decimal_places=1, default=Decimal("1"))
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(partnership="plan__partnership")

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="support_days_positive")]

    def __str__(self) -> str:
        return f"{self.days} days at {self.school}, {self.on}"


class PanelMember(models.Model):
    """A member of the PEP's performance-management panel for the year (national guidance: three
    reviewers; the agreement recommends the partnership manager, a headteacher of a school the PEP is
    not school improvement partner to, and one other from the board; external advice besides)."""

    class Seat(models.TextChoices):
        PARTNERSHIP_MANAGER = "manager", "Partnership manager"
        HEADTEACHER = "headteacher", "Headteacher of a school the PEP does not advise"
        BOARD = "board", "Another representative of the board"
        EXTERNAL_ADVISER = "external", "External adviser (advice to the panel)"

    REVIEWERS = (Seat.PARTNERSHIP_MANAGER, Seat.HEADTEACHER, Seat.BOARD)

    plan = models.ForeignKey(PepPlan, on_delete=models.CASCADE, related_name="panel")
    seat = models.CharField(max_length=12, choices=Seat.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=150, blank=True, help_text="For an external adviser without an account")
    meets_on = models.DateField("Panel date")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(partnership="plan__partnership")

    class Meta:
        ordering = ["seat", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seat"], condition=~Q(seat="external"), name="panel_seat_once"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="panel_member_named"),
        ]

    def __str__(self) -> str:
        return f"{self.get_seat_display()}: {self.user or self.name}"
