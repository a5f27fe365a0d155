"""What the partnership spends, and the grants it receives and shares out among its schools.

An expense is spent against one of its year's budget lines, and perhaps a development area; it may
carry a receipt (a private file, stored and served like a meeting's papers) and name the strategy
group's decision that approved it. A grant is money given to the partnership for a purpose (Exeter
Beacon's Extended Schools funding); its allocations to schools never add up to more than the grant,
and go only to the schools `finance.selectors.grant_eligibility` allows. Each of them posted its
ledger entry when it was recorded (`entry`): the ledger, not these rows, is the account.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from core.files import DOCUMENT_TYPES, get_private_storage
from finance.models.ledger import LedgerEntry
from finance.models.years import MAX_AMOUNT, PENNY, BudgetLine, FinancialYear


def _amount(label: str) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, validators=[MinValueValidator(PENNY), MaxValueValidator(MAX_AMOUNT)]
    )


class Expense(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="expenses")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses")
    development_area = models.ForeignKey(
        "partnerships.DevelopmentArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supplier = models.CharField(max_length=150)
    description = models.CharField(max_length=200)
    amount = _amount("Amount (£)")
    spent_on = models.DateField("Date spent")
    # The receipt: kept where no URL serves it, typed by its content (core.files), like a paper.
    receipt = models.FileField(storage=get_private_storage, upload_to="receipts", max_length=200, blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)
    receipt_type = models.CharField(
        max_length=100, blank=True, choices=[(mime, ext.upper()) for mime, ext in DOCUMENT_TYPES.items()]
    )
    receipt_size = models.PositiveBigIntegerField(null=True, blank=True)
    decision = models.ForeignKey(
        "meetings.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The strategy group's decision that approved the spending",
    )
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="expense")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} to {self.supplier} on {self.spent_on}"

    @property
    def receipt_label(self) -> str:
        return DOCUMENT_TYPES.get(self.receipt_type, "").upper()


class Grant(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="grants")
    name = models.CharField(max_length=150, help_text="For example, Extended Schools funding")
    funder = models.CharField(max_length=150, help_text="Who gave it, for example Devon County Council")
    amount = _amount("Amount (£)")
    received_on = models.DateField("Date received")
    development_area = models.ForeignKey(
        "partnerships.DevelopmentArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="If the grant is for one development area, only the schools taking part in it receive it",
    )
    restricted_to_members = models.BooleanField(
        default=True, help_text="Only schools that are members on the day it is allocated receive it"
    )
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="grant")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} from {self.funder}"


class GrantAllocation(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="allocations")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    amount = _amount("Amount (£)")
    allocated_on = models.DateField("Date allocated")
    decision = models.ForeignKey(
        "meetings.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The strategy group's decision that agreed the allocation",
    )
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="allocation")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="grant__partnership")

    class Meta:
        ordering = ["grant", "allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_allocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} of {self.grant.name} to {self.school}"
