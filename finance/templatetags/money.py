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
