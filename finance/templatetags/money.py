from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """'£1,234.50' from a Decimal (formatted as a Decimal: never through float); empty for None."""
    if value is None or value == "":
        return ""
    return f"£{Decimal(value):,.2f}"
