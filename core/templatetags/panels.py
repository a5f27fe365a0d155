from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.panels import panel_contexts

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **kwargs):
    """Render every panel registered for `slot` that has something to show the signed-in person."""
    request = context["request"]
    html = [
        render_to_string(panel.template, {**context.flatten(), **panel_context}, request=request)
        for panel, panel_context in panel_contexts(request, slot, **kwargs)
    ]
    return mark_safe("".join(html))  # each part was rendered (and escaped) by its own template  # nosec B308 B703
