from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """'£1,234.50', '-£20.00' from a Decimal (formatted as a Decimal: never through float); empty for None."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"
