"""The partnership's financial years, their budgets and how members contribute to each.

A financial year runs from `starts` to `ends`, both days in force (the project's date ranges), April
to March unless the partnership keeps another year (an academy banker may keep September to August).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import ScopedManager

# The most a single amount may be: a partnership's whole year is far smaller than this, and anything
# larger is a typing mistake (an extra digit or two), not a budget.
MAX_AMOUNT = 10_000_000
PENNY = Decimal("0.01")


class FinancialYear(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    starts = models.DateField(help_text="The first day of the financial year")
    ends = models.DateField(help_text="The last day of the financial year")
    start_month = models.PositiveSmallIntegerField(
        "Month the year starts",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="April unless the partnership keeps another financial year",
    )
    label = models.CharField(max_length=20, help_text='How people name the year, like "2026-27"')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Empty for a year carried over from the constitution when contributions moved into the year's scheme.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["-starts"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "starts"], name="financial_year_once_per_start"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="financial_year_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Financial year {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class BudgetLine(models.Model):
    """What the partnership plans to spend on one kind of thing in a year."""

    class Category(models.TextChoices):
        ADMINISTRATION = "administration", "Administration"
        DEVELOPMENT_AREAS = "development_areas", "Development areas"
        EVENTS = "events", "Events"
        STAFFING = "staffing", "Staffing"
        OTHER = "other", "Other"

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    planned = models.DecimalField(
        "Planned amount (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )

    objects = ScopedManager(partnership="year__partnership")

    class Meta:
        ordering = ["year", "category", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_line_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}, {self.year.label}"


class IncomeLine(models.Model):
    """What the partnership expects to receive from one source in a year."""

    class Source(models.TextChoices):
        CONTRIBUTIONS = "contributions", "Member contributions"
        GRANTS = "grants", "Grants"
        EVENTS = "events", "Event income"
        INTEREST = "interest", "Interest"
        OTHER = "other", "Other income"

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="income_lines")
    source = models.CharField(max_length=20, choices=Source.choices)
    description = models.CharField(max_length=200, blank=True)
    planned = models.DecimalField(
        "Expected amount (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )

    objects = ScopedManager(partnership="year__partnership")

    class Meta:
        ordering = ["year", "source", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "source"], name="income_line_once_per_source"),
            models.CheckConstraint(condition=Q(planned__gte=0), name="income_line_planned_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}, {self.year.label}"


class ContributionScheme(models.Model):
    """How the member schools contribute in one financial year: the one record of it for that year.

    Per FTE pupil and flat schemes have a `rate`; shares of a total (by budget or by pupil numbers)
    have a `total`. Per activity schemes are agreed activity by activity and have neither.
    """

    class Basis(models.TextChoices):
        PER_FTE = "per_fte", "An amount per full-time equivalent pupil at the January census"
        BUDGET_SHARE = "budget_share", "A share of a total in proportion to school budgets"
        PUPIL_SHARE = "pupil_share", "A share of a total in proportion to pupil numbers (FTE at the January census)"
        FLAT = "flat", "The same amount from every school"
        PER_ACTIVITY = "per_activity", "Agreed for each activity among the schools taking part"

    RATE_BASES = frozenset({Basis.PER_FTE, Basis.FLAT})
    TOTAL_BASES = frozenset({Basis.BUDGET_SHARE, Basis.PUPIL_SHARE})

    class Joiner(models.TextChoices):
        PRO_RATA = "pro_rata", "Pro rata, for each whole month they are a member"
        IN_FULL = "in_full", "The whole year's amount"

    year = models.OneToOneField(FinancialYear, on_delete=models.CASCADE, related_name="scheme")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    rate = models.DecimalField(
        "Rate (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(PENNY), MaxValueValidator(MAX_AMOUNT)],
        help_text="Per FTE pupil, or each school's flat amount",
    )
    total = models.DecimalField(
        "Total to share (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(PENNY), MaxValueValidator(MAX_AMOUNT)],
    )
    joiner = models.CharField(
        "What a school joining during the year pays", max_length=10, choices=Joiner.choices, default=Joiner.PRO_RATA
    )
    # The banker school's administration portion: a percentage of each payment received, or a fixed
    # amount for the year posted when the year opens. Both empty is "not set by the partnership", and
    # then nothing is kept back; 0 is a rule too ("none").
    admin_share_percent = models.DecimalField(
        "Banker school's administration share (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Of each payment received",
    )
    admin_fixed_amount = models.DecimalField(
        "Banker school's administration amount for the year (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    # Empty for a scheme carried over from the constitution when contributions moved into the year.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="year__partnership")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rate__isnull=True) | Q(rate__gt=0), name="scheme_rate_positive"),
            models.CheckConstraint(condition=Q(total__isnull=True) | Q(total__gt=0), name="scheme_total_positive"),
            models.CheckConstraint(
                condition=Q(admin_share_percent__isnull=True) | Q(admin_fixed_amount__isnull=True),
                name="scheme_admin_share_one_way",
            ),
            models.CheckConstraint(
                condition=Q(admin_share_percent__isnull=True)
                | Q(admin_share_percent__gte=0, admin_share_percent__lte=100),
                name="scheme_admin_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Contributions for {self.year.label}"
