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


@register.filter
def magnitude(value):
    """The amount without its sign, for 'in credit by £12.00' rather than '£-12.00'."""
    if value is None or value == "":
        return value
    return abs(Decimal(value))


@register.filter
def signed_pounds(value) -> str:
    """'-£41.00' for money going the other way (a correction, a credit carried forward): `pounds` does so too."""
    return pounds(value)
