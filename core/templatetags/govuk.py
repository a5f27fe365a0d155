from django import forms, template

from core.forms import DateInput

register = template.Library()

_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


@register.filter
def govuk_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def govuk_widget(bound_field):
    """Render a field's widget with GOV.UK classes and aria-describedby for its hint and error."""
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        # The date input's own template sets each box's class; it only needs to know about errors.
        return bound_field.as_widget(attrs={"class": "govuk-input--error"} if bound_field.errors else {})
    css = next((c for kind, c in _CLASSES.items() if isinstance(widget, kind)), "govuk-input")
    if bound_field.errors:
        css += {"govuk-select": " govuk-select--error", "govuk-textarea": " govuk-textarea--error"}.get(
            css, " govuk-input--error" if css == "govuk-input" else ""
        )
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    attrs = {"class": (widget.attrs.get("class", "") + " " + css).strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current page's query string without `page`, so pagination links keep searches and filters."""
    request = context.get("request")
    if request is None:
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
