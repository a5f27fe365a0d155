from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """'£1,234.50' from a Decimal (formatted as a Decimal: never through float); empty for None."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"


@register.filter
def magnitude(value):
    """The amount without its sign, for 'in credit by £12.00' rather than '£-12.00'."""
    if value is None or value == "":
        return value
    return abs(Decimal(value))


@register.filter
def signed_pounds(value) -> str:
    """'-£41.00' for money going the other way (a correction, a credit carried forward): never '£-41.00'."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"
