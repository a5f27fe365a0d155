from django import template

from partnerships.roles import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """A role's name as people say it ("Chair of governors"), from its stored value."""
    return Role(value).label if value in Role.values else value
