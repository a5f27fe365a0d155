"""Requests for contribution to the member schools, and the payments recorded against them.

A request is numbered and dated, due at the start of its financial year, for the amount
`finance.selectors.contribution_amounts` worked out for the school when the coordinator confirmed the
year's requests. A payment is never edited: a mistake is put right by a reversing payment (a
negative amount naming the one it reverses). A payment above what is outstanding is taken only with
the coordinator's confirmation, and the excess is a credit the school carries forward.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from finance.models.years import FinancialYear


class SharedCost(models.Model):
    """A cost the schools taking part in an activity share, where the partnership contributes activity by
    activity (a per activity scheme): Science week's hall and speaker, shared by budget among the
    schools taking part. Worked out (finance.selectors.shared_cost_amounts) and shown before the
    coordinator confirms it; confirming makes a request to each school."""

    class Basis(models.TextChoices):
        BUDGET_SHARE = "budget_share", "In proportion to the schools' budgets"
        PUPIL_SHARE = "pupil_share", "In proportion to pupil numbers (FTE at the January census)"
        EQUAL = "equal", "In equal parts"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="shared_costs")
    title = models.CharField(max_length=150)
    total = models.DecimalField("Total to share (£)", max_digits=12, decimal_places=2)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    schools = models.ManyToManyField("schools.School", related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["year", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="shared_cost_total_positive")]

    def __str__(self) -> str:
        return self.title


class ContributionRequest(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="requests")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # Empty for the year's contribution; a shared cost's share otherwise.
    activity = models.ForeignKey(SharedCost, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    number = models.PositiveIntegerField(help_text="Numbered in order across the partnership's years")
    dated = models.DateField()
    due = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    # The working, as it stood when the request was made: it does not change if the census is corrected.
    figure = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    figure_label = models.CharField(max_length=60, blank=True)
    months = models.PositiveSmallIntegerField(default=12)
    addressed_to = models.CharField(max_length=150, blank=True)
    addressed_position = models.CharField(max_length=60, blank=True)
    addressed_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "school"],
                condition=Q(activity__isnull=True),
                name="request_once_per_school_and_year",
            ),
            models.UniqueConstraint(fields=["activity", "school"], name="request_once_per_school_and_activity"),
            models.UniqueConstraint(fields=["partnership", "number"], name="request_number_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="request_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Request {self.reference} to {self.school}"

    @property
    def reference(self) -> str:
        return f"{self.number:04d}"


class Payment(models.Model):
    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        INTERNAL = "internal", "Transfer between school accounts"
        CHEQUE = "cheque", "Cheque"
        CASH = "cash", "Cash"
        # Not money moving: a credit from an overpayment moved from one year's request to the next.
        CREDIT_CARRIED = "credit_carried", "Credit carried forward"
        CREDIT_BROUGHT = "credit_brought", "Credit brought forward"

    # Methods that move money into the banker school's account (and so into its ledger).
    MONEY_METHODS = frozenset({Method.BANK_TRANSFER, Method.INTERNAL, Method.CHEQUE, Method.CASH})

    request = models.ForeignKey(ContributionRequest, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField("Date received")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    method = models.CharField(max_length=20, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.CharField(max_length=200, blank=True, help_text="Why a payment was reversed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="request__partnership")

    class Meta:
        ordering = ["request", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_not_zero"),
            # Only a reversal or a credit carried forward takes money off a request.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(reverses__isnull=False) | Q(method="credit_carried"),
                name="payment_negative_only_to_correct",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} from {self.request.school} on {self.received_on}"


class ContributionReminder(models.Model):
    """An overdue request's reminder, one row per reminder sent: beat finds what is due and this row
    (with the outbox's own uniqueness) means nothing is sent twice."""

    request = models.ForeignKey(ContributionRequest, on_delete=models.CASCADE, related_name="reminders")
    sequence = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    outstanding = models.DecimalField(max_digits=12, decimal_places=2)

    objects = ScopedManager(partnership="request__partnership")

    class Meta:
        ordering = ["request", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sequence"], name="reminder_once_per_sequence"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.sequence} for request {self.request.reference}"
