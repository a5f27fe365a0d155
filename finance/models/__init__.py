"""The partnership's money, one module per concept.

Money is Decimal in pounds with two places, never float (a test walks every model field).
"""

from finance.models.contributions import ContributionReminder, ContributionRequest, Payment, SharedCost
from finance.models.ledger import LedgerEntry
from finance.models.spending import Expense, Grant, GrantAllocation
from finance.models.years import (
    MAX_AMOUNT,
    PENNY,
    BudgetLine,
    ContributionScheme,
    FinancialYear,
    IncomeLine,
)

__all__ = [
    "MAX_AMOUNT",
    "PENNY",
    "BudgetLine",
    "ContributionReminder",
    "ContributionRequest",
    "ContributionScheme",
    "Expense",
    "FinancialYear",
    "Grant",
    "GrantAllocation",
    "IncomeLine",
    "LedgerEntry",
    "Payment",
    "SharedCost",
]
