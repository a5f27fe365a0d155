"""The banker school's ledger: every movement of the partnership's money, as an append-only entry.

Single-entry with a running balance (the banker school's account is the only account the partnership
has): money in is a positive amount, money out a negative one, and the balance is always the sum of
the entries, never a stored figure. An entry is never changed or removed (the database itself refuses
an UPDATE or DELETE, see migration 0003): a correction is a reversing entry that names the one it
reverses and has the opposite amount.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from finance.models.contributions import Payment
from finance.models.years import BudgetLine, FinancialYear


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", "Contribution received"
        ADMIN_SHARE = "admin_share", "Administration share kept by the banker school"
        GRANT_INCOME = "grant_income", "Grant received"
        EVENT_INCOME = "event_income", "Event income"
        INTEREST = "interest", "Interest"
        OTHER_INCOME = "other_income", "Other income"
        EXPENSE = "expense", "Spending"
        GRANT_ALLOCATED = "grant_allocated", "Grant allocated to a school"
        REVERSAL = "reversal", "Correction"

    # What a coordinator records straight into the ledger; the rest is posted by the services that own
    # it (contributions by payments, spending by expenses, grants by grants).
    RECORDED_KINDS = (Kind.GRANT_INCOME, Kind.EVENT_INCOME, Kind.INTEREST, Kind.OTHER_INCOME)
    INCOME_KINDS = frozenset(
        {Kind.CONTRIBUTION, Kind.GRANT_INCOME, Kind.EVENT_INCOME, Kind.INTEREST, Kind.OTHER_INCOME}
    )

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="entries")
    posted_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Money in is positive, money out negative")
    description = models.CharField(max_length=200)
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    budget_line = models.ForeignKey(BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(partnership="partnership")

    class Meta:
        ordering = ["posted_on", "pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="ledger_reversal_names_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posted_on}: {self.description} £{self.amount}"
